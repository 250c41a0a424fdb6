"""Atom feeds of wins and regressions: the elements RFC 4287 requires, stable tag: ids,
escaping of hostile names, and a second opinion from feedparser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree as ET

import feedparser
import pytest

from db.models import Site
from db.session import Database
from db.store import record_check, start_run
from reports.feeds import ATOM_NS, atom_feed, feed_path
from tests.db_fixtures import database, db_url, postgres_base  # noqa: F401
from tests.report_history import HOSTILE_NAME, Built, build_history, fields_for, report

A = f"{{{ATOM_NS}}}"
BASE = "https://xk.example.org"


def _check_rfc4287(xml: bytes) -> ET.Element:
    """The feed- and entry-level elements RFC 4287 §4.1 requires, each once."""
    assert xml.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    feed = ET.fromstring(xml)
    assert feed.tag == f"{A}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{A}{name}")) == 1, name
    assert feed.findtext(f"{A}author/{A}name")
    assert [link.get("href") for link in feed.findall(f"{A}link")
            if link.get("rel") == "self"][0].startswith(BASE + "/feeds/")
    datetime.fromisoformat(feed.findtext(f"{A}updated", ""))
    ids = []
    for entry in feed.findall(f"{A}entry"):
        for name in ("id", "title", "updated", "content"):
            assert len(entry.findall(f"{A}{name}")) == 1, name
        assert entry.findtext(f"{A}id", "").startswith("tag:xk.example.org,2026:")
        assert entry.find(f"{A}link") is not None
        datetime.fromisoformat(entry.findtext(f"{A}updated", ""))
        ids.append(entry.findtext(f"{A}id"))
    assert len(ids) == len(set(ids))
    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == len(ids)
    return feed


@pytest.fixture
def built(database: Database) -> Built:  # noqa: F811
    return build_history(database)


def test_site_wide_feed(database: Database, built: Built) -> None:  # noqa: F811
    with database.scope() as session:
        xml = atom_feed(session, base_url=BASE + "/")
    feed = _check_rfc4287(xml)
    entries = feed.findall(f"{A}entry")
    # newest first: globex win, travel regression, shop win, shop win, shop regression
    assert [(e.find(f"{A}category").get("term"), e.findtext(f"{A}updated"))  # type: ignore[union-attr]
            for e in entries] == [
        ("win", "2026-12-01T09:04:00Z"), ("regression", "2026-11-23T09:03:00Z"),
        ("win", "2026-11-23T09:02:00Z"), ("win", "2026-11-16T09:01:00Z"),
        ("regression", "2026-11-09T09:02:00Z")]
    assert feed.findtext(f"{A}updated") == "2026-12-01T09:04:00Z"
    assert feed.findtext(f"{A}id") == "tag:xk.example.org,2026:xktracker/changes"
    first = entries[0]
    assert first.findtext(f"{A}title") == \
        "Win: Globex Pay now lists Kosovo (https://globex.test/signup)"
    assert "Time to fix: 29.0 days" in first.findtext(f"{A}content", "")
    assert first.find(f"{A}link").get("href") == BASE + "/sites/globex.test"  # type: ignore[union-attr]
    # The same history gives the same ids: a reader never sees an entry twice.
    with database.scope() as session:
        again = atom_feed(session, base_url=BASE)
        short = atom_feed(session, base_url=BASE, limit=2)
    assert again == xml
    assert len(ET.fromstring(short).findall(f"{A}entry")) == 2


def test_per_site_feed_and_hostile_names(database: Database, built: Built) -> None:  # noqa: F811
    with database.scope() as session:
        shop = atom_feed(session, "shop.acme.test", BASE,
                         link_for=lambda domain: f"{BASE}/s/{domain}")
        quiet = atom_feed(session, "evil.test", BASE)
        with pytest.raises(LookupError):
            atom_feed(session, "unknown.test", BASE)
    feed = _check_rfc4287(shop)
    assert feed.findtext(f"{A}id") == "tag:xk.example.org,2026:xktracker/sites/shop.acme.test"
    assert [e.findtext(f"{A}title") for e in feed.findall(f"{A}entry")] == [
        "Win: Acme Shop now lists Kosovo (https://shop.acme.test/checkout)",
        "Win: Acme Shop now lists Kosovo (https://shop.acme.test/register)",
        "Regression: Acme Shop no longer lists Kosovo (https://shop.acme.test/checkout)"]
    assert {e.find(f"{A}link").get("href")  # type: ignore[union-attr]
            for e in feed.findall(f"{A}entry")} == {f"{BASE}/s/shop.acme.test"}
    assert feed_path("shop.acme.test") == "/feeds/sites/shop.acme.test.atom"

    # No change yet: a valid feed without entries, updated when last checked.
    empty = _check_rfc4287(quiet)
    assert empty.findall(f"{A}entry") == []
    assert empty.findtext(f"{A}updated") == "2026-12-01T09:05:00Z"  # evil.test's last check

    # evil.test starts listing Kosovo; its name carries markup and a control character.
    with database.scope(write=True) as session:
        site = session.query(Site).filter_by(domain="evil.test").one()
        site.name = HOSTILE_NAME + "\x0b"
        run = start_run(session, {}, started_at=datetime(2026, 12, 8, 9, tzinfo=UTC))
        win = report("T5", 6) | {
            "checked_at": (datetime(2026, 12, 8, 9, 5, tzinfo=UTC)).isoformat(),
            "verdict": "listed", "fields": fields_for("T2", "listed")}
        record_check(session, run_id=run.id, target_id=built.targets["T5"], report=win)
    with database.scope() as session:
        xml = atom_feed(session, "evil.test", BASE)
    feed = _check_rfc4287(xml)
    entry = feed.find(f"{A}entry")
    assert entry is not None
    assert entry.findtext(f"{A}title") == (
        f"Win: {HOSTILE_NAME} now lists Kosovo (https://evil.test/account)")
    assert b"<script>" not in xml and b"&lt;script&gt;" in xml
    assert "Time to fix: 43.0 days" in entry.findtext(f"{A}content", "")
    assert timedelta(days=43) == datetime(2026, 12, 8, 9, 5, tzinfo=UTC) - datetime(
        2026, 10, 26, 9, 5, tzinfo=UTC)
