"""A page discovery found, as the ``discover --json`` object (DESIGN.md §2).

The object is ``check --json``'s report for that page (the same ``build_report``, so the same
verdict, fields and evidence) with what discovery adds in front: the start URL as ``source``,
the page's ``url``, its ``kind``, the route that led there (``via``) and the browser ``steps``
that made the control appear, in the catalog's step format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checks import PageResult
from crawler.checker import build_report, now_iso
from crawler.fetch.outcome import FetchOutcome

# Verdicts that come from fields: the page carries a country or phone-country control.
FIELD_VERDICTS = frozenset({"listed", "listed_qualified", "wrong_code", "missing", "partial",
                            "restricted", "free_text"})
VIA_SEPARATOR = " › "
# Members in the order a person reads them; the rest of check's report follows.
_LEADING = ("source", "url", "kind", "verdict", "reason", "via", "steps", "fields")


@dataclass(slots=True)
class Finding:
    """One reported page: its report, and the outcome its evidence comes from (``None`` when
    nothing was fetched, e.g. a form page robots.txt keeps us from)."""

    report: dict[str, Any]
    outcome: FetchOutcome | None

    @property
    def has_control(self) -> bool:
        """A country control was seen (a proposal for the catalog), not only a wall."""
        return carries_control(self.report["verdict"], self.report["reason"])


def carries_control(verdict: str, reason: str | None) -> bool:
    """The page verdict comes from a country control (or one was seen but not read)."""
    return verdict in FIELD_VERDICTS or (verdict == "error" and reason == "unrendered")


def deciding_selector(result: PageResult | None) -> str | None:
    """The selector of the widest list read (what a ``wait_for`` step should wait for)."""
    if result is None:
        return None
    fields = [f for f in result.fields if f.control.selector]
    if not fields:
        return None
    return max(fields, key=lambda f: f.country_count).control.selector


def finding_report(*, source: str, url: str, kind: str, via: tuple[str, ...],
                   steps: list[dict[str, Any]], outcome: FetchOutcome,
                   concluded: tuple[PageResult | None, str, str | None] | None,
                   territory: str, note: str | None = None, with_options: bool = False,
                   extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The ``discover --json`` object of one page."""
    report = build_report(url, now_iso(), outcome, concluded, territory, note=note,
                          with_options=with_options)
    report.update(source=source, url=url, kind=kind,
                  via=VIA_SEPARATOR.join(v for v in via if v) or None, steps=steps)
    ordered = {key: report[key] for key in _LEADING}
    ordered.update((k, v) for k, v in report.items() if k not in ordered)
    ordered.update(extra or {})
    return ordered
