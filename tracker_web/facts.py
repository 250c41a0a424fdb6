"""What the scoreboard and the API show, read through the read model (:mod:`db.history`) and
:mod:`db.queries`: plain data for the templates.

The whole-history numbers (counts over time, changes) are cached per app by the data version
(see :mod:`tracker_web.cache`; the caches live in ``app.extensions``); a site page
(:mod:`tracker_web.siteview`) reads only that site's rows. The cards and the chart come from
the same rules and the same parts (:data:`db.verdicts.PARTS`), so the cards equal the chart's
last column part by part.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, has_request_context
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from db import history, queries
from db.history import Change, SharePoint, ShareSeries, Step
from db.history.counts import tally as tally_parts
from db.models import ActionTally, Check, Site, Target
from db.queries import SiteStatus
from db.verdicts import EXCLUDING
from tracker_web.cache import LruCache, VersionedCache
from tracker_web.charts import Chart, parts_chart
from tracker_web.database import get_db
from tracker_web.pagestore import PageStore

_KEY = "xktracker_caches"
# The statuses a visitor can filter the site list by, in the cards' order.
SCORE_ORDER = ("listed", "listed_qualified", "wrong_code", "partial", "missing",
               "restricted", "free_text", "unknown")
WINS_SHOWN = 8


@dataclass(slots=True)
class Caches:
    """One app's caches: the whole-history numbers, the site pages' data, and the folder of
    rendered pages (whose generation joins the data version)."""

    numbers: VersionedCache
    site_views: LruCache
    store: PageStore

    def clear(self) -> None:
        self.numbers.clear()
        self.site_views.clear()


def init_app(app: Flask) -> None:
    app.extensions[_KEY] = Caches(VersionedCache(), LruCache(512),
                                  PageStore(Path(app.instance_path) / "pages"))


def caches(app: Flask | None = None) -> Caches:
    found: Caches = (app or current_app).extensions[_KEY]
    return found


# Plain SQL: asked before every public page is served, so the ORM's work is worth skipping.
_VERSION_SQL = (f"SELECT (SELECT max(id) FROM {Check.__tablename__}), "
                f"(SELECT max(id) FROM {Site.__tablename__}), "
                f"(SELECT max(id) FROM {Target.__tablename__})")


def version_of(source: Session | Connection, store: PageStore) -> tuple[Any, ...]:
    """Cheap (three index look-ups and a stat): changes whenever a check, site or target is
    added, or :func:`changed` is called in any process."""
    conn = source.connection() if isinstance(source, Session) else source
    row = conn.exec_driver_sql(_VERSION_SQL).one()
    return (*row, store.generation())


def data_version(session: Session) -> tuple[Any, ...]:
    """The data version of this app's database (see :func:`version_of`)."""
    return version_of(session, caches().store)


