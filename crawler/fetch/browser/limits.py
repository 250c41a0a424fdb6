"""Fixed limits and defaults of the browser path, shared by its phases."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFAULT_MAX_HTML_BYTES = 10 * 1024 * 1024
DEFAULT_VIEWPORT = (1280, 900)
# Resource types never needed to read a form; skipping them saves time on every page.
SKIPPED_RESOURCE_TYPES = frozenset({"image", "font", "media"})
# What the screenshot scrolls a list to: the territory's names (regex), codes and the name
# it sorts under when it is missing (the gap where it should be is the evidence).
DEFAULT_FOCUS: Mapping[str, Any] = {
    "pattern": "kosov|kosova|kosovë|косов|科索沃|コソボ|코소보|كوسوفو|קוסובו|Κοσσυφοπέδιο",
    "codes": ["XK", "XKX"],
    "sortName": "Kosovo",
}
# Content types a browser check reads as a page.
HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml", "text/plain")
