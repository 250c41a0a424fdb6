"""What ``xktracker discover`` prints without ``--json``: a line per page as it is fetched, a
table of the pages found per site. Text from the web is cleaned of control characters."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Sequence
from typing import Any

from crawler.discover.findings import Finding
from crawler.discover.run import SiteResult
from crawler.discover.walk import SiteWalk, Visit
from crawler.fetch.outcome import FetchOutcome
from xktracker.table import describe_fields, safe


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


def findings_table(rows: Sequence[dict[str, Any]]) -> str:
    """The pages found, one line each: kind, verdict, URL, route, deciding field."""
    width = max(80, shutil.get_terminal_size((120, 24)).columns)
    headers = ["KIND", "VERDICT", "URL", "VIA", "EVIDENCE"]
    table = []
    for r in rows:
        verdict = r["verdict"] + (f"/{r['reason']}" if r.get("reason") else "")
        via = r.get("via") or ""
        if r.get("steps"):
            via += f" [{len(r['steps'])} steps]"
        table.append([r["kind"], verdict, safe(r["url"], max(30, width // 3)),
                      safe(via, 40), describe_fields(r)])
    widths = [max(len(h), *(len(c[i]) for c in table)) if table else len(h)
              for i, h in enumerate(headers)]
    fixed = sum(widths[:-1]) + 2 * (len(headers) - 1)
    widths[-1] = max(20, min(widths[-1], width - fixed))
    lines = ["  ".join(safe(c, w).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
             for cells in [headers, *table]]
    counts = Counter(r["verdict"] for r in rows)
    lines.append("")
    lines.append(f"{len(rows)} page(s) found: " + ", ".join(
        f"{n} {v}" for v, n in counts.most_common()) if rows else "no page with a country "
                 "control found")
    return "\n".join(lines)
