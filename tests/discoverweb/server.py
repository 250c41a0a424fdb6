"""The discovery test web: small sites on one local server, told apart by host name.

Every folder of ``sites/`` is a site; ``alba/`` answers for ``alba.localhost`` and
``www.alba.localhost`` (any name whose last label before ``.localhost`` or ``.test`` is
``alba``), so sites have real host names on one port of 127.0.0.1 (``*.localhost`` is loopback
for the address guard, Chromium and the crawler's resolver alike). ``site.toml`` says how a site
behaves: a language redirect at ``/``, paths behind a login, plain redirects, hosts of the same
site answering from a sub-folder. Every request is recorded (host, path), so a test can prove
what discovery never asked for.

Run it by hand: ``python -m tests.discoverweb.server`` prints each site's address.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import threading
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote, urlsplit

SITES_DIR = Path(__file__).with_name("sites")
# ``<!--xk-options KIND LOCALE-->`` in a page becomes a full list of <option>s when served,
# and ``/assets/countries-KIND-LOCALE.json`` the same list for a script, so pages stay small.
_OPTIONS = re.compile(r"<!--xk-options ([a-z-]+) ([A-Za-z_]+)-->")
_ASSET = re.compile(r"^/assets/countries-([a-z-]+)-([A-Za-z_]+)\.json$")
_EU = ("AT", "BE", "DE", "DK", "ES", "FI", "FR", "IE", "IT", "NL", "PT", "SE")
HOST = "127.0.0.1"
_TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml",
          ".txt": "text/plain; charset=utf-8", ".js": "text/javascript; charset=utf-8",
          ".json": "application/json", ".gz": "application/gzip"}


@dataclass(frozen=True, slots=True)
class SiteConfig:
    name: str
    folder: Path
    description: str = ""
    start: str = "/"
    language_redirect: str | None = None  # "/" answers 302 to this path
    login_wall: bool = False  # every path but /login answers 302 to /login
    login_paths: tuple[str, ...] = ()  # these paths (and below) answer 302 to the login page
    login_url: str = "/login"  # where a login redirect goes (another host of the site …)
    redirects: dict[str, str] = field(default_factory=dict)
    hosts: dict[str, str] = field(default_factory=dict)  # sub-domain → sub-folder
    expect: tuple[dict[str, Any], ...] = ()  # findings with no page of their own
    browser_only: bool = False  # its forms are drawn by script: a static walk sees none

    @classmethod
    def load(cls, folder: Path) -> SiteConfig:
        data = tomllib.loads((folder / "site.toml").read_text(encoding="utf-8"))
        return cls(name=folder.name, folder=folder, description=data.get("description", ""),
                   start=data.get("start", "/"),
                   language_redirect=data.get("language_redirect"),
                   login_wall=bool(data.get("login_wall", False)),
                   login_paths=tuple(data.get("login_paths", ())),
                   login_url=data.get("login_url", "/login"),
                   redirects=dict(data.get("redirects", {})),
                   hosts=dict(data.get("hosts", {})),
                   expect=tuple(data.get("expect", ())),
                   browser_only=bool(data.get("browser_only", False)))


def load_sites() -> dict[str, SiteConfig]:
    return {p.name: SiteConfig.load(p) for p in sorted(SITES_DIR.iterdir())
            if (p / "site.toml").is_file()}


@lru_cache(maxsize=64)
def country_pairs(kind: str, locale: str) -> list[tuple[str, str]]:
    """(value, label) pairs of a list: ``world-listed``, ``world-missing``,
    ``world-qualified`` ("Kosovo (Serbia)"), ``dial-listed`` (+383), ``dial-wrong`` (+377),
    ``eu-short`` (12 countries, no Kosovo)."""
    from xktracker.demoweb.country_data import dial_code, world

    if kind == "world-listed":
        return world(locale)
    if kind == "world-missing":
        return world(locale, kosovo=False)
    if kind == "world-qualified":
        return world(locale, kosovo="Kosovo (Serbia)")
    if kind in ("dial-listed", "dial-wrong"):
        pairs = []
        for code, name in world(locale):
            dial = dial_code(code) if code != "XK" else (383 if kind == "dial-listed" else 377)
            if dial:
                pairs.append((code, f"{name} (+{dial})"))
        return pairs
    if kind == "eu-short":
        names = dict(world(locale))
        return [(code, names[code]) for code in _EU]
    raise ValueError(f"unknown list {kind!r}")


def expand(body: bytes) -> bytes:
    text = body.decode("utf-8")
    if "<!--xk-options" not in text:
        return body

    def options(match: re.Match[str]) -> str:
        return "".join(f'<option value="{html.escape(v)}">{html.escape(label)}</option>'
                       for v, label in country_pairs(match.group(1), match.group(2)))

    return _OPTIONS.sub(options, text).encode("utf-8")


@dataclass(frozen=True, slots=True)
class Hit:
    host: str  # without the port
    path: str  # with the query
    user_agent: str


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes; without TCP_NODELAY the second waits for the
    # client's delayed ACK (40 ms a page on a kept-alive connection), which the timings of
    # benchmarks/bench_discover.py would count as discovery's own.
    disable_nagle_algorithm = True
    server: DiscoverWeb

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
        """Quiet."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib's name
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
        self.server.record(Hit(host, self.path, self.headers.get("User-Agent") or ""))
        site, sub = self.server.site_for(host)
        if site is None:
            self._send(404, b"<html><body>No such site</body></html>", "text/html")
            return
        parts = urlsplit(self.path)
        path = parts.path or "/"
        if site.login_wall and path != "/login" and not path.startswith("/assets/") \
                and path != "/robots.txt":
            self._redirect("/login?next=" + quote(path))
            return
        if any(path == p or path.startswith(p.rstrip("/") + "/") for p in site.login_paths):
            self._redirect(site.login_url + "?next=" + quote(path))
            return
        if path == "/" and site.language_redirect:
            self._redirect(site.language_redirect)
            return
        if path in site.redirects:
            self._redirect(site.redirects[path])
            return
        asset = _ASSET.match(path)
        if asset:
            data = json.dumps(country_pairs(asset.group(1), asset.group(2)), ensure_ascii=False)
            self._send(200, data.encode("utf-8"), "application/json")
            return
        folder = site.folder / sub if sub else site.folder
        found = _file_for(folder, path)
        if found is None:
            self._send(404, b"<html><head><title>Not found</title></head>"
                            b"<body><h1>Page not found</h1></body></html>", "text/html")
            return
        body = found.read_bytes()
        if found.suffix in (".html", ".xml", ".txt", ".js"):
            # Absolute links to the site's other hosts carry the server's port.
            body = body.replace(b"__PORT__", str(self.server.port).encode("ascii"))
        if found.suffix == ".html":
            body = expand(body)
        self._send(200, body, _TYPES.get(found.suffix, "application/octet-stream"))

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location.replace("__PORT__", str(self.server.port)))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _file_for(folder: Path, path: str) -> Path | None:
    """``/a/b`` → ``a/b.html``, ``a/b/index.html`` or the file ``a/b`` itself; never outside."""
    clean = [p for p in path.split("/") if p and p not in (".", "..")]
    base = folder.joinpath(*clean) if clean else folder
    for candidate in (base, base.with_name(base.name + ".html") if clean else base,
                      base / "index.html"):
        try:
            candidate.resolve().relative_to(folder.resolve())
        except ValueError:
            return None
        if candidate.is_file() and candidate.name != "site.toml":
            return candidate
    return None


