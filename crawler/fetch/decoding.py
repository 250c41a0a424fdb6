"""Undoing content codings with a bound, so a compressed bomb costs bounded memory.

Shared by the static fetcher and the browser's egress proxy: each decoder yields at most
``PIECE`` bytes per step, and the caller counts what comes out against its own cap.
"""

from __future__ import annotations

import zlib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator

from crawler.errors import DecodeFailed

try:  # brotli is optional: we never ask for it, but some servers send it anyway
    import brotli as brotli_module
except ImportError:  # pragma: no cover - depends on the environment
    brotli_module = None

# Only brotli >= 1.2 can cap its output per call; an older one would inflate in bulk.
_BROTLI_BOUNDED = brotli_module is not None and hasattr(brotli_module.Decompressor,
                                                        "can_accept_more_data")
_CODEC_ERRORS: tuple[type[Exception], ...] = (zlib.error,) + (
    (brotli_module.error,) if brotli_module is not None else ()
)
ACCEPT_ENCODING = "gzip, deflate"  # the codings we can inflate with a bound
PIECE = 64 * 1024  # most a decoder may produce per step, so a bomb cannot balloon


class _Decoder(ABC):
    """Undoes one content coding, yielding at most ``PIECE`` bytes per step."""

    @abstractmethod
    def feed(self, data: bytes) -> Iterator[bytes]:
        """Decoded pieces of ``data``."""

    def flush(self) -> Iterator[bytes]:
        return iter(())


class _Identity(_Decoder):
    def feed(self, data: bytes) -> Iterator[bytes]:
        if data:
            yield data


class _Zlib(_Decoder):
    """gzip and deflate; deflate falls back to a raw stream (servers send both kinds)."""

    def __init__(self, coding: str) -> None:
        self._raw_fallback = coding == "deflate"
        self._started = False
        self._d = zlib.decompressobj(zlib.MAX_WBITS | 32)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if not self._started and data:
            self._started = True
            probe = zlib.decompressobj(zlib.MAX_WBITS | 32)
            try:
                probe.decompress(data[:64], 1)
            except zlib.error:
                if not self._raw_fallback:
                    raise
                self._d = zlib.decompressobj(-zlib.MAX_WBITS)
        buf = data
        while True:
            out = self._d.decompress(buf, PIECE)
            buf = self._d.unconsumed_tail
            if out:
                yield out
            if self._d.eof or (not buf and len(out) < PIECE):
                return

    def flush(self) -> Iterator[bytes]:
        rest = self._d.flush()
        if rest:
            yield rest


class _Brotli(_Decoder):
    def __init__(self) -> None:
        assert brotli_module is not None
        self._d = brotli_module.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        out = self._d.process(data, output_buffer_limit=PIECE)
        while True:
            if out:
                yield out
            if self._d.can_accept_more_data() or self._d.is_finished():
                return
            out = self._d.process(b"", output_buffer_limit=PIECE)


def _decoders(content_encoding: str | None) -> list[_Decoder]:
    """Decoders in the order to apply them (the header lists codings in the order applied)."""
    chain: list[_Decoder] = []
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    for coding in reversed(codings):
        if coding in ("identity", "none"):
            continue
        if coding in ("gzip", "x-gzip", "deflate"):
            chain.append(_Zlib(coding))
        elif coding == "br" and _BROTLI_BOUNDED:
            chain.append(_Brotli())
        else:
            raise DecodeFailed(f"unsupported content-encoding {coding!r}")
    return chain or [_Identity()]


def _run_chain(chain: list[_Decoder], data: bytes, final: bool) -> Iterator[bytes]:
    """Push bytes through every decoder, piece by piece, so nothing is inflated in bulk."""

    def stage(i: int, pieces: Iterable[bytes]) -> Iterator[bytes]:
        if i == len(chain):
            yield from pieces
            return
        for piece in pieces:
            yield from stage(i + 1, chain[i].feed(piece))
        if final:
            yield from stage(i + 1, chain[i].flush())

    yield from stage(0, [data])


class BoundedDecoder:
    """A ``Content-Encoding`` chain undone piece by piece: feed raw bytes, get decoded ones."""

    def __init__(self, content_encoding: str | None) -> None:
        self._chain = _decoders(content_encoding)

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            yield from _run_chain(self._chain, data, final=False)
        except _CODEC_ERRORS as exc:
            raise DecodeFailed(f"corrupt compressed body: {exc}") from None

    def finish(self) -> Iterator[bytes]:
        try:
            yield from _run_chain(self._chain, b"", final=True)
        except _CODEC_ERRORS as exc:
            raise DecodeFailed(f"corrupt compressed body: {exc}") from None


def gunzip_bounded(body: bytes, max_bytes: int) -> bytes | None:
    """A gzip file's content (a body that is no gzip file as it is); ``None`` when it is
    corrupt or inflates past ``max_bytes`` (a sitemap.xml.gz may be a bomb)."""
    if body[:2] != b"\x1f\x8b":
        return body
    out = bytearray()
    try:
        decoder = BoundedDecoder("gzip")
        for piece in (*decoder.feed(body), *decoder.finish()):
            out += piece
            if len(out) > max_bytes:
                return None
    except DecodeFailed:
        return None
    return bytes(out)
