"""Progress lines of discovery (``xktracker discover`` without ``--json``, ``crawl
--discover``): one per page fetched, one per site walked. Text from the web is cleaned of
control characters (``foundation.text.safe``)."""

from __future__ import annotations

from crawler.discover.findings import Finding
from crawler.discover.run import SiteResult
from crawler.discover.walk import SiteWalk, Visit
from crawler.fetch.outcome import FetchOutcome
from foundation.text import safe


def progress_line(walk: SiteWalk, visit: Visit, outcome: FetchOutcome,
                  findings: list[Finding]) -> str:
    """``[alba.example 4/30] static  listed  signup  https://… (via Sign in › Create …)``."""
    state = outcome.error or outcome.blocked or (str(outcome.status) if outcome.status else "")
    found = ", ".join(f"{f.report['kind']} {f.report['verdict']}" for f in findings)
    how = visit.method + (" +click" if visit.steps else "")
    via = f"  via {safe(' › '.join(visit.via), 60)}" if visit.via else ""
    return (f"[{safe(walk.site, 30)} {walk.stats.pages}/{walk.options.max_pages}] {how:<13} "
            f"{state:<16} {safe(found or '-', 28):<28} {safe(visit.url, 90)}{via}")


def site_summary(result: SiteResult) -> str:
    stats = result.stats
    forms = sum(1 for f in result.findings if f.has_control)
    return (f"{safe(result.site)}: {forms} form page(s), {len(result.findings)} reported, "
            f"{stats.pages} pages and {stats.requests} requests in {result.seconds:.1f} s "
            f"({stats.stop_reason})")
