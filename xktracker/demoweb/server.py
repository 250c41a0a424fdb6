"""The demo web: a small local website of country forms, and of ways for a fetch to fail.

It is the offline demo of the README and the fixture web of the test-suite. Every file in
``pages/`` is served at ``/<filename>``; an HTML page may ask for its own status, charset
or delay with ``xk-*`` meta tags (read once, at start-up). The failure modes a crawler
meets on the real web (5xx, slow bodies, huge bodies, redirect loops, redirects to
private addresses, bot walls, captchas, login walls, robots.txt) are small dynamic routes,
each bounded in time and size so a test can never hang on them.

Only ever binds to 127.0.0.1. Run it by hand with
``python -m xktracker.demoweb.server [--port N]``.
"""

from __future__ import annotations

import argparse
import codecs
import html
import logging
import socket
import socketserver
import struct
import sys
import threading
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pycountry

from xktracker.demoweb.expectations import EVOLVING, PAGES_DIR, page_title, read_meta

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
DEFAULT_CLI_PORT = 8383
MAX_WAIT = 30.0  # seconds: cap of /slow and of xk-delay
HUGE_BYTES = 50 * 1024 * 1024
HUGE_CHUNK = 64 * 1024
DRIP_INTERVAL = 0.5
DRIP_BODY = (b"<!DOCTYPE html><html><head><title>Drip</title></head>"
             b"<body><p>One byte at a time.</p></body></html>")
assert len(DRIP_BODY) * DRIP_INTERVAL <= 60, "the drip must end within a minute"
PRIVATE_TARGET = "http://10.0.0.1/"
ROBOTS_TXT = b"User-agent: *\nDisallow: /private/\n"
ERROR_CODES = frozenset({400, 401, 403, 404, 410, 429, 500, 502, 503, 504})
FLAKY_MAX_FAILURES = 10
BOMB_BYTES = 64 * 1024 * 1024

_TEXT_TYPES = {".html": "text/html", ".htm": "text/html", ".js": "text/javascript",
               ".mjs": "text/javascript", ".css": "text/css", ".json": "application/json",
               ".txt": "text/plain", ".svg": "image/svg+xml", ".xml": "application/xml"}
_BINARY_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".gif": "image/gif",
                 ".ico": "image/x-icon", ".woff2": "font/woff2"}


@dataclass(frozen=True)
class StaticFile:
    """One file of ``pages/`` as it will be answered."""

    body: bytes
    content_type: str
    status: int = 200
    delay: float = 0.0
    title: str = ""
    verdict: str = ""


