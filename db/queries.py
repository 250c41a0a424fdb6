"""Reading the history: plain functions returning plain dataclasses (no ORM objects), so the
dashboard, the reports and the CLI can use the answers after the session is gone.

The rules (what is conclusive, how a site's status is built, what a win is) live in
:mod:`db.verdicts`; these functions only fetch. Each answers with a fixed number of SQL
statements, whatever the size of the history: the latest check of each target is found with
a correlated ``ORDER BY checked_at DESC LIMIT 1`` subquery served by the index
``(target_id, territory[, conclusive], checked_at)``, so the cost grows with the number of
targets, not with the number of stored checks; transitions use the ``LAG`` window function.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal, TypeVar

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, aliased

from db.models import Check, Company, FieldResult, OptionList, Run, Site, Target, UTCDateTime
from db.verdicts import (
    ShareBucket,
    TransitionKind,
    share_bucket,
    site_verdict,
    transition_kind,
)

Period = Literal["day", "week", "month"]
_Query = TypeVar("_Query", bound="Select[*tuple[Any, ...]]")


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _plain(value: Any) -> Any:
    """JSON-friendly values for ``to_dict``: datetimes as ISO 8601 UTC, dates as ISO dates."""
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class Conclusive:
    """The last check of a target that judged a country control."""

    verdict: str
    checked_at: datetime
    check_id: int


@dataclass(frozen=True, slots=True)
class TargetStatus:
    """A target's latest check as it is (``verdict``… may be an error) and its last
    conclusive verdict; ``status`` is what to show: the conclusive verdict when there is one
    (an error never overwrites it), else the latest verdict, else ``unchecked``."""

    target_id: int
    url: str
    kind: str
    site: str
    site_name: str
    active: bool
    verdict: str | None
    reason: str | None
    checked_at: datetime | None
    method: str | None
    check_id: int | None
    last_conclusive: Conclusive | None

    @property
    def status(self) -> str:
        if self.last_conclusive is not None:
            return self.last_conclusive.verdict
        return self.verdict or "unchecked"

    @property
    def stale(self) -> bool:
        """The latest check did not see a list, so the status comes from an older one."""
        return self.last_conclusive is not None and self.check_id != self.last_conclusive.check_id

    def conclusive_age(self, now: datetime | None = None) -> timedelta | None:
        if self.last_conclusive is None:
            return None
        return (now or datetime.now(UTC)) - self.last_conclusive.checked_at

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = _plain(asdict(self))
        data["status"] = self.status
        data["stale"] = self.stale
        return data


@dataclass(frozen=True, slots=True)
class SiteStatus:
    """A site's status from its targets' last conclusive verdicts (:func:`site_verdict`).

    ``verdicts`` counts the targets by their shown status; ``oldest_conclusive_at`` is the
    age of the weakest evidence behind ``status``; ``stale_targets`` counts targets whose
    latest check failed or saw no list, so their part of the status is older than the crawl.
    """

    domain: str
    name: str
    company: str | None
    category: str | None
    status: str
    targets: int
    conclusive_targets: int
    stale_targets: int
    verdicts: dict[str, int]
    latest_conclusive_at: datetime | None
    oldest_conclusive_at: datetime | None
    latest_check_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = _plain(asdict(self))
        return data


@dataclass(frozen=True, slots=True)
class CurrentStatus:
    targets: list[TargetStatus]
    sites: list[SiteStatus]

    def to_dict(self) -> dict[str, Any]:
        return {"targets": [t.to_dict() for t in self.targets],
                "sites": [s.to_dict() for s in self.sites]}


def _latest_check_id(territory: str, conclusive_only: bool) -> ColumnElement[int]:
    """The id of a target's newest check (newest conclusive check), per row of ``targets``."""
    query = select(Check.id).where(Check.target_id == Target.id, Check.territory == territory)
    if conclusive_only:
        query = query.where(Check.conclusive.is_(True))
    return (query.order_by(Check.checked_at.desc(), Check.id.desc()).limit(1)
            .correlate(Target).scalar_subquery())


def _scope(query: _Query, site: str | None, include_inactive: bool) -> _Query:
    if site is not None:
        query = query.where(Site.domain == site.lower())
    if not include_inactive:
        query = query.where(Target.active.is_(True), Site.active.is_(True))
    return query