class DiscoverWeb(ThreadingHTTPServer):
    """The server; use it as a context manager (:meth:`url` gives a site's address)."""

    daemon_threads = True

    def __init__(self, port: int = 0) -> None:
        super().__init__((HOST, port), _Handler)
        self.sites = load_sites()
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def url(self, site: str, path: str | None = None, *, suffix: str = "localhost") -> str:
        config = self.sites[site]
        return f"http://{site}.{suffix}:{self.port}{path if path is not None else config.start}"

    def site_for(self, host: str) -> tuple[SiteConfig | None, str]:
        for suffix in (".localhost", ".test"):
            if host.endswith(suffix):
                labels = host[: -len(suffix)].split(".")
                site = self.sites.get(labels[-1])
                sub = ".".join(labels[:-1])
                if site is None:
                    return None, ""
                if sub in ("", "www"):
                    return site, ""
                if sub in site.hosts:
                    return site, site.hosts[sub]
                return None, ""
        return None, ""

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that drops a connection it no longer needs is no error of the site."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def take_hits(self) -> list[Hit]:
        with self._lock:
            hits, self.hits = self.hits, []
        return hits

    def hits_for(self, site: str) -> Iterator[Hit]:
        with self._lock:
            hits = list(self.hits)
        for hit in hits:
            labels = hit.host.split(".")
            if len(labels) >= 2 and labels[-2] == site:
                yield hit

    def __enter__(self) -> DiscoverWeb:
        self._thread = threading.Thread(target=self.serve_forever, name="discoverweb",
                                        daemon=True)
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8484)
    args = parser.parse_args()
    with DiscoverWeb(args.port) as web:
        for name, site in web.sites.items():
            print(f"{web.url(name):45} {site.description}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