def urgent(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    """A change that must show at once: anything but a stream of new checks (a new site or
    page, an edit by a moderator or a catalog load)."""
    return old[1:] != new[1:]


def _cached(session: Session, key: str, compute: Callable[[Session], Any]) -> Any:
    """``compute(session)`` cached per app by data version. It gets a session of its own,
    since it may run in a background thread after this request has ended. A new site or
    target (an approval, a catalog load) is never served from the old value: only a stream
    of new checks is held to one recomputation per ``CACHE_SECONDS``. A request served an
    older value notes which (``g.xk_stale_numbers``: key → the version it was computed for),
    so its page is kept as stale and made again once the value is recomputed."""
    database = get_db()
    config = current_app.config

    def run() -> Any:
        with database.scope() as own:
            return compute(own)

    version = data_version(session)
    value, used = caches().numbers.get_versioned(
        key, version, run, float(config["CACHE_SECONDS"]), background=not config["TESTING"],
        urgent=lambda old: urgent(old, version))
    if used != version and has_request_context():
        g.setdefault("xk_stale_numbers", {})[key] = used
    return value


def changed() -> None:
    """A moderator changed what public pages show: every process (and the rendered pages
    on disk) must show it at once. This process forgets its values; the others see the new
    generation in the data version."""
    found = caches()
    found.store.bump()
    found.clear()


def site_views() -> LruCache:
    return caches().site_views


def cached(session: Session, key: str, compute: Callable[[Session], Any]) -> Any:
    """The cache of whole-history values, for the other page groups."""
    return _cached(session, key, compute)


@dataclass(frozen=True, slots=True)
class Scoreboard:
    sites: list[SiteStatus]
    counts: dict[str, int]  # by part of db.verdicts.PARTS: the cards
    by_status: dict[str, int]  # by site status (restricted and free_text apart)
    categories: list[str]
    series: ShareSeries
    wins: list[Change]  # the latest wins and regressions, newest first
    worst: dict[str, list[SiteStatus]]
    changes: list[Change]  # every change of a target's conclusive verdict, oldest first
    chart: Chart  # the series drawn, once per data version

    @property
    def tracked(self) -> int:
        return len(self.sites)

    @property
    def share(self) -> list[SharePoint]:
        return self.series.overall

    @property
    def share_period(self) -> Step:
        return self.series.step


def _step(session: Session) -> Step:
    """Daily for a short history, weekly for a long one (one whole-history pass either way)."""
    first, last = session.execute(select(func.min(Check.checked_at),
                                         func.max(Check.checked_at))).one()
    return "day" if first is None or (last - first).days <= 120 else "week"


def _worst(sites: Sequence[SiteStatus], per_category: int = 5) -> dict[str, list[SiteStatus]]:
    """Per category, the sites that leave Kosovo out on the most pages (then by name)."""
    grouped: dict[str, list[SiteStatus]] = defaultdict(list)
    for site in sites:
        if site.status in EXCLUDING:
            grouped[site.category or ""].append(site)
    out: dict[str, list[SiteStatus]] = {}
    for category in sorted(grouped):
        ranked = sorted(grouped[category],
                        key=lambda s: (-s.verdicts.get("missing", 0) - s.verdicts.get(
                            "partial", 0), s.oldest_conclusive_at or datetime.max.replace(
                                tzinfo=UTC), s.domain))
        out[category] = ranked[:per_category]
    return out


def scoreboard(session: Session) -> Scoreboard:
    def compute(session: Session) -> Scoreboard:
        status = queries.current_status(session)
        by_status = Counter(s.status for s in status.sites)
        every = history.changes(session, kinds=("win", "regression", "other"))
        wins = [c for c in every if c.kind in ("win", "regression")]
        series = history.share_over_time(session, _step(session))
        return Scoreboard(
            sites=status.sites,
            counts=tally_parts(s.status for s in status.sites),
            by_status={v: by_status.get(v, 0) for v in SCORE_ORDER},
            categories=sorted({s.category for s in status.sites if s.category}),
            series=series, wins=list(reversed(wins[-WINS_SHOWN:])),
            worst=_worst(status.sites), changes=every, chart=parts_chart(series.overall))
    result: Scoreboard = _cached(session, "scoreboard", compute)
    return result


def all_changes(session: Session) -> list[Change]:
    """Every change of a conclusive verdict, oldest first (cached with the scoreboard: it
    scans the whole history)."""
    return scoreboard(session).changes


def share_series(session: Session, step: Step) -> ShareSeries:
    board = scoreboard(session)
    if board.series.step == step:
        return board.series
    result: ShareSeries = _cached(session, f"share-{step}",
                                  lambda own: history.share_over_time(own, step))
    return result


def filter_sites(sites: Iterable[SiteStatus], *, q: str = "", category: str = "",
                 verdict: str = "") -> list[SiteStatus]:
    needle = q.strip().casefold()
    out = []
    for site in sites:
        if category and site.category != category:
            continue
        if verdict and site.status != verdict:
            continue
        if needle and needle not in site.domain.casefold() \
                and needle not in site.name.casefold() \
                and needle not in (site.company or "").casefold():
            continue
        out.append(site)
    return out


def tally(session: Session, company_id: int, *, today: date | None = None) -> dict[str, Any]:
    """Letters (and posts) people started to this company: all time, last 30 days, by channel."""
    today = today or datetime.now(UTC).date()
    rows = session.execute(select(ActionTally.day, ActionTally.channel, ActionTally.count)
                           .where(ActionTally.company_id == company_id)).all()
    by_channel: Counter[str] = Counter()
    recent = 0
    for day, channel, count in rows:
        by_channel[channel] += count
        if day > today - timedelta(days=30):
            recent += count
    return {"total": sum(by_channel.values()), "recent": recent,
            "by_channel": dict(by_channel)}
