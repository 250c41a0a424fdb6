"""Site counts split into :data:`db.verdicts.PARTS`, and JSON-friendly ``to_dict``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from db.verdicts import PARTS, part_of


def plain(value: Any) -> Any:
    """JSON-friendly: datetimes as ISO 8601 UTC, dates as ISO dates, durations in seconds."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


class Plain:
    """``to_dict()`` for the dataclasses of the read model (JSON APIs and templates)."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = plain(asdict(self))  # type: ignore[call-overload]
        return data


def tally(statuses: Iterable[str]) -> dict[str, int]:
    """How many of ``statuses`` fall in each part (every part present, zeros included)."""
    counts = dict.fromkeys(PARTS, 0)
    for status in statuses:
        counts[part_of(status)] += 1
    return counts


class Counts:
    """Properties over ``self.counts`` (a part → number mapping): the same words wherever
    numbers are shown. ``share`` is the part of the judged sites that list Kosovo as a
    country of its own (``None`` with no judged site)."""

    __slots__ = ()
    counts: Mapping[str, int]

    @property
    def listed(self) -> int:
        return self.counts.get("listed", 0)

    @property
    def qualified(self) -> int:
        return self.counts.get("listed_qualified", 0)

    @property
    def wrong_code(self) -> int:
        return self.counts.get("wrong_code", 0)

    @property
    def partial(self) -> int:
        return self.counts.get("partial", 0)

    @property
    def missing(self) -> int:
        return self.counts.get("missing", 0)

    @property
    def neutral(self) -> int:
        return self.counts.get("neutral", 0)

    @property
    def unknown(self) -> int:
        return self.counts.get("unknown", 0)

    @property
    def present(self) -> int:
        """Kosovo is an option, well or badly."""
        return self.listed + self.qualified + self.wrong_code

    @property
    def excluding(self) -> int:
        return self.partial + self.missing

    @property
    def judged(self) -> int:
        return self.present + self.excluding

    @property
    def sites(self) -> int:
        return sum(self.counts.values())

    @property
    def share(self) -> float | None:
        return self.listed / self.judged if self.judged else None

    def parts(self) -> dict[str, Any]:
        """Every part, then the totals and the share, for JSON."""
        return {**{p: self.counts.get(p, 0) for p in PARTS}, "sites": self.sites,
                "judged": self.judged, "share": self.share}
