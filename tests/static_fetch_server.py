"""A small misbehaving web server on 127.0.0.1 for the static fetcher's tests.

Each path plays one case a real site can throw at the crawler: odd encodings, error
statuses, redirect chains and loops, endless or lying bodies, compression bombs, drips
and resets. Run ``python -m tests.static_fetch_server`` to poke at it by hand.
"""

from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

UTF8_PAGE = (
    "<!doctype html><html><head><title>Sign up</title></head><body>"
    "<form><select name=country><option>Kosovë</option><option>Côte d’Ivoire</option>"
    "<option>Åland</option></select></form></body></html>"
)
CP1251_PAGE = (
    '<html><head><meta charset="windows-1251"><title>Регистрация</title></head><body>'
    "<select name=country><option>Косово</option><option>Сербия</option></select>"
    "</body></html>"
)
LATIN1_PAGE = (
    "<html><head><title>Inscription</title></head><body><select><option>Kosovë</option>"
    "<option>Curaçao</option></select></body></html>"
)
BOM_PAGE = "<html><body><p>Kosova – Косово – 科索沃</p></body></html>"
BOT_WALL = (
    "<html><head><title>Attention Required!</title></head>"
    "<body>Checking your browser</body></html>"
)
GZIP_PAGE = "<html><body>" + "<option>Kosovo</option>" * 50 + "</body></html>"


@dataclass
class ServerState:
    """What the handlers observed, for tests to assert on."""

    paths: list[str] = field(default_factory=list)
    huge_bytes_sent: int = 0
    huge_done: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


_BOMB: bytes | None = None


def gzip_bomb() -> bytes:
    """About 20 KB of gzip that inflates to 20 MB of zeros."""
    global _BOMB
    if _BOMB is None:
        _BOMB = gzip.compress(b"\0" * (20 * 1024 * 1024), compresslevel=9, mtime=0)
    return _BOMB


