"""A readable terminal table of check results.

Everything shown comes from the web, so control characters (ANSI escapes, carriage
returns) are removed before printing: a page title must not be able to repaint a terminal.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Sequence
from typing import Any

from foundation.text import safe


def describe_fields(report: dict[str, Any]) -> str:
    """The deciding field in a few words: "select#country, 249 countries, Kosovo as 'XK'"."""
    fields = [f for f in report.get("fields", []) if f["verdict"] != "unknown"]
    if not fields:
        return safe(report.get("detail") or "")
    f = max(fields, key=lambda x: x["country_count"])
    where = f["selector"] or f["widget"]
    text = f"{f['widget']} {where}: {f['country_count']} countries"
    kosovo = f.get("kosovo")
    if kosovo:
        text += f", as {kosovo['label']!r}"
        if kosovo.get("dial_code"):
            text += f" {kosovo['dial_code']}"
    if len(fields) > 1:
        text += f" (+{len(fields) - 1} more)"
    return safe(text)


def verdict_table(rows: Sequence[dict[str, Any]], show_expected: bool = False) -> str:
    width = max(80, shutil.get_terminal_size((120, 24)).columns)
    src_w = max(20, min(48, width // 3))
    headers = ["SOURCE", "VERDICT", "REASON", "METHOD", "EVIDENCE"]
    if show_expected:
        headers.insert(2, "EXPECTED")
    lines = []
    table = []
    for r in rows:
        cells = [safe(r["source"], src_w), r["verdict"], safe(r.get("reason") or "", 16),
                 r["method"], describe_fields(r)]
        if show_expected:
            mark = "=" if r.get("expected") == r["verdict"] else "≠"
            cells.insert(2, f"{mark} {r.get('expected')}")
        table.append(cells)
    widths = [max(len(h), *(len(c[i]) for c in table)) if table else len(h)
              for i, h in enumerate(headers)]
    fixed = sum(widths[:-1]) + 2 * (len(headers) - 1)
    widths[-1] = max(20, min(widths[-1], width - fixed))
    for cells in [headers, *table]:
        lines.append("  ".join(safe(c, w).ljust(w) for c, w in zip(cells, widths, strict=True))
                     .rstrip())
    counts = Counter(r["verdict"] for r in rows)
    summary = ", ".join(f"{n} {v}" for v, n in counts.most_common())
    lines.append("")
    lines.append(f"{len(rows)} checked: {summary}" if rows else "nothing checked")
    if show_expected:
        agree = sum(1 for r in rows if r.get("expected") == r["verdict"])
        lines.append(f"{agree} of {len(rows)} match the verdict the page was built to have")
    return "\n".join(lines)


def _day(value: Any) -> str:
    text = "" if value is None else str(value)
    return text[:16].replace("T", " ")


def status_table(rows: Sequence[dict[str, Any]], expected: dict[str, str] | None = None) -> str:
    """The current status of each target (``TargetStatus.to_dict()`` rows), grouped by site.

    STATUS is the last conclusive verdict (an error never replaces it); LATEST shows the
    newest check when it says something else (an error, a page without the form), so a
    stale status is visible. With ``expected`` (URL → verdict) a column compares them.
    """
    width = max(80, shutil.get_terminal_size((120, 24)).columns)
    url_w = max(24, min(60, width // 3))
    headers = ["SITE", "URL", "STATUS", "LATEST", "CHECKED", "METHOD"]
    if expected is not None:
        headers.insert(3, "EXPECTED")
    table = []
    for r in rows:
        latest = r.get("verdict") or "unchecked"
        if r.get("reason"):
            latest += f"/{r['reason']}"
        shown = "" if latest == r.get("status") else latest
        cells = [safe(r.get("site"), 28), safe(r.get("url"), url_w), r.get("status") or "",
                 safe(shown, 28), _day(r.get("checked_at")), r.get("method") or ""]
        if expected is not None:
            want = expected.get(str(r.get("url")), "")
            mark = "=" if want and want == latest.split("/")[0] else "≠"
            cells.insert(3, f"{mark} {want}" if want else "")
        table.append(cells)
    widths = [max(len(h), *(len(c[i]) for c in table)) if table else len(h)
              for i, h in enumerate(headers)]
    lines = ["  ".join(safe(c, w).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
             for cells in [headers, *table]]
    counts = Counter(r.get("status") or "unchecked" for r in rows)
    lines.append("")
    lines.append(f"{len(rows)} targets: " + ", ".join(f"{n} {v}" for v, n in counts.most_common())
                 if rows else "no targets")
    stale = sum(1 for r in rows if r.get("stale"))
    if stale:
        lines.append(f"{stale} shown from an older check: the latest one did not see the list")
    return "\n".join(lines)