def _load_file(path: Path) -> StaticFile:
    """Read a page and its ``xk-*`` response options; ValueError on a bad option."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix not in (".html", ".htm"):
        if suffix in _TEXT_TYPES:
            return StaticFile(data, f"{_TEXT_TYPES[suffix]}; charset=utf-8")
        return StaticFile(data, _BINARY_TYPES.get(suffix, "application/octet-stream"))
    meta = read_meta(data)
    charset = meta.get("xk-charset") or "utf-8"
    try:
        codec = codecs.lookup(charset).name
    except LookupError:
        raise ValueError(f"{path.name}: unknown xk-charset {charset!r}") from None
    body = data
    if codec != "utf-8":
        # A page may be stored as UTF-8 and served in its charset, or stored already
        # encoded; real text in a legacy charset is practically never valid UTF-8.
        try:
            body = data.decode("utf-8").encode(charset, errors="xmlcharrefreplace")
        except UnicodeDecodeError:
            body = data
    no_header = meta.get("xk-no-header-charset", "").lower() in ("1", "true", "yes")
    content_type = "text/html" if no_header else f"text/html; charset={charset}"
    status = 200
    if meta.get("xk-status"):
        status = int(meta["xk-status"])
        if not 100 <= status <= 599:
            raise ValueError(f"{path.name}: xk-status {status} is not an HTTP status")
    delay = min(max(float(meta.get("xk-delay") or 0), 0.0), MAX_WAIT)
    return StaticFile(body, content_type, status, delay, page_title(data, meta),
                      meta.get("xk-expect", ""))


def load_site(pages_dir: Path | str | None = None) -> dict[str, StaticFile]:
    """Every regular, non-hidden file of the pages folder, by file name."""
    folder = Path(pages_dir) if pages_dir is not None else PAGES_DIR
    if not folder.is_dir():
        return {}
    return {p.name: _load_file(p) for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".")}


# ------------------------------------------------------------------- generated bodies


def _document(title: str, body: str, *, head: str = "") -> bytes:
    """A minimal, valid HTML document."""
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n{head}</head>\n<body>\n{body}\n"
            "</body>\n</html>\n").encode()


def _country_page() -> bytes:
    """A signup page with an ISO-named world list including Kosovo (for /slow, /private)."""
    names = [(c.alpha_2, getattr(c, "common_name", None) or c.name)
             for c in pycountry.countries]
    names.append(("XK", "Kosovo"))
    names.sort(key=lambda item: item[1].casefold())
    options = "\n".join(f'    <option value="{code}">{html.escape(name)}</option>'
                        for code, name in names)
    form = ('<h1>Create your account</h1>\n<form method="post" action="#">\n'
            '  <label for="email">Email</label> <input id="email" name="email" type="email">\n'
            '  <label for="country">Country</label>\n  <select id="country" name="country">\n'
            f'    <option value="">Select a country</option>\n{options}\n  </select>\n'
            '  <button type="submit">Sign up</button>\n</form>')
    return _document("Signup, ISO-named world list with Kosovo (dynamic page)", form)


_NOT_FOUND = _document("Not found", "<h1>Not found</h1>\n<p>There is no page here. "
                       '<a href="/">See the list of pages</a>.</p>')

_BOTWALL = _document(
    "Just a moment...",
    '<div class="main-wrapper" role="main">\n'
    '  <div class="main-content">\n'
    '    <h1 class="zone-name-title">shop.example</h1>\n'
    '    <h2 id="challenge-running">Checking if the site connection is secure</h2>\n'
    "    <noscript><p>Enable JavaScript and cookies to continue</p></noscript>\n"
    '    <div id="challenge-body-text">shop.example needs to review the security of your '
    "connection before proceeding.</div>\n"
    '    <div id="challenge-stage"></div>\n'
    "  </div>\n</div>\n"
    '<div class="footer">Ray ID: <code>8e7a1c2b3d4f5a6b</code> · Performance &amp; security '
    "by a CDN</div>",
    head='<meta name="robots" content="noindex,nofollow">\n'
         "<style>body{font-family:system-ui,sans-serif;margin:8rem auto;max-width:40rem}"
         "</style>\n")

_CAPTCHA = _document(
    "Please verify you are a human",
    "<h1>Please verify you are a human</h1>\n"
    "<p>We have noticed unusual activity from your network. Complete the check below to "
    "continue.</p>\n"
    '<form method="post" action="#verify">\n'
    '  <div class="g-recaptcha" data-sitekey="6LdDemoKeyNotRealAAAAAAAAAAAAAAAAAAAAAAA">'
    "</div>\n"
    '  <button type="submit">Continue</button>\n</form>')


def _status_page(code: int) -> bytes:
    """A small error page of the kind web servers send."""
    phrase = HTTPStatus(code).phrase
    return _document(f"{code} {phrase}", f"<h1>{code} {phrase}</h1>\n"
                     "<p>Sorry, something went wrong. Please try again later.</p>")


def _index(files: Mapping[str, StaticFile]) -> bytes:
    """The list of every page and route, names escaped (they come from the file system)."""
    rows = []
    for name, entry in files.items():
        href = html.escape("/" + quote(name), quote=True)
        extra = f" ({entry.status})" if entry.status != 200 else ""
        rows.append(f'<tr><td><a href="{href}">{html.escape(name)}</a></td>'
                    f"<td>{html.escape(entry.title)}</td>"
                    f"<td>{html.escape(entry.verdict)}{extra}</td></tr>")
    routes = "".join(f'<li><a href="{html.escape(path, quote=True)}">{html.escape(path)}</a>'
                     f" — {html.escape(text)}</li>" for path, text in _ROUTE_NOTES)
    body = ("<h1>xktracker demo web</h1>\n<p>Local pages with country fields, for trying "
            "xktracker offline.</p>\n<table>\n<tr><th>Page</th><th>What it is</th>"
            "<th>Expected</th></tr>\n" + "\n".join(rows) + "\n</table>\n"
            f"<h2>Routes</h2>\n<ul>{routes}</ul>")
    return _document("xktracker demo web", body)


_ROUTE_NOTES = (
    ("/status/503", "503 with an error page (also /status/404, /status/500 …)"),
    ("/slow?seconds=20", "headers at once, the page after N seconds (N ≤ 30)"),
    ("/drip", "a tiny page, one byte every 0.5 s"),
    ("/huge", "a 50 MiB page"),
    ("/redirect-loop", "redirects to itself"),
    ("/redirect?to=/signup-de.html", "redirects to a local path"),
    ("/redirect-private", "redirects to a private address"),
    ("/robots.txt", "disallows /private/"),
    ("/private/signup.html", "a country page behind robots.txt"),
    ("/botwall", "a bot-protection challenge (403)"),
    ("/captcha", "a captcha page"),
    ("/login-redirect", "redirects to a login form"),
    ("/flaky?key=a&fail=2", "503 for the first N requests with this key, then the country page"),
    ("/flaky?key=b&fail=1&status=429&retry_after=1", "the same with 429 and Retry-After"),
    ("/reset", "a third of the country page, then a TCP reset"),
    ("/gzip-bomb", "64 KiB of gzip that inflates to 64 MiB"),
)


def _is_local_path(target: str) -> bool:
    """True for "/path?query": no scheme, no host, nothing that could be a header break."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(not 33 <= ord(ch) < 127 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