@cache
def zeros_gzipped(size: int = 100 * 1024 * 1024) -> bytes:
    """``size`` zero bytes as one gzip stream (about a thousandth of that), compressed piece
    by piece so the test process never holds the inflated bytes."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b"\0" * (1024 * 1024)
    parts = [compressor.compress(chunk) for _ in range(size // len(chunk))]
    parts.append(compressor.flush())
    return b"".join(parts)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
        """Keep test output clean."""

    def version_string(self) -> str:
        return "fixture"

    def date_time_string(self, timestamp: float | None = None) -> str:
        return "Mon, 23 Nov 2026 10:00:00 GMT"  # fixed, so recorded cassettes are stable

    # -- helpers ----------------------------------------------------------------------

    def _send(
        self,
        status: int,
        body: bytes = b"",
        content_type: str | None = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def _redirect(
        self, location: str, status: int = 302, headers: dict[str, str] | None = None
    ) -> None:
        self._send(status, b"", headers={"Location": location, **(headers or {})})

    def _chunked(self, chunks: Iterator[bytes], content_type: str = "text/html") -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        for chunk in chunks:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")

    # -- routes -----------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - stdlib's name
        path = self.path.split("?", 1)[0]
        with self.server.state.lock:
            self.server.state.paths.append(self.path)
        route = ROUTES.get(path)
        if route is None and path.startswith("/endless/"):
            route = _endless
        if route is None:
            self._send(404, b"<html><body>not here</body></html>")
            return
        route(self)


def _utf8(h: _Handler) -> None:
    h._send(200, UTF8_PAGE.encode("utf-8"))


def _cp1251(h: _Handler) -> None:
    h._send(200, CP1251_PAGE.encode("cp1251"), content_type="text/html")


def _latin1(h: _Handler) -> None:
    h._send(200, LATIN1_PAGE.encode("latin-1"), content_type="text/html; charset=ISO-8859-1")


def _bom(h: _Handler) -> None:
    # The header lies; the byte order mark wins.
    h._send(200, BOM_PAGE.encode("utf-8-sig"), content_type="text/html; charset=iso-8859-1")


def _gzip(h: _Handler) -> None:
    body = gzip.compress(GZIP_PAGE.encode(), mtime=0)
    h._send(200, body, headers={"Content-Encoding": "gzip"})


def _gzip_times(count: int) -> Callable[[_Handler], None]:
    """A page gzipped once, announced as ``count`` codings (a header meant to exhaust us)."""
    def route(h: _Handler) -> None:
        body = gzip.compress(GZIP_PAGE.encode(), mtime=0)
        h._send(200, body, headers={"Content-Encoding": ", ".join(["gzip"] * count)})
    return route


def corrupt_gzip(page: bytes) -> bytes:
    """A gzip stream that carries ``page`` whole (one stored deflate block), then breaks: the
    next block has the reserved type, which every inflater must refuse."""
    stored = b"\x00" + struct.pack("<HH", len(page), len(page) ^ 0xFFFF) + page
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + stored + b"\x07" + b"\x00" * 16


def _gzip_corrupt_tail(h: _Handler) -> None:
    h._send(200, corrupt_gzip(GZIP_PAGE.encode()), headers={"Content-Encoding": "gzip"})


def _deflate_raw(h: _Handler) -> None:
    squeeze = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    body = squeeze.compress(GZIP_PAGE.encode()) + squeeze.flush()
    h._send(200, body, headers={"Content-Encoding": "deflate"})


def _brotli(h: _Handler) -> None:
    import brotli

    h._send(200, brotli.compress(GZIP_PAGE.encode()), headers={"Content-Encoding": "br"})


def _brotli_bomb(h: _Handler) -> None:
    import brotli

    body = brotli.compress(b"\0" * (20 * 1024 * 1024), quality=5)
    h._send(200, body, headers={"Content-Encoding": "br"})


def _zstd(h: _Handler) -> None:
    h._send(200, b"\x28\xb5\x2f\xfd not really", headers={"Content-Encoding": "zstd"})


def _status(code: int, **headers: str) -> Callable[[_Handler], None]:
    def route(h: _Handler) -> None:
        h._send(code, f"<html><body>status {code}</body></html>".encode(), headers=headers)

    return route


def _forbidden(h: _Handler) -> None:
    h._send(403, BOT_WALL.encode())


def _image(h: _Handler) -> None:
    h._send(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")


def _json(h: _Handler) -> None:
    h._send(200, b'{"countries": ["Kosovo"]}', content_type="application/json")


def _json_html(h: _Handler) -> None:
    h._send(200, b"  <!DOCTYPE html><html><body>ok</body></html>", content_type="application/json")


def _no_type(h: _Handler) -> None:
    h._send(200, b"<html><body>untyped</body></html>", content_type=None)


def _huge_length(h: _Handler) -> None:
    """Claims 60 MB and keeps writing until the client hangs up."""
    state = h.server.state
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "60000000")
    h.end_headers()
    block = b"<p>" + b"x" * (64 * 1024 - 3)
    try:
        while state.huge_bytes_sent < 60_000_000:
            h.wfile.write(block)
            state.huge_bytes_sent += len(block)
    except OSError:
        pass
    finally:
        h.close_connection = True
        state.huge_done.set()


def _chunked_big(h: _Handler) -> None:
    h._chunked(b"<p>" + b"y" * 16 * 1024 for _ in range(200))  # ~3 MB, no length


def _bomb(h: _Handler) -> None:
    h._send(200, gzip_bomb(), headers={"Content-Encoding": "gzip"})


def _drip(h: _Handler) -> None:
    """One byte every 0.2 s of a 100-byte body: within every read timeout, never done."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "100")
    h.end_headers()
    h.close_connection = True
    try:
        for _ in range(100):
            h.wfile.write(b"<")
            h.wfile.flush()
            time.sleep(0.2)
    except OSError:
        pass


def _stall(h: _Handler) -> None:
    """Accepts the request and says nothing for 3 s."""
    time.sleep(3)
    h.close_connection = True


