"""Atom feeds (RFC 4287) of wins and regressions, for everything tracked or for one site.

Built with ElementTree, so every scraped or catalog string is escaped by the serializer;
characters XML 1.0 cannot carry at all (most C0 controls) are dropped first, since escaping
cannot save them. Ids are ``tag:`` URIs (RFC 4151) made from the check that saw the change,
so an entry keeps its id for ever and a reader never shows it twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit
from xml.etree import ElementTree as ET

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.history import Change, changes
from db.models import Check, Site, Target
from reports.datapackage import LICENCE_ID

ATOM_NS = "http://www.w3.org/2005/Atom"
# The date in every tag: URI. Fixed, because a tag: URI must never change once published.
TAG_DATE = "2026"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

ET.register_namespace("", ATOM_NS)


def feed_path(site: str | None = None) -> str:
    """Where the web app serves a feed (the ``rel="self"`` link uses it)."""
    if site is None:
        return "/feeds/changes.atom"
    return f"/feeds/sites/{quote(site.lower(), safe='')}.atom"


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent: ET.Element, name: str, text: str | None = None,
         **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{name}",
                            {k: _clean(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def _days(change: Change) -> str:
    if change.time_to_fix is None or change.excluded_since is None:
        return ""
    days = change.time_to_fix.total_seconds() / 86400
    return f" Time to fix: {days:.1f} days (excluded since {_iso(change.excluded_since)})."


def _title(change: Change) -> str:
    page = change.target_url or change.site
    if change.kind == "win":
        return f"Win: {change.site_name} now lists Kosovo ({page})"
    return f"Regression: {change.site_name} no longer lists Kosovo ({page})"


def _summary(change: Change) -> str:
    before = f"{change.before}, last seen {_iso(change.previous_at)}" \
        if change.before and change.previous_at else str(change.before)
    return (f"{change.target_url}: {before}; {change.after} since {_iso(change.at)} "
            f"(check {change.check_id}, run {change.run_id}).{_days(change)} "
            f"Site: {change.site}"
            + (f", company: {change.company}" if change.company else "") + ".")


def atom_feed(session: Session, site: str | None = None,
              base_url: str = "http://localhost:5000", *, territory: str = "XK",
              limit: int = 50, now: datetime | None = None,
              link_for: Callable[[str], str] | None = None) -> bytes:
    """The feed as UTF-8 XML bytes: the newest ``limit`` wins and regressions of every page
    of every tracked site, or of one site (by domain; :class:`LookupError` if unknown).

    ``base_url`` is where the feed is published; its host names the ``tag:`` ids, so keep
    it fixed. ``link_for(domain)`` gives an entry's link (default ``{base_url}/sites/{domain}``).
    """
    base = base_url.rstrip("/")
    authority = urlsplit(base).hostname or "localhost"
    site_name = None
    if site is not None:
        site = site.lower()
        site_name = session.execute(select(Site.name).where(Site.domain == site)
                                    ).scalar_one_or_none()
        if site_name is None:
            raise LookupError(f"no site {site!r}")
    found = changes(session, level="target", site=site, territory=territory)
    found.sort(key=lambda c: (c.at, c.check_id), reverse=True)
    found = found[:limit]

    def site_link(domain: str) -> str:
        return link_for(domain) if link_for else f"{base}/sites/{quote(domain, safe='')}"

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    if site is None:
        _sub(feed, "id", f"tag:{authority},{TAG_DATE}:xktracker/changes")
        _sub(feed, "title", "xktracker: wins and regressions for Kosovo in country selectors")
        _sub(feed, "link", rel="alternate", type="text/html", href=f"{base}/")
    else:
        _sub(feed, "id", f"tag:{authority},{TAG_DATE}:xktracker/sites/{site}")
        _sub(feed, "title", f"xktracker: {site_name} ({site}), wins and regressions")
        _sub(feed, "link", rel="alternate", type="text/html", href=site_link(site))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=base + feed_path(site))
    if found:
        updated = found[0].at
    else:
        # No change yet: the last time anything was checked still tells when the feed was true.
        query = select(func.max(Check.checked_at)).where(Check.territory == territory)
        if site is not None:
            query = (query.join(Target, Target.id == Check.target_id)
                     .join(Site, Site.id == Target.site_id).where(Site.domain == site))
        last = session.execute(query).scalar_one_or_none()
        updated = last or now or datetime.now(UTC)
    _sub(feed, "updated", _iso(updated))
    author = _sub(feed, "author")
    _sub(author, "name", "xktracker")
    _sub(feed, "rights", f"Data: {LICENCE_ID} (Open Data Commons Open Database License)")
    _sub(feed, "generator", "xktracker")
    for change in found:
        entry = _sub(feed, "entry")
        _sub(entry, "id", f"tag:{authority},{TAG_DATE}:xktracker/checks/{change.check_id}/"
                          f"{change.kind}")
        _sub(entry, "title", _title(change))
        _sub(entry, "updated", _iso(change.at))
        _sub(entry, "published", _iso(change.at))
        _sub(entry, "link", rel="alternate", type="text/html", href=site_link(change.site))
        _sub(entry, "category", term=change.kind)
        content = _sub(entry, "content", _summary(change))
        content.set("type", "text")
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document
