"""The static fetcher against a local misbehaving server, and replay of recorded cassettes.

Everything here talks to 127.0.0.1 only. The local server is reached through a policy that
allows 127.0.0.1/32 rather than ``allow_private=True``, so that a redirect to 10.0.0.1 is still
refused, as it would be in production.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
import vcr
from vcr.errors import CannotOverwriteExistingCassetteException

from crawler.fetch.guard import EgressPolicy, static_resolver
from crawler.fetch.outcome import BLOCKED_REASONS, ERROR_REASONS, FetchOutcome
from crawler.fetch.static import DEFAULT_USER_AGENT, StaticFetcher, fetch_static
from tests.static_fetch_server import (
    BOM_PAGE,
    CP1251_PAGE,
    GZIP_PAGE,
    LATIN1_PAGE,
    UTF8_PAGE,
    RunningServer,
    gzip_bomb,
    serve,
)

LOOPBACK = ["127.0.0.1/32"]
CASSETTES = Path(__file__).parent / "cassettes"
CASSETTE = "static_pages.yaml"
PLACEHOLDER = "fixture.test"
RECORDED = ["/utf8", "/cp1251", "/gzip", "/chain/1", "/404"]


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with serve() as running:
        yield running


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every address a TCP connection is opened to during the test."""
    seen: list[tuple[str, int]] = []
    real = socket.create_connection

    def spy(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        seen.append((address[0], int(address[1])))
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", spy)
    return seen


def get(server: RunningServer, path: str, **kwargs: Any) -> FetchOutcome:
    kwargs.setdefault("policy", EgressPolicy.build(allow_networks=LOOPBACK))
    kwargs.setdefault("timeout", 5.0)
    return fetch_static(server.url(path), **kwargs)


def assert_reason_known(outcome: FetchOutcome) -> None:
    assert outcome.error is None or outcome.error in ERROR_REASONS
    assert outcome.blocked is None or outcome.blocked in BLOCKED_REASONS


# -- documents and encodings ----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "page", "encoding"),
    [
        ("/utf8", UTF8_PAGE, "utf-8"),
        ("/cp1251", CP1251_PAGE, "cp1251"),
        ("/latin1", LATIN1_PAGE, "cp1252"),
        ("/bom", BOM_PAGE, "utf-8"),
        ("/gzip", GZIP_PAGE, "utf-8"),
        ("/deflate-raw", GZIP_PAGE, "utf-8"),
    ],
)
def test_pages_decode(server: RunningServer, path: str, page: str, encoding: str) -> None:
    outcome = get(server, path)
    assert outcome.ok, outcome
    assert outcome.html == page
    assert outcome.encoding == encoding
    assert outcome.status == 200
    assert outcome.final_url == server.url(path)
    assert outcome.method == "static"
    assert outcome.redirects == []
    assert outcome.elapsed_ms > 0


def test_body_hash_is_of_decoded_bytes(server: RunningServer) -> None:
    outcome = get(server, "/gzip")
    assert outcome.body_sha256 == hashlib.sha256(GZIP_PAGE.encode()).hexdigest()
    assert outcome.content_type == "text/html; charset=utf-8"


def test_identifying_headers(server: RunningServer) -> None:
    outcome = get(server, "/echo")
    assert outcome.html is not None
    assert f"<p id='user-agent'>{DEFAULT_USER_AGENT}</p>" in outcome.html
    assert "<p id='accept-language'>en</p>" in outcome.html
    assert "<p id='accept-encoding'>gzip, deflate</p>" in outcome.html
    assert re.fullmatch(r"xktracker/\S+ \(\+https://github\.com/xktracker/xktracker; .+\)",
                        DEFAULT_USER_AGENT)


# -- statuses and content types -------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "error", "detail"),
    [
        ("/503", "http_5xx", "HTTP 503"),
        ("/404", "http_4xx", "HTTP 404"),
        ("/407", "http_4xx", "HTTP 407"),
        ("/429", "rate_limited", "120"),
        ("/image", "bad_content", "content type image/png"),
        ("/json", "bad_content", None),
        ("/zstd", "bad_content", None),
        ("/to-ftp", "bad_url", None),
    ],
)
def test_error_statuses(server: RunningServer, path: str, error: str, detail: str | None) -> None:
    outcome = get(server, path)
    assert outcome.error == error
    assert outcome.html is None
    assert not outcome.ok
    if detail is not None:
        assert outcome.detail == detail
    assert_reason_known(outcome)


@pytest.mark.parametrize("status", [401, 403])
def test_forbidden_keeps_the_wall(server: RunningServer, status: int) -> None:
    outcome = get(server, f"/{status}")
    assert outcome.blocked == "forbidden"
    assert outcome.error is None
    assert outcome.status == status
    assert outcome.html is not None and not outcome.ok
    if status == 403:
        assert "Attention Required" in outcome.html


def test_json_that_is_html_and_untyped_html_are_accepted(server: RunningServer) -> None:
    assert get(server, "/json-html").ok
    untyped = get(server, "/no-type")
    assert untyped.ok and untyped.content_type is None


