"""One stored check as a page shows it: its fields, the options around Kosovo's place, the
whole list (collapsed on the page), the screenshot if one was kept, and the attribution.

Only evidence that exists is offered: a static check has no screenshot, and an old check
whose option list was not stored has only the options around the gap. The attribution shown
is the one the engine stored with the check, in the words of :mod:`checks.fingerprint`, and
only when this version of the database can vouch for it (a library it knows, or a family);
the fix is shown only for a field with a problem (a list without Kosovo, a qualified label,
a wrong dial code).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from checks.fingerprint import database
from db.models import Check, OptionList
from db.verdicts import TO_FIX

MAX_OPTIONS = 1000  # a page never lists more than this many options of one list


@dataclass(frozen=True, slots=True)
class Evidence:
    check_id: int
    checked_at: datetime
    method: str
    verdict: str
    reason: str | None
    final_url: str | None
    html_sha256: str | None
    screenshot_sha256: str | None
    fields: list[dict[str, Any]]
    title: str | None
    # The whole list of each field, by position (only where the check stored it).
    options: dict[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    def options_of(self, position: int) -> tuple[tuple[str, str], ...]:
        return self.options.get(position, ())

    @property
    def has_full_list(self) -> bool:
        return bool(self.options)


def load(session: Session, check_ids: list[int]) -> dict[int, Evidence]:
    """The evidence of these checks, with their whole option lists (three statements)."""
    if not check_ids:
        return {}
    checks = session.scalars(select(Check).where(Check.id.in_(check_ids))).all()
    wanted: set[str] = set()
    for check in checks:
        for info in (check.report or {}).get("fields") or []:
            if isinstance(info, dict) and isinstance(info.get("options_sha256"), str):
                wanted.add(info["options_sha256"])
    lists: dict[str, list[Any]] = {}
    if wanted:
        lists = {sha: options for sha, options in session.execute(
            select(OptionList.sha256, OptionList.options)
            .where(OptionList.sha256.in_(sorted(wanted))))}
    out: dict[int, Evidence] = {}
    for check in checks:
        report = check.report or {}
        fields = [f for f in report.get("fields") or [] if isinstance(f, dict)]
        options: dict[int, tuple[tuple[str, str], ...]] = {}
        for position, info in enumerate(fields):
            stored = lists.get(str(info.get("options_sha256") or ""))
            if stored:
                options[position] = tuple(
                    (str(o[0]) if o else "", str(o[1]) if len(o) > 1 else "")
                    for o in stored[:MAX_OPTIONS] if isinstance(o, list | tuple))
        out[check.id] = Evidence(
            check_id=check.id, checked_at=check.checked_at, method=check.method,
            verdict=check.verdict, reason=check.reason, final_url=check.final_url,
            html_sha256=check.html_sha256, screenshot_sha256=check.screenshot_sha256,
            fields=fields, title=report.get("title"), options=options)
    return out


def neighbour_rows(fieldinfo: dict[str, Any]) -> list[tuple[str, str]]:
    """The options around Kosovo's place as (label, role). Roles: ``kosovo`` (its own
    option, listed), ``kosovo_qualified`` and ``kosovo_wrong_code`` (there, but named under
    another state or with another dial code), ``gap`` (a world-wide list without it: where
    it would stand), ``""`` any other option. A short list without Kosovo gets no gap: it is
    not counted as leaving Kosovo out, and the page must not say so in red."""
    pairs = [(str(p[1]) if len(p) > 1 else "", str(p[0]) if p else "")
             for p in fieldinfo.get("neighbours") or [] if isinstance(p, list | tuple)]
    verdict = fieldinfo.get("verdict")
    kosovo = fieldinfo.get("kosovo") or {}
    if kosovo:
        label, value = kosovo.get("label"), kosovo.get("value")
        role = {"listed_qualified": "kosovo_qualified",
                "wrong_code": "kosovo_wrong_code"}.get(str(verdict), "kosovo")
        return [(lab or val, role if (lab == label and val == value) else "")
                for lab, val in pairs]
    if verdict != "missing":
        return [(lab or val, "") for lab, val in pairs]
    rows: list[tuple[str, str]] = []
    placed = False
    for lab, val in pairs:
        if not placed and (lab or val).casefold() > "kosovo":
            rows.append(("", "gap"))
            placed = True
        rows.append((lab or val, ""))
    if not placed:
        rows.append(("", "gap"))
    return rows


def gap_neighbours(fieldinfo: dict[str, Any]) -> tuple[str | None, str | None]:
    """The options just before and after where Kosovo would stand (a missing list)."""
    rows = neighbour_rows(fieldinfo)
    for index, (_label, role) in enumerate(rows):
        if role == "gap":
            before = rows[index - 1][0] if index > 0 else None
            after = rows[index + 1][0] if index + 1 < len(rows) else None
            return before, after
    return None, None


@dataclass(frozen=True, slots=True)
class Attribution:
    """An attribution as pages and letters show it (plain text)."""

    name: str
    family: bool
    fix: str | None


def attribution(fieldinfo: dict[str, Any]) -> Attribution | None:
    """The field's stored attribution, when this database vouches for it; its fix only for a
    field with something to fix."""
    found = fieldinfo.get("fingerprint")
    if not isinstance(found, dict) or not isinstance(found.get("name"), str):
        return None  # none, or stored by an earlier version in words no longer vouched for
    known = {v.library.id for v in database()[0]}
    family = found.get("source") == "family"
    if not family and found.get("source") not in known:
        return None
    fix = found.get("fix") if fieldinfo.get("verdict") in TO_FIX else None
    return Attribution(name=found["name"], family=family,
                       fix=fix if isinstance(fix, str) and fix else None)
