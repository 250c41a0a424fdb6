"""``xktracker check --browser auto`` over the widget web: country pickers drawn by real UI
libraries installed from npm (``tests/widgetweb``, built by ``make widgetweb``).

Every page declares its truth in ``<meta name="xk-expect…">`` tags; the check must reach it,
and must never accuse (``missing``, ``partial``, ``wrong_code``) where that is not the truth.
The server counts form submissions: a check never submits anything.
"""

from __future__ import annotations

import shutil
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from crawler.checker import Checker, CheckOptions
from crawler.fetch.chromium import BrowserUnavailable, find_chromium
from tests.conftest import LOCAL_WEB
from tests.widgetweb.catalog import PAGES, WidgetPage
from tests.widgetweb.server import WidgetWeb, missing_setup
from xktracker.demoweb.expectations import read_meta

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
ACCUSATIONS = ("missing", "partial", "wrong_code")


@pytest.fixture(scope="module")
def web() -> Iterator[WidgetWeb]:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node/npm are not installed: the widget web is built from npm packages")
    problem = missing_setup()
    if problem:
        pytest.skip(problem)
    with WidgetWeb() as server:
        yield server


def _get(url: str) -> bytes:
    with _OPENER.open(url, timeout=10) as response:
        body: bytes = response.read()
    return body


def test_every_page_declares_its_truth(web: WidgetWeb) -> None:
    """The truth is in the page, as on the demo web, and follows the catalog."""
    for page in PAGES:
        meta = read_meta(_get(web.url(page.path)))
        assert meta["xk-expect"] == page.verdict, page.name
        assert meta.get("xk-expect-reason") == page.reason, page.name


def test_the_library_files_are_served_unmodified(web: WidgetWeb) -> None:
    from tests.widgetweb.server import NODE_MODULES

    served = _get(web.url("/npm/select2/dist/js/select2.min.js"))
    assert served == (NODE_MODULES / "select2/dist/js/select2.min.js").read_bytes()
    with pytest.raises(urllib.error.HTTPError):
        _get(web.url("/npm/../server.py"))


def test_the_search_endpoint_answers_like_a_typeahead(web: WidgetWeb) -> None:
    import json

    rows = json.loads(_get(web.url("/api/countries?list=xk&q=kos&limit=5")))
    assert [r["code"] for r in rows] == ["XK"]
    assert json.loads(_get(web.url("/api/countries?list=noxk&q=kos"))) == []
    assert len(json.loads(_get(web.url("/api/countries?list=xk&q=s&limit=7")))) == 7


@pytest.fixture(scope="module")
def auto(web: WidgetWeb) -> Iterator[Checker]:
    try:
        chromium = find_chromium().path
    except BrowserUnavailable as exc:
        pytest.skip(f"no Chromium: {exc}")
    options = CheckOptions(browser="auto", policy=LOCAL_WEB, timeout=30.0, browser_path=chromium)
    with Checker(options) as checker:
        yield checker


def _truth(web: WidgetWeb, page: WidgetPage) -> dict[str, str]:
    return read_meta(_get(web.url(page.path)))


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_auto_reaches_the_declared_verdict(page: WidgetPage, auto: Checker,
                                           web: WidgetWeb) -> None:
    truth = _truth(web, page)
    report: dict[str, Any] = auto.check(web.url(page.path))
    if report["verdict"] in ACCUSATIONS:
        assert report["verdict"] == truth["xk-expect"], f"false accusation: {report}"
    assert report["verdict"] == truth["xk-expect"], report
    if truth.get("xk-expect-reason"):
        assert report["reason"] == truth["xk-expect-reason"], report
    if truth.get("xk-expect-field"):
        decisive = [f["verdict"] for f in report["fields"] if f["verdict"] != "unknown"]
        assert truth["xk-expect-field"] in decisive, report
    assert not web.posts, f"a form was submitted: {web.posts}"


@pytest.mark.browser
def test_the_evidence_says_how_each_list_was_read(auto: Checker, web: WidgetWeb) -> None:
    def field(path: str) -> tuple[dict[str, Any], dict[str, Any]]:
        report = auto.check(web.url(path))
        decisive = [f for f in report["fields"] if f["verdict"] != "unknown"]
        assert decisive, report
        return report, decisive[0]

    report, frame = field("/p/checkout-frame-noxk")
    assert frame["frame"] == web.other_origin
    host = web.other_origin.split("//")[1]
    assert any(f"the payment form served by {host}" in n for n in frame["notes"])
    report, step = field("/p/two-step-xk")
    assert report["actions"][-1] == "pressed 'Next'"
    assert "filled 'email' with 'test@example.com'" in report["actions"]
    _, typed = field("/p/typeahead-noxk")
    assert typed["enumeration"] == "typed"
    assert any("every first letter" in n for n in typed["notes"])
    _, phone = field("/p/react-phone-input-2-xk")
    assert phone["kosovo"]["dial_code"] == "+383"
    _, scrolled = field("/p/virtual-select-noxk")
    assert scrolled["enumeration"] == "scrolled" and scrolled["option_count"] == 249
    assert not web.posts