def current_status(session: Session, site: str | None = None, *, territory: str = "XK",
                   include_inactive: bool = False) -> CurrentStatus:
    """The current verdict of every target (of one site, by domain) and of every site.

    One statement, cost proportional to the number of targets (see the module docstring).
    Inactive sites and targets are left out unless ``include_inactive``.
    """
    base = _scope(
        select(Target.id.label("target_id"), Target.url, Target.kind,
               Target.active.label("target_active"), Site.id.label("site_id"),
               Site.domain, Site.name.label("site_name"), Site.category,
               Site.active.label("site_active"), Company.name.label("company"),
               _latest_check_id(territory, False).label("latest_id"),
               _latest_check_id(territory, True).label("conclusive_id"))
        .join(Site, Target.site_id == Site.id)
        .outerjoin(Company, Site.company_id == Company.id), site, include_inactive).subquery()
    latest = aliased(Check)
    conclusive = aliased(Check)
    rows = session.execute(
        select(base, latest.verdict, latest.reason, latest.checked_at, latest.method,
               conclusive.verdict.label("c_verdict"), conclusive.checked_at.label("c_at"))
        .outerjoin(latest, latest.id == base.c.latest_id)
        .outerjoin(conclusive, conclusive.id == base.c.conclusive_id)
        .order_by(base.c.domain, base.c.url)).all()

    targets: list[TargetStatus] = []
    per_site: dict[int, list[TargetStatus]] = defaultdict(list)
    site_info: dict[int, tuple[str, str, str | None, str | None]] = {}
    for row in rows:
        last = (Conclusive(row.c_verdict, row.c_at, row.conclusive_id)
                if row.conclusive_id is not None else None)
        status = TargetStatus(
            target_id=row.target_id, url=row.url, kind=row.kind, site=row.domain,
            site_name=row.site_name, active=bool(row.target_active and row.site_active),
            verdict=row.verdict, reason=row.reason, checked_at=row.checked_at,
            method=row.method, check_id=row.latest_id, last_conclusive=last)
        targets.append(status)
        per_site[row.site_id].append(status)
        site_info[row.site_id] = (row.domain, row.site_name, row.company, row.category)
    sites = [_site_status(site_info[sid], members) for sid, members in per_site.items()]
    sites.sort(key=lambda s: s.domain)
    return CurrentStatus(targets=targets, sites=sites)


def _site_status(info: tuple[str, str, str | None, str | None],
                 members: list[TargetStatus]) -> SiteStatus:
    domain, name, company, category = info
    conclusive = [m.last_conclusive for m in members if m.last_conclusive is not None]
    checked = [m.checked_at for m in members if m.checked_at is not None]
    counts: dict[str, int] = defaultdict(int)
    for member in members:
        counts[member.status] += 1
    times = [c.checked_at for c in conclusive]
    return SiteStatus(
        domain=domain, name=name, company=company, category=category,
        status=site_verdict(c.verdict for c in conclusive),
        targets=len(members), conclusive_targets=len(conclusive),
        stale_targets=sum(1 for m in members if m.stale),
        verdicts=dict(sorted(counts.items())),
        latest_conclusive_at=max(times, default=None),
        oldest_conclusive_at=min(times, default=None),
        latest_check_at=max(checked, default=None))


