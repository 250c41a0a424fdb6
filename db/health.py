"""Catalog health: which sites need discovery, and why.

A site needs it when the catalog says ``discover: true``, when it has no active target, or
when one of its targets *stopped answering*: each of its last N checks ended ``http_4xx``,
``no_country_field`` or on the site's home page (the form moved and the old address now
redirects to the front page). One good or inconclusive check in those N is enough to keep a
target out of the list: a blip is not a moved form. The list is what ``xktracker catalog
health`` prints, what the admin's catalog-health page shows, and what ``crawl --discover``
walks; discovery's proposals are shown beside each site.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Check, Discovery, Proposal, Site, Target

DEFAULT_RUNS = 2
_LOCALE_ROOT = re.compile(r"^/[a-z]{2,3}(?:[-_][a-z]{2,4})?/?$", re.IGNORECASE)


def is_home(url: str | None) -> bool:
    """A site's front page: ``/``, or a bare locale path such as ``/en/`` or ``/de-at``."""
    if not url:
        return False
    path = urlsplit(url).path or "/"
    return path == "/" or bool(_LOCALE_ROOT.match(path))


def stop_problem(verdict: str, reason: str | None, url: str,
                 final_url: str | None) -> str | None:
    """Why one check says a target stopped answering, or ``None``."""
    if verdict == "error" and reason == "http_4xx":
        return "http_4xx"
    if final_url and is_home(final_url) and not is_home(url) and verdict in (
            "no_country_field", "error", "blocked"):
        return "home_redirect"
    if verdict == "no_country_field":
        return "no_country_field"
    return None


@dataclass(frozen=True, slots=True)
class Trouble:
    """A target that stopped answering, with the checks that say so (newest first)."""

    target_id: int
    url: str
    kind: str
    problems: tuple[str, ...]
    checked_at: tuple[datetime, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"target_id": self.target_id, "url": self.url, "kind": self.kind,
                "problems": list(self.problems),
                "checked_at": [t.isoformat().replace("+00:00", "Z") for t in self.checked_at]}


@dataclass(frozen=True, slots=True)
class ProposalInfo:
    id: int
    url: str
    kind: str
    verdict: str
    reason: str | None
    via: str | None
    steps: tuple[dict[str, Any], ...]
    method: str
    status: str
    found_at: datetime
    replaces_target_id: int | None
    target_id: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "url": self.url, "kind": self.kind, "verdict": self.verdict,
                "reason": self.reason, "via": self.via, "steps": list(self.steps),
                "method": self.method, "status": self.status,
                "found_at": self.found_at.isoformat().replace("+00:00", "Z"),
                "replaces_target_id": self.replaces_target_id, "target_id": self.target_id}


@dataclass(frozen=True, slots=True)
class SiteHealth:
    site_id: int
    domain: str
    name: str
    catalog: str | None
    reasons: tuple[str, ...]  # discover: true, no active target, N stopped targets
    start_url: str
    troubles: tuple[Trouble, ...] = ()
    proposals: tuple[ProposalInfo, ...] = ()
    last_discovery: datetime | None = None
    targets: tuple[str, ...] = field(default_factory=tuple)  # active target URLs

    @property
    def trigger(self) -> str:
        return "; ".join(self.reasons)

    def replaces(self) -> dict[str, int]:
        """Kind → the stopped target of that kind a proposal would replace (``*``: any)."""
        out: dict[str, int] = {}
        for trouble in self.troubles:
            out.setdefault(trouble.kind, trouble.target_id)
            out.setdefault("*", trouble.target_id)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"site": self.domain, "name": self.name, "catalog": self.catalog,
                "reasons": list(self.reasons), "start_url": self.start_url,
                "stopped": [t.to_dict() for t in self.troubles],
                "proposals": [p.to_dict() for p in self.proposals],
                "last_discovery": (self.last_discovery.isoformat().replace("+00:00", "Z")
                                   if self.last_discovery else None)}


