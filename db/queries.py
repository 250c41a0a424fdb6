"""Reading the latest checks: plain functions returning plain dataclasses (no ORM objects), so
the dashboard and the CLI can use the answers after the session is gone.

These answer "what do the pages show now, and what did each check see" (the latest check of
each target, errors included; one target's timeline; the latest run). Questions over time
(status as of a date, wins and regressions, counts per day, upstream users) are the read
model's, :mod:`db.history`; the rules of both live in :mod:`db.verdicts`. Each function
answers with a fixed number of SQL statements, whatever the size of the history: the latest
check of each target is found with a correlated ``ORDER BY checked_at DESC LIMIT 1`` subquery
served by the index ``(target_id, territory[, conclusive], checked_at)``, so the cost grows
with the number of targets, not with the number of stored checks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, aliased

from db.models import Check, Company, FieldResult, OptionList, Run, Site, Target
from db.verdicts import site_verdict

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