@dataclass(frozen=True, slots=True)
class FieldSummary:
    position: int
    kind: str
    widget: str
    verdict: str
    label: str | None
    kosovo_label: str | None
    qualifier: str | None
    country_count: int | None
    option_list_sha256: str | None


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    check_id: int
    run_id: int
    checked_at: datetime
    method: str
    verdict: str
    reason: str | None
    conclusive: bool
    final_url: str | None
    http_status: int | None
    html_sha256: str | None
    screenshot_sha256: str | None
    fields: tuple[FieldSummary, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = _plain(asdict(self))
        return data


def target_timeline(session: Session, target_id: int, *,
                    territory: str = "XK") -> list[TimelineEntry]:
    """Every check of one target, oldest first, with a summary of its fields (two statements)."""
    checks = session.execute(
        select(Check.id, Check.run_id, Check.checked_at, Check.method, Check.verdict,
               Check.reason, Check.conclusive, Check.final_url, Check.http_status,
               Check.html_sha256, Check.screenshot_sha256)
        .where(Check.target_id == target_id, Check.territory == territory)
        .order_by(Check.checked_at, Check.id)).all()
    fields: dict[int, list[FieldSummary]] = defaultdict(list)
    for row in session.execute(
            select(FieldResult.check_id, FieldResult.position, FieldResult.kind,
                   FieldResult.widget, FieldResult.verdict, FieldResult.label,
                   FieldResult.kosovo_label, FieldResult.qualifier, FieldResult.country_count,
                   OptionList.sha256)
            .join(Check, FieldResult.check_id == Check.id)
            .outerjoin(OptionList, FieldResult.option_list_id == OptionList.id)
            .where(Check.target_id == target_id, Check.territory == territory)
            .order_by(FieldResult.check_id, FieldResult.position)):
        fields[row.check_id].append(FieldSummary(
            row.position, row.kind, row.widget, row.verdict, row.label, row.kosovo_label,
            row.qualifier, row.country_count, row.sha256))
    return [TimelineEntry(check_id=r.id, run_id=r.run_id, checked_at=r.checked_at,
                          method=r.method, verdict=r.verdict, reason=r.reason,
                          conclusive=bool(r.conclusive), final_url=r.final_url,
                          http_status=r.http_status, html_sha256=r.html_sha256,
                          screenshot_sha256=r.screenshot_sha256,
                          fields=tuple(fields.get(r.id, ())))
            for r in checks]


@dataclass(frozen=True, slots=True)
class Transition:
    """A change of a target's conclusive verdict: first seen at ``checked_at`` (check
    ``check_id``), the old verdict last seen at ``previous_at``. The change happened in
    between; inconclusive checks in the gap are ignored."""

    target_id: int
    url: str
    site: str
    before: str
    after: str
    kind: TransitionKind
    checked_at: datetime
    previous_at: datetime
    check_id: int

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = _plain(asdict(self))
        return data


def _conclusive_changes(territory: str) -> Any:
    """Conclusive checks with the previous conclusive verdict of the same target (LAG)."""
    order = (Check.checked_at, Check.id)
    return (select(Check.id, Check.target_id, Check.checked_at, Check.verdict,
                   func.lag(Check.verdict).over(partition_by=Check.target_id, order_by=order)
                   .label("before"),
                   func.lag(Check.checked_at, type_=UTCDateTime())
                   .over(partition_by=Check.target_id, order_by=order).label("previous_at"))
            .where(Check.conclusive.is_(True), Check.territory == territory)
            .subquery())


def transitions(session: Session, since: datetime | None = None, *, site: str | None = None,
                territory: str = "XK") -> list[Transition]:
    """Every change of a target's conclusive verdict (oldest first), from ``since`` on.

    ``kind`` is ``win`` (missing or partial → listed or listed_qualified), ``regression``
    (the reverse) or ``other`` (see :func:`db.verdicts.transition_kind`). A target's first
    verdict is not a transition. Retired targets keep their history here.
    """
    lagged = _conclusive_changes(territory)
    query = (select(lagged, Target.url, Site.domain)
             .join(Target, Target.id == lagged.c.target_id)
             .join(Site, Site.id == Target.site_id)
             .where(lagged.c.before.is_not(None), lagged.c.before != lagged.c.verdict))
    if since is not None:
        query = query.where(lagged.c.checked_at >= since)
    if site is not None:
        query = query.where(Site.domain == site.lower())
    rows = session.execute(query.order_by(lagged.c.checked_at, lagged.c.id)).all()
    return [Transition(target_id=r.target_id, url=r.url, site=r.domain, before=r.before,
                       after=r.verdict, kind=transition_kind(r.before, r.verdict),
                       checked_at=r.checked_at, previous_at=r.previous_at, check_id=r.id)
            for r in rows]


@dataclass(frozen=True, slots=True)
class ShareRow:
    """Site counts on one date (a period's first day; statuses as at the period's end)."""

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
        """Of the sites with a verdict either way, the fraction that list Kosovo."""
        judged = self.listing + self.excluding
        return self.listing / judged if judged else None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = _plain(asdict(self))
        data["sites"] = self.sites
        data["share"] = self.share
        return data


def _period_start(day: date, period: Period) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def _next_period(start: date, period: Period) -> date:
    if period == "week":
        return start + timedelta(days=7)
    if period == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=1)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def share_listing_over_time(session: Session, period: Period = "day", *,
                            territory: str = "XK", since: date | None = None,
                            until: date | None = None) -> list[ShareRow]:
    """Per day (week, month), how many sites list Kosovo, exclude it, neither, or unknown.

    Each site's status on a date is :func:`current_status`'s rule applied to the checks made
    up to the end of that period: listing = listed, listed_qualified or wrong_code; excluding
    = missing or partial; neutral = restricted or free_text; unknown = checked, but nothing
    conclusive yet. Sites enter the series on their first check. Only the active catalog is
    counted (a retired site leaves the whole series). The series runs without gaps from the
    first check (or ``since``) to the last check (or ``until``); two statements, then a sweep
    over the days in Python that touches only the sites whose targets changed.
    """
    if period not in ("day", "week", "month"):
        raise ValueError(f"period must be day, week or month, not {period!r}")
    in_scope: dict[int, int] = dict(session.execute(
        _scope(select(Target.id, Target.site_id).join(Site, Target.site_id == Site.id),
               None, False)).all())
    if not in_scope:
        return []
    lagged = _conclusive_changes(territory)
    changes = session.execute(_scope(
        select(lagged.c.checked_at, lagged.c.target_id, lagged.c.verdict)
        .join(Target, Target.id == lagged.c.target_id).join(Site, Target.site_id == Site.id)
        .where((lagged.c.before.is_(None)) | (lagged.c.before != lagged.c.verdict)),
        None, False)).all()
    seen = session.execute(_scope(
        select(func.min(Check.checked_at), func.max(Check.checked_at), Check.target_id)
        .join(Target, Target.id == Check.target_id).join(Site, Target.site_id == Site.id)
        .where(Check.territory == territory).group_by(Check.target_id), None, False)).all()
    if not seen:
        return []
    # Events in time order; a first sighting (verdict None) only puts the site in the series.
    events: list[tuple[datetime, int, int, str | None]] = sorted(
        [(first, 0, target, None) for first, _, target in seen]
        + [(when, 1, target, verdict) for when, target, verdict in changes],
        key=lambda e: (e[0], e[1]))
    last_day = until or max(last for _, last, _ in seen).date()
    day = _period_start(since or events[0][0].date(), period)

    verdict_of: dict[int, str] = {}
    targets_of: dict[int, set[int]] = defaultdict(set)
    bucket_of: dict[int, ShareBucket] = {}
    counts: dict[ShareBucket, int] = defaultdict(int)
    rows: list[ShareRow] = []
    position = 0
    while day <= last_day:
        end = _midnight(_next_period(day, period))
        touched: set[int] = set()
        while position < len(events) and events[position][0] < end:
            _, _, target, verdict = events[position]
            site_id = in_scope[target]
            targets_of[site_id].add(target)
            if verdict is not None:
                verdict_of[target] = verdict
            touched.add(site_id)
            position += 1
        for site_id in touched:
            if site_id in bucket_of:
                counts[bucket_of[site_id]] -= 1
            status = site_verdict(verdict_of[t] for t in targets_of[site_id] if t in verdict_of)
            bucket_of[site_id] = share_bucket(status)
            counts[bucket_of[site_id]] += 1
        rows.append(ShareRow(day, counts["listing"], counts["excluding"], counts["neutral"],
                             counts["unknown"]))
        day = _next_period(day, period)
    return rows


@dataclass(frozen=True, slots=True)
class RunInfo:
    id: int
    started_at: datetime
    finished_at: datetime | None
    status: str
    settings: dict[str, Any]
    counts: dict[str, Any]
    engine_version: str | None
    checks: int

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = _plain(asdict(self))
        return data


def latest_run(session: Session) -> RunInfo | None:
    """The most recently started run, with the number of checks it has stored so far."""
    run = session.execute(select(Run).order_by(Run.started_at.desc(), Run.id.desc())
                          .limit(1)).scalar_one_or_none()
    if run is None:
        return None
    stored = session.execute(select(func.count()).select_from(Check)
                             .where(Check.run_id == run.id)).scalar_one()
    return RunInfo(id=run.id, started_at=run.started_at, finished_at=run.finished_at,
                   status=run.status, settings=dict(run.settings), counts=dict(run.counts),
                   engine_version=run.engine_version, checks=stored)


def verdict_counts(statuses: Iterable[TargetStatus | SiteStatus]) -> dict[str, int]:
    """How many targets or sites have each shown status (for summaries)."""
    counts: dict[str, int] = defaultdict(int)
    for item in statuses:
        counts[item.status] += 1
    return dict(sorted(counts.items()))