# -- redirects ------------------------------------------------------------------------


def test_redirect_chain(server: RunningServer) -> None:
    outcome = get(server, "/chain/1")
    assert outcome.ok, outcome
    assert outcome.final_url == server.url("/utf8")
    assert outcome.redirects == [server.url(p) for p in ("/chain/1", "/chain/2", "/chain/3")]
    assert outcome.html == UTF8_PAGE


def test_redirect_loop(server: RunningServer) -> None:
    outcome = get(server, "/loop/a")
    assert outcome.error == "redirect_loop"
    assert outcome.redirects == [server.url("/loop/a"), server.url("/loop/b")]


def test_too_many_redirects(server: RunningServer) -> None:
    outcome = get(server, "/endless/0", max_redirects=3)
    assert outcome.error == "too_many_redirects"
    assert len(outcome.redirects) == 4
    assert get(server, "/chain/1", max_redirects=3).ok


def test_redirect_to_private_address_never_connects(
    server: RunningServer, connections: list[tuple[str, int]]
) -> None:
    outcome = get(server, "/to-private")
    assert outcome.error == "private_address"
    assert "10.0.0.1" in (outcome.detail or "")
    assert outcome.final_url == server.url("/to-private")
    assert connections and all(host == "127.0.0.1" for host, _ in connections)


def test_default_policy_refuses_the_local_server(
    server: RunningServer, connections: list[tuple[str, int]]
) -> None:
    outcome = fetch_static(server.url("/utf8"))
    assert outcome.error == "private_address"
    assert connections == []
    assert get(server, "/utf8", policy=EgressPolicy.build(allow_private=True)).ok


def test_cookies_survive_a_redirect(server: RunningServer) -> None:
    with StaticFetcher(policy=EgressPolicy.build(allow_networks=LOOPBACK), timeout=5) as fetcher:
        first = fetcher.fetch(server.url("/cookie/set"))
        assert first.ok, first
        assert first.html is not None and "welcome back" in first.html
        again = fetcher.fetch(server.url("/cookie/check"))
        assert again.ok
    fresh = get(server, "/cookie/check")
    assert fresh.blocked == "forbidden"


def test_dns_rebinding_cannot_swap_the_address(
    server: RunningServer, connections: list[tuple[str, int]]
) -> None:
    """The second answer (10.0.0.1) is never asked for: the first, checked one is used."""
    calls: list[str] = []
    answers = iter(["127.0.0.1", "10.0.0.1", "10.0.0.1"])

    def fickle(host: str, port: int, *args: Any) -> Sequence[tuple[Any, ...]]:
        calls.append(host)
        return static_resolver({host: next(answers)})(host, port)

    outcome = fetch_static(server.url("/utf8", host="rebind.test"),
                           policy=EgressPolicy.build(resolver=fickle, allow_networks=LOOPBACK))
    assert outcome.ok, outcome
    assert calls == ["rebind.test"]
    assert connections == [("127.0.0.1", server.port)]


# -- limits: size, time, broken connections -------------------------------------------


def test_content_length_over_cap_is_refused_early(server: RunningServer) -> None:
    started = time.monotonic()
    outcome = get(server, "/huge-length")
    assert outcome.error == "too_large"
    assert "Content-Length" in (outcome.detail or "")
    assert time.monotonic() - started < 3
    assert server.state.huge_done.wait(10)
    assert server.state.huge_bytes_sent < 60_000_000


def test_chunked_body_over_cap(server: RunningServer) -> None:
    outcome = get(server, "/chunked-big", max_bytes=256 * 1024)
    assert outcome.error == "too_large"
    assert get(server, "/chunked-big", max_bytes=8 * 1024 * 1024).ok


def test_gzip_bomb_is_capped_on_decoded_bytes(server: RunningServer) -> None:
    assert len(gzip_bomb()) < 100_000
    outcome = get(server, "/bomb", max_bytes=1024 * 1024)
    assert outcome.error == "too_large"
    assert outcome.html is None


def test_unrequested_brotli_is_decoded_within_the_cap(server: RunningServer) -> None:
    pytest.importorskip("brotli")
    assert get(server, "/brotli").html == GZIP_PAGE
    assert get(server, "/brotli-bomb", max_bytes=1024 * 1024).error == "too_large"


def test_dripping_body_ends_at_the_deadline(server: RunningServer) -> None:
    started = time.monotonic()
    outcome = get(server, "/drip", timeout=1.0)
    took = time.monotonic() - started
    assert outcome.error == "timeout"
    assert 0.8 < took < 3.0  # the deadline plus one drip interval, with slack for slow CI
    assert 800 < outcome.elapsed_ms < 3000


def test_silent_server_ends_at_the_deadline(server: RunningServer) -> None:
    started = time.monotonic()
    outcome = get(server, "/stall", timeout=0.5)
    assert outcome.error == "timeout"
    assert time.monotonic() - started < 1.5


