"""The site catalog: load a YAML file (validated by :mod:`db.catalog_schema`) and merge it
into the database.

Merging is idempotent, so ``xktracker catalog load`` can run after every edit: loading the same
file twice changes nothing. Nothing with history is deleted: a target or site that leaves the
file is marked inactive (its checks stay and still point at it) and comes back to life if it
returns. Contacts carry no history and are replaced, so a stale address is never mailed.

Each site remembers which catalog it came from (``Site.catalog``, the file name): reloading
``sites.yaml`` retires only what ``sites.yaml`` dropped, never the sites of another catalog
loaded into the same database (the demo's, a local list of extra sites).
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.catalog_schema import (
    STEP_VERBS,
    Catalog,
    ContactEntry,
    SiteEntry,
    TargetEntry,
    parse_catalog,
)
from db.errors import CatalogError, CatalogProblem
from db.models import Company, Contact, Proposal, Site, Target
from foundation.addresses import host_problem, url_problem

__all__ = [
    "BUNDLED_CATALOG", "DEMO_CATALOG", "STEP_VERBS", "Catalog", "CatalogError",
    "ContactEntry", "MergeResult", "SiteEntry", "TargetEntry", "demo_catalog",
    "host_problem", "load_catalog", "merge_catalog", "parse_catalog", "url_problem",
]

CATALOG_DIR = Path(__file__).with_name("catalog")
BUNDLED_CATALOG = CATALOG_DIR / "sites.yaml"
DEMO_CATALOG = CATALOG_DIR / "demo.yaml"
DEMO_PLACEHOLDER = "{demo}"


def load_catalog(path: str | os.PathLike[str], *, allow_private: bool = False,
                 name: str | None = None) -> Catalog:
    """Read and validate a catalog file; the catalog is named after the file unless ``name``."""
    filename = os.fspath(path)
    try:
        text = Path(filename).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError([CatalogProblem(filename, None, "", f"cannot read: {exc}")]) \
            from None
    return parse_catalog(text, filename=filename, name=name or Path(filename).name,
                         allow_private=allow_private)


def demo_catalog(base_url: str) -> Catalog:
    """The demo catalog with its ``{demo}`` placeholders pointing at ``base_url`` (the running
    demo web, e.g. ``http://127.0.0.1:8123``); private addresses allowed."""
    text = DEMO_CATALOG.read_text(encoding="utf-8")
    return parse_catalog(text, filename=str(DEMO_CATALOG), name="demo.yaml",
                         allow_private=True,
                         placeholders={DEMO_PLACEHOLDER: base_url.rstrip("/")})


@dataclass
class MergeResult:
    """Rows added, updated and deactivated (removed, for contacts) per table."""

    catalog: str
    added: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    deactivated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    removed: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def changed(self) -> bool:
        return any(sum(c.values()) for c in (self.added, self.updated, self.deactivated,
                                              self.removed))

    def to_dict(self) -> dict[str, Any]:
        return {"catalog": self.catalog,
                **{name: dict(sorted(counts.items())) for name, counts in (
                    ("added", self.added), ("updated", self.updated),
                    ("deactivated", self.deactivated), ("removed", self.removed))}}

    def summary(self) -> str:
        """One line per kind of change, e.g. ``added: 2 sites, 5 targets``."""
        lines = []
        for label, counts in (("added", self.added), ("updated", self.updated),
                              ("deactivated", self.deactivated), ("removed", self.removed)):
            parts = [f"{n} {table}" for table, n in sorted(counts.items()) if n]
            lines.append(f"{label}: {', '.join(parts) if parts else 'nothing'}")
        return "\n".join(lines)


def _assign(row: Any, values: dict[str, Any]) -> bool:
    """Set the attributes that differ; True when any did."""
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed


class _Merger:
    def __init__(self, session: Session, catalog: Catalog) -> None:
        self.session = session
        self.catalog = catalog
        self.result = MergeResult(catalog.name)
        self.companies = {c.name: c for c in session.scalars(select(Company))}
        self.sites = {s.domain: s for s in session.scalars(
            select(Site).options(selectinload(Site.contacts), selectinload(Site.targets)))}
        self.targets = {t.url: t for t in session.scalars(select(Target))}
        # Targets a moderator made from discovery's proposals: kept until the file lists them
        # (then they are the file's) or the site leaves it (``xktracker catalog health``
        # prints the patch that puts them in the file).
        self.accepted = set(session.scalars(select(Proposal.target_id).where(
            Proposal.status == "accepted", Proposal.target_id.is_not(None))))

    def company(self, name: str | None) -> Company | None:
        if name is None:
            return None
        company = self.companies.get(name)
        if company is None:
            company = Company(name=name)
            self.session.add(company)
            self.companies[name] = company
            self.result.added["companies"] += 1
        return company

    def site(self, entry: SiteEntry) -> Site:
        company = self.company(entry.company)
        values = {"name": entry.name, "category": entry.category, "company": company,
                  "active": True, "catalog": self.catalog.name, "discover": entry.discover,
                  "discover_url": entry.discover_url}
        site = self.sites.get(entry.domain)
        if site is None:
            site = Site(domain=entry.domain, **values)
            self.session.add(site)
            self.sites[entry.domain] = site
            self.result.added["sites"] += 1
        elif _assign(site, values):
            self.result.updated["sites"] += 1
        self.contacts(site, entry.contacts)
        self.site_targets(site, entry.targets)
        return site

    def contacts(self, site: Site, entries: tuple[ContactEntry, ...]) -> None:
        existing = {(c.kind, c.value): c for c in site.contacts}
        wanted = set()
        for entry in entries:
            key = (entry.kind, entry.value)
            wanted.add(key)
            values = {"source": entry.source, "verified": entry.verified,
                      "unverified": entry.unverified, "note": entry.note}
            contact = existing.get(key)
            if contact is None:
                contact = Contact(site=site, kind=entry.kind, value=entry.value, **values)
                self.session.add(contact)
                existing[key] = contact
                self.result.added["contacts"] += 1
            elif _assign(contact, values):
                self.result.updated["contacts"] += 1
        for key, contact in existing.items():
            if key not in wanted:
                site.contacts.remove(contact)
                self.session.delete(contact)
                self.result.removed["contacts"] += 1

    def site_targets(self, site: Site, entries: tuple[TargetEntry, ...]) -> None:
        wanted = set()
        for entry in entries:
            wanted.add(entry.url)
            values = {"site": site, "kind": entry.kind, "browser": entry.browser,
                      "steps": [dict(step) for step in entry.steps], "active": True}
            target = self.targets.get(entry.url)
            if target is None:
                target = Target(url=entry.url, **values)
                self.session.add(target)
                self.targets[entry.url] = target
                self.result.added["targets"] += 1
            elif _assign(target, values):
                self.result.updated["targets"] += 1
        for target in list(site.targets):
            if target.url not in wanted and target.active and target.id not in self.accepted:
                target.active = False
                self.result.deactivated["targets"] += 1

    def retire_missing_sites(self, domains: set[str]) -> None:
        for site in self.sites.values():
            if site.catalog != self.catalog.name or site.domain in domains or not site.active:
                continue
            site.active = False
            self.result.deactivated["sites"] += 1
            for target in site.targets:
                if target.active:
                    target.active = False
                    self.result.deactivated["targets"] += 1


def merge_catalog(session: Session, catalog: Catalog) -> MergeResult:
    """Upsert the catalog's companies, sites, contacts and targets; deactivate what this
    catalog used to list and no longer does. Returns what changed (nothing, on a reload).

    Run it in a writing session (``db.scope(write=True)``): it reads everything first.
    """
    merger = _Merger(session, catalog)
    for entry in catalog.sites:
        merger.site(entry)
    merger.retire_missing_sites({entry.domain for entry in catalog.sites})
    session.flush()
    return merger.result
