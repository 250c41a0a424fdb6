"""Public pages are rendered once per data change and language and served from that rendering
(memory, then the instance folder's files): identical to a fresh render, conditional GET,
nothing of one visitor ever reaches another, changes that must show at once do, and a
restarted server answers from the last rendering while it makes a fresh one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, template_rendered
from flask.testing import FlaskClient

from db.models import Site, Target
from db.store import finish_run, record_check, start_run
from tests.web_fixtures import (  # noqa: F401
    LISTED,
    MISSING,
    app,
    client,
    csrf_from,
    history,
    make_app,
    report,
    web_db,
)
from tracker_web.database import get_db
from tracker_web.pagecache import pages_of

PUBLIC = ["/", "/?verdict=missing", "/upstream", "/about", "/data", "/data/dictionary",
          "/site/shop.example.com", "/site/market.example.com", "/feeds/changes.atom",
          "/feeds/sites/shop.example.com.atom", "/api/v1/sites", "/api/v1/stats",
          "/api/v1/sites/shop.example.com", "/api/v1/checks?per_page=5", "/api/v1/wins",
          "/api/v1/openapi.json", "/data/methodology.md"]
LANGUAGES = {"en": "en", "sq": "sq", "sr_Latn": "sr-Latn"}


@pytest.fixture
def renders(app: Flask) -> Iterator[list[str]]:
    """The templates rendered while the test runs (a page served from the cache renders
    none)."""
    seen: list[str] = []

    def record(_sender: Flask, template: Any, context: Any, **_extra: Any) -> None:
        seen.append(template.name)

    template_rendered.connect(record, app)
    yield seen
    template_rendered.disconnect(record, app)


def _add_check(app: Flask, domain: str = "shop.example.com", verdict: str = "listed") -> None:
    """A crawl (another process) adds a check: rows written straight to the database."""
    with app.app_context(), get_db().scope(write=True) as session:
        from sqlalchemy import select

        target = session.execute(select(Target).join(Site).where(Site.domain == domain)
                                 ).scalars().first()
        assert target is not None
        run = start_run(session, {"kind": "crawl"})
        record_check(session, run_id=run.id, target_id=target.id, report=report(
            target.url, verdict, datetime.now(UTC),
            [LISTED if verdict == "listed" else MISSING]))
        finish_run(session, run.id)


def _other_app(app: Flask, tmp_path: Path, **extra: Any) -> Flask:
    """Another web process of the same instance: same database, same instance folder."""
    return make_app(app.config["DATABASE_URL"], Path(app.config["DATA_DIR"]), tmp_path, **extra)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_a_kept_page_is_identical_to_a_fresh_render(app: Flask, tmp_path: Path,
                                                    language: str) -> None:
    fresh = _other_app(app, tmp_path / "fresh", PAGE_CACHE=False).test_client()
    cached = app.test_client()
    header = {"Accept-Language": LANGUAGES[language]}
    for path in PUBLIC:
        first = cached.get(path, headers=header)
        second = cached.get(path, headers=header)
        assert first.status_code == second.status_code == 200, path
        assert second.data == first.data, path
        assert second.headers["ETag"] == first.headers["ETag"], path
        if path == "/data/methodology.md":
            continue  # dated to the second it is made
        assert fresh.get(path, headers=header).data == second.data, path
    assert len(pages_of(app).memory) == len(PUBLIC)


def test_a_kept_page_is_served_without_rendering(client: FlaskClient,
                                                 renders: list[str]) -> None:
    client.get("/site/shop.example.com")
    assert renders == ["sites/site.html"]
    again = client.get("/site/shop.example.com")
    assert again.status_code == 200 and renders == ["sites/site.html"]
    assert again.headers["Cache-Control"] == "public, max-age=0, s-maxage=1"
    assert again.headers["Vary"] == "Accept-Language, Cookie"
    assert "Content-Security-Policy" in again.headers  # the app's own headers are kept


def test_each_language_is_its_own_rendering(client: FlaskClient) -> None:
    english = client.get("/", headers={"Accept-Language": "en"})
    albanian = client.get("/", headers={"Accept-Language": "sq"})
    assert 'lang="en"' in english.text and 'lang="sq"' in albanian.text
    assert english.headers["ETag"] != albanian.headers["ETag"]
    client.set_cookie("xk_lang", "sr_Latn")
    assert 'lang="sr-Latn"' in client.get("/", headers={"Accept-Language": "sq"}).text


def test_conditional_get_answers_304(client: FlaskClient, renders: list[str]) -> None:
    first = client.get("/")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"') and modified.endswith("GMT")
    again = client.get("/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag and again.headers["Cache-Control"]
    assert client.get("/", headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert client.get("/", headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get("/", headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get("/", headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}
                      ).status_code == 200
    head = client.head("/")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Length"] == str(len(first.data))
    assert renders.count("scoreboard/index.html") == 1


def test_the_first_render_answers_a_conditional_get_too(client: FlaskClient) -> None:
    etag = client.get("/about").headers["ETag"]
    pages_of(client.application).memory.clear()
    assert client.get("/about", headers={"If-None-Match": etag}).status_code == 304


def test_page_max_age_is_the_operators_choice(web_db, history, tmp_path: Path) -> None:
    url, data = web_db
    app = make_app(url, data, tmp_path, PAGE_MAX_AGE=60)
    assert app.test_client().get("/").headers["Cache-Control"] == "public, max-age=60"


def test_the_query_is_reduced_to_the_pages_own_parameters(client: FlaskClient,
                                                         renders: list[str]) -> None:
    plain = client.get("/?verdict=missing&q=")
    tracked = client.get("/?utm_source=news&q=&fbclid=abc&verdict=missing")
    assert tracked.data == plain.data and renders.count("scoreboard/index.html") == 1
    # The language links carry the reduced query, never what a visitor added.
    assert "utm_source" not in tracked.text and "fbclid" not in tracked.text
    long = "x" * 300
    assert client.get(f"/?q={long}").status_code == 200  # answered, not kept
    assert len(pages_of(client.application).memory) == 1


def test_the_host_is_part_of_the_key(client: FlaskClient) -> None:
    here = client.get("/feeds/changes.atom").text
    there = client.get("/feeds/changes.atom", base_url="https://mirror.example").text
    assert "http://xk.test/" in here and "https://mirror.example/" in there
    assert "mirror.example" not in client.get("/feeds/changes.atom").text


# --- nothing of one visitor reaches another ------------------------------------------------

def test_no_public_page_sets_a_cookie_or_carries_a_token(client: FlaskClient) -> None:
    for path in PUBLIC:
        for _ in range(2):
            response = client.get(path)
            assert "Set-Cookie" not in response.headers, path
            assert "csrf" not in response.text.lower(), path
    assert client.get_cookie("xk_session", domain="xk.test") is None


def test_a_visitor_with_a_session_is_rendered_for_and_never_kept(app: Flask,
                                                                 renders: list[str]) -> None:
    citizen = app.test_client()
    csrf_from(citizen, "/submit")  # a form: the citizen now has a session with a token
    assert citizen.get_cookie("xk_session", domain="xk.test") is not None
    mine = citizen.get("/site/shop.example.com")
    assert mine.headers["Cache-Control"] == "private, no-cache" and "ETag" not in mine.headers
    assert len(pages_of(app).memory) == 0
    # A flashed message is for that visitor only.
    with citizen.session_transaction() as cookie:
        cookie["_flashes"] = [("message", "Only for the citizen")]
    assert "Only for the citizen" in citizen.get("/site/shop.example.com").text
    stranger = app.test_client()
    page = stranger.get("/site/shop.example.com")
    assert "Only for the citizen" not in page.text and "Set-Cookie" not in page.headers
    assert stranger.get("/site/shop.example.com").data == page.data
    assert renders.count("sites/site.html") == 3  # citizen twice, stranger once


def test_a_page_with_a_form_is_never_kept(client: FlaskClient, app: Flask) -> None:
    for path in ("/submit", "/submit/site", "/write/shop.example.com", "/admin/login"):
        first = client.get(path)
        assert first.status_code == 200 and "csrf_token" in first.text
    assert len(pages_of(app).memory) == 0
    other = app.test_client().get("/submit")
    assert other.headers.get("Set-Cookie", "").startswith("xk_session=")


# --- changes that must show at once ---------------------------------------------------------

def test_a_moderators_edit_shows_at_once_in_every_process(app: Flask) -> None:
    from db.models import Contact
    from tracker_web import facts

    visitor = app.test_client()
    assert "help@shop.example.com" not in visitor.get("/site/shop.example.com").text
    # Another web process of this instance (same database, same instance folder) edits.
    moderator_process = _other_app(app, Path(app.instance_path).parent)
    with moderator_process.test_request_context():
        with get_db().scope(write=True) as session:
            site = session.query(Site).filter_by(domain="shop.example.com").one()
            session.add(Contact(site_id=site.id, kind="email", value="help@shop.example.com",
                                unverified=True))
        facts.changed()
    assert "help@shop.example.com" in visitor.get("/site/shop.example.com").text
    moderator_process.extensions["xktracker_db"].dispose()


def test_new_checks_wait_for_the_cache_seconds_then_refresh_in_the_background(
        app: Flask, renders: list[str]) -> None:
    pages = pages_of(app)
    pages.background = True
    client = app.test_client()
    before = client.get("/site/market.example.com")
    _add_check(app, "market.example.com", "missing")
    # Within CACHE_SECONDS a stream of checks is served from the rendering made.
    assert client.get("/site/market.example.com").data == before.data
    app.config["CACHE_SECONDS"] = 0
    stale = client.get("/site/market.example.com")
    assert stale.data == before.data  # answered at once, from the old rendering …
    assert pages.refresher.drain(30)  # … while a fresh one is made in the background
    fresh = client.get("/site/market.example.com")
    assert fresh.data != before.data and fresh.headers["ETag"] != before.headers["ETag"]
    assert renders.count("sites/site.html") == 2


# --- the pages on disk ----------------------------------------------------------------------

def test_a_restarted_server_answers_from_the_last_rendering(app: Flask, tmp_path: Path,
                                                            renders: list[str]) -> None:
    first = app.test_client().get("/", headers={"Accept-Language": "sq"})
    files = list(Path(app.instance_path, "pages", "sq").glob("*.page"))
    assert len(files) == 1
    app.extensions["xktracker_db"].dispose()
    _add_check(app)  # the data changed while the server was down
    restarted = make_app(app.config["DATABASE_URL"], Path(app.config["DATA_DIR"]),
                         Path(app.instance_path).parent, CACHE_SECONDS=0)
    pages = pages_of(restarted)
    pages.background = True
    seen: list[str] = []

    def record(_sender: Flask, template: Any, context: Any, **_extra: Any) -> None:
        seen.append(template.name)

    template_rendered.connect(record, restarted)
    client = restarted.test_client()
    answer = client.get("/", headers={"Accept-Language": "sq"})
    assert answer.data == first.data and answer.headers["ETag"] == first.headers["ETag"]
    assert seen == []  # served from the file, nothing rendered in the request
    assert pages.refresher.drain(30)
    assert seen == ["scoreboard/index.html"]
    assert client.get("/", headers={"Accept-Language": "sq"}).data != first.data
    restarted.extensions["xktracker_db"].dispose()


def test_a_page_file_is_written_whole(app: Flask) -> None:
    body = app.test_client().get("/about").data
    (found,) = Path(app.instance_path, "pages", "en").glob("*.page")
    assert found.read_bytes().endswith(body)
    assert not list(Path(app.instance_path, "pages").rglob("*.tmp"))


def test_the_disk_keeps_at_most_its_number_of_files(app: Flask) -> None:
    store = pages_of(app).store
    store.max_files = 3
    client = app.test_client()
    for path in PUBLIC[:6]:
        client.get(path)
    assert store.prune() == 3
    assert len(store.files()) == 3
