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
import html
import logging
import socket
import socketserver
import sys
import threading
from collections.abc import Iterable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from xktracker.demoweb.expectations import EVOLVING
from xktracker.demoweb.faults import FAULTS, ROUTE_NOTES, Route, gzip_bomb_body
from xktracker.demoweb.faults import status as fault_status
from xktracker.demoweb.site import (
    NOT_FOUND,
    StaticFile,
    country_page,
    document,
    index,
    load_site,
)

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
DEFAULT_CLI_PORT = 8383
ROBOTS_TXT = b"User-agent: *\nDisallow: /private/\n"


class Handler(BaseHTTPRequestHandler):
    """Routes a request to a static file or to one of the dynamic routes."""

    server: _DemoHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "xktracker-demoweb/1.0"
    sys_version = ""
    timeout = 60  # an idle keep-alive connection is dropped after a minute
    server_name_override: str | None = None

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: test output and the demo terminal need no access log."""

    def version_string(self) -> str:
        """Let a route pose as another server (the bot wall says "cloudflare")."""
        return self.server_name_override or super().version_string()

    def do_GET(self) -> None:
        """Serve a page or a route."""
        self._dispatch()

    def do_HEAD(self) -> None:
        """Same headers as GET, no body (and no waiting for slow bodies)."""
        self._dispatch()

    def do_POST(self) -> None:
        """Forms of the demo web are read, never submitted."""
        self.close_connection = True  # the unread request body must not be parsed
        self.respond(405, document("Method not allowed", "<h1>Method not allowed</h1>"),
                      headers=[("Allow", "GET, HEAD")])

    # -- plumbing

    @property
    def is_head(self) -> bool:
        return self.command == "HEAD"

    def send_headers(self, status: int, length: int, content_type: str,
                      headers: Iterable[tuple[str, str]] = ()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()

    def respond(self, status: int, body: bytes,
                 content_type: str = "text/html; charset=utf-8",
                 headers: Iterable[tuple[str, str]] = ()) -> None:
        self.send_headers(status, len(body), content_type, headers)
        if not self.is_head:
            self.wfile.write(body)

    def wait(self, seconds: float) -> bool:
        """Sleep, but wake at once when the server closes; False when it did."""
        if self.server.stop_event.wait(seconds):
            self.close_connection = True
            return False
        return True

    def redirect(self, location: str) -> None:
        body = document("Moved", f'<p>Moved to <a href="{html.escape(location, quote=True)}">'
                         "here</a>.</p>")
        self.respond(302, body, headers=[("Location", location)])

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
            fault_status(self, parts.path.removeprefix("/status/"))
        else:
            self._static(unquote(parts.path.removeprefix("/")))

    # -- routes

    def _static(self, name: str) -> None:
        entry = self.server.site.get(name) if name and "/" not in name else None
        if entry is None:
            self.respond(404, NOT_FOUND)
            return
        if entry.delay and not self.wait(entry.delay):
            return
        self.respond(entry.status, entry.body, entry.content_type)

    def route_index(self, _query: dict[str, list[str]]) -> None:
        self.respond(200, index(self.server.site, ROUTE_NOTES))

    def route_robots(self, _query: dict[str, list[str]]) -> None:
        self.respond(200, ROBOTS_TXT, "text/plain; charset=utf-8")

    def route_private_signup(self, _query: dict[str, list[str]]) -> None:
        self.respond(200, self.server.country_page)

_PAGES: dict[str, Route] = {
    "/": Handler.route_index,
    "/robots.txt": Handler.route_robots,
    "/private/signup.html": Handler.route_private_signup,
}
# The page routes, then the ways to fail (xktracker.demoweb.faults).
_ROUTES: dict[str, Route] = {**_PAGES, **FAULTS}


class _DemoHTTPServer(ThreadingHTTPServer):
    """A threading server that knows its open connections, so close() can end them."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], site: Mapping[str, StaticFile]) -> None:
        self.site = site
        self.phase = "before"  # of the demo's changing pages (EVOLVING)
        self.country_page = country_page()
        self.stop_event = threading.Event()
        self.flaky_counts: dict[str, int] = {}
        self.counts_lock = threading.Lock()
        self._bomb: bytes | None = None
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, Handler)

    def gzip_bomb(self) -> bytes:
        """Built on first use (a quarter of a second), then kept."""
        with self.counts_lock:
            if self._bomb is None:
                self._bomb = gzip_bomb_body()
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
