"""What the pages show, read from the history: plain data for the templates.

The whole-history numbers (share over time, wins, upstream counts) are cached per app by
the data version (see :mod:`tracker_web.cache`); a site page reads only that site's rows.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

from flask import Flask, current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import queries
from db.models import ActionTally, Check, Company, Contact, FieldResult, Site, Target
from db.queries import Period, ShareRow, SiteStatus, TargetStatus, TimelineEntry, Transition
from db.verdicts import transition_kind
from tracker_web.cache import LruCache, VersionedCache
from tracker_web.database import get_db

_cache = VersionedCache()
_site_views = LruCache(512)
SCORE_ORDER = ("listed", "listed_qualified", "wrong_code", "partial", "missing",
               "restricted", "free_text", "unknown")
EXCLUDING = frozenset({"missing", "partial"})


def data_version(session: Session) -> tuple[Any, ...]:
    """Cheap (three index look-ups): changes whenever a check, site or target is added."""
    row = session.execute(select(
        select(func.max(Check.id)).scalar_subquery(),
        select(func.max(Site.id)).scalar_subquery(),
        select(func.max(Target.id)).scalar_subquery())).one()
    return tuple(row)


def _cached(session: Session, key: str, compute: Callable[[Session], Any]) -> Any:
    """``compute(session)`` cached per app by data version. It gets a session of its own,
    since it may run in a background thread after this request has ended."""
    database = get_db()
    config = current_app.config

    def run() -> Any:
        with database.scope() as own:
            return compute(own)

    return _cache.get((id(current_app), key), data_version(session), run,
                      float(config["CACHE_SECONDS"]), background=not config["TESTING"])


def warm(app: Flask) -> None:
    """Compute the scoreboard and the upstream counts once, so no visitor waits for them."""
    try:
        with app.app_context():
            db = get_db().sessions()
            try:
                scoreboard(db)
                upstream(db)
            finally:
                db.close()
    except Exception:  # a database not set up yet: the first request will say so
        logging.getLogger(__name__).exception("warming the dashboard cache failed")


def clear_cache() -> None:
    """Forget every cached value of this process (after a moderator's edit, in tests)."""
    _cache.clear()
    _site_views.clear()


@dataclass(frozen=True, slots=True)
class Scoreboard:
    sites: list[SiteStatus]
    counts: dict[str, int]
    categories: list[str]
    share: list[ShareRow]
    share_period: str
    wins: list[Transition]
    worst: dict[str, list[SiteStatus]]
    changes: list[Transition]  # every change of a conclusive verdict, oldest first

    @property
    def tracked(self) -> int:
        return len(self.sites)


def _share(session: Session) -> tuple[list[ShareRow], str]:
    """Daily for a short history, weekly for a long one (one whole-history pass either way)."""
    first, last = session.execute(select(func.min(Check.checked_at),
                                         func.max(Check.checked_at))).one()
    period: Period = "day" if first is None or (last - first).days <= 120 else "week"
    return queries.share_listing_over_time(session, period), period


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
        counts = Counter(s.status for s in status.sites)
        share, period = _share(session)
        changes = queries.transitions(session)
        wins = [t for t in changes if t.kind == "win"]
        return Scoreboard(
            sites=status.sites,
            counts={v: counts.get(v, 0) for v in SCORE_ORDER},
            categories=sorted({s.category for s in status.sites if s.category}),
            share=share, share_period=period, wins=list(reversed(wins[-8:])),
            worst=_worst(status.sites), changes=changes)
    result: Scoreboard = _cached(session, "scoreboard", compute)
    return result


def all_transitions(session: Session) -> list[Transition]:
    """Every change of a conclusive verdict, oldest first (cached with the scoreboard: it
    scans the whole history)."""
    return scoreboard(session).changes


def share_series(session: Session, period: str) -> list[ShareRow]:
    board = scoreboard(session)
    if board.share_period == period:
        return board.share
    result: list[ShareRow] = _cached(
        session, f"share-{period}",
        lambda own: queries.share_listing_over_time(own, period))  # type: ignore[arg-type]
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


# --- one site -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Segment:
    """Consecutive checks of a target with the same verdict (a timeline, compressed)."""

    verdict: str
    reason: str | None
    first: datetime
    last: datetime
    checks: int
    first_check_id: int
    last_check_id: int


@dataclass(frozen=True, slots=True)
class Evidence:
    check_id: int
    checked_at: datetime
    method: str
    verdict: str
    reason: str | None
    final_url: str | None
    html_sha256: str | None
    screenshot_sha256: str | None
    fields: list[dict[str, Any]]
    title: str | None


@dataclass(frozen=True, slots=True)
class TargetView:
    status: TargetStatus
    evidence: Evidence | None
    segments: tuple[Segment, ...]
    transitions: tuple[tuple[str, str, str, datetime], ...]  # (kind, before, after, when)
    checks: int


@dataclass(frozen=True, slots=True)
class SiteInfo:
    id: int
    domain: str
    name: str
    category: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class CompanyInfo:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class ContactInfo:
    kind: str
    value: str
    unverified: bool


@dataclass(frozen=True, slots=True)
class SiteView:
    """Everything a site page shows except the letter tally (which changes between crawls
    and is read fresh): plain frozen data, so one copy can serve many requests."""

    site: SiteInfo
    company: CompanyInfo | None
    status: SiteStatus | None
    targets: tuple[TargetView, ...]
    contacts: tuple[ContactInfo, ...]
    tally: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Step:
    """One check as a timeline needs it (no fields: those are read for the evidence only)."""

    check_id: int
    checked_at: datetime
    verdict: str
    reason: str | None
    conclusive: bool


def segments(timeline: Sequence[TimelineEntry | _Step]) -> list[Segment]:
    out: list[Segment] = []
    for entry in timeline:
        last = out[-1] if out else None
        if last is not None and last.verdict == entry.verdict and last.reason == entry.reason:
            out[-1] = Segment(last.verdict, last.reason, last.first, entry.checked_at,
                              last.checks + 1, last.first_check_id, entry.check_id)
        else:
            out.append(Segment(entry.verdict, entry.reason, entry.checked_at,
                               entry.checked_at, 1, entry.check_id, entry.check_id))
    return out


def conclusive_changes(timeline: Sequence[TimelineEntry | _Step]
                       ) -> list[tuple[str, str, str, datetime]]:
    """Changes of the conclusive verdict (the rule of ``db.queries.transitions``), computed
    from one target's timeline so a site page never scans the whole history."""
    out: list[tuple[str, str, str, datetime]] = []
    before: str | None = None
    for entry in timeline:
        if not entry.conclusive:
            continue
        if before is not None and entry.verdict != before:
            out.append((transition_kind(before, entry.verdict), before, entry.verdict,
                        entry.checked_at))
        before = entry.verdict
    return out


def _steps(session: Session, target_id: int, territory: str = "XK") -> list[_Step]:
    rows = session.execute(
        select(Check.id, Check.checked_at, Check.verdict, Check.reason, Check.conclusive)
        .where(Check.target_id == target_id, Check.territory == territory)
        .order_by(Check.checked_at, Check.id)).all()
    return [_Step(r.id, r.checked_at, r.verdict, r.reason, bool(r.conclusive)) for r in rows]


def _evidence(session: Session, check_id: int | None) -> Evidence | None:
    if check_id is None:
        return None
    check = session.get(Check, check_id)
    if check is None:
        return None
    report = check.report or {}
    fields = [f for f in report.get("fields") or [] if isinstance(f, dict)]
    return Evidence(check_id=check.id, checked_at=check.checked_at, method=check.method,
                    verdict=check.verdict, reason=check.reason, final_url=check.final_url,
                    html_sha256=check.html_sha256, screenshot_sha256=check.screenshot_sha256,
                    fields=fields, title=report.get("title"))


def _site_view(session: Session, domain: str) -> SiteView | None:
    site = session.execute(select(Site).where(Site.domain == domain)).scalar_one_or_none()
    if site is None:
        return None
    company = session.get(Company, site.company_id) if site.company_id else None
    status = queries.current_status(session, site.domain, include_inactive=not site.active)
    targets = []
    for target in status.targets:
        if not target.active and site.active:
            continue
        steps = _steps(session, target.target_id)
        shown = target.last_conclusive.check_id if target.last_conclusive else target.check_id
        targets.append(TargetView(status=target, evidence=_evidence(session, shown),
                                  segments=tuple(segments(steps)),
                                  transitions=tuple(conclusive_changes(steps)),
                                  checks=len(steps)))
    contacts = session.scalars(select(Contact).where(
        (Contact.site_id == site.id)
        | ((Contact.company_id == site.company_id) & Contact.company_id.is_not(None)))
        .order_by(Contact.id))
    return SiteView(
        site=SiteInfo(site.id, site.domain, site.name, site.category, bool(site.active)),
        company=CompanyInfo(company.id, company.name) if company else None,
        status=status.sites[0] if status.sites else None, targets=tuple(targets),
        contacts=tuple(ContactInfo(c.kind, c.value, bool(c.unverified)) for c in contacts))


def site_view(session: Session, domain: str) -> SiteView | None:
    """The site page's data, cached per site while the history is unchanged (at most
    ``CACHE_SECONDS`` old), with this moment's letter tally."""
    domain = domain.lower()
    config = current_app.config
    key = (id(current_app), domain)
    version = data_version(session)
    found: SiteView | None = _site_views.get(key, version, float(config["CACHE_SECONDS"]))
    if found is None:
        found = _site_view(session, domain)
        if found is None:
            return None
        _site_views.put(key, version, found)
    if found.company is None:
        return found
    return replace(found, tally=tally(session, found.company.id))


def neighbour_rows(fieldinfo: dict[str, Any]) -> list[tuple[str, str]]:
    """The options around Kosovo's place as (label, role): role ``kosovo`` marks Kosovo's own
    option, ``gap`` the place where it would stand, ``""`` any other option."""
    pairs = [(str(p[1]) if len(p) > 1 else "", str(p[0]) if p else "")
             for p in fieldinfo.get("neighbours") or [] if isinstance(p, list | tuple)]
    kosovo = fieldinfo.get("kosovo") or {}
    if kosovo:
        label, value = kosovo.get("label"), kosovo.get("value")
        return [(lab or val, "kosovo" if (lab == label and val == value) else "")
                for lab, val in pairs]
    if fieldinfo.get("verdict") not in ("missing", "wrong_code", "restricted"):
        return [(lab or val, "") for lab, val in pairs]
    rows: list[tuple[str, str]] = []
    placed = False
    for lab, val in pairs:
        if not placed and (lab or val).casefold() > "kosovo":
            rows.append(("", "gap"))
            placed = True
        rows.append((lab or val, ""))
    if not placed:
        rows.append(("", "gap"))
    return rows


# --- tally --------------------------------------------------------------------------------

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


# --- upstream libraries -------------------------------------------------------------------

@cache
def platform_entries() -> tuple[dict[str, Any], ...]:
    ref = resources.files("checks") / "data" / "platforms.json"
    raw = json.loads(ref.read_text(encoding="utf-8"))
    entries = raw["platforms"] if isinstance(raw, dict) else raw
    return tuple({k: v for k, v in e.items() if k != "codes_and_labels"} for e in entries)


@dataclass(frozen=True, slots=True)
class Upstream:
    platform: str
    package: str | None
    ecosystem: str | None
    kind: str
    source: str | None
    lacks_kosovo: bool
    fix: str | None
    sites: tuple[str, ...]


def _fingerprinted_sites(session: Session) -> dict[str, set[str]]:
    """Platform name → domains whose current evidence matches that platform's list."""
    status = queries.current_status(session)
    check_site = {t.last_conclusive.check_id: t.site for t in status.targets
                  if t.last_conclusive is not None}
    found: dict[str, set[str]] = defaultdict(set)
    ids = list(check_site)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for check_id, source in session.execute(
                select(FieldResult.check_id, FieldResult.fingerprint_source)
                .where(FieldResult.check_id.in_(chunk),
                       FieldResult.fingerprint_source.is_not(None))):
            for name in str(source).split(" or "):
                found[name.strip()].add(check_site[check_id])
    return found


def upstream(session: Session) -> list[Upstream]:
    def compute(session: Session) -> list[Upstream]:
        using = _fingerprinted_sites(session)
        out = []
        for entry in platform_entries():
            name = str(entry.get("platform"))
            present = (entry.get("kosovo") or {}).get("present")
            out.append(Upstream(
                platform=name, package=entry.get("package"), ecosystem=entry.get("ecosystem"),
                kind=str(entry.get("kind") or "country"), source=entry.get("source"),
                lacks_kosovo=present is False, fix=entry.get("fix"),
                sites=tuple(sorted(using.get(name, ())))))
        out.sort(key=lambda u: (not u.lacks_kosovo, -len(u.sites), u.platform.casefold()))
        return out
    result: list[Upstream] = _cached(session, "upstream", compute)
    return result
