"""The browser's one way out: every connection of every context goes through the egress proxy.

Real Chromium, a real proxy, real servers on loopback. The tests' policy allows 127.0.0.1
only; the canary on 127.0.0.3 stands for a private address inside the network, and counts
every connection that reaches it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from typing import Any

import pytest

from benchmarks.crawlbench import MemorySampler
from crawler.errors import BrowserUnavailable
from crawler.fetch.browser import BrowserFetcher
from crawler.fetch.chromium import find_chromium
from crawler.fetch.egress import EgressLimits, EgressProxy
from crawler.fetch.guard import EgressPolicy, static_resolver
from tests.egress_web import Canary, EgressWeb, UdpCanary, gzip_bomb, self_signed

pytestmark = pytest.mark.browser

ORIGIN_ONLY = EgressPolicy.build(allow_networks=["127.0.0.1/32"])
PUBLIC_IP = "93.184.215.14"  # what the lying resolver answers first: a public address


@pytest.fixture(scope="module")
def chromium() -> str:
    try:
        return find_chromium(os.environ.get("XKTRACKER_BROWSER_PATH")).path
    except BrowserUnavailable as exc:
        pytest.skip(f"no Chromium for the browser tests: {exc}")


@pytest.fixture(scope="module")
def web() -> Iterator[EgressWeb]:
    server = EgressWeb()
    yield server
    server.close()


@pytest.fixture()
def canary() -> Iterator[Canary]:
    trap = Canary()
    yield trap
    trap.close()


@pytest.fixture(scope="module")
def fetcher(chromium: str) -> Iterator[BrowserFetcher]:
    with BrowserFetcher(executable_path=chromium, policy=ORIGIN_ONLY, timeout=10,
                        screenshots=False) as browser:
        yield browser


def test_a_page_is_read_through_the_proxy(fetcher: BrowserFetcher, web: EgressWeb) -> None:
    out = fetcher.fetch(web.url("/form"))
    assert out.ok, out
    assert out.html is not None and "Kosovo" in out.html


def test_a_websocket_to_a_refused_address_never_connects(
        fetcher: BrowserFetcher, web: EgressWeb, canary: Canary) -> None:
    out = fetcher.fetch(web.url(f"/ws-canary?port={canary.port}"))
    assert out.ok, out
    assert out.html is not None and "<title>refused</title>" in out.html
    assert canary.connections == []
    assert out.detail is not None and "private_address" in out.detail


def test_a_websocket_to_an_allowed_origin_is_relayed(fetcher: BrowserFetcher,
                                                     web: EgressWeb) -> None:
    out = fetcher.fetch(web.url("/ws-echo"))
    assert out.html is not None and "<title>got hello</title>" in out.html, out


def test_a_fetch_to_a_refused_address_never_connects(
        fetcher: BrowserFetcher, web: EgressWeb, canary: Canary) -> None:
    out = fetcher.fetch(web.url(f"/fetch-canary?port={canary.port}"))
    assert out.html is not None and "<title>refused</title>" in out.html
    assert canary.connections == []


@pytest.mark.parametrize("path", ["/sixty", "/endless", "/bomb", "/script-bomb"])
def test_enormous_bodies_end_too_large_with_bounded_memory(
        fetcher: BrowserFetcher, web: EgressWeb, path: str) -> None:
    if path == "/bomb":
        assert len(gzip_bomb()) < 2 * 1024 * 1024  # half a gigabyte once inflated
    with MemorySampler(os.getpid(), interval=0.05) as sampler:
        out = fetcher.fetch(web.url(path))
    assert out.error == "too_large", out
    assert out.html is None
    total = sampler.peak.process + sampler.peak.children
    assert total < 1.5 * 2**30, sampler.peak.describe()


def test_dns_rebinding_cannot_reach_loopback(chromium: str, canary: Canary) -> None:
    """The guard's resolver says a public address; Chromium's own resolver is told the name
    is 127.0.0.3. With the proxy, Chromium never resolves: the canary sees nothing."""
    name = "rebind.test"
    policy = EgressPolicy.build(resolver=static_resolver({name: PUBLIC_IP}),
                                allow_networks=["127.0.0.1/32"],
                                allowed_ports=[80, 443, canary.port])
    rules = f"--host-resolver-rules=MAP {name} {canary.host}"
    limits = EgressLimits(connect_timeout=2.0, read_timeout=2.0)
    with BrowserFetcher(executable_path=chromium, policy=policy, limits=limits, timeout=8,
                        screenshots=False, launch_args=[rules]) as browser:
        out = browser.fetch(f"http://{name}:{canary.port}/")
    assert canary.connections == []
    assert out.html is None or "canary" not in out.html


def test_without_the_proxy_the_same_trick_reaches_loopback(chromium: str,
                                                          canary: Canary) -> None:
    """The control for the test above: a bare Chromium with the same resolver rule does
    connect to the canary, so the test above would catch a guard that let it through."""
    from playwright.async_api import async_playwright

    async def visit() -> None:
        async with async_playwright() as playwright:
            options: dict[str, Any] = find_chromium(chromium).launch_options(
                extra_args=[f"--host-resolver-rules=MAP rebind.test {canary.host}"])
            browser = await playwright.chromium.launch(**options)
            try:
                page = await browser.new_page()
                try:
                    await page.goto(f"http://rebind.test:{canary.port}/", timeout=5000)
                except Exception:  # noqa: BLE001 - the canary answers nothing useful
                    pass
            finally:
                await browser.close()

    asyncio.run(visit())
    assert canary.connections and canary.connections[0].startswith(b"GET / ")


def _webrtc_datagrams(chromium: str, web: EgressWeb, *, guarded: bool) -> list[bytes]:
    """STUN datagrams a page's WebRTC sent to a canary address, with our launch flags or
    without the WebRTC one."""
    from playwright.async_api import async_playwright

    udp = UdpCanary()

    async def visit() -> None:
        async with async_playwright() as playwright:
            options: dict[str, Any] = find_chromium(chromium).launch_options()
            if not guarded:
                options["args"] = [a for a in options["args"] if "webrtc" not in a]
            browser = await playwright.chromium.launch(**options)
            try:
                page = await browser.new_page()
                await page.goto(web.url(f"/webrtc-canary?port={udp.port}"))
                await page.wait_for_function("document.title === 'gathered'", timeout=5000)
            finally:
                await browser.close()

    try:
        asyncio.run(visit())
        return list(udp.datagrams)
    finally:
        udp.close()


def test_webrtc_sends_no_udp_of_its_own(chromium: str, web: EgressWeb) -> None:
    assert _webrtc_datagrams(chromium, web, guarded=True) == []
    # The control: without the flag the same page does reach the canary over UDP.
    assert _webrtc_datagrams(chromium, web, guarded=False)


def test_a_non_web_port_of_a_public_host_is_refused(fetcher: BrowserFetcher) -> None:
    out = fetcher.fetch(f"http://{PUBLIC_IP}:6379/")
    assert (out.error, out.html) == ("bad_url", None)
    assert out.detail is not None and "not a web port" in out.detail


def test_a_redirect_to_a_refused_address_is_not_followed(chromium: str) -> None:
    from xktracker.demoweb.server import DemoWebServer

    with DemoWebServer() as demo, BrowserFetcher(executable_path=chromium, policy=ORIGIN_ONLY,
                                                timeout=10, screenshots=False) as browser:
        out = browser.fetch(demo.url("/redirect-private"))
    assert out.error == "private_address", out
    assert out.detail is not None and "10.0.0.1" in out.detail


@pytest.fixture(scope="module")
def secure_web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EgressWeb]:
    server = EgressWeb(tls=self_signed("secure.test", tmp_path_factory.mktemp("tls")))
    yield server
    server.close()


def _secure_fetch(chromium: str, url: str, *, verify: bool) -> Any:
    policy = EgressPolicy.build(resolver=static_resolver({"secure.test": "127.0.0.1"}),
                                allow_networks=["127.0.0.1/32"])
    with BrowserFetcher(executable_path=chromium, policy=policy, verify=verify, timeout=10,
                        screenshots=False) as browser:
        return browser.fetch(url)


def test_https_is_read_through_the_proxy(chromium: str, secure_web: EgressWeb) -> None:
    """TLS inside the tunnel is ended by the proxy; the page and a wss:// socket work."""
    out = _secure_fetch(chromium, secure_web.url("/form", host="secure.test"), verify=False)
    assert out.ok and out.html is not None and "Kosovo" in out.html, out
    out = _secure_fetch(chromium, secure_web.url("/ws-echo", host="secure.test"), verify=False)
    assert out.html is not None and "<title>got hello</title>" in out.html, out


