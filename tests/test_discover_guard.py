"""Discovery never fetches beyond the site, a robots-disallowed path or a private address.

The address guard judges every request and every redirect hop of a walk (robots.txt and
sitemaps too); the walk adds its own rules on each hop (same registrable domain, robots.txt).
Host names are mapped by a resolver handed to the guard, as a DNS answer would map them:
``kilo.test`` to the loopback test web, ``intranet.kilo.test`` to a private address.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from crawler.checker import Checker
from crawler.discover.run import DiscoverOptions, SiteDiscovery
from crawler.fetch.guard import static_resolver
from tests.discover_fixtures import LOOPBACK, discoverweb  # noqa: F401


def _walk(web, start: str, **changes: object):
    seen: list[tuple[str, str | None]] = []
    looked_up: list[str] = []
    table = static_resolver({"kilo.test": "127.0.0.1", "intranet.kilo.test": "10.0.0.5",
                             "elsewhere.localhost": "127.0.0.1"})

    def resolver(host, *args):
        looked_up.append(host)
        return table(host, *args)

    options = DiscoverOptions(browser="never", delay=0.0, allow_networks=LOOPBACK,
                              resolver=resolver, timeout=10.0)
    for key, value in changes.items():
        setattr(options, key, value)

    def hook(walk, visit, outcome, findings):
        seen.append((visit.url, outcome.error or outcome.blocked))

    web.take_hits()
    with Checker(options.check_options()) as checker:
        result = SiteDiscovery(start, checker, options, hook).run()
    return result, seen, web.take_hits(), looked_up


def test_a_private_host_of_the_site_is_refused_on_link_and_redirect(discoverweb) -> None:
    start = discoverweb.url("kilo", suffix="test")
    result, seen, hits, looked_up = _walk(discoverweb, start)
    outcomes = dict(seen)
    # "My account" redirects to the private host: the hop is refused before any connection.
    assert outcomes[start + "account"] == "private_address"
    # "Register" links to it directly: refused too.
    register = f"http://intranet.kilo.test:{discoverweb.port}/register"
    assert outcomes[register] == "private_address"
    assert "intranet.kilo.test" in looked_up  # judged by the guard, not skipped
    assert {h.host for h in hits} == {"kilo.test"}
    # A refusal is never a verdict about Kosovo, and these pages are no findings.
    assert all(f.report["verdict"] != "missing" for f in result.findings)


def test_a_redirect_off_the_site_is_not_followed(discoverweb) -> None:
    start = discoverweb.url("kilo", suffix="test")
    result, seen, hits, looked_up = _walk(discoverweb, start)
    assert dict(seen)[start + "partner-signup"] == "off_site"
    assert "elsewhere.localhost" not in looked_up
    assert not any(h.host.startswith("elsewhere") for h in hits)


def test_a_redirect_into_a_disallowed_path_is_not_followed(discoverweb) -> None:
    start = discoverweb.url("kilo", suffix="test")
    result, seen, hits, _ = _walk(discoverweb, start)
    assert dict(seen)[start + "join"] == "robots"
    assert not any(urlsplit(h.path).path.startswith("/private/") for h in hits)
    join = next(f for f in result.findings if f.report["url"] == start + "join")
    assert (join.report["verdict"], join.report["reason"], join.report["kind"]) == (
        "blocked", "robots", "signup")


def test_without_permission_the_loopback_test_web_is_never_touched(discoverweb) -> None:
    start = discoverweb.url("alba")
    result, seen, hits, _ = _walk(discoverweb, start, allow_networks=())
    assert hits == []
    assert [(f.report["verdict"], f.report["reason"]) for f in result.findings] == [
        ("error", "private_address")]
    assert result.stats.pages == 1


def test_a_sitemap_listing_other_sites_leads_nowhere_else(discoverweb) -> None:
    result, seen, hits, _ = _walk(discoverweb, discoverweb.url("golf"))
    assert {h.host for h in hits} == {"golf.localhost"}
    assert not any("elsewhere" in url for url, _ in seen)
