"""Every site's status as of a moment, from its targets' latest conclusive checks before it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session, aliased

from db.history.counts import Plain
from db.history.events import events, in_catalog, site_changes
from db.models import Check, Company, Site, Target
from db.verdicts import EXCLUDING, UNKNOWN, part_of, site_verdict


@dataclass(frozen=True, slots=True)
class TargetSnapshot(Plain):
    target_id: int
    url: str
    kind: str
    status: str  # the latest conclusive verdict, or "unknown"
    conclusive_check_id: int | None
    conclusive_at: datetime | None


@dataclass(frozen=True, slots=True)
class SiteSnapshot(Plain):
    """A site's status at a moment: ``excluded_since`` is when its current exclusion
    (missing or partial, run after run) was first seen."""

    domain: str
    name: str
    company: str | None
    category: str | None
    status: str
    part: str  # the part of db.verdicts.PARTS it counts in
    targets: tuple[TargetSnapshot, ...]
    excluded_since: datetime | None = None


def _latest_conclusive_id(territory: str, before: datetime | None) -> Any:
    query = select(Check.id).where(Check.target_id == Target.id, Check.territory == territory,
                                   Check.conclusive.is_(True))
    if before is not None:
        query = query.where(Check.checked_at < before)
    return (query.order_by(Check.checked_at.desc(), Check.id.desc()).limit(1)
            .correlate(Target).scalar_subquery())


def _first_check_at(territory: str) -> Any:
    return (select(func.min(Check.checked_at))
            .where(Check.target_id == Target.id, Check.territory == territory)
            .correlate(Target).scalar_subquery())


def _target_rows(session: Session, as_of: datetime | None, territory: str,
                 include_inactive: bool) -> list[Row[Any]]:
    """Each target checked before ``as_of`` with its site and latest conclusive check (one
    statement; the correlated subqueries use the ``(target, territory, conclusive, time)``
    index, so the cost grows with the number of targets, not of checks)."""
    base = in_catalog(
        select(Target.id.label("target_id"), Target.url, Target.kind, Site.id.label("site_id"),
               Site.domain, Site.name.label("site_name"), Site.category,
               Company.name.label("company"),
               _latest_conclusive_id(territory, as_of).label("conclusive_id"),
               _first_check_at(territory).label("first_at"))
        .join(Site, Site.id == Target.site_id)
        .outerjoin(Company, Company.id == Site.company_id), include_inactive).subquery()
    conclusive = aliased(Check)
    query = (select(base, conclusive.verdict, conclusive.checked_at)
             .outerjoin(conclusive, conclusive.id == base.c.conclusive_id)
             .where(base.c.first_at.is_not(None)))
    if as_of is not None:
        query = query.where(base.c.first_at < as_of)
    return list(session.execute(query.order_by(base.c.domain, base.c.url)).all())


def site_statuses(session: Session, as_of: datetime | None = None, *, territory: str = "XK",
                  include_inactive: bool = False) -> list[SiteSnapshot]:
    """Every site checked before ``as_of`` (default: now) with its status then, by domain.

    Each target's part is its latest conclusive check before ``as_of`` (DESIGN §1); the
    site's status combines them (:func:`db.verdicts.site_verdict`). ``excluded_since`` is
    when a missing or partial site's current exclusion was first seen.
    """
    rows = _target_rows(session, as_of, territory, include_inactive)
    members: dict[int, list[TargetSnapshot]] = defaultdict(list)
    info: dict[int, Row[Any]] = {}
    for row in rows:
        members[row.site_id].append(TargetSnapshot(
            target_id=row.target_id, url=row.url, kind=row.kind,
            status=row.verdict if row.verdict is not None else UNKNOWN,
            conclusive_check_id=row.conclusive_id, conclusive_at=row.checked_at))
        info[row.site_id] = row
    streak: dict[str, datetime] = {}
    if any(site_verdict(t.status for t in m) in EXCLUDING for m in members.values()):
        for change in site_changes(events(session, territory, include_inactive)):
            if as_of is not None and change.at >= as_of:
                continue
            if change.after in EXCLUDING:
                if change.before not in EXCLUDING:
                    streak[change.site] = change.at
            else:
                streak.pop(change.site, None)
    out: list[SiteSnapshot] = []
    for site_id, targets in members.items():
        row = info[site_id]
        status = site_verdict(t.status for t in targets)
        since = None
        if status in EXCLUDING:
            since = streak.get(row.domain) or min(
                (t.conclusive_at for t in targets if t.conclusive_at is not None), default=None)
        out.append(SiteSnapshot(domain=row.domain, name=row.site_name, company=row.company,
                                category=row.category, status=status, part=part_of(status),
                                targets=tuple(targets), excluded_since=since))
    return out
