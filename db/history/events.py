"""Changes of targets' and sites' statuses: first verdicts, wins, regressions, other changes.

Two levels. **Target** changes come straight from consecutive conclusive checks of one page.
**Site** changes are computed run by run (the site's status after every run that touched it),
so two pages of one site changing in the same crawl make one site change, not a flicker
through an intermediate state. A win carries how long the exclusion it ends lasted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from db.history.counts import Plain
from db.models import Check, Company, Run, Site, Target, UTCDateTime
from db.verdicts import EXCLUDING, site_verdict, transition_kind

ChangeKind = Literal["first_seen", "win", "regression", "other"]
Level = Literal["target", "site"]
_Query = TypeVar("_Query", bound="Select[*tuple[Any, ...]]")


def in_catalog(query: _Query, include_inactive: bool) -> _Query:
    """Only the active catalog, unless ``include_inactive``."""
    if include_inactive:
        return query
    return query.where(Target.active.is_(True), Site.active.is_(True))


@dataclass(frozen=True, slots=True)
class Event:
    """A conclusive check that changed its target's verdict (or was its first)."""

    check_id: int
    run_id: int
    run_started_at: datetime
    target_id: int
    url: str
    site_id: int
    site: str
    site_name: str
    company: str | None
    category: str | None
    at: datetime
    verdict: str
    before: str | None
    previous_at: datetime | None


def events(session: Session, territory: str, include_inactive: bool,
            site: str | None = None) -> list[Event]:
    """Every change of a target's conclusive verdict, first verdicts included, oldest first.

    ``LAG`` over the conclusive checks of each target keeps this to the changes: a year of
    daily ``listed`` checks is one row.
    """
    order = (Check.checked_at, Check.id)
    lagged = (
        select(Check.id, Check.run_id, Check.target_id, Check.checked_at, Check.verdict,
               func.lag(Check.verdict).over(partition_by=Check.target_id, order_by=order)
               .label("before"),
               func.lag(Check.checked_at, type_=UTCDateTime())
               .over(partition_by=Check.target_id, order_by=order).label("previous_at"))
        .where(Check.conclusive.is_(True), Check.territory == territory)
        .subquery())
    query = in_catalog(
        select(lagged, Run.started_at, Target.url, Site.id.label("site_id"), Site.domain,
               Site.name.label("site_name"), Site.category, Company.name.label("company"))
        .join(Run, Run.id == lagged.c.run_id)
        .join(Target, Target.id == lagged.c.target_id)
        .join(Site, Site.id == Target.site_id)
        .outerjoin(Company, Company.id == Site.company_id)
        .where(or_(lagged.c.before.is_(None), lagged.c.before != lagged.c.verdict)),
        include_inactive)
    if site is not None:
        query = query.where(Site.domain == site.lower())
    rows = session.execute(query.order_by(lagged.c.checked_at, lagged.c.id)).all()
    return [Event(check_id=r.id, run_id=r.run_id, run_started_at=r.started_at,
                   target_id=r.target_id, url=r.url, site_id=r.site_id, site=r.domain,
                   site_name=r.site_name, company=r.company, category=r.category,
                   at=r.checked_at, verdict=r.verdict, before=r.before,
                   previous_at=r.previous_at) for r in rows]


@dataclass(frozen=True, slots=True)
class Change(Plain):
    """A change of a target's or a site's status, first seen at ``at`` (check ``check_id``
    of run ``run_id``); ``before`` was last seen at ``previous_at``.

    For a win, ``excluded_since`` is when the exclusion it ends was first seen (the
    regression, or the first check if the target or site was excluding from the start) and
    ``time_to_fix`` is ``at - excluded_since``: measured between checks, so it is as precise
    as the crawl is frequent.
    """

    level: Level
    kind: ChangeKind
    site: str
    site_name: str
    company: str | None
    category: str | None
    target_id: int | None
    target_url: str | None
    before: str | None
    after: str
    at: datetime
    previous_at: datetime | None
    check_id: int
    run_id: int
    excluded_since: datetime | None = None
    time_to_fix: timedelta | None = None


