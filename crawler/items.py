"""What the spider hands to the pipeline: one check of one target, with its evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class CheckItem:
    """A finished check: the report (the ``check --json`` object plus every field's option
    list) and the evidence files it names by SHA-256, as ``(bytes, extension)`` pairs."""

    run_id: int
    target_id: int
    report: dict[str, Any]
    blobs: list[tuple[bytes, str]] = field(default_factory=list)
