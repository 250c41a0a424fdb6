"""Which upstream libraries the current country lists come from, and whether they lack Kosovo.

Read from each target's latest conclusive check (as of a moment): every field that carries an
attribution of :mod:`checks.fingerprint` counts for its library, or for its family (all the
libraries that ship the list alike, counted together, never as one member). A site counts as
a user *without Kosovo* only when its own list lacks Kosovo (a ``missing`` field), and *with
Kosovo* when it lists it; a library that leaves Kosovo out is never credited with sites that
list it. Attributions stored by earlier versions (names this database does not know) count as
unidentified: right or silent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from checks.fingerprint import database
from db.history.counts import Plain
from db.history.status import site_statuses
from db.models import Check
from db.verdicts import PRESENT

UNIDENTIFIED = "unidentified"
FAMILY = "family"


@dataclass(frozen=True, slots=True)
class UpstreamUse(Plain):
    """The tracked sites whose current lists match one library (or one family)."""

    source: str  # a library id, "family" or "unidentified"
    name: str  # the library's name, or the family in words
    sites_without: tuple[str, ...]  # their matched list lacks Kosovo
    sites_with: tuple[str, ...]  # their matched list has it
    fields: int

    @property
    def key(self) -> str:
        return self.name if self.source == FAMILY else self.source


def _library_names() -> dict[str, str]:
    return {v.library.id: v.library.name for v in database()[0]}


def upstream_users(session: Session, as_of: datetime | None = None, *,
                   territory: str = "XK", include_inactive: bool = False,
                   unidentified: bool = False) -> list[UpstreamUse]:
    """Libraries (and families) by the number of sites whose lists lack Kosovo and match
    them, then by those that list it; with ``unidentified``, also the missing lists that
    match nothing known."""
    statuses = site_statuses(session, as_of, territory=territory,
                             include_inactive=include_inactive)
    site_of = {t.conclusive_check_id: s.domain for s in statuses for t in s.targets
               if t.conclusive_check_id is not None}
    names = _library_names()
    without: dict[tuple[str, str], set[str]] = defaultdict(set)
    with_: dict[tuple[str, str], set[str]] = defaultdict(set)
    fields: dict[tuple[str, str], int] = defaultdict(int)
    ids = list(site_of)
    for start in range(0, len(ids), 500):
        for check_id, report in session.execute(
                select(Check.id, Check.report).where(Check.id.in_(ids[start:start + 500]))):
            for field in (report or {}).get("fields") or []:
                if not isinstance(field, dict):
                    continue
                key = _key(field.get("fingerprint"), names)
                verdict = field.get("verdict")
                if key is None:
                    if unidentified and verdict == "missing":
                        key = (UNIDENTIFIED, UNIDENTIFIED)
                    else:
                        continue
                if verdict == "missing":
                    without[key].add(site_of[check_id])
                elif verdict in PRESENT:
                    with_[key].add(site_of[check_id])
                else:
                    continue
                fields[key] += 1
    out = [UpstreamUse(source=k[0], name=k[1], sites_without=tuple(sorted(without[k])),
                       sites_with=tuple(sorted(with_[k])), fields=fields[k])
           for k in fields]
    out.sort(key=lambda u: (-len(u.sites_without), -len(u.sites_with), u.source == UNIDENTIFIED,
                            u.name.casefold()))
    return out


def _key(fingerprint: Any, names: dict[str, str]) -> tuple[str, str] | None:
    """(source, name) of a stored attribution this database can vouch for, else ``None``."""
    if not isinstance(fingerprint, dict):
        return None
    source = fingerprint.get("source")
    if source == FAMILY and isinstance(fingerprint.get("name"), str):
        return FAMILY, fingerprint["name"]
    if isinstance(source, str) and source in names and "name" in fingerprint:
        return source, names[source]
    return None
