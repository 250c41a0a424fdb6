"""The crawl's egress guard: browser pages go through the proxy, static hops through the
guarded resolver. Real crawls (``scrapy crawl countries`` in a subprocess), real Chromium.

The crawl may reach 127.0.0.1 only; the canary on 127.0.0.3 counts every connection.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crawler.errors import BrowserUnavailable
from crawler.fetch.chromium import find_chromium
from tests.crawl_helpers import CrawlEnv, explain, site
from tests.egress_web import Canary, EgressWeb

ONLY_ORIGIN = {"XK_ALLOW_NETWORKS": "127.0.0.1/32"}


@pytest.fixture()
def web() -> Iterator[EgressWeb]:
    server = EgressWeb()
    yield server
    server.close()


@pytest.fixture()
def canary() -> Iterator[Canary]:
    trap = Canary()
    yield trap
    trap.close()


@pytest.mark.browser
def test_browser_pages_cannot_reach_past_the_guard(web: EgressWeb, canary: Canary,
                                                   tmp_path) -> None:
    try:
        chromium = find_chromium().path
    except BrowserUnavailable as exc:
        pytest.skip(f"no Chromium: {exc}")
    pages = {f"/ws-canary?port={canary.port}": ("no_country_field", None),
             f"/fetch-canary?port={canary.port}": ("no_country_field", None),
             "/endless": ("error", "too_large"), "/script-bomb": ("error", "too_large"),
             "/form": ("listed", None)}
    env = CrawlEnv(tmp_path)
    env.load([site(f"s{n}.example", [web.url(path)], browser="always")
              for n, path in enumerate(pages)])
    result = env.scrapy(settings={**ONLY_ORIGIN, "XK_BROWSER_PATH": chromium,
                                  "RETRY_TIMES": "0"})
    assert result.returncode == 0, explain(result)
    checks = env.checks()
    for path, expected in pages.items():
        (check,) = checks[web.url(path)]
        assert (check["verdict"], check["reason"]) == expected, (path, check["report"])
        assert check["method"] == "browser"
    assert canary.connections == []


def _rebinding_crawl(canary: Canary, folder, **settings: str) -> dict:
    url = f"http://rebind.test:{canary.port}/signup"
    env = CrawlEnv(folder)
    env.load([site("rebind.test", [url], browser="never")])
    result = env.scrapy(settings={**ONLY_ORIGIN,
                                  "XK_RESOLVER": "tests.egress_web.rebinding_resolver",
                                  "XK_ALLOWED_PORTS": f"80,443,{canary.port}",
                                  "RETRY_TIMES": "0", "ROBOTSTXT_OBEY": "False", **settings})
    assert result.returncode == 0, explain(result)
    (check,) = env.checks()[url]
    return check


def test_static_crawl_connects_only_to_the_address_it_judged(canary: Canary,
                                                             tmp_path) -> None:
    """The name answers a public address to the guard's check and the canary's loopback
    address to the connection's look-up (DNS rebinding): the connection's answer is judged
    too, so nothing reaches the canary and the check says why."""
    check = _rebinding_crawl(canary, tmp_path)
    assert (check["verdict"], check["reason"]) == ("error", "private_address"), check["report"]
    assert canary.connections == []


def test_without_the_guarded_resolver_rebinding_reaches_the_canary(canary: Canary,
                                                                   tmp_path) -> None:
    """The control: the same crawl with a resolver that judges nothing sends its request to
    the canary (the check after the answer comes too late), so the test above can fail."""
    check = _rebinding_crawl(canary, tmp_path,
                             TWISTED_DNS_RESOLVER="tests.egress_web.UnguardedResolver")
    assert check["verdict"] == "error"
    assert canary.connections and canary.connections[0].startswith(b"GET /signup")
