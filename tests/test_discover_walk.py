"""Discovery on the test web, HTML only: every site's forms are found with their verdict inside
the page budget, decoys are never reported, and nothing is fetched beyond the site, behind
robots.txt, or that would log out, buy or confirm.

The sites whose forms only a browser can see are walked in ``test_discover_browser.py``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from crawler.discover.run import DiscoverOptions
from tests.discover_fixtures import LOOPBACK, discoverweb, expected_set, walk_site  # noqa: F401
from tests.discoverweb.expectations import all_expectations

EXPECTATIONS = all_expectations()
STATIC_SITES = [name for name, e in EXPECTATIONS.items() if not e.site.browser_only]
BUDGET = 30
NEVER_PATHS = ("/logout", "/abmelden", "/cart/add", "/cart/remove", "/checkout/confirm")


def _options(**changes: object) -> DiscoverOptions:
    options = DiscoverOptions(browser="never", delay=0.0, allow_networks=LOOPBACK,
                              max_pages=BUDGET, timeout=10.0)
    for key, value in changes.items():
        setattr(options, key, value)
    return options


@pytest.mark.parametrize("site", STATIC_SITES)
def test_every_form_is_found_with_its_verdict_within_the_budget(discoverweb, site) -> None:
    expect = EXPECTATIONS[site]
    walked = walk_site(discoverweb, site, _options())
    assert walked.found() == expected_set(expect, browser=False)
    assert walked.result.stats.pages <= BUDGET
    assert walked.result.stats.stop_reason in ("done", "login_required")


@pytest.mark.parametrize("site", STATIC_SITES)
def test_decoys_are_never_reported_and_missing_only_where_it_is(discoverweb, site) -> None:
    expect = EXPECTATIONS[site]
    walked = walk_site(discoverweb, site, _options())
    reported = {urlsplit(f.report["url"]).path for f in walked.result.findings}
    assert not reported & set(expect.decoys)
    missing = {e.path for e in expect.forms if e.verdict == "missing"}
    for finding in walked.result.findings:
        if finding.report["verdict"] == "missing":
            assert urlsplit(finding.report["url"]).path in missing


@pytest.mark.parametrize("site", STATIC_SITES)
def test_nothing_is_fetched_off_the_site_behind_robots_or_that_acts(discoverweb, site) -> None:
    expect = EXPECTATIONS[site]
    walked = walk_site(discoverweb, site, _options())
    for hit in walked.hits:
        labels = hit.host.split(".")
        assert labels[-2] == site, f"fetched {hit.host}{hit.path} while discovering {site}"
        path = urlsplit(hit.path).path
        assert path not in expect.disallowed, f"robots.txt disallows {path}"
        assert not path.startswith(NEVER_PATHS), f"followed {hit.path}"
        assert "xktracker" in hit.user_agent
    # Every request went where the walk says it did, robots.txt first on each host.
    first_by_host: dict[str, str] = {}
    for hit in walked.hits:
        first_by_host.setdefault(hit.host, hit.path)
    assert set(first_by_host.values()) == {"/robots.txt"}


def test_decoy_pages_would_be_read_as_no_country_field_if_fetched(discoverweb) -> None:
    """The decoys are real decoys: a careers page that names countries, a newsletter or
    contact form, hold no country control the engine would report."""
    from crawler.checker import CheckOptions, check_sources
    from crawler.fetch.guard import EgressPolicy

    urls = [discoverweb.url(name, path) for name, e in EXPECTATIONS.items()
            if not e.site.browser_only for path in e.decoys]
    assert len(urls) >= 12
    policy = EgressPolicy.build(allow_networks=LOOPBACK)
    reports = list(check_sources(urls, CheckOptions(browser="never", policy=policy)))
    assert {r["verdict"] for r in reports} == {"no_country_field"}


def test_a_small_budget_goes_to_the_best_candidates_first(discoverweb) -> None:
    # alba's signup is two hops away (Sign in › Create an account) and its checkout two more
    # (Cart › Proceed to checkout); four pages after the start find both.
    walked = walk_site(discoverweb, "alba", _options(max_pages=5))
    assert {f.report["kind"] for f in walked.result.findings} == {"signup", "checkout"}
    assert walked.result.stats.pages == 5


def test_the_depth_limit_is_kept(discoverweb) -> None:
    walked = walk_site(discoverweb, "alba", _options(max_depth=1))
    assert walked.found() == set()  # both forms are two links from the start
    fetched = {urlsplit(h.path).path for h in walked.hits}
    assert fetched == {"/robots.txt", "/", "/login", "/cart", "/sitemap.xml"}


def test_the_time_limit_ends_a_walk(discoverweb) -> None:
    walked = walk_site(discoverweb, "alba", _options(max_seconds=0.0))
    assert walked.result.stats.stop_reason == "time"
    assert walked.result.stats.pages == 0


def test_pacing_spaces_requests_to_a_site(discoverweb) -> None:
    import time

    started = time.monotonic()
    walked = walk_site(discoverweb, "india", _options(delay=0.2))
    spent = time.monotonic() - started
    requests = walked.result.stats.requests
    assert requests >= 6
    assert spent >= 0.2 * (requests - 1)


def test_a_login_walled_site_is_reported_once_and_not_searched(discoverweb) -> None:
    walked = walk_site(discoverweb, "hotel", _options())
    assert [(f.report["verdict"], f.report["reason"]) for f in walked.result.findings] == [
        ("blocked", "login_required")]
    assert [urlsplit(h.path).path for h in walked.hits] == ["/robots.txt", "/", "/login"]


def test_a_form_only_in_the_sitemap_is_found_through_robots_txt(discoverweb) -> None:
    walked = walk_site(discoverweb, "golf", _options())
    finding = next(f for f in walked.result.findings if f.report["verdict"] == "listed")
    assert finding.report["via"] == "sitemap pages.xml"
    assert finding.report["found_by"] == "sitemap"
    paths = [urlsplit(h.path).path for h in walked.hits]
    assert "/sitemaps/index.xml" in paths and "/sitemaps/pages.xml" in paths
    assert not any(p.startswith("/products/") for p in paths)  # no intent: never fetched


def test_a_language_redirect_is_followed_on_the_site(discoverweb) -> None:
    walked = walk_site(discoverweb, "bora", _options())
    assert all(urlsplit(f.report["url"]).path.startswith("/sq/")
               for f in walked.result.findings)


def test_the_json_object_follows_the_contract(discoverweb) -> None:
    walked = walk_site(discoverweb, "alba", _options())
    report = walked.result.findings[0].report
    assert list(report)[:8] == ["source", "url", "kind", "verdict", "reason", "via", "steps",
                                "fields"]
    assert report["source"] == discoverweb.url("alba")
    assert report["via"] == "Sign in › Create an account"
    assert report["steps"] == []
    field = report["fields"][0]
    assert field["kind"] == "country" and field["country_count"] >= 240
    assert field["kosovo"]["value"] == "XK"
    for key in ("final_url", "checked_at", "territory", "method", "evidence"):
        assert key in report
