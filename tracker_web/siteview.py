"""A site's page: the status of each checked page, its evidence, its timeline, and for a
page that came to list Kosovo, the last check without it and the first with it side by side.

A site page reads only that site's rows (a handful of statements per target), cached per site
while the history is unchanged (:func:`site_view`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from db import queries
from db.models import Check, Company, Contact, Site
from db.queries import SiteStatus, TargetStatus, TimelineEntry
from db.verdicts import transition_kind
from tracker_web import facts
from tracker_web.evidence import Evidence, load


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
class Win:
    """A page that came to list Kosovo: the last check that saw it left out (``before``) and
    the first that saw it listed (``after``)."""

    before: Evidence
    after: Evidence


@dataclass(frozen=True, slots=True)
class TargetView:
    status: TargetStatus
    evidence: Evidence | None
    segments: tuple[Segment, ...]
    transitions: tuple[tuple[str, str, str, datetime], ...]  # (kind, before, after, when)
    checks: int
    win: Win | None = None


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
class Step:
    """One check as a timeline needs it (no fields: those are read for the evidence only)."""

    check_id: int
    checked_at: datetime
    verdict: str
    reason: str | None
    conclusive: bool


def segments(timeline: Sequence[TimelineEntry | Step]) -> list[Segment]:
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


def conclusive_changes(timeline: Sequence[TimelineEntry | Step]
                       ) -> list[tuple[str, str, str, datetime]]:
    """Changes of the conclusive verdict (the rule of :mod:`db.history.events`), computed
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


def latest_win(timeline: Sequence[Step]) -> tuple[int, int] | None:
    """(last check without Kosovo, first check with it) of the target's latest win, when
    the target has kept Kosovo since (a later regression makes it no longer a win to show)."""
    previous: Step | None = None
    found: tuple[int, int] | None = None
    for entry in timeline:
        if not entry.conclusive:
            continue
        if previous is not None and entry.verdict != previous.verdict:
            kind = transition_kind(previous.verdict, entry.verdict)
            if kind == "win":
                found = (previous.check_id, entry.check_id)
            elif kind == "regression":
                found = None
        previous = entry
    return found


def _steps(session: Session, target_id: int, territory: str = "XK") -> list[Step]:
    rows = session.execute(
        select(Check.id, Check.checked_at, Check.verdict, Check.reason, Check.conclusive)
        .where(Check.target_id == target_id, Check.territory == territory)
        .order_by(Check.checked_at, Check.id)).all()
    return [Step(r.id, r.checked_at, r.verdict, r.reason, bool(r.conclusive)) for r in rows]


def _site_view(session: Session, domain: str) -> SiteView | None:
    site = session.execute(select(Site).where(Site.domain == domain)).scalar_one_or_none()
    if site is None:
        return None
    company = session.get(Company, site.company_id) if site.company_id else None
    status = queries.current_status(session, site.domain, include_inactive=not site.active)
    shown = [t for t in status.targets if t.active or not site.active]
    steps = {t.target_id: _steps(session, t.target_id) for t in shown}
    wins = {t.target_id: latest_win(steps[t.target_id]) for t in shown}
    wanted = [t.last_conclusive.check_id if t.last_conclusive else t.check_id for t in shown]
    wanted += [check_id for pair in wins.values() if pair for check_id in pair]
    evidence = load(session, [c for c in wanted if c is not None])
    targets = []
    for target in shown:
        current = target.last_conclusive.check_id if target.last_conclusive else target.check_id
        pair = wins[target.target_id]
        win = Win(evidence[pair[0]], evidence[pair[1]]) if pair else None
        targets.append(TargetView(
            status=target, evidence=evidence.get(current) if current else None,
            segments=tuple(segments(steps[target.target_id])),
            transitions=tuple(conclusive_changes(steps[target.target_id])),
            checks=len(steps[target.target_id]), win=win))
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
    key = domain
    version = facts.data_version(session)
    views = facts.site_views()
    found: SiteView | None = views.get(key, version, float(config["CACHE_SECONDS"]))
    if found is None:
        found = _site_view(session, domain)
        if found is None:
            return None
        views.put(key, version, found)
    if found.company is None:
        return found
    return replace(found, tally=facts.tally(session, found.company.id))