# ----------------------------------------------------------------------------- server


class _Handler(BaseHTTPRequestHandler):
    """Routes a request to a static file or to one of the dynamic routes."""

    server: _DemoHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "xktracker-demoweb/1.0"
    sys_version = ""
    timeout = 60  # an idle keep-alive connection is dropped after a minute
    _server_name: str | None = None

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: test output and the demo terminal need no access log."""

    def version_string(self) -> str:
        """Let a route pose as another server (the bot wall says "cloudflare")."""
        return self._server_name or super().version_string()

    def do_GET(self) -> None:
        """Serve a page or a route."""
        self._dispatch()

    def do_HEAD(self) -> None:
        """Same headers as GET, no body (and no waiting for slow bodies)."""
        self._dispatch()

    def do_POST(self) -> None:
        """Forms of the demo web are read, never submitted."""
        self.close_connection = True  # the unread request body must not be parsed
        self._respond(405, _document("Method not allowed", "<h1>Method not allowed</h1>"),
                      headers=[("Allow", "GET, HEAD")])

    # -- plumbing

    @property
    def _head(self) -> bool:
        return self.command == "HEAD"

    def _send_headers(self, status: int, length: int, content_type: str,
                      headers: Iterable[tuple[str, str]] = ()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()

    def _respond(self, status: int, body: bytes,
                 content_type: str = "text/html; charset=utf-8",
                 headers: Iterable[tuple[str, str]] = ()) -> None:
        self._send_headers(status, len(body), content_type, headers)
        if not self._head:
            self.wfile.write(body)

    def _wait(self, seconds: float) -> bool:
        """Sleep, but wake at once when the server closes; False when it did."""
        if self.server.stop_event.wait(seconds):
            self.close_connection = True
            return False
        return True

    def _redirect(self, location: str) -> None:
        body = _document("Moved", f'<p>Moved to <a href="{html.escape(location, quote=True)}">'
                         "here</a>.</p>")
        self._respond(302, body, headers=[("Location", location)])

    def _dispatch(self) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        route = _ROUTES.get(parts.path)
        if route is not None:
            route(self, query)
        elif parts.path in EVOLVING:
            # The demo's changing pages: which file depends on the phase of this server.
            self._static(EVOLVING[parts.path].page(self.server.phase))
        elif parts.path.startswith("/status/"):
            self._status(parts.path.removeprefix("/status/"))
        else:
            self._static(unquote(parts.path.removeprefix("/")))

    # -- routes

    def _static(self, name: str) -> None:
        entry = self.server.site.get(name) if name and "/" not in name else None
        if entry is None:
            self._respond(404, _NOT_FOUND)
            return
        if entry.delay and not self._wait(entry.delay):
            return
        self._respond(entry.status, entry.body, entry.content_type)

    def _status(self, code_text: str) -> None:
        code = int(code_text) if code_text.isdigit() else 0
        if code not in ERROR_CODES:
            self._respond(404, _NOT_FOUND)
            return
        headers = [("Retry-After", "120")] if code in (429, 503) else []
        self._respond(code, _status_page(code), headers=headers)

    def _route_index(self, _query: dict[str, list[str]]) -> None:
        self._respond(200, _index(self.server.site))

    def _route_robots(self, _query: dict[str, list[str]]) -> None:
        self._respond(200, ROBOTS_TXT, "text/plain; charset=utf-8")

    def _route_private_signup(self, _query: dict[str, list[str]]) -> None:
        self._respond(200, self.server.country_page)

    def _route_slow(self, query: dict[str, list[str]]) -> None:
        try:
            seconds = float(query.get("seconds", ["5"])[0])
        except ValueError:
            self._respond(400, _status_page(400))
            return
        seconds = min(max(seconds, 0.0), MAX_WAIT)
        body = self.server.country_page
        self._send_headers(200, len(body), "text/html; charset=utf-8")
        if self._head or not self._wait(seconds):
            return
        self.wfile.write(body)

    def _route_drip(self, _query: dict[str, list[str]]) -> None:
        self._send_headers(200, len(DRIP_BODY), "text/html; charset=utf-8")
        if self._head:
            return
        for i in range(len(DRIP_BODY)):
            self.wfile.write(DRIP_BODY[i:i + 1])
            if i + 1 < len(DRIP_BODY) and not self._wait(DRIP_INTERVAL):
                return

    def _route_huge(self, _query: dict[str, list[str]]) -> None:
        head = _document("Huge page", "<h1>A very large page</h1>").split(b"</body>")[0]
        tail = b"</body>\n</html>\n"
        line = b"<p>Filler row: this page is fifty mebibytes of nothing in particular.</p>\n"
        chunk = line * (HUGE_CHUNK // len(line))
        self._send_headers(200, HUGE_BYTES, "text/html; charset=utf-8")
        if self._head:
            return
        self.wfile.write(head)
        remaining = HUGE_BYTES - len(head) - len(tail)
        while remaining > 0:
            if self.server.stop_event.is_set():
                self.close_connection = True
                return
            piece = chunk[:remaining]
            self.wfile.write(piece)
            remaining -= len(piece)
        self.wfile.write(tail)

    def _route_redirect_loop(self, _query: dict[str, list[str]]) -> None:
        self._redirect("/redirect-loop")

    def _route_redirect(self, query: dict[str, list[str]]) -> None:
        target = query.get("to", [""])[0]
        if not _is_local_path(target):
            self._respond(400, _document("Bad request", "<h1>Bad request</h1>\n"
                                         "<p>Only local paths can be redirected to.</p>"))
            return
        self._redirect(target)

    def _route_redirect_private(self, _query: dict[str, list[str]]) -> None:
        self._redirect(PRIVATE_TARGET)

    def _route_login_redirect(self, _query: dict[str, list[str]]) -> None:
        self._redirect("/login.html")

    def _route_botwall(self, _query: dict[str, list[str]]) -> None:
        self._server_name = "cloudflare"
        self._respond(403, _BOTWALL, headers=[("cf-mitigated", "challenge"),
                                              ("cf-ray", "8e7a1c2b3d4f5a6b-VIE")])
        self._server_name = None

    def _route_captcha(self, _query: dict[str, list[str]]) -> None:
        self._respond(200, _CAPTCHA)

    def _route_flaky(self, query: dict[str, list[str]]) -> None:
        """Fail the first ``fail`` requests for ``key`` (503, or ``status``), then answer:
        what a retrying crawler must get through. The count lives in the server."""
        try:
            key = query.get("key", [""])[0][:64]
            fail = min(max(int(query.get("fail", ["2"])[0]), 0), FLAKY_MAX_FAILURES)
            status = int(query.get("status", ["503"])[0])
            retry_after = query.get("retry_after", [""])[0]
        except ValueError:
            self._respond(400, _status_page(400))
            return
        if status not in ERROR_CODES or (retry_after and not retry_after.isdigit()):
            self._respond(400, _status_page(400))
            return
        with self.server.counts_lock:
            seen = self.server.flaky_counts.get(key, 0)
            self.server.flaky_counts[key] = seen + 1
        if seen < fail:
            headers = [("Retry-After", retry_after)] if retry_after else []
            self._respond(status, _status_page(status), headers=headers)
            return
        self._respond(200, self.server.country_page)

    def _route_reset(self, _query: dict[str, list[str]]) -> None:
        """Promise the whole country page, send a third of it, then reset the connection."""
        body = self.server.country_page
        self._send_headers(200, len(body), "text/html; charset=utf-8")
        if self._head:
            return
        self.wfile.write(body[: len(body) // 3])
        self.wfile.flush()
        # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def _route_gzip_bomb(self, _query: dict[str, list[str]]) -> None:
        """A small gzip body that inflates a thousandfold: a size cap must apply after
        decompression, not to the bytes on the wire."""
        self._respond(200, self.server.gzip_bomb(), "text/html; charset=utf-8",
                      headers=[("Content-Encoding", "gzip")])


_Route = Callable[[_Handler, dict[str, list[str]]], None]
_ROUTES: dict[str, _Route] = {
    "/": _Handler._route_index,
    "/robots.txt": _Handler._route_robots,
    "/private/signup.html": _Handler._route_private_signup,
    "/slow": _Handler._route_slow,
    "/drip": _Handler._route_drip,
    "/huge": _Handler._route_huge,
    "/redirect-loop": _Handler._route_redirect_loop,
    "/redirect": _Handler._route_redirect,
    "/redirect-private": _Handler._route_redirect_private,
    "/login-redirect": _Handler._route_login_redirect,
    "/botwall": _Handler._route_botwall,
    "/captcha": _Handler._route_captcha,
    "/flaky": _Handler._route_flaky,
    "/reset": _Handler._route_reset,
    "/gzip-bomb": _Handler._route_gzip_bomb,
}


class _DemoHTTPServer(ThreadingHTTPServer):
    """A threading server that knows its open connections, so close() can end them."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], site: Mapping[str, StaticFile]) -> None:
        self.site = site
        self.phase = "before"  # of the demo's changing pages (EVOLVING)
        self.country_page = _country_page()
        self.stop_event = threading.Event()
        self.flaky_counts: dict[str, int] = {}
        self.counts_lock = threading.Lock()
        self._bomb: bytes | None = None
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)

    def gzip_bomb(self) -> bytes:
        """Built on first use (a quarter of a second), then kept."""
        with self.counts_lock:
            if self._bomb is None:
                packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
                zeros = bytes(1024 * 1024)
                parts = [packer.compress(b"<!DOCTYPE html><html><body>")]
                parts += [packer.compress(zeros) for _ in range(BOMB_BYTES // len(zeros))]
                parts.append(packer.flush())
                self._bomb = b"".join(parts)
            return self._bomb

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse DNS lookup (slow on offline machines)."""
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def end_connections(self) -> None:
        """Shut every open connection so handler threads blocked on it return."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up mid-answer is normal here (tests read a chunk of /huge)."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            return
        if isinstance(error, OSError) and self.stop_event.is_set():
            return
        log.warning("demo web: error answering %s", client_address, exc_info=True)


class DemoWebServer:
    """The demo web on 127.0.0.1, served from a daemon thread; a context manager.

    Starts serving on construction. ``port=0`` picks a free port; ``base_url`` is then
    e.g. ``http://127.0.0.1:54321``. ``pages_dir`` replaces the bundled pages (tests).
    """

    def __init__(self, port: int = 0, pages_dir: Path | str | None = None) -> None:
        self._httpd = _DemoHTTPServer((HOST, port), load_site(pages_dir))
        self.port: int = self._httpd.server_port
        self.base_url = f"http://{HOST}:{self.port}"
        self._closed = False
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name="xktracker-demoweb", daemon=True)
        self._thread.start()

    @property
    def phase(self) -> str:
        """``before`` or ``after``: which page the demo's changing pages serve."""
        return str(self._httpd.phase)

    @phase.setter
    def phase(self, value: str) -> None:
        if value not in ("before", "after"):
            raise ValueError("the phase is before or after")
        self._httpd.phase = value

    @property
    def pages(self) -> list[str]:
        """Names of the files served at ``/<name>``."""
        return list(self._httpd.site)

    def url(self, path: str = "/") -> str:
        """Absolute URL of a path on this server."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def close(self) -> None:
        """Stop serving, wake sleeping handlers, end open connections. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._httpd.stop_event.set()
        self._httpd.shutdown()
        self._httpd.end_connections()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> DemoWebServer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"DemoWebServer({self.base_url!r})"


def main(argv: list[str] | None = None) -> int:
    """Serve the demo web until Ctrl-C."""
    parser = argparse.ArgumentParser(
        prog="python -m xktracker.demoweb.server",
        description="Serve the xktracker demo web on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=DEFAULT_CLI_PORT,
                        help=f"port to listen on (default {DEFAULT_CLI_PORT}; 0 = any free)")
    args = parser.parse_args(argv)
    try:
        server = DemoWebServer(port=args.port)
    except OSError as error:
        print(f"cannot listen on {HOST}:{args.port}: {error}", file=sys.stderr)
        return 1
    print(f"Demo web at {server.base_url}/  (Ctrl-C to stop)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
