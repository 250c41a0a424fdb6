"""``xktracker check`` with a real Chromium over every page of the demo web.

``--browser always`` must give the right verdict everywhere; ``--browser auto`` must too,
starting the browser only for the pages whose list is drawn by script.
"""

from __future__ import annotations

import pytest

from crawler.checker import Checker, CheckOptions
from crawler.errors import BrowserUnavailable
from crawler.fetch.chromium import find_chromium
from tests.conftest import LOCAL_WEB
from xktracker.demoweb import DYNAMIC_EXPECTATIONS, load_expectations

pytestmark = pytest.mark.browser

PAGES = load_expectations()
# The drip route ends only at the deadline: covered by the static tests, too slow here.
ROUTES = {p: e for p, e in DYNAMIC_EXPECTATIONS.items() if p != "/drip"}


@pytest.fixture(scope="module")
def chromium() -> str:
    try:
        return find_chromium().path
    except BrowserUnavailable as exc:
        pytest.skip(f"no Chromium: {exc}")


def _checker(mode: str, chromium: str, timeout: float = 15.0) -> Checker:
    return Checker(CheckOptions(browser=mode, policy=LOCAL_WEB, timeout=timeout,
                                browser_path=chromium))


@pytest.fixture(scope="module")
def always(chromium):
    with _checker("always", chromium) as checker:
        yield checker


@pytest.fixture(scope="module")
def auto(chromium):
    with _checker("auto", chromium) as checker:
        yield checker


def _expected(e):
    return e.check_verdict or e.verdict


@pytest.mark.parametrize("page", PAGES, ids=[e.path for e in PAGES])
def test_browser_always_gives_the_right_verdict(page, always, demoweb) -> None:
    if page.slow:
        pytest.skip("slow page: see test_late_dropdown_is_read_when_the_timeout_allows")
    report = always.check(demoweb.url(page.path))
    assert report["method"] == "browser"
    assert report["verdict"] == _expected(page), report
    if page.reason and not page.check_verdict:
        assert report["reason"] == page.reason
    decisive = [f for f in report["fields"] if f["verdict"] != "unknown"]
    if decisive:
        assert report["evidence"]["screenshot"], "a browser verdict keeps a screenshot"


@pytest.mark.parametrize("path", sorted(ROUTES), ids=sorted(ROUTES))
def test_browser_always_on_fault_routes(path, chromium, demoweb) -> None:
    expected = ROUTES[path]
    with _checker("always", chromium, timeout=expected.timeout or 10.0) as checker:
        report = checker.check(demoweb.url(path))
    assert report["verdict"] == _expected(expected), report
    if path == "/huge":  # the browser stops it by time, the static path by size
        assert report["reason"] in ("too_large", "timeout")
    elif expected.reason and not expected.check_verdict:
        assert report["reason"] == expected.reason
    assert report["verdict"] != "missing"


@pytest.mark.parametrize("page", PAGES, ids=[e.path for e in PAGES])
def test_auto_starts_the_browser_only_when_needed(page, auto, demoweb) -> None:
    if page.slow:
        pytest.skip("slow page")
    report = auto.check(demoweb.url(page.path))
    assert report["verdict"] == _expected(page), report
    assert report["method"] == ("browser" if page.needs_browser else "static")


@pytest.mark.slow
def test_late_dropdown_is_read_when_the_timeout_allows(chromium, demoweb) -> None:
    with _checker("always", chromium, timeout=20.0) as checker:
        report = checker.check(demoweb.url("/late-dropdown.html"))
    assert report["verdict"] == "listed"


def test_no_browser_is_an_honest_error(demoweb, tmp_path) -> None:
    missing = tmp_path / "no-chromium"
    options = CheckOptions(browser="always", policy=LOCAL_WEB, timeout=5.0,
                           browser_path=str(missing))
    with Checker(options) as checker:
        report = checker.check(demoweb.url("/react-select-like.html"))
    assert (report["verdict"], report["reason"]) == ("error", "browser_unavailable")
    assert "XKTRACKER_BROWSER_PATH" in (report["detail"] or "")
