"""The table ``xktracker discover`` prints without ``--json``: the pages found, one a line."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Sequence
from typing import Any

from foundation.text import safe
from xktracker.table import describe_fields


def findings_table(rows: Sequence[dict[str, Any]]) -> str:
    """Kind, verdict, URL, the route that led there and the deciding field of each page."""
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
