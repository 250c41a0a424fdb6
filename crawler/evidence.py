"""An outcome's evidence files beyond its document: what a browser check kept of the page.

The crawl's check items and discovery's findings store the same files the same way: the
screenshot of the deciding control, the documents of same-origin frames, and the options of
the drop-downs that were opened, each named in the report's ``evidence`` by its SHA-256.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from crawler.fetch.outcome import FetchOutcome

Blob = tuple[bytes, str]  # (content, file extension)


def page_extras(outcome: FetchOutcome, evidence: dict[str, Any]) -> list[Blob]:
    """The screenshot, frames and opened drop-downs of ``outcome`` as files to store, with
    ``evidence`` (a report's) pointing at each."""
    blobs: list[Blob] = []
    if outcome.screenshot_png:
        evidence["screenshot"] = hashlib.sha256(outcome.screenshot_png).hexdigest()
        blobs.append((outcome.screenshot_png, "png"))
    if outcome.frames:
        frames = []
        for url, html in outcome.frames:
            data = html.encode("utf-8")
            blobs.append((data, "html"))
            frames.append({"url": url, "sha256": hashlib.sha256(data).hexdigest()})
        evidence["frames"] = frames
    if outcome.extra_controls:
        data = json.dumps(outcome.extra_controls, ensure_ascii=False,
                          sort_keys=True).encode("utf-8")
        blobs.append((data, "json"))
        evidence["controls_sha256"] = hashlib.sha256(data).hexdigest()
    return blobs
