"""Calendar periods: a report's month or ISO week, and the buckets of a time series.

Everything is UTC: a month is from its first midnight to the next month's, so two people
running the same report anywhere get the same numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from reports.errors import PeriodError

Step = Literal["day", "week", "month"]
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_WEEK = re.compile(r"(\d{4})-W(\d{2})", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Period:
    """``[start, end)`` in UTC; ``label`` as the user wrote it (normalised)."""

    label: str
    kind: Literal["month", "week"]
    start: datetime
    end: datetime

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(days=1)).date()

    def title(self) -> str:
        if self.kind == "month":
            return self.start.strftime("%B %Y")
        return (f"week {self.label[-2:]} of {self.label[:4]} "
                f"({self.first_day.isoformat()} to {self.last_day.isoformat()})")


def midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def parse_period(text: str) -> Period:
    """``2026-11`` (a month) or ``2026-W47`` (an ISO week)."""
    text = text.strip()
    if match := _MONTH.fullmatch(text):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise PeriodError(f"{text!r}: month must be 01 to 12")
        first = date(year, month, 1)
        return Period(f"{year:04d}-{month:02d}", "month", midnight(first),
                      midnight(next_month(first)))
    if match := _WEEK.fullmatch(text):
        year, week = int(match[1]), int(match[2])
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            raise PeriodError(f"{text!r}: {year} has no ISO week {week}") from None
        return Period(f"{year:04d}-W{week:02d}", "week", midnight(monday),
                      midnight(monday + timedelta(days=7)))
    raise PeriodError(f"{text!r} is not a period: give a month (2026-11) or an ISO week "
                      "(2026-W47)")


def previous_month(today: date) -> Period:
    """The default report period: the last complete month."""
    first = today.replace(day=1) - timedelta(days=1)
    return parse_period(f"{first.year:04d}-{first.month:02d}")


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
        return next_month(start)
    return start + timedelta(days=1)
