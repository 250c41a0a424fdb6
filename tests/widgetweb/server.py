"""The widget web: pages whose country pickers are drawn by real UI libraries from npm.

Two servers share one handler: the main origin on 127.0.0.1 and a second origin on
127.0.0.2 (the payment-provider frame of the checkout pages), both on port 0. Routes:

``/``                    the index of every page and its expected verdict;
``/p/<page>``            a page (``<widget>-<variant>``), rendered from ``pages/<widget>.html``;
``/npm/<path>``          a file of the installed ``node_modules`` (the libraries, unmodified);
``/build/<file>``        an esbuild bundle made by ``build.mjs`` (React and Vue pages);
``/src/<file>``          the glue code of the pages that need no bundling;
``/data/countries.js``   ``window.XKW``: the variant's list (``?list=&lang=``);
``/api/countries``       a typeahead's JSON endpoint (``?list=&lang=&q=&limit=``);
``/api/lazy``            the whole list as JSON, for pages that fetch it late.

Nothing is written; every path is resolved inside its folder. Run it by hand with
``python -m tests.widgetweb.server`` (after ``make widgetweb``).
"""

from __future__ import annotations

import html
import json
import re
import sys
import threading
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.widgetweb.catalog import PAGES, WidgetPage, meta_tags
from tests.widgetweb.lists import LANGS, VARIANTS, country_list, search

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
BUILD = HERE / "build"
SRC = HERE / "src"
TEMPLATES = HERE / "pages"
MAIN_HOST = "127.0.0.1"
OTHER_HOST = "127.0.0.2"
MAX_LIMIT = 300

_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
          ".mjs": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png",
          ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".map":
          "application/json", ".webp": "image/webp"}
_SECTION = re.compile(r"^<!-- (title|head|body|scripts):?[ ]*(.*?)[ ]*-->$", re.M)


def missing_setup() -> str | None:
    """Why the widget web cannot be served here (``make widgetweb`` not run), or None."""
    if not (NODE_MODULES / ".package-lock.json").is_file():
        return "the widget web's npm packages are not installed: run `make widgetweb`"
    if not (BUILD / "built.json").is_file():
        return "the widget web's bundles are not built: run `make widgetweb`"
    return None


def _inside(folder: Path, relative: str) -> Path | None:
    """``folder/relative`` if it is a file inside ``folder`` (no ``..``, no symlink out)."""
    if not relative or "\x00" in relative or relative.startswith("/"):
        return None
    try:
        path = (folder / relative).resolve()
    except (OSError, RuntimeError):
        return None
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        return None
    return path


def _template(name: str) -> dict[str, str]:
    """The sections of ``pages/<name>.html`` (``title``, ``head``, ``body``, ``scripts``)."""
    text = (TEMPLATES / f"{name}.html").read_text(encoding="utf-8")
    parts: dict[str, str] = {}
    marks = list(_SECTION.finditer(text))
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        key = mark.group(1)
        parts[key] = mark.group(2) if key == "title" else text[mark.end():end].strip("\n")
    return parts


_SHELL = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – {brand}</title>
{meta}
<link rel="stylesheet" href="/src/site.css">
{head}
</head>
<body>
<header class="site"><span class="brand">{brand}</span>
<nav><a href="#">Shop</a><a href="#">Help</a><a href="#">Sign in</a></nav></header>
<main>
{body}
</main>
<footer class="site">&copy; 2026 {brand} Ltd. <a href="#">Privacy</a> <a href="#">Terms</a></footer>
<script src="/data/countries.js?list={list}&amp;lang={lang}"></script>
{scripts}
</body>
</html>
"""


def render(page: WidgetPage, other_origin: str) -> bytes:
    """One page: its template's sections in the shell, its expectation as meta tags."""
    parts = _template(page.widget.template)
    rows = country_list(page.variant, page.widget.lang)
    options = "\n".join(f'<option value="{code}">{html.escape(name)}</option>'
                        for code, name, _ in rows)
    values = {"list": page.variant, "lang": page.widget.lang, "other_origin": other_origin,
              "options": options, "page": page.name}

    def fill(text: str) -> str:
        return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], text)

    return _SHELL.format(
        lang=page.widget.lang, title=html.escape(parts.get("title") or page.widget.what),
        brand=html.escape(page.widget.brand), meta=meta_tags(page),
        head=fill(parts.get("head", "")),
        body=fill(parts.get("body", "")), scripts=fill(parts.get("scripts", "")),
        list=page.variant).encode("utf-8")


