"""What the discover spider hands to its pipeline: one walk of one site, ended."""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.discover.findings import Finding
from crawler.discover.walk import WalkStats


@dataclass(slots=True)
class DiscoveryItem:
    site_id: int | None  # the catalog site, when it is one
    domain: str
    start_url: str
    trigger: str  # why the site was walked (catalog health's reasons)
    findings: list[Finding]
    stats: WalkStats
    seconds: float
    replaces: dict[str, int] = field(default_factory=dict)  # kind → stopped target id