def _reset(h: _Handler) -> None:
    """Promises 100 KB, sends 1 KB, then resets the connection (RST, not FIN)."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    h.wfile.write(b"<html>" + b"z" * 1000)
    h.wfile.flush()
    time.sleep(0.05)
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.close_connection = True
    h.connection.close()


def _endless(h: _Handler) -> None:
    """/endless/N redirects to /endless/N+1: distinct URLs, never an answer."""
    number = int(h.path.rsplit("/", 1)[1] or 0)
    h._redirect(f"/endless/{number + 1}")


def _cookie_set(h: _Handler) -> None:
    h._redirect("/cookie/check", headers={"Set-Cookie": "session=abc123; Path=/"})


def _cookie_check(h: _Handler) -> None:
    if "session=abc123" in (h.headers.get("Cookie") or ""):
        h._send(200, b"<html><body>welcome back</body></html>")
    else:
        h._send(403, b"<html><body>no session</body></html>")


def _echo(h: _Handler) -> None:
    lines = "".join(
        f"<p id='{name.lower()}'>{h.headers.get(name, '')}</p>"
        for name in ("User-Agent", "Accept-Language", "Accept-Encoding")
    )
    h._send(200, f"<html><body>{lines}</body></html>".encode())


ROUTES: dict[str, Callable[[_Handler], None]] = {
    "/utf8": _utf8,
    "/cp1251": _cp1251,
    "/latin1": _latin1,
    "/bom": _bom,
    "/gzip": _gzip,
    "/deflate-raw": _deflate_raw,
    "/gzip-x3": _gzip_times(3),
    "/gzip-x1200": _gzip_times(1200),
    "/gzip-corrupt-tail": _gzip_corrupt_tail,
    "/sitemap-bomb.xml.gz": lambda h: h._send(200, zeros_gzipped(), "application/gzip"),
    "/sitemap-corrupt.xml.gz": lambda h: h._send(200, b"\x1f\x8b\x08" + b"\x00" * 64,
                                                 "application/gzip"),
    "/zstd": _zstd,
    "/brotli": _brotli,
    "/brotli-bomb": _brotli_bomb,
    "/503": _status(503),
    "/404": _status(404),
    "/407": _status(407),
    "/401": _status(401),
    "/403": _forbidden,
    "/429": _status(429, **{"Retry-After": "120"}),
    "/image": _image,
    "/json": _json,
    "/json-html": _json_html,
    "/no-type": _no_type,
    # three hops: relative path, absolute path, then a sibling name
    "/chain/1": lambda h: h._redirect("2", 301),
    "/chain/2": lambda h: h._redirect("/chain/3", 302),
    "/chain/3": lambda h: h._redirect("../utf8", 307),
    "/loop/a": lambda h: h._redirect("/loop/b"),
    "/loop/b": lambda h: h._redirect("/loop/a"),
    "/to-private": lambda h: h._redirect("http://10.0.0.1/"),
    "/to-ftp": lambda h: h._redirect("ftp://example.com/file"),
    "/huge-length": _huge_length,
    "/chunked-big": _chunked_big,
    "/bomb": _bomb,
    "/drip": _drip,
    "/stall": _stall,
    "/reset": _reset,
    "/cookie/set": _cookie_set,
    "/cookie/check": _cookie_check,
    "/echo": _echo,
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: ServerState

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up mid-body is the point of several routes; stay quiet."""


@dataclass
class RunningServer:
    """Handle on a started fixture server."""

    host: str
    port: int
    state: ServerState

    def url(self, path: str, host: str | None = None) -> str:
        return f"http://{host or self.host}:{self.port}{path}"


@contextmanager
def serve() -> Iterator[RunningServer]:
    """Run the fixture server on 127.0.0.1, on a free port, for the duration of the block."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.state = ServerState()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield RunningServer("127.0.0.1", server.server_address[1], server.state)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


if __name__ == "__main__":
    with serve() as running:
        print(f"serving on {running.url('/')}  (Ctrl-C to stop)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
