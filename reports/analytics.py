"""History analytics: plain functions over the database returning plain dataclasses.

The rules are :mod:`db.verdicts`' (DESIGN §1): a target's status is its latest *conclusive*
verdict, so an error, a block or a page without a country field never overwrites it; a site's
status combines its targets' statuses; a win is missing/partial → listed/listed_qualified and a
regression the reverse. These functions only add time: when each state began, how long an
exclusion lasted before it was fixed, and what things looked like at the end of a period.

Two levels of change are reported. **Target** changes come straight from consecutive
conclusive checks of one page. **Site** changes are computed run by run (the site's status
after every run that touched it), so two pages of one site changing in the same crawl make
one site change, not a flicker through an intermediate state.

Unless ``include_inactive``, only the active catalog counts, as on the dashboard: a retired
site leaves the numbers (its history stays in the exports). Each function runs a fixed number
of statements and sweeps the rows in Python; the queries fetch changes, not every check.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, TypeVar

from sqlalchemy import Row, Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from db.models import Check, Company, FieldResult, Run, Site, Target, UTCDateTime
from db.verdicts import (
    EXCLUDING,
    UNKNOWN,
    ShareBucket,
    share_bucket,
    site_verdict,
    transition_kind,
)
from reports.periods import Step, bucket_start, midnight, next_bucket

ChangeKind = Literal["first_seen", "win", "regression", "other"]
Level = Literal["target", "site"]
_Query = TypeVar("_Query", bound="Select[*tuple[Any, ...]]")
UNIDENTIFIED = "unidentified"
UNCATEGORISED = "uncategorised"


def _plain(value: Any) -> Any:
    """JSON-friendly: datetimes as ISO 8601 UTC, dates as ISO dates, durations in seconds."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class _Plain:
    """``to_dict()`` for the dataclasses below (for JSON APIs and templates)."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = _plain(asdict(self))  # type: ignore[call-overload]
        return data


# -- the shared queries ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Event:
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


def _in_catalog(query: _Query, include_inactive: bool) -> _Query:
    if include_inactive:
        return query
    return query.where(Target.active.is_(True), Site.active.is_(True))


def _events(session: Session, territory: str, include_inactive: bool,
            site: str | None = None) -> list[_Event]:
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
    query = _in_catalog(
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
    return [_Event(check_id=r.id, run_id=r.run_id, run_started_at=r.started_at,
                   target_id=r.target_id, url=r.url, site_id=r.site_id, site=r.domain,
                   site_name=r.site_name, company=r.company, category=r.category,
                   at=r.checked_at, verdict=r.verdict, before=r.before,
                   previous_at=r.previous_at) for r in rows]


# -- wins, regressions, time to fix ------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Change(_Plain):
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


def _target_changes(events: Sequence[_Event]) -> list[Change]:
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


def _site_changes(events: Sequence[_Event]) -> list[Change]:
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
        touched: dict[int, _Event] = {}
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
    events = _events(session, territory, include_inactive, site)
    found = _target_changes(events) if level == "target" else _site_changes(events)
    wanted = set(kinds)
    return [c for c in found if c.kind in wanted
            and (since is None or c.at >= since) and (until is None or c.at < until)]


@dataclass(frozen=True, slots=True)
class FixTimes(_Plain):
    """Summary of the times to fix of a set of wins (``None`` when there is none)."""

    count: int
    median: timedelta | None
    mean: timedelta | None
    shortest: timedelta | None
    longest: timedelta | None


def fix_times(found: Iterable[Change]) -> FixTimes:
    """Median, mean, shortest and longest time to fix over the wins in ``found``."""
    spans = sorted(c.time_to_fix for c in found if c.time_to_fix is not None)
    if not spans:
        return FixTimes(0, None, None, None, None)
    seconds = [s.total_seconds() for s in spans]
    return FixTimes(len(spans), timedelta(seconds=statistics.median(seconds)),
                    timedelta(seconds=statistics.fmean(seconds)), spans[0], spans[-1])


# -- status at a moment --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class TargetSnapshot(_Plain):
    target_id: int
    url: str
    kind: str
    status: str  # the latest conclusive verdict, or "unknown"
    conclusive_check_id: int | None
    conclusive_at: datetime | None


@dataclass(frozen=True, slots=True)
class SiteSnapshot(_Plain):
    """A site's status at a moment: ``excluded_since`` is when its current exclusion
    (missing or partial, run after run) was first seen."""

    domain: str
    name: str
    company: str | None
    category: str | None
    status: str
    bucket: ShareBucket
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
    base = _in_catalog(
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

    A site lists Kosovo when its status is listed, listed_qualified or wrong_code
    (``bucket`` ``listing``), excludes it when missing or partial; each target's part is its
    latest conclusive check before ``as_of`` (DESIGN §1).
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
    if any(share_bucket(site_verdict(t.status for t in m)) == "excluding"
           for m in members.values()):
        for change in _site_changes(_events(session, territory, include_inactive)):
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
        bucket = share_bucket(status)
        since = None
        if bucket == "excluding":
            since = streak.get(row.domain) or min(
                (t.conclusive_at for t in targets if t.conclusive_at is not None), default=None)
        out.append(SiteSnapshot(domain=row.domain, name=row.site_name, company=row.company,
                                category=row.category, status=status, bucket=bucket,
                                targets=tuple(targets), excluded_since=since))
    return out


@dataclass(frozen=True, slots=True)
class Headline(_Plain):
    """The numbers at a moment: sites by bucket, and the share listing Kosovo among the
    sites with a verdict either way (neutral and unknown sites are left out of it)."""

    as_of: datetime | None
    sites: int
    listing: int
    excluding: int
    neutral: int
    unknown: int
    targets: int

    @property
    def share(self) -> float | None:
        judged = self.listing + self.excluding
        return self.listing / judged if judged else None

    def to_dict(self) -> dict[str, Any]:
        data = _Plain.to_dict(self)
        data["share"] = self.share
        return data


def headline(statuses: Sequence[SiteSnapshot], as_of: datetime | None = None) -> Headline:
    counts: dict[str, int] = defaultdict(int)
    for status in statuses:
        counts[status.bucket] += 1
    return Headline(as_of=as_of, sites=len(statuses), listing=counts["listing"],
                    excluding=counts["excluding"], neutral=counts["neutral"],
                    unknown=counts["unknown"], targets=sum(len(s.targets) for s in statuses))


def headline_by_category(statuses: Sequence[SiteSnapshot],
                         as_of: datetime | None = None) -> dict[str, Headline]:
    """:func:`headline` per category (``uncategorised`` for sites without one)."""
    groups: dict[str, list[SiteSnapshot]] = defaultdict(list)
    for status in statuses:
        groups[status.category or UNCATEGORISED].append(status)
    return {name: headline(members, as_of) for name, members in sorted(groups.items())}


def worst_excluders(statuses: Sequence[SiteSnapshot], limit: int | None = None,
                    ) -> list[SiteSnapshot]:
    """Sites excluding Kosovo, the longest-standing exclusion first."""
    excluding = [s for s in statuses if s.bucket == "excluding"]
    far = datetime.max.replace(tzinfo=UTC)
    excluding.sort(key=lambda s: (s.excluded_since or far, s.domain))
    return excluding[:limit] if limit is not None else excluding


# -- share over time -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SharePoint(_Plain):
    """Site counts for one bucket of time (its first day; statuses as at its end)."""

    date: date
    listing: int
    excluding: int
    neutral: int
    unknown: int

    @property
    def sites(self) -> int:
        return self.listing + self.excluding + self.neutral + self.unknown

    @property
    def share(self) -> float | None:
        judged = self.listing + self.excluding
        return self.listing / judged if judged else None

    def to_dict(self) -> dict[str, Any]:
        data = _Plain.to_dict(self)
        data["sites"] = self.sites
        data["share"] = self.share
        return data


@dataclass(frozen=True, slots=True)
class ShareSeries(_Plain):
    overall: list[SharePoint]
    by_category: dict[str, list[SharePoint]] = field(default_factory=dict)


def share_over_time(session: Session, step: Step = "day", *, since: date | None = None,
                    until: date | None = None, territory: str = "XK",
                    include_inactive: bool = False) -> ShareSeries:
    """Per day (week, month): sites listing Kosovo, excluding it, neither, or unknown,
    overall and per category.

    The same rule as :func:`db.queries.share_listing_over_time` (and the same numbers
    overall): a site enters the series with its first check, of any verdict; its status at
    the end of each bucket comes from its targets' latest conclusive verdicts by then.
    """
    if step not in ("day", "week", "month"):
        raise ValueError(f"step must be day, week or month, not {step!r}")
    events = _events(session, territory, include_inactive)
    first_seen = session.execute(_in_catalog(
        select(func.min(Check.checked_at), func.max(Check.checked_at), Check.target_id,
               Target.site_id, Site.category)
        .join(Target, Target.id == Check.target_id).join(Site, Site.id == Target.site_id)
        .where(Check.territory == territory)
        .group_by(Check.target_id, Target.site_id, Site.category), include_inactive)).all()
    if not first_seen:
        return ShareSeries([], {})
    category_of: dict[int, str] = {}
    # (time, order, target, site, verdict): a first sighting (verdict None) sorts first.
    timeline: list[tuple[datetime, int, int, int, str | None]] = []
    for first, _, target_id, site_id, category in first_seen:
        category_of[site_id] = category or UNCATEGORISED
        timeline.append((first, 0, target_id, site_id, None))
    for e in events:
        timeline.append((e.at, 1, e.target_id, e.site_id, e.verdict))
    timeline.sort(key=lambda t: (t[0], t[1]))
    last = until or max(row[1] for row in first_seen).date()
    day = bucket_start(since or timeline[0][0].date(), step)

    verdicts: dict[int, dict[int, str]] = defaultdict(dict)
    bucket_of: dict[int, ShareBucket] = {}
    counts: dict[str, dict[ShareBucket, int]] = defaultdict(lambda: defaultdict(int))
    overall: list[SharePoint] = []
    per_category: dict[str, list[SharePoint]] = defaultdict(list)
    position = 0
    while day <= last:
        end = midnight(next_bucket(day, step))
        touched: set[int] = set()
        while position < len(timeline) and timeline[position][0] < end:
            _, _, target_id, site_id, verdict = timeline[position]
            if verdict is not None:
                verdicts[site_id][target_id] = verdict
            touched.add(site_id)
            position += 1
        for site_id in touched:
            category = category_of[site_id]
            if site_id in bucket_of:
                counts[category][bucket_of[site_id]] -= 1
            bucket_of[site_id] = share_bucket(site_verdict(verdicts[site_id].values()))
            counts[category][bucket_of[site_id]] += 1
        total: dict[ShareBucket, int] = defaultdict(int)
        for category, tally in counts.items():
            per_category[category].append(SharePoint(
                day, tally["listing"], tally["excluding"], tally["neutral"], tally["unknown"]))
            for bucket, number in tally.items():
                total[bucket] += number
        overall.append(SharePoint(day, total["listing"], total["excluding"], total["neutral"],
                                  total["unknown"]))
        day = next_bucket(day, step)
    # A category that appears late has no points before: pad with zeros so every series
    # has one point per bucket, aligned with ``overall``.
    for category, points in per_category.items():
        missing = len(overall) - len(points)
        if missing:
            per_category[category] = [SharePoint(p.date, 0, 0, 0, 0)
                                      for p in overall[:missing]] + points
    return ShareSeries(overall, dict(sorted(per_category.items())))


# -- upstream libraries ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class UpstreamCount(_Plain):
    """How many current exclusions a fingerprinted upstream list accounts for: the world-wide
    lists without Kosovo (``missing`` fields) on excluding pages, by the source they match."""

    source: str
    sites: int
    targets: int
    fields: int


def upstream_exclusions(session: Session, as_of: datetime | None = None, *,
                        territory: str = "XK",
                        include_inactive: bool = False) -> list[UpstreamCount]:
    """Upstream libraries by the number of excluding sites whose lists match them, at
    ``as_of`` (default: now). Fields without a fingerprint count as ``unidentified``; a
    near-tie ("a or b") counts as reported, never split. Most sites first."""
    rows = _target_rows(session, as_of, territory, include_inactive)
    excluding = {row.conclusive_id: row for row in rows
                 if row.verdict is not None and row.verdict in EXCLUDING}
    if not excluding:
        return []
    fields = session.execute(
        select(FieldResult.check_id, FieldResult.fingerprint_source)
        .where(FieldResult.check_id.in_(list(excluding)), FieldResult.verdict == "missing")
    ).all()
    sites: dict[str, set[int]] = defaultdict(set)
    targets: dict[str, set[int]] = defaultdict(set)
    count: dict[str, int] = defaultdict(int)
    for check_id, source in fields:
        name = source or UNIDENTIFIED
        row = excluding[check_id]
        sites[name].add(row.site_id)
        targets[name].add(row.target_id)
        count[name] += 1
    out = [UpstreamCount(name, len(sites[name]), len(targets[name]), count[name])
           for name in count]
    out.sort(key=lambda u: (-u.sites, -u.targets, -u.fields, u.source))
    return out


# -- per company -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CompanyTimeline(_Plain):
    """A company's sites as they are now and every change of their statuses, oldest first."""

    company: str
    sites: list[SiteSnapshot]
    events: list[Change]


