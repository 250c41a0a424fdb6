"""What the periodic report adds to the read model of :mod:`db.history`: headline numbers at
a moment (split into the same parts as every chart), per category, the longest exclusions,
times to fix, per-company timelines and what one run changed.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.history import Change, SiteSnapshot, site_statuses
from db.history.counts import Counts, Plain, tally
from db.history.events import events, in_catalog, site_changes, target_changes
from db.models import Check, Run, Site, Target
from db.verdicts import EXCLUDING, UNKNOWN

UNCATEGORISED = "uncategorised"


# -- times to fix --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class FixTimes(Plain):
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


# -- the numbers at a moment ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Headline(Counts, Plain):
    """The sites at a moment, split into :data:`db.verdicts.PARTS` (``counts``); ``share``
    is the part of the judged sites listing Kosovo as a country of its own."""

    as_of: datetime | None
    counts: dict[str, int]
    targets: int

    def to_dict(self) -> dict[str, Any]:
        return {"as_of": Plain.to_dict(self)["as_of"], **self.parts(), "targets": self.targets}


def headline(statuses: Sequence[SiteSnapshot], as_of: datetime | None = None) -> Headline:
    return Headline(as_of=as_of, counts=tally(s.status for s in statuses),
                    targets=sum(len(s.targets) for s in statuses))


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
    excluding = [s for s in statuses if s.status in EXCLUDING]
    far = datetime.max.replace(tzinfo=UTC)
    excluding.sort(key=lambda s: (s.excluded_since or far, s.domain))
    return excluding[:limit] if limit is not None else excluding


# -- per company ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CompanyTimeline(Plain):
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
    found = site_changes(events(session, territory, include_inactive))
    by_company: dict[str, CompanyTimeline] = {}
    for status in statuses:
        if status.company is None or (company is not None and status.company != company):
            continue
        by_company.setdefault(status.company, CompanyTimeline(status.company, [], []))
        by_company[status.company].sites.append(status)
    for change in found:
        if change.company in by_company:
            by_company[change.company].events.append(change)
    return [by_company[name] for name in sorted(by_company)]


# -- the last run ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Unseen(Plain):
    """A check of the run that did not see a country list; the status it leaves in place."""

    site: str
    target_url: str
    verdict: str
    reason: str | None
    status_kept: str


@dataclass(frozen=True, slots=True)
class RunDiff(Plain):
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
        return list(session.execute(in_catalog(
            select(Check.target_id, Check.verdict, Check.reason, Check.conclusive, Target.url,
                   Site.domain)
            .join(Target, Target.id == Check.target_id).join(Site, Site.id == Target.site_id)
            .where(Check.run_id == rid, Check.territory == territory), include_inactive)
            .order_by(Site.domain, Target.url)).all())

    now_rows, before_rows = checked(run_id), checked(previous)
    in_run = [c for c in target_changes(events(session, territory, include_inactive))
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
        changes=[c for c in in_run if c.kind != "first_seen"],
        first_seen=[c for c in in_run if c.kind == "first_seen"],
        unseen=unseen,
        not_checked=[r.url for r in before_rows if r.target_id not in now_targets])
