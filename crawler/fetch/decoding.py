"""Undoing content codings with a bound, so a compressed bomb costs bounded memory.

Shared by the static fetcher and the browser's egress proxy: each decoder yields at most
``PIECE`` bytes per step, and the caller counts each piece against its own cap as it comes
out (never a whole feed's worth at once: one small read may inflate to gigabytes). At most
``MAX_CODINGS`` codings are undone; a longer ``Content-Encoding`` is refused.
"""

from __future__ import annotations

import zlib
from abc import ABC, abstractmethod
from collections.abc import Iterator

from crawler.errors import DecodeFailed, InflatedTooLarge

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
# Most codings one body may carry: real servers send one; each more multiplies a bomb's reach.
MAX_CODINGS = 2


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
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    codings = [c for c in codings if c not in ("identity", "none")]
    if len(codings) > MAX_CODINGS:
        raise DecodeFailed(f"{len(codings)} content codings (at most {MAX_CODINGS} are undone)")
    chain: list[_Decoder] = []
    for coding in reversed(codings):
        if coding in ("gzip", "x-gzip", "deflate"):
            chain.append(_Zlib(coding))
        elif coding == "br" and _BROTLI_BOUNDED:
            chain.append(_Brotli())
        else:
            raise DecodeFailed(f"unsupported content-encoding {coding[:40]!r}")
    return chain or [_Identity()]


def _through(decoder: _Decoder, pieces: Iterator[bytes], final: bool) -> Iterator[bytes]:
    """One decoder's output for ``pieces``, one bounded piece at a time."""
    for piece in pieces:
        yield from decoder.feed(piece)
    if final:
        yield from decoder.flush()


def _run_chain(chain: list[_Decoder], data: bytes, final: bool) -> Iterator[bytes]:
    """Push bytes through every decoder, piece by piece, so nothing is inflated in bulk
    (the stages are stacked in a loop; ``MAX_CODINGS`` bounds how many)."""
    pieces: Iterator[bytes] = iter((data,))
    for decoder in chain:
        pieces = _through(decoder, pieces, final)
    return pieces


class BoundedDecoder:
    """A ``Content-Encoding`` chain undone piece by piece: feed raw bytes, get decoded ones.

    Every failure inside a codec (corrupt data, or anything a codec library raises that we
    did not foresee) comes out as :class:`DecodeFailed`, which callers record as a reason.
    """

    def __init__(self, content_encoding: str | None) -> None:
        self._chain = _decoders(content_encoding)

    def feed(self, data: bytes) -> Iterator[bytes]:
        return self._guarded(data, final=False)

    def finish(self) -> Iterator[bytes]:
        return self._guarded(b"", final=True)

    def _guarded(self, data: bytes, final: bool) -> Iterator[bytes]:
        try:
            yield from _run_chain(self._chain, data, final)
        except _CODEC_ERRORS as exc:
            raise DecodeFailed(f"corrupt compressed body: {exc}") from None
        except DecodeFailed:
            raise
        except Exception as exc:  # noqa: BLE001 - a codec's surprise is a bad body, not a crash
            raise DecodeFailed(f"cannot decode the body: {type(exc).__name__}: {exc}"[:300]) \
                from None


def gunzip_bounded(body: bytes, max_bytes: int) -> bytes:
    """A gzip file's content (a body that is no gzip file as it is). Raises
    :class:`InflatedTooLarge` past ``max_bytes`` (a sitemap.xml.gz may be a bomb) and
    :class:`DecodeFailed` when it is corrupt. Each piece is counted as it is inflated, so a
    bomb costs ``max_bytes`` plus one piece, never its inflated size."""
    if body[:2] != b"\x1f\x8b":
        return body
    out = bytearray()
    decoder = BoundedDecoder("gzip")
    for pieces in (decoder.feed(body), decoder.finish()):
        for piece in pieces:
            out += piece
            if len(out) > max_bytes:
                raise InflatedTooLarge(f"the gzip file inflates past {max_bytes} bytes")
    return bytes(out)