def company_timelines(session: Session, company: str | None = None, *,
                      territory: str = "XK",
                      include_inactive: bool = False) -> list[CompanyTimeline]:
    """Per company (or the one named): its sites' statuses and site-level changes (first
    verdicts, wins, regressions, other changes). Sites without a company are left out."""
    statuses = site_statuses(session, territory=territory, include_inactive=include_inactive)
    events = _site_changes(_events(session, territory, include_inactive))
    by_company: dict[str, CompanyTimeline] = {}
    for status in statuses:
        if status.company is None or (company is not None and status.company != company):
            continue
        by_company.setdefault(status.company, CompanyTimeline(status.company, [], []))
        by_company[status.company].sites.append(status)
    for change in events:
        if change.company in by_company:
            by_company[change.company].events.append(change)
    return [by_company[name] for name in sorted(by_company)]


# -- the last run ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Unseen(_Plain):
    """A check of the run that did not see a country list; the status it leaves in place."""

    site: str
    target_url: str
    verdict: str
    reason: str | None
    status_kept: str


@dataclass(frozen=True, slots=True)
class RunDiff(_Plain):
    """What a run changed compared with everything before it."""

    run_id: int
    started_at: datetime
    previous_run_id: int | None
    checks: int
    previous_checks: int
    changes: list[Change]  # target status changes (wins, regressions, other)
    first_seen: list[Change]  # targets whose first conclusive verdict came in this run
    unseen: list[Unseen]  # error, blocked, no_country_field
    not_checked: list[str]  # target URLs the previous run checked and this one did not


