"""The dashboard in a real headless Chromium, served on 127.0.0.1 by a real WSGI server.

The composer's links (the mailto: link decodes to the facts and the writer's sentence and
carries no other header), a submission checked by the background worker until its verdict
shows, the language switch, the admin sign-in, and no CSP violation or script error on any
page. The app here may fetch the loopback demo web through an explicit test-only setting;
nothing a deployment can set turns that on.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.serving import make_server

from crawler.errors import BrowserUnavailable
from crawler.fetch.chromium import find_chromium
from db.models import ActionTally
from tests.layout import LAYOUT_PROBLEMS
from tests.web_fixtures import history, make_app, web_db  # noqa: F401
from tracker_web.database import get_db
from tracker_web.moderation import create_admin

pytestmark = [pytest.mark.browser]
PERSONAL = "Nëna ime në Ferizaj nuk mund të blejë asgjë & kjo duhet të ndryshojë."


@pytest.fixture(scope="module")
def launch_options() -> dict[str, Any]:
    try:
        return find_chromium().launch_options()
    except BrowserUnavailable as exc:
        pytest.skip(f"no Chromium: {exc}")


@pytest.fixture
def served(web_db, history, tmp_path: Path) -> Iterator[tuple[str, Any]]:  # noqa: F811
    url, data = web_db
    app = make_app(url, data, tmp_path, START_WORKERS=True, CHECK_WORKERS=1,
                   SUBMISSION_ALLOW_NETWORKS=("127.0.0.0/8",), SERVER_NAME=None,
                   TESTING=False)
    with app.app_context(), get_db().scope(write=True) as session:
        create_admin(session, "mod", "a long enough password")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        thread.join(5)
        app.extensions["xktracker_worker"].shutdown()


@pytest.fixture
def page(launch_options: dict[str, Any]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        problems: list[str] = []
        tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: problems.append(str(e)))
        tab.problems = problems  # type: ignore[attr-defined]
        yield tab
        context.close()
        browser.close()


def test_composer_links_carry_the_facts_and_nothing_else(served, page) -> None:
    base, app = served
    page.goto(f"{base}/write/shop.example.com")
    page.select_option("#language", "sq")
    page.check("input[name=variant][value=polite]")
    page.fill("#personal", PERSONAL)
    page.click("#submit")
    link = page.get_attribute("#link-mailto", "href")
    assert link and link.startswith("mailto:support@shop.example.com?")
    parts = urlsplit(link)
    assert "\n" not in link and "\r" not in link
    fields = parse_qs(parts.query, strict_parsing=True)
    assert set(fields) == {"subject", "body"}
    body = fields["body"][0]
    # The whole Albanian letter with the developers' hint is too long for a mail link: the
    # link carries its short version, and the page says so.
    assert page.is_visible("#mailto-short")
    assert PERSONAL in body
    assert "https://shop.example.com/checkout" in body and "249" in body
    assert "COUNTRIES_OVERRIDE" not in body
    assert "ACME&bcc=spy@evil.example Bcc: x@evil.example" in body  # text, not a header
    whole = page.input_value("#letter-body")
    assert "Korea, South" in whole and "Kuwait" in whole and "COUNTRIES_OVERRIDE" in whole
    gmail = page.get_attribute("#link-gmail", "href")
    query = parse_qs(urlsplit(gmail).query)
    assert query["to"] == ["support@shop.example.com"] and PERSONAL in query["body"][0]
    assert "COUNTRIES_OVERRIDE" in query["body"][0]  # Gmail takes the whole letter
    assert not {"cc", "bcc"} & set(query)
    # Copy, and the anonymous count that goes with it (a fetch POST with the CSRF token).
    with page.expect_response(lambda r: r.url.endswith("/tally")) as answer:
        page.click("button[data-copy=letter-body]")
    assert answer.value.status == 204
    page.wait_for_selector(".copy-status:not(:empty)")
    with app.app_context(), get_db().scope() as session:
        counted = session.execute(select(func.sum(ActionTally.count))).scalar_one()
    assert counted == 1
    assert page.problems == []  # type: ignore[attr-defined]
    assert unquote(link).count(PERSONAL) == 1


def test_a_submission_is_checked_and_its_verdict_shown(served, page, demoweb) -> None:
    base, _app = served
    page.goto(f"{base}/submit")
    page.fill("#url", demoweb.url("/checkout-world-missing.html"))
    page.fill("#note", "No Kosovo in the country list.")
    page.click("#submit")
    assert "/submit/" in page.url
    # The worker thread checks it; the status page refreshes itself until the verdict shows.
    page.wait_for_selector("#submission-state .badge.tone-bad", timeout=45_000)
    assert "Leaves Kosovo out" in page.inner_text("#submission-state")
    assert "moderator" in page.inner_text("#submission-state")
    assert page.problems == []  # type: ignore[attr-defined]


def test_a_private_address_is_refused_in_the_browser_too(served, page) -> None:
    base, _app = served
    page.goto(f"{base}/submit")
    page.fill("#url", "http://192.168.1.1/admin")
    page.click("#submit")
    assert "not on the public Internet" in page.inner_text("main")


def test_language_switch(served, page) -> None:
    base, _app = served
    page.goto(f"{base}/site/shop.example.com")
    page.click("a[hreflang=sq]")
    assert page.get_attribute("html", "lang") == "sq"
    assert page.url.endswith("/site/shop.example.com")
    assert "E lë Kosovën jashtë" in page.inner_text("main")
    page.click("a[hreflang=sr-Latn]")
    assert page.get_attribute("html", "lang") == "sr-Latn"
    assert "Izostavlja Kosovo" in page.inner_text("main")
    page.goto(f"{base}/")
    assert page.inner_text("h1") == "Koji sajtovi izostavljaju Kosovo?"


def test_admin_sign_in(served, page) -> None:
    base, _app = served
    page.goto(f"{base}/admin/")
    assert page.url.endswith("/admin/login")
    page.fill("#username", "mod")
    page.fill("#password", "wrong password")
    page.click("#submit")
    assert "Wrong user name or password" in page.inner_text("main")
    page.fill("#username", "mod")
    page.fill("#password", "a long enough password")
    page.click("#submit")
    assert page.inner_text("h1") == "Moderation queue"
    page.click("text=Sign out")
    page.goto(f"{base}/admin/")
    assert page.url.endswith("/admin/login")


@pytest.mark.parametrize("language", ["en", "sq"])
def test_phone_pages_full_length_have_no_cell_narrower_than_its_word(served, page, language,
                                                                     tmp_path) -> None:
    """The whole page, not only the first screen: at 360 px every table is a stack of cards
    whose cells hold their longest word, and nothing scrolls sideways."""
    base, _app = served
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{base}/lang/{language}?next=/")
    for path in ("/", "/site/shop.example.com", "/site/market.example.com", "/upstream",
                 "/data", "/data/dictionary", "/write/shop.example.com", "/about"):
        page.goto(base + path)
        shot = tmp_path / f"{path.strip('/').replace('/', '-') or 'home'}.png"
        page.screenshot(path=str(shot), full_page=True)
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height > 740  # a whole page, not the first screen
        with Image.open(shot) as image:
            assert image.size == (360, height), path
        assert page.evaluate(LAYOUT_PROBLEMS) == [], (language, path)
    # The tables are cards here: one cell per line, each with its column's name.
    page.goto(f"{base}/")
    first = page.locator("table.sites tbody tr").first
    assert first.evaluate("r => getComputedStyle(r).display") == "block"
    assert page.locator("table.sites thead").evaluate(
        "h => h.getBoundingClientRect().width") <= 1
    assert page.problems == []  # type: ignore[attr-defined]


def test_wide_pages_keep_their_tables(served, page) -> None:
    base, _app = served
    page.goto(f"{base}/site/market.example.com")
    assert page.locator("table.timeline tbody tr").first.evaluate(
        "r => getComputedStyle(r).display") == "table-row"
    assert page.evaluate(LAYOUT_PROBLEMS) == []


def test_keyboard_skip_link_and_phone_width(served, page) -> None:
    base, _app = served
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{base}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    # Nothing wider than the screen: no sideways scrolling of the page itself.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for path in ("/site/shop.example.com", "/write/shop.example.com", "/submit", "/upstream"):
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    assert page.problems == []  # type: ignore[attr-defined]
