"""The Libraries page: the upstream lists (checks/data/platforms.json) and the tracked sites
whose current lists match them (:func:`db.history.upstream_users`).

A library is credited with a site *without* Kosovo only when that site's own list lacks it;
sites whose matching list includes Kosovo are counted apart; a list that several libraries
ship alike is shown as that family. The words are the database's plain text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy.orm import Session

from db import history
from db.history import UpstreamUse
from tracker_web.facts import cached


@cache
def library_entries() -> tuple[dict[str, Any], ...]:
    """The libraries of the database, without their lists."""
    ref = resources.files("checks") / "data" / "platforms.json"
    raw = json.loads(ref.read_text(encoding="utf-8"))
    return tuple({k: v for k, v in e.items() if k != "variants"}
                 for e in raw.get("libraries", []))


@dataclass(frozen=True, slots=True)
class Library:
    id: str
    name: str
    ecosystem: str
    kind: str
    newest: str | None
    releases_read: int
    since: str | None  # the first release read with Kosovo (None: none, or every one)
    declared_since: str | None  # known upstream, not read here
    in_newest: bool
    in_every_release: bool
    fix: str | None  # for a site whose list comes from a release without Kosovo
    sites_without: tuple[str, ...]
    sites_with: tuple[str, ...]

    @property
    def lacks_kosovo(self) -> bool:
        """Its newest release read has no Kosovo: its maintainers are the ones to ask."""
        return not self.in_newest


@dataclass(frozen=True, slots=True)
class Libraries:
    entries: tuple[Library, ...]
    families: tuple[UpstreamUse, ...]

    def without_kosovo(self) -> list[Library]:
        """Libraries whose newest release lacks Kosovo, then those whose older releases did."""
        return [e for e in self.entries if e.lacks_kosovo] + [
            e for e in self.entries if not e.lacks_kosovo and not e.in_every_release]

    def with_kosovo(self) -> list[Library]:
        return [e for e in self.entries if e.in_every_release]


def _fix(entry: dict[str, Any]) -> str | None:
    fixes = entry.get("fixes") or {}
    kosovo = entry.get("kosovo") or {}
    since = kosovo.get("since") or kosovo.get("declared_since")
    if since and "update" in fixes:
        return str(fixes["update"]).replace("{name}", entry["name"]).replace("{since}", since)
    if not kosovo.get("in_newest") and "add" in fixes:
        return str(fixes["add"])
    return None


def libraries(session: Session) -> Libraries:
    def compute(session: Session) -> Libraries:
        uses = history.upstream_users(session)
        by_source = {u.source: u for u in uses if u.source != "family"}
        entries = []
        for entry in library_entries():
            kosovo = entry.get("kosovo") or {}
            releases = entry.get("releases") or {}
            use = by_source.get(entry["id"])
            entries.append(Library(
                id=entry["id"], name=entry["name"], ecosystem=entry.get("ecosystem", ""),
                kind=entry.get("kind", "country"), newest=releases.get("newest"),
                releases_read=len(releases.get("read") or []), since=kosovo.get("since"),
                declared_since=kosovo.get("declared_since"),
                in_newest=bool(kosovo.get("in_newest")),
                in_every_release=bool(kosovo.get("in_every_release_read")),
                fix=_fix(entry), sites_without=use.sites_without if use else (),
                sites_with=use.sites_with if use else ()))
        entries.sort(key=lambda e: (-len(e.sites_without), -len(e.sites_with),
                                    e.name.casefold()))
        return Libraries(tuple(entries), tuple(u for u in uses if u.source == "family"))
    result: Libraries = cached(session, "libraries", compute)
    return result