def run_changes(session: Session, run_id: int | None = None, *, territory: str = "XK",
                include_inactive: bool = False) -> RunDiff | None:
    """What changed in ``run_id`` (default: the latest run) since the run before it.

    A target's "before" is its status going into the run (its latest conclusive verdict
    before), so an error in the previous run does not hide a change.
    """
    runs = session.execute(select(Run.id, Run.started_at)
                           .order_by(Run.started_at, Run.id)).all()
    if not runs:
        return None
    ids = [r.id for r in runs]
    if run_id is None:
        run_id = ids[-1]
    if run_id not in ids:
        raise LookupError(f"no run {run_id}")
    index = ids.index(run_id)
    previous = ids[index - 1] if index else None

    def checked(rid: int | None) -> list[Any]:
        if rid is None:
            return []
        return list(session.execute(_in_catalog(
            select(Check.target_id, Check.verdict, Check.reason, Check.conclusive, Target.url,
                   Site.domain)
            .join(Target, Target.id == Check.target_id).join(Site, Site.id == Target.site_id)
            .where(Check.run_id == rid, Check.territory == territory), include_inactive)
            .order_by(Site.domain, Target.url)).all())

    now_rows, before_rows = checked(run_id), checked(previous)
    target_changes = [c for c in _target_changes(_events(session, territory, include_inactive))
                      if c.run_id == run_id]
    # Statuses as the run left them: up to the next run's start (or now, for the latest).
    after = runs[index + 1].started_at if index + 1 < len(runs) else None
    statuses = {t.target_id: t.status
                for s in site_statuses(session, after, territory=territory,
                                       include_inactive=include_inactive)
                for t in s.targets}
    unseen = [Unseen(r.domain, r.url, r.verdict, r.reason,
                     statuses.get(r.target_id, UNKNOWN))
              for r in now_rows if not r.conclusive]
    now_targets = {r.target_id for r in now_rows}
    return RunDiff(
        run_id=run_id, started_at=runs[index].started_at, previous_run_id=previous,
        checks=len(now_rows), previous_checks=len(before_rows),
        changes=[c for c in target_changes if c.kind != "first_seen"],
        first_seen=[c for c in target_changes if c.kind == "first_seen"],
        unseen=unseen,
        not_checked=[r.url for r in before_rows if r.target_id not in now_targets])