def _index() -> bytes:
    rows = "\n".join(
        f'<tr><td><a href="{html.escape(p.path)}">{html.escape(p.name)}</a></td>'
        f"<td>{html.escape(p.widget.library)}</td><td>{html.escape(p.widget.what)}</td>"
        f"<td>{html.escape(p.verdict)}</td></tr>" for p in PAGES)
    return ("<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Widget web</title>"
            "</head><body><h1>Widget web</h1><p>Country pickers drawn by real UI libraries."
            f"</p><table>{rows}</table></body></html>").encode()


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 60

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
        """Quiet: tests need no access log."""

    def version_string(self) -> str:
        return "xktracker-widgetweb/1.0"

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store" if status != 200 or content_type.startswith(
            "text/html") else "max-age=600")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_found(self) -> None:
        self._send(404, b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>",
                   "text/html; charset=utf-8")

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_POST(self) -> None:
        """The pages are read, never submitted: a submission is a bug worth seeing."""
        self.close_connection = True
        self.server.posts.append(self.path)
        self._send(405, b"<!DOCTYPE html><title>No</title><h1>Forms here are never sent</h1>",
                   "text/html; charset=utf-8")

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if path == "/":
            self._send(200, _index(), "text/html; charset=utf-8")
        elif path.startswith("/p/"):
            page = self.server.pages.get(path[3:])
            if page is None:
                self._not_found()
                return
            self._send(200, render(page, self.server.other_origin), "text/html; charset=utf-8")
        elif path == "/data/countries.js":
            self._data(query)
        elif path in ("/api/countries", "/api/lazy"):
            self._api(path, query)
        else:
            for prefix, folder in (("/npm/", NODE_MODULES), ("/build/", BUILD), ("/src/", SRC)):
                if path.startswith(prefix):
                    self._file(folder, path[len(prefix):])
                    return
            self._not_found()

    def _file(self, folder: Path, relative: str) -> None:
        found = _inside(folder, relative)
        if found is None:
            self._not_found()
            return
        self._send(200, found.read_bytes(),
                   _TYPES.get(found.suffix.lower(), "application/octet-stream"))

    def _list_of(self, query: Mapping[str, str]) -> tuple[str, str] | None:
        variant, lang = query.get("list", "xk"), query.get("lang", "en")
        if variant not in VARIANTS or lang not in LANGS:
            self._send(400, b'{"error": "unknown list"}', "application/json")
            return None
        return variant, lang

    def _data(self, query: Mapping[str, str]) -> None:
        chosen = self._list_of(query)
        if chosen is None:
            return
        variant, lang = chosen
        data = {"variant": variant, "lang": lang,
                "list": [list(r) for r in country_list(variant, lang)]}
        body = ("/* The widget web's country list (tests/widgetweb/lists.py). */\n"
                f"window.XKW = {json.dumps(data, ensure_ascii=False)};\n").encode()
        self._send(200, body, "text/javascript; charset=utf-8")

    def _api(self, path: str, query: Mapping[str, str]) -> None:
        chosen = self._list_of(query)
        if chosen is None:
            return
        variant, lang = chosen
        try:
            limit = min(max(int(query.get("limit", "20")), 1), MAX_LIMIT)
            delay = min(max(int(query.get("delay", "40")), 0), 2000) / 1000
        except ValueError:
            self._send(400, b'{"error": "bad number"}', "application/json")
            return
        if path == "/api/lazy":
            rows = list(country_list(variant, lang))
        else:
            rows = search(variant, lang, query.get("q", "")[:60], limit)
        time.sleep(delay)  # a real endpoint takes a moment; pages must wait for it
        body = json.dumps([{"code": c, "name": n, "dial": d} for c, n, d in rows],
                          ensure_ascii=False).encode("utf-8")
        self._send(200, body, "application/json; charset=utf-8")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, host: str, pages: Mapping[str, WidgetPage]) -> None:
        self.pages = pages
        self.other_origin = ""
        self.posts: list[str] = []
        super().__init__((host, 0), _Handler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse DNS lookup."""
        import socketserver

        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(
            self.server_address[1])


class WidgetWeb:
    """Both origins, served from daemon threads; a context manager.

    ``url(path)`` is on the main origin; ``other_origin`` is where the checkout pages'
    payment frames come from. ``posts`` lists every form submission received (there must be
    none: the checker never submits).
    """

    def __init__(self) -> None:
        pages = {p.name: p for p in PAGES}
        self._servers = [_Server(MAIN_HOST, pages), _Server(OTHER_HOST, pages)]
        main, other = self._servers
        self.base_url = f"http://{MAIN_HOST}:{main.server_port}"
        self.other_origin = f"http://{OTHER_HOST}:{other.server_port}"
        for server in self._servers:
            server.other_origin = self.other_origin
        self._threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.05},
                                          name="xk-widgetweb", daemon=True)
                         for s in self._servers]
        for thread in self._threads:
            thread.start()

    @property
    def posts(self) -> list[str]:
        return [p for s in self._servers for p in s.posts]

    def url(self, path: str = "/") -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def close(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> WidgetWeb:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def main() -> int:
    problem = missing_setup()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    with WidgetWeb() as web:
        print(f"Widget web at {web.base_url}/ (other origin {web.other_origin}); Ctrl-C stops")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
