"""Keeping what discovery found: evidence into the store, proposals into the database.

Shared by the crawler's pipeline (``crawl --discover``) and the dashboard's worker (a
citizen's site), so a proposal is stored the same way whoever walked the site: each page's
document and screenshot in the content-addressed store first, named by their SHA-256 in the
report, then the proposals (``db.proposals``), so no stored proposal names a missing file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from crawler.discover.findings import Finding
from crawler.evidence import page_extras
from db.evidence import EvidenceStore
from db.models import Discovery, Proposal
from db.proposals import finish_discovery, is_proposable, record_proposals


def finding_blobs(finding: Finding) -> list[tuple[bytes, str]]:
    """The evidence files of a finding (document, screenshot, frames, opened dropdowns), with
    the report's ``evidence`` pointing at them by hash."""
    outcome, report = finding.outcome, finding.report
    evidence = report.setdefault("evidence", {})
    blobs: list[tuple[bytes, str]] = []
    if outcome is None:
        return blobs
    if outcome.html is not None:
        # The decoded document is what was judged; its hash names the stored file.
        data = outcome.html.encode("utf-8")
        evidence["html_sha256"] = hashlib.sha256(data).hexdigest()
        blobs.append((data, "html"))
    return blobs + page_extras(outcome, evidence)


def keep_findings(session: Session, store: EvidenceStore, discovery: Discovery,
                  findings: Sequence[Finding], *, pages: int, requests: int, seconds: float,
                  stop_reason: str | None, replaces: Mapping[str, int] | None = None,
                  error: str | None = None) -> list[Proposal]:
    """Store the evidence of the pages worth proposing, then the proposals, and close the
    discovery with its counts."""
    reports: list[dict[str, Any]] = []
    for finding in findings:
        if is_proposable(finding.report):
            for data, ext in finding_blobs(finding):
                store.put(data, ext)
        reports.append(finding.report)
    made = record_proposals(session, discovery, reports, replaces)
    finish_discovery(session, discovery, pages=pages, requests=requests, seconds=seconds,
                     stop_reason=stop_reason, error=error)
    return made
