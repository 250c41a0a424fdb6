"""When a kept page or a cached number is made again: the generation every process compares,
pages made from numbers older than their data (stale), and edits that must show at once."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, template_rendered

from db.models import Site
from tests.test_web_pagecache import _add_check, _other_app
from tests.web_fixtures import history, make_app, web_db  # noqa: F401
from tracker_web import facts
from tracker_web.database import get_db
from tracker_web.pagecache import pages_of
from tracker_web.pagestore import PageStore, Recipe
from tracker_web.warming import warm_numbers

FILTERED = Recipe(path="/", query="verdict=missing", host="xk.test", scheme="http",
                  language="en")


@pytest.fixture
def slow_app(web_db: tuple[str, Path], history: dict[str, Any],  # noqa: F811
             tmp_path: Path) -> Iterator[Flask]:
    """A web process whose numbers are reused for an hour while checks arrive."""
    url, data = web_db
    application = make_app(url, data, tmp_path, CACHE_SECONDS=3600)
    yield application
    application.extensions["xktracker_db"].dispose()


def _rename(app: Flask, domain: str, name: str) -> None:
    """A moderator in another web process of the same instance renames a site."""
    moderator = _other_app(app, Path(app.instance_path).parent)
    try:
        with moderator.test_request_context():
            with get_db().scope(write=True) as session:
                session.query(Site).filter_by(domain=domain).one().name = name
            facts.changed()
    finally:
        moderator.extensions["xktracker_db"].dispose()


def _scoreboards(app: Flask) -> list[str]:
    seen: list[str] = []

    def record(_sender: Flask, template: Any, context: Any, **_extra: Any) -> None:
        if template.name == "scoreboard/index.html":
            seen.append(template.name)

    template_rendered.connect(record, app, weak=False)
    return seen


# --- the generation -------------------------------------------------------------------------

def test_an_edit_reaches_numbers_cached_before_any_page_was_kept(slow_app: Flask) -> None:
    warm_numbers(slow_app)  # the web process's warm-up: numbers, no page yet
    assert not Path(slow_app.instance_path, "pages").exists()
    _rename(slow_app, "market.example.com", "Renamed Market")
    page = slow_app.test_client().get("/").text
    assert "Renamed Market" in page and "Example Market" not in page


def test_the_generation_is_the_token_not_the_files_time(tmp_path: Path) -> None:
    store = PageStore(tmp_path / "pages")
    assert store.generation() == 0
    seen = set()
    for _ in range(20):
        store.bump()
        seen.add(store.generation())
    assert len(seen) == 20 and 0 not in seen
    # A shared folder with coarse times: the same inode and time, another token.
    path = tmp_path / "pages" / "generation"
    before, stat = store.generation(), path.stat()
    text = path.read_text(encoding="ascii")
    path.write_text(text[:-3] + ("a" if text[-3] != "a" else "b") + text[-2:],
                    encoding="ascii")
    import os

    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_ino == stat.st_ino and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert store.generation() != before


def test_a_bump_that_cannot_be_written_is_logged(tmp_path: Path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "instance").write_text("a file where the folder should be", encoding="ascii")
    store = PageStore(tmp_path / "instance" / "pages")
    with caplog.at_level(logging.WARNING, logger="tracker_web.pagestore"):
        store.bump()
    assert "instance folder must be writable" in caplog.text
    assert store.generation() == 0


# --- pages made from stale numbers ----------------------------------------------------------

def _stale_page(app: Flask) -> None:
    """The numbers are computed, a crawl adds a check, and a page nobody asked for yet is
    made from the numbers of before the check (reused for CACHE_SECONDS)."""
    client = app.test_client()
    client.get("/")
    _add_check(app, "market.example.com", "missing")
    client.get("/?verdict=missing")
    held = pages_of(app).memory.get(FILTERED.key())
    assert held is not None and held.page.stale
    assert held.page.version == pages_of(app).version()


def test_a_stale_page_is_made_again_once_its_numbers_are_not_in_a_loop(
        slow_app: Flask) -> None:
    rendered = _scoreboards(slow_app)
    _stale_page(slow_app)
    assert len(rendered) == 2
    pages = pages_of(slow_app)
    held = pages.memory.get(FILTERED.key())
    assert held is not None
    held.page.rendered_at -= 30  # long past a retry of seconds, within CACHE_SECONDS
    pages.store.save(held.page)
    client = slow_app.test_client()
    for _ in range(3):
        assert client.get("/?verdict=missing").status_code == 200
    assert len(rendered) == 2  # the numbers have not changed: nothing to gain
    # The numbers are computed again (the background refresh, here in the test's thread).
    slow_app.config["CACHE_SECONDS"] = 0
    warm_numbers(slow_app)
    slow_app.config["CACHE_SECONDS"] = 3600
    fresh = client.get("/?verdict=missing")
    assert fresh.status_code == 200 and len(rendered) == 3
    again = pages.memory.get(FILTERED.key())
    assert again is not None and not again.page.stale
    assert client.get("/?verdict=missing").data == fresh.data and len(rendered) == 3
    # The file says it is current too (another process loads it as such).
    (path,) = [p for p in pages.store.files() if p.read_bytes().endswith(fresh.data)]
    assert json.loads(path.read_bytes().partition(b"\n")[0])["stale"] is False


def test_a_stale_page_is_made_again_after_cache_seconds_without_numbers(
        slow_app: Flask) -> None:
    rendered = _scoreboards(slow_app)
    _stale_page(slow_app)
    pages = pages_of(slow_app)
    held = pages.memory.get(FILTERED.key())
    assert held is not None
    held.waits_for = None  # a page made by another process: which numbers, unknown
    slow_app.test_client().get("/?verdict=missing")
    assert len(rendered) == 2
    held.page.rendered_at -= 3601
    pages.store.save(held.page)
    slow_app.test_client().get("/?verdict=missing")
    assert len(rendered) == 3


def test_an_urgent_change_shows_at_once_on_a_stale_page(slow_app: Flask) -> None:
    _stale_page(slow_app)
    _rename(slow_app, "shop.example.com", "Renamed Shop")  # a moderator's edit
    page = slow_app.test_client().get("/?verdict=missing").text
    assert "Renamed Shop" in page and "Example Shop" not in page


def test_a_page_file_of_an_older_release_still_loads(tmp_path: Path) -> None:
    store = PageStore(tmp_path / "pages")
    recipe = Recipe(path="/about", query="", host="xk.test", scheme="http", language="en")
    path = tmp_path / "pages" / "en" / (recipe.key() + ".page")
    path.parent.mkdir(parents=True)
    for version, stale in (([1, 2, 3, 0], False), (None, True)):
        head = {"format": 1, "path": "/about", "query": "", "host": "xk.test",
                "scheme": "http", "language": "en", "script_name": "", "version": version,
                "status": 200, "headers": [], "rendered_at": 1.0, "etag": '"x"'}
        path.write_bytes(json.dumps(head).encode() + b"\nbody")
        page = store.load(recipe)
        assert page is not None and page.body == b"body" and page.stale is stale