def test_the_proxy_checks_the_sites_real_certificate(chromium: str,
                                                     secure_web: EgressWeb) -> None:
    """Chromium accepts the proxy's certificates; the proxy does not accept a bad one."""
    out = _secure_fetch(chromium, secure_web.url("/form", host="secure.test"), verify=True)
    assert (out.error, out.html) == ("tls", None), out


def test_sessions_are_per_context_and_counted() -> None:
    with EgressProxy(ORIGIN_ONLY) as proxy:
        first, second = proxy.open_session(), proxy.open_session()
        assert first.port != second.port
        assert proxy.catch_all().port not in (first.port, second.port)
        first.refuse("http://10.0.0.1/", "private_address", "test", document=True)
        assert second.refusals == ()
        assert first.refusal_for("http://example.test/") is not None
        proxy.close_session(first)
        assert first.closed


def test_websocket_extensions_are_never_negotiated(fetcher: BrowserFetcher,
                                                   web: EgressWeb) -> None:
    """Chromium offers permessage-deflate; the offer is not passed on, so the frames counted
    against the page's cap are the frames as they are."""
    before = len(web.websocket_requests)
    out = fetcher.fetch(web.url("/ws-echo"))
    assert out.html is not None and "<title>got hello</title>" in out.html, out
    sent = web.websocket_requests[before:]
    names = [{k.lower() for k in head} for head in sent]
    assert names and all("sec-websocket-key" in n for n in names)
    assert not [n for n in names if "sec-websocket-extensions" in n]


