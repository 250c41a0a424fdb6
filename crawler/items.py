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

    def __repr__(self) -> str:
        """Its key, never its page: Scrapy logs an item whose storing failed, and a full disk
        must not print every pending page into the log."""
        from foundation.text import safe

        return (f"CheckItem(run={self.run_id}, target={self.target_id}, "
                f"{safe(self.report.get('source'), 120)!r}, {self.report.get('verdict')})")