def test_reset_mid_body(server: RunningServer) -> None:
    outcome = get(server, "/reset")
    assert outcome.error == "connection"
    assert outcome.html is None


def test_connection_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    outcome = fetch_static(f"http://127.0.0.1:{port}/",
                           policy=EgressPolicy.build(allow_networks=LOOPBACK), timeout=5)
    assert outcome.error == "connection"


def test_tls_failure(server: RunningServer) -> None:
    outcome = fetch_static(f"https://127.0.0.1:{server.port}/utf8",
                           policy=EgressPolicy.build(allow_networks=LOOPBACK), timeout=5)
    assert outcome.error == "tls"


def test_dns_failure() -> None:
    outcome = fetch_static("http://nowhere.test/",
                           policy=EgressPolicy.build(resolver=static_resolver({})))
    assert outcome.error == "dns"


@pytest.mark.parametrize("url", ["ftp://example.com/", "http://user:pw@example.com/", "nonsense"])
def test_bad_urls(url: str) -> None:
    outcome = fetch_static(url, policy=EgressPolicy.build(resolver=static_resolver({})))
    assert outcome.error == "bad_url"
    assert outcome.requested_url == url


def test_a_client_passed_in_is_guarded_and_left_open(
    server: RunningServer, connections: list[tuple[str, int]]
) -> None:
    with httpx.Client(trust_env=False) as client:
        outcome = get(server, "/chain/1", client=client)
        assert outcome.ok
        refused = get(server, "/to-private", client=client)
        assert refused.error == "private_address"
        assert not client.is_closed
    assert all(host == "127.0.0.1" for host, _ in connections)


# -- cassettes ------------------------------------------------------------------------


def _placeholder(request: Any) -> Any:
    """Store requests under a port-less placeholder host, so replays need no server."""
    request.uri = re.sub(rf"^http://{re.escape(PLACEHOLDER)}:\d+", f"http://{PLACEHOLDER}",
                         request.uri)
    return request


def _strip_volatile(response: dict[str, Any]) -> dict[str, Any]:
    for name in ("Date", "Server", "date", "server"):
        response["headers"].pop(name, None)
    return response


def cassette_vcr(record_mode: str) -> vcr.VCR:
    return vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode=record_mode,
        match_on=["method", "uri"],
        decode_compressed_response=True,
        filter_headers=["cookie", "authorization", "user-agent", "host"],
        before_record_request=_placeholder,
        before_record_response=_strip_volatile,
    )


def placeholder_fetcher() -> StaticFetcher:
    return StaticFetcher(policy=EgressPolicy.build(
        resolver=static_resolver({PLACEHOLDER: "127.0.0.1"}), allow_networks=LOOPBACK), timeout=5)


@pytest.mark.skipif(
    os.environ.get("XK_RECORD_CASSETTES") != "1",
    reason="records cassettes only when XK_RECORD_CASSETTES=1",
)
def test_record_cassettes(server: RunningServer) -> None:
    path = CASSETTES / CASSETTE
    path.unlink(missing_ok=True)
    CASSETTES.mkdir(exist_ok=True)
    with cassette_vcr("once").use_cassette(CASSETTE), placeholder_fetcher() as fetcher:
        for page in RECORDED:
            outcome = fetcher.fetch(server.url(page, host=PLACEHOLDER))
            assert outcome.status is not None, outcome
    assert path.exists()


def test_cassette_replays_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """No server runs here, and opening any socket fails the test."""

    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"network used during replay: {args}")

    monkeypatch.setattr(socket, "create_connection", no_network)
    assert (CASSETTES / CASSETTE).exists(), "record with XK_RECORD_CASSETTES=1"
    with cassette_vcr("none").use_cassette(CASSETTE), placeholder_fetcher() as fetcher:
        page = fetcher.fetch(f"http://{PLACEHOLDER}/utf8")
        assert page.ok and page.html == UTF8_PAGE
        cyrillic = fetcher.fetch(f"http://{PLACEHOLDER}/cp1251")
        assert cyrillic.html == CP1251_PAGE and cyrillic.encoding == "cp1251"
        packed = fetcher.fetch(f"http://{PLACEHOLDER}/gzip")
        assert packed.html == GZIP_PAGE
        chain = fetcher.fetch(f"http://{PLACEHOLDER}/chain/1")
        assert chain.final_url == f"http://{PLACEHOLDER}/utf8"
        assert len(chain.redirects) == 3
        missing = fetcher.fetch(f"http://{PLACEHOLDER}/404")
        assert missing.error == "http_4xx"


def test_unrecorded_url_does_not_reach_the_network() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.setblocking(False)
        port = listener.getsockname()[1]
        with cassette_vcr("none").use_cassette(CASSETTE), placeholder_fetcher() as fetcher:
            with pytest.raises(CannotOverwriteExistingCassetteException):
                fetcher.fetch(f"http://{PLACEHOLDER}:{port}/never-recorded")
        with pytest.raises(BlockingIOError):
            listener.accept()
