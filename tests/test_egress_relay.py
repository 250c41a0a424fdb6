"""The egress proxy's relay on its own: a real proxy, a real origin on loopback, an HTTP client.

What Chromium would send through a session's port is sent here by httpx (``GET http://…``
in absolute form), so the caps, codings, DNS bound and request count are shown without a
browser; tests/test_egress.py shows the same proxy under Chromium.
"""

from __future__ import annotations

import threading
import time
import tracemalloc
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from crawler.fetch.egress import EgressLimits, EgressProxy, EgressSession
from crawler.fetch.guard import EgressPolicy, static_resolver
from tests.egress_web import EgressWeb, double_gzip_bomb

ORIGIN_ONLY = EgressPolicy.build(allow_networks=["127.0.0.1/32"])
MIB = 1024 * 1024


@pytest.fixture(scope="module")
def web() -> Iterator[EgressWeb]:
    server = EgressWeb()
    yield server
    server.close()


def through(session: EgressSession, url: str) -> httpx.Response | None:
    """GET ``url`` through the session's port; ``None`` when the proxy cut the connection."""
    with httpx.Client(proxy=session.server, timeout=20.0, trust_env=False) as client:
        try:
            return client.get(url)
        except httpx.TransportError:
            return None


def test_a_double_gzip_bomb_is_cut_with_bounded_memory(web: EgressWeb) -> None:
    """A few kilobytes sent as ``gzip, gzip`` inflate to 256 MiB: each piece is counted as it
    comes out, so the proxy never holds more than a piece past the cap."""
    assert len(double_gzip_bomb()) < 64 * 1024
    with EgressProxy(ORIGIN_ONLY) as proxy:
        session = proxy.open_session()
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            through(session, web.url("/double-bomb"))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        cut = session.cut_short
    assert cut is not None and cut.reason == "too_large", session.refusals
    assert peak < 64 * MIB, f"peak {peak / MIB:.0f} MiB"


def test_more_than_two_codings_are_refused(web: EgressWeb) -> None:
    with EgressProxy(ORIGIN_ONLY) as proxy:
        session = proxy.open_session()
        assert through(session, web.url("/gzip-x3")) is None
    assert [(r.reason, "content codings" in r.detail) for r in session.refusals] == [
        ("bad_content", True)]


def test_a_body_that_breaks_off_is_recorded_and_the_page_not_seen_whole(web: EgressWeb) -> None:
    with EgressProxy(ORIGIN_ONLY) as proxy:
        session = proxy.open_session()
        assert through(session, web.url("/corrupt.js")) is None
    cut = session.cut_short
    assert cut is not None and cut.reason == "bad_content" and cut.cut, session.refusals
    assert "corrupt compressed body" in cut.detail


def test_response_heads_count_toward_the_page_cap(web: EgressWeb) -> None:
    with EgressProxy(ORIGIN_ONLY) as proxy:
        session = proxy.open_session()
        response = through(session, web.url("/form"))
        assert response is not None and response.status_code == 200
        assert session.traffic > len(response.content) + 60  # status line and fields too
        small = proxy.open_session(EgressLimits(max_page_bytes=50))
        assert through(small, web.url("/form")) is None  # the head alone is over the cap
    cut = small.cut_short
    assert cut is not None and cut.reason == "too_large", small.refusals


def test_a_page_may_make_only_so_many_requests(web: EgressWeb) -> None:
    with EgressProxy(ORIGIN_ONLY, limits=EgressLimits(max_requests=3)) as proxy:
        session = proxy.open_session()
        answers = [through(session, web.url("/form")) for _ in range(4)]
    assert [a is not None and a.status_code == 200 for a in answers] == [True] * 3 + [False]
    cut = session.cut_short
    assert cut is not None and cut.reason == "too_large" and "3 requests" in cut.detail
    assert EgressLimits().max_requests == 2000


def test_a_slow_resolver_is_refused_dns_at_the_timeout(web: EgressWeb) -> None:
    """A look-up that hangs ends ``dns`` at the session's timeout, on the proxy's own threads."""
    release = threading.Event()
    fast = static_resolver({"fast.test": "127.0.0.1"})

    def resolver(host: str, port: Any, *args: Any) -> Any:
        if host == "slow.test":
            release.wait(30)
        return fast(host, port, *args)

    policy = EgressPolicy.build(resolver=resolver, allow_networks=["127.0.0.1/32"])
    try:
        with EgressProxy(policy, limits=EgressLimits(connect_timeout=0.5)) as proxy:
            session = proxy.open_session()
            started = time.monotonic()
            slow = [through(session, f"http://slow.test:{web.port}/form") for _ in range(6)]
            took = time.monotonic() - started
            release.set()
            answer = through(proxy.open_session(), f"http://fast.test:{web.port}/form")
    finally:
        release.set()
    assert slow == [None] * 6
    assert [r.reason for r in session.refusals] == ["dns"] * 6
    assert took < 2.5  # the first look-up timed out; the others were answered from it
    assert answer is not None and answer.status_code == 200


def test_a_restarted_proxy_opens_a_new_catch_all_session(web: EgressWeb) -> None:
    proxy = EgressProxy(ORIGIN_ONLY)
    try:
        proxy.start()
        first = proxy.catch_all()
        proxy.close()
        proxy.start()
        second = proxy.catch_all()
        assert second is not first and not second.closed
        answer = through(second, web.url("/form"))
        assert answer is not None and answer.status_code == 200
    finally:
        proxy.close()
