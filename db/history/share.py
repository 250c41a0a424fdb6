"""Site counts over time, split into :data:`db.verdicts.PARTS`, overall and per category.

The one series the dashboard's chart, the API's ``/stats``, the report's charts and their
tables all draw: each point counts every site by its status at the end of the point's day
(week, month), so the last point of a series that reaches today equals the cards.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.history.counts import Counts, Plain, plain
from db.history.events import events, in_catalog
from db.models import Check, Site, Target
from db.verdicts import PARTS, part_of, site_verdict

Step = Literal["day", "week", "month"]
UNCATEGORISED = "uncategorised"


def bucket_start(day: date, step: Step) -> date:
    if step == "week":
        return day - timedelta(days=day.weekday())
    if step == "month":
        return day.replace(day=1)
    return day


def next_bucket(start: date, step: Step) -> date:
    if step == "week":
        return start + timedelta(days=7)
    if step == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=1)


def midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class SharePoint(Counts, Plain):
    """Site counts for one bucket of time (its first day; statuses as at its end)."""

    date: date
    counts: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), **self.parts()}


@dataclass(frozen=True, slots=True)
class ShareSeries(Plain):
    step: Step
    overall: list[SharePoint]
    by_category: dict[str, list[SharePoint]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "overall": [p.to_dict() for p in self.overall],
                "by_category": {k: [p.to_dict() for p in v]
                                for k, v in self.by_category.items()}}


def share_over_time(session: Session, step: Step = "day", *, since: date | None = None,
                    until: date | None = None, territory: str = "XK",
                    include_inactive: bool = False) -> ShareSeries:
    """Per day (week, month) from the first check (or ``since``) to the last (or ``until``):
    every site counted in the part of its status at the end of that bucket, overall and per
    category.

    A site enters the series with its first check, of any verdict (as ``unknown`` until a
    conclusive one); its status at the end of each bucket comes from its targets' latest
    conclusive verdicts by then (:func:`db.verdicts.site_verdict`). Three statements, then a
    sweep over the buckets that touches only the sites whose targets changed.
    """
    if step not in ("day", "week", "month"):
        raise ValueError(f"step must be day, week or month, not {step!r}")
    changes = events(session, territory, include_inactive)
    first_seen = session.execute(in_catalog(
        select(func.min(Check.checked_at), func.max(Check.checked_at), Check.target_id,
               Target.site_id, Site.category)
        .join(Target, Target.id == Check.target_id).join(Site, Site.id == Target.site_id)
        .where(Check.territory == territory)
        .group_by(Check.target_id, Target.site_id, Site.category), include_inactive)).all()
    if not first_seen:
        return ShareSeries(step, [], {})
    category_of: dict[int, str] = {}
    # (time, order, target, site, verdict): a first sighting (verdict None) sorts first.
    timeline: list[tuple[datetime, int, int, int, str | None]] = []
    for first, _, target_id, site_id, category in first_seen:
        category_of[site_id] = category or UNCATEGORISED
        timeline.append((first, 0, target_id, site_id, None))
    for e in changes:
        timeline.append((e.at, 1, e.target_id, e.site_id, e.verdict))
    timeline.sort(key=lambda t: (t[0], t[1]))
    last = until or max(row[1] for row in first_seen).date()
    day = bucket_start(since or timeline[0][0].date(), step)

    verdicts: dict[int, dict[int, str]] = defaultdict(dict)
    part_of_site: dict[int, str] = {}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(PARTS, 0))
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
            tally = counts[category_of[site_id]]
            if site_id in part_of_site:
                tally[part_of_site[site_id]] -= 1
            part_of_site[site_id] = part_of(site_verdict(verdicts[site_id].values()))
            tally[part_of_site[site_id]] += 1
        total = dict.fromkeys(PARTS, 0)
        for category, tally in counts.items():
            per_category[category].append(SharePoint(day, dict(tally)))
            for part, number in tally.items():
                total[part] += number
        overall.append(SharePoint(day, total))
        day = next_bucket(day, step)
    # A category that appears late has no points before: pad with zeros so every series
    # has one point per bucket, aligned with ``overall``.
    for category, points in per_category.items():
        gap = len(overall) - len(points)
        if gap:
            per_category[category] = [SharePoint(p.date, dict.fromkeys(PARTS, 0))
                                      for p in overall[:gap]] + points
    return ShareSeries(step, overall, dict(sorted(per_category.items())))


__all__ = ["SharePoint", "ShareSeries", "Step", "bucket_start", "midnight", "next_bucket",
           "plain", "share_over_time"]