def test_a_websocket_server_that_negotiates_an_extension_anyway_is_refused(
        fetcher: BrowserFetcher, web: EgressWeb) -> None:
    out = fetcher.fetch(web.url("/ws-deflate"))
    assert out.html is not None and "<title>refused</title>" in out.html, out
    assert out.detail is not None and "bad_content" in out.detail


def test_websocket_uploads_count_toward_the_page_cap(chromium: str, web: EgressWeb) -> None:
    limits = EgressLimits(max_page_bytes=1024 * 1024)
    with BrowserFetcher(executable_path=chromium, policy=ORIGIN_ONLY, limits=limits,
                        timeout=10, screenshots=False) as browser:
        out = browser.fetch(web.url("/ws-upload"))
    assert (out.error, out.html) == ("too_large", None), out
    assert out.detail is not None and "WebSocket" in out.detail


def test_a_script_that_breaks_off_means_the_page_was_not_seen_whole(
        fetcher: BrowserFetcher, web: EgressWeb) -> None:
    out = fetcher.fetch(web.url("/script-corrupt"))
    assert (out.error, out.html) == ("bad_content", None), out
    assert out.detail is not None and "corrupt.js" in out.detail


def _visit_through_catch_all(chromium: str, url: str) -> None:
    """Open ``url`` in a browser launched, as the fetcher launches it, with only the proxy's
    catch-all session (the default context: no session of its own)."""
    from playwright.async_api import async_playwright

    async def visit() -> None:
        async with async_playwright() as playwright:
            options: dict[str, Any] = find_chromium(chromium).launch_options()
            options["proxy"] = proxy.catch_all().playwright_proxy()
            browser = await playwright.chromium.launch(**options)
            try:
                page = await browser.new_page()
                try:
                    await page.goto(url, timeout=5000)
                except Exception:  # noqa: BLE001 - refused or not, the canary tells
                    pass
            finally:
                await browser.close()

    with EgressProxy(ORIGIN_ONLY) as proxy:
        asyncio.run(visit())


def test_loopback_goes_through_the_proxy_whatever_playwrights_environment_says(
        chromium: str, canary: Canary, monkeypatch: pytest.MonkeyPatch) -> None:
    """With Playwright's forced proxying of loopback switched off, Chromium would connect to a
    127.0.0.x page directly; the session's explicit bypass rule keeps it on the proxy."""
    monkeypatch.setenv("PLAYWRIGHT_DISABLE_FORCED_CHROMIUM_PROXIED_LOOPBACK", "1")
    _visit_through_catch_all(chromium, f"http://{canary.host}:{canary.port}/")
    assert canary.connections == []
    with BrowserFetcher(executable_path=chromium, policy=ORIGIN_ONLY, timeout=8,
                        screenshots=False) as browser:
        out = browser.fetch(f"http://{canary.host}:{canary.port}/")
    assert canary.connections == []
    assert (out.error, out.html) == ("private_address", None), out


def test_a_restarted_fetcher_reads_through_a_new_proxy(chromium: str, web: EgressWeb) -> None:
    browser = BrowserFetcher(executable_path=chromium, policy=ORIGIN_ONLY, timeout=10,
                             screenshots=False)
    try:
        browser.start()
        assert browser.fetch(web.url("/form")).ok
        browser.close()
        browser.start()
        out = browser.fetch(web.url("/form"))
        assert out.ok and out.html is not None and "Kosovo" in out.html, out
    finally:
        browser.close()
