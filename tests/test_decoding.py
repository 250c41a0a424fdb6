"""Content codings undone with a bound: a bomb costs a piece of memory, never its size.

Real gzip streams built here, a real local HTTP server for the fetcher's side; memory is
measured with tracemalloc (every bytes object a codec makes is a traced allocation).
"""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from collections.abc import Callable, Iterator

import pytest

from crawler.errors import DecodeFailed, InflatedTooLarge
from crawler.fetch.decoding import MAX_CODINGS, PIECE, BoundedDecoder, gunzip_bounded
from crawler.fetch.guard import EgressPolicy
from crawler.fetch.static import StaticFetcher
from tests.static_fetch_server import RunningServer, serve, zeros_gzipped

MIB = 1024 * 1024
LOOPBACK = EgressPolicy.build(allow_networks=["127.0.0.1/32"])


def peak_growth(work: Callable[[], object]) -> int:
    """The most memory ``work`` held at once, in bytes, on top of what was held before."""
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before


def test_a_gzip_bomb_file_is_refused_with_bounded_memory() -> None:
    bomb = zeros_gzipped()
    assert len(bomb) < MIB  # a hundred megabytes once inflated

    def inflate() -> None:
        with pytest.raises(InflatedTooLarge):
            gunzip_bounded(bomb, 5 * MIB)

    assert peak_growth(inflate) < 64 * MIB


def test_a_gzip_file_within_the_cap_is_inflated() -> None:
    text = b"<urlset>" + b"<url><loc>https://example.com/</loc></url>" * 1000 + b"</urlset>"
    assert gunzip_bounded(gzip.compress(text), MIB) == text
    assert gunzip_bounded(text, MIB) == text  # not a gzip file: as it is
    with pytest.raises(DecodeFailed):
        gunzip_bounded(b"\x1f\x8b" + b"not gzip at all", MIB)


def test_each_piece_of_a_feed_is_bounded() -> None:
    """One small feed of a double-gzipped bomb yields pieces of at most PIECE bytes, lazily."""
    inner = zeros_gzipped(20 * MIB)
    double = gzip.compress(inner, compresslevel=9)
    decoder = BoundedDecoder("gzip, gzip")
    seen = 0
    for piece in decoder.feed(double):
        assert len(piece) <= PIECE
        seen += len(piece)
        if seen > 2 * MIB:
            break
    assert seen > 2 * MIB


@pytest.mark.parametrize("header", ["gzip, gzip, gzip", ", ".join(["gzip"] * 1200)])
def test_more_codings_than_the_limit_are_refused(header: str) -> None:
    assert MAX_CODINGS == 2
    with pytest.raises(DecodeFailed, match="content codings"):
        BoundedDecoder(header)


def test_two_codings_and_identity_are_undone() -> None:
    page = b"<html>" + b"<option>Kosovo</option>" * 100 + b"</html>"
    body = gzip.compress(zlib.compress(page))
    decoder = BoundedDecoder("deflate, identity, gzip")
    assert b"".join([*decoder.feed(body), *decoder.finish()]) == page


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with serve() as running:
        yield running


def test_a_sitemap_bomb_is_refused_too_large(server: RunningServer) -> None:
    """robots.txt and sitemaps that are gzip files are inflated with the same bound."""
    with StaticFetcher(policy=LOOPBACK, timeout=10.0) as fetcher:
        found = []

        def fetch() -> None:
            found.append(fetcher.fetch_text(server.url("/sitemap-bomb.xml.gz")))

        growth = peak_growth(fetch)
    resource = found[0]
    assert (resource.outcome.error, resource.text) == ("too_large", None), resource.outcome
    assert growth < 64 * MIB


def test_a_corrupt_sitemap_file_is_bad_content(server: RunningServer) -> None:
    with StaticFetcher(policy=LOOPBACK, timeout=10.0) as fetcher:
        resource = fetcher.fetch_text(server.url("/sitemap-corrupt.xml.gz"))
    assert (resource.outcome.error, resource.text) == ("bad_content", None), resource.outcome


@pytest.mark.parametrize(("path", "error"), [("/gzip-x1200", "bad_content"),
                                             ("/gzip-x3", "bad_content"),
                                             ("/gzip-corrupt-tail", "bad_content")])
def test_the_fetcher_records_a_bad_coding_and_never_raises(
        server: RunningServer, path: str, error: str) -> None:
    with StaticFetcher(policy=LOOPBACK, timeout=10.0) as fetcher:
        outcome = fetcher.fetch(server.url(path))
    assert (outcome.error, outcome.html) == (error, None), outcome
