"""Discovery with the browser (``--browser auto``, Chromium): menus and forms drawn by script,
a signup that opens in a dialog, an account menu a script fills on click.

``auto`` escalates a page by ``check``'s rule (the HTML cannot show its list) or because its
navigation is drawn by a script; buttons that open what the document does not hold yet are
clicked in the browser, and a form seen only after a click is reported with those clicks as
catalog steps. The local test web is reached with loopback allowed: the browser's
requests go through the egress proxy, which resolves ``*.localhost`` names as the address
guard does (loopback, allowed here for the test web only).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crawler.checker import Checker
from crawler.discover.run import DiscoverOptions
from crawler.fetch.chromium import BrowserUnavailable, find_chromium
from tests.discover_fixtures import (  # noqa: F401
    LOOPBACK,
    discoverweb,
    expected_set,
    walk_site,
)
from tests.discoverweb.expectations import all_expectations

pytestmark = pytest.mark.browser

EXPECTATIONS = all_expectations()
BUDGET = 30


@pytest.fixture(scope="module")
def options() -> DiscoverOptions:
    try:
        find_chromium()
    except BrowserUnavailable as exc:
        pytest.skip(f"no Chromium: {exc}")
    return DiscoverOptions(browser="auto", delay=0.0, allow_networks=LOOPBACK,
                           max_pages=BUDGET, timeout=15.0)


@pytest.fixture(scope="module")
def checker(options) -> Iterator[Checker]:
    with Checker(options.check_options()) as shared:
        yield shared


@pytest.mark.parametrize("site", sorted(EXPECTATIONS))
def test_every_form_is_found_with_the_browser(discoverweb, options, checker, site) -> None:
    walked = walk_site(discoverweb, site, options, checker)
    assert walked.found() == expected_set(EXPECTATIONS[site], browser=True)
    assert walked.result.stats.pages <= BUDGET
    for hit in walked.hits:
        assert hit.host.split(".")[-2] == site


def test_a_dialog_drawn_on_click_is_reported_with_its_steps(discoverweb, options,
                                                             checker) -> None:
    walked = walk_site(discoverweb, "foxtrot", options, checker)
    signup = next(f.report for f in walked.result.findings if f.report["kind"] == "signup")
    assert signup["url"] == discoverweb.url("foxtrot")
    assert signup["steps"] == [{"click": "#open-signup"}, {"wait_for": "#signup-country"}]
    assert signup["via"] == "Create account (click)"
    assert signup["method"] == "browser"
    # The steps are the catalog's: a check of the page with them sees the same list.
    from crawler.checker import CheckOptions

    again = Checker(CheckOptions(browser="always", policy=options.policy(), timeout=15.0,
                                 steps=tuple(signup["steps"])))
    with again:
        report = again.check(signup["url"])
    assert report["verdict"] == signup["verdict"] == "listed"
    # A link a script put in the account menu leads to the phone form.
    phone = next(f.report for f in walked.result.findings if f.report["kind"] == "phone")
    assert phone["via"] == "Account (click) › Verify your phone number"
    assert phone["steps"] == []
    # The menu's "Log out" was never followed.
    assert not any(h.path.startswith("/logout") for h in walked.hits)


def test_navigation_drawn_by_script_is_read_in_the_browser(discoverweb, options,
                                                            checker) -> None:
    walked = walk_site(discoverweb, "echo", options, checker)
    [signup] = [f.report for f in walked.result.findings]
    assert signup["via"] == "Sign up" and signup["method"] == "browser"
    # HTML only, the same site shows nothing: the browser made the difference.
    static = DiscoverOptions(browser="never", delay=0.0, allow_networks=LOOPBACK)
    assert walk_site(discoverweb, "echo", static).result.findings == []
