"""Calendar periods: a report's month or ISO week, and the buckets of a time series.

Everything is UTC: a month is from its first midnight to the next month's, so two people
running the same report anywhere get the same numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from db.history.share import Step, bucket_start, midnight, next_bucket
from reports.errors import PeriodError

__all__ = ["Period", "PeriodError", "Step", "bucket_start", "default_period", "midnight",
           "next_bucket", "parse_period", "previous_month"]
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

    def title(self, now: datetime | None = None) -> str:
        """The period in words; one still in progress at ``now`` says "to date" and up to
        which day its numbers go."""
        if self.kind == "month":
            words = self.start.strftime("%B %Y")
        else:
            words = (f"week {self.label[-2:]} of {self.label[:4]} "
                     f"({self.first_day.isoformat()} to {self.last_day.isoformat()})")
        if now is not None and self.start <= now < self.end:
            to_date = "month to date" if self.kind == "month" else "week to date"
            return f"{words}, {to_date} (to {now.date().isoformat()})"
        return words

    def cut(self, now: datetime) -> datetime:
        """Where the period's numbers stop: its end, or ``now`` while it is in progress (a
        report never counts time that has not happened)."""
        return max(self.start, min(self.end, now))


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
    """The last complete month before ``today``."""
    first = today.replace(day=1) - timedelta(days=1)
    return parse_period(f"{first.year:04d}-{first.month:02d}")


def default_period(today: date, first_check: date | None) -> Period:
    """The report's default: the last complete month, unless the history began after it
    ended (a first crawl this month), then this month to date, which the report says."""
    previous = previous_month(today)
    if first_check is not None and first_check >= previous.end.date():
        return parse_period(f"{today.year:04d}-{today.month:02d}")
    return previous