def stopped_targets(session: Session, *, runs: int = DEFAULT_RUNS,
                    territory: str = "XK") -> dict[int, list[Trouble]]:
    """Active targets whose last ``runs`` checks all say they stopped answering, by site."""
    ranked = (select(Check.target_id, Check.verdict, Check.reason, Check.final_url,
                     Check.checked_at,
                     func.row_number().over(partition_by=Check.target_id,
                                            order_by=(Check.checked_at.desc(), Check.id.desc()))
                     .label("n"))
              .where(Check.territory == territory).subquery())
    rows = session.execute(
        select(ranked.c.target_id, ranked.c.verdict, ranked.c.reason, ranked.c.final_url,
               ranked.c.checked_at, Target.url, Target.kind, Target.site_id)
        .join(Target, Target.id == ranked.c.target_id)
        .where(ranked.c.n <= runs, Target.active.is_(True))
        .order_by(ranked.c.target_id, ranked.c.n)).all()
    by_target: dict[int, list[Any]] = {}
    for row in rows:
        by_target.setdefault(row.target_id, []).append(row)
    out: dict[int, list[Trouble]] = {}
    for target_id, checks in by_target.items():
        if len(checks) < runs:
            continue
        problems = [stop_problem(c.verdict, c.reason, c.url, c.final_url) for c in checks]
        if any(p is None for p in problems):
            continue
        first = checks[0]
        out.setdefault(first.site_id, []).append(Trouble(
            target_id=target_id, url=first.url, kind=first.kind,
            problems=tuple(p for p in problems if p), checked_at=tuple(c.checked_at
                                                                      for c in checks)))
    return out


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


def start_url(site: Site, troubles: Sequence[Trouble], targets: Sequence[str]) -> str:
    """Where discovery of a site starts: the catalog's ``discover:`` URL, else the front page
    of the host its (stopped) targets live on, else ``https://<domain>/``."""
    if site.discover_url:
        return site.discover_url
    known = [t.url for t in troubles] + list(targets)
    return _origin(known[0]) if known else f"https://{site.domain}/"


def catalog_health(session: Session, *, runs: int = DEFAULT_RUNS, territory: str = "XK",
                   sites: Sequence[str] = ()) -> list[SiteHealth]:
    """Every active site that needs discovery (of ``sites`` only, when given), by domain."""
    stopped = stopped_targets(session, runs=runs, territory=territory)
    query = select(Site).where(Site.active.is_(True)).order_by(Site.domain)
    if sites:
        query = query.where(Site.domain.in_([s.lower() for s in sites]))
    active: dict[int, list[str]] = {}
    for site_id, url in session.execute(select(Target.site_id, Target.url)
                                        .where(Target.active.is_(True)).order_by(Target.id)):
        active.setdefault(site_id, []).append(url)
    last = dict(session.execute(select(Discovery.site_id, func.max(Discovery.created_at))
                                .where(Discovery.site_id.is_not(None))
                                .group_by(Discovery.site_id)).all())
    out: list[SiteHealth] = []
    for site in session.scalars(query):
        reasons: list[str] = []
        if site.discover:
            reasons.append("discover: true")
        if not active.get(site.id):
            reasons.append("no active target")
        troubles = stopped.get(site.id, [])
        if troubles:
            reasons.append(f"{len(troubles)} target(s) stopped answering in the last {runs} "
                           "checks")
        if not reasons:
            continue
        proposals = tuple(
            ProposalInfo(p.id, p.url, p.kind, p.verdict, p.reason, p.via,
                         tuple(p.steps or ()), p.method, p.status, p.found_at,
                         p.replaces_target_id, p.target_id)
            for p in session.scalars(select(Proposal).where(
                Proposal.site_id == site.id, Proposal.status.in_(("proposed", "accepted")))
                .order_by(Proposal.status.desc(), Proposal.id)))
        out.append(SiteHealth(
            site_id=site.id, domain=site.domain, name=site.name, catalog=site.catalog,
            reasons=tuple(reasons), start_url=start_url(site, troubles, active.get(site.id, [])),
            troubles=tuple(troubles), proposals=proposals, last_discovery=last.get(site.id),
            targets=tuple(active.get(site.id, []))))
    return out