def _kind(before: str | None, after: str) -> ChangeKind:
    return "first_seen" if before is None else transition_kind(before, after)


class _Streaks:
    """When each key's current exclusion began: the first change into missing/partial."""

    def __init__(self) -> None:
        self.since: dict[Any, datetime] = {}

    def update(self, key: Any, before: str | None, after: str, at: datetime) -> datetime | None:
        """Record a change; return when the exclusion it ends (or continues) began."""
        start = self.since.get(key)
        if after in EXCLUDING:
            if before not in EXCLUDING or start is None:
                self.since[key] = at
        else:
            self.since.pop(key, None)
        return start


def target_changes(events: Sequence[Event]) -> list[Change]:
    streaks = _Streaks()
    out: list[Change] = []
    for e in events:
        kind = _kind(e.before, e.verdict)
        start = streaks.update(e.target_id, e.before, e.verdict, e.at)
        fixed = kind == "win" and start is not None
        out.append(Change(
            level="target", kind=kind, site=e.site, site_name=e.site_name, company=e.company,
            category=e.category, target_id=e.target_id, target_url=e.url, before=e.before,
            after=e.verdict, at=e.at, previous_at=e.previous_at, check_id=e.check_id,
            run_id=e.run_id, excluded_since=start if fixed else None,
            time_to_fix=(e.at - start) if fixed and start is not None else None))
    return out


def site_changes(events: Sequence[Event]) -> list[Change]:
    """Site statuses after each run that changed one of their targets; a change of the
    site's status is a site change, dated by the latest target change behind it."""
    ordered = sorted(events, key=lambda e: (e.run_started_at, e.run_id, e.at, e.check_id))
    verdicts: dict[int, dict[int, str]] = defaultdict(dict)
    status: dict[int, str] = {}
    last_at: dict[int, datetime] = {}
    streaks = _Streaks()
    out: list[Change] = []
    position = 0
    while position < len(ordered):
        run_id = ordered[position].run_id
        touched: dict[int, Event] = {}
        while position < len(ordered) and ordered[position].run_id == run_id:
            event = ordered[position]
            verdicts[event.site_id][event.target_id] = event.verdict
            touched[event.site_id] = event  # the run's latest change for this site
            position += 1
        for site_id, event in sorted(touched.items(), key=lambda kv: (kv[1].at, kv[0])):
            after = site_verdict(verdicts[site_id].values())
            before = status.get(site_id)
            if after == before:
                continue
            kind = _kind(before, after)
            start = streaks.update(site_id, before, after, event.at)
            fixed = kind == "win" and start is not None
            out.append(Change(
                level="site", kind=kind, site=event.site, site_name=event.site_name,
                company=event.company, category=event.category, target_id=None,
                target_url=None, before=before, after=after, at=event.at,
                previous_at=last_at.get(site_id), check_id=event.check_id,
                run_id=event.run_id, excluded_since=start if fixed else None,
                time_to_fix=(event.at - start) if fixed and start is not None else None))
            status[site_id] = after
            last_at[site_id] = event.at
    out.sort(key=lambda c: (c.at, c.check_id))
    return out


def changes(session: Session, *, level: Level = "target", since: datetime | None = None,
            until: datetime | None = None, site: str | None = None,
            kinds: Iterable[ChangeKind] = ("win", "regression"), territory: str = "XK",
            include_inactive: bool = False) -> list[Change]:
    """Wins and regressions (or the ``kinds`` asked for, ``first_seen`` and ``other``
    included) of targets or sites, oldest first, with ``since <= at < until``.

    Exclusion streaks are followed over the whole history, so a win inside the window gets
    its full time to fix even when the exclusion began long before ``since``.
    """
    found_events = events(session, territory, include_inactive, site)
    found = target_changes(found_events) if level == "target" else site_changes(found_events)
    wanted = set(kinds)
    return [c for c in found if c.kind in wanted
            and (since is None or c.at >= since) and (until is None or c.at < until)]
