"""Public pages rendered once per data change and language, and served from that rendering.

A WSGI layer in front of Flask. A view marked :func:`public_page` is the same for every
visitor without a session, so its response is kept, keyed by path, its own query parameters
(the others are dropped before the view runs, so the rendering depends on nothing else),
the negotiated language, host and scheme, and tagged with the data version
(:func:`tracker_web.facts.version_of`). A request without the session cookie is answered
from the kept rendering of the current version, in memory or on disk
(:mod:`tracker_web.pagestore`, shared by every process and warmed by the crawl), with an
``ETag`` and ``Last-Modified`` (``304`` when they match) and a ``Cache-Control`` a proxy can
follow. Pages are kept only for the public host names (``PUBLIC_HOSTS``; unset: the first
:data:`MAX_HOSTS` this process is reached at): a forged ``Host`` is answered, never kept.
Every response of a public page says ``Vary: Accept-Language, Cookie``; one that is not kept
says ``private``, so no shared cache serves it to another visitor.

When the data changed, the old rendering is still served while a fresh one is made in a
background thread (at most once per ``CACHE_SECONDS`` while a crawl adds checks), so no
visitor waits; a page made from cached numbers older than the data (*stale*) is made again
once those numbers are recomputed, or after ``CACHE_SECONDS``. A change that must show at
once (a new site or page, a moderator's edit, a catalog load: :func:`tracker_web.facts.urgent`)
is rendered before answering, stale page or not. A response
that sets a cookie, carries a CSRF token or a flashed message, or is not a 200 is never
kept; a visitor with a session is always rendered for.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import parse_qsl, urlencode

from flask import Flask, g, request, session
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import LanguageAccept
from werkzeug.exceptions import HTTPException
from werkzeug.http import (
    http_date,
    parse_accept_header,
    parse_cookie,
    parse_date,
    parse_etags,
)
from werkzeug.routing import RequestRedirect
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Response

from tracker_web import facts
from tracker_web.i18n import COOKIE as LANGUAGE_COOKIE
from tracker_web.i18n import negotiate
from tracker_web.pagememory import MEMORY_BYTES, Held, PageMemory, Refresher
from tracker_web.pagestore import Page, PageStore, Recipe, Version

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
_MARK = "_xk_public_params"
_KEEP = "xktracker.page.keep"
_STALE = "xktracker.page.stale"
_BACKGROUND = "xktracker.page.background"
_KEEPABLE = "xktracker.page.keepable"  # this layer keeps the response if the view allows
_FOREIGN = "xktracker.page.foreign"  # a host name pages are not kept for
# A longer query value is answered, never kept; a view reads at most this much of one, so
# the key holds exactly what the view reads.
MAX_VALUE = 100
# Without PUBLIC_HOSTS, pages are kept (and warmed) for at most this many host names.
MAX_HOSTS = 4
# A page whose memory copy is out of date looks on disk for a fresher one at most this often.
DISK_LOOK_SECONDS = 1.0
LOCK_STRIPES = 64
# What a shared cache (nginx, a CDN) may reuse a page for without asking, unless PAGE_MAX_AGE.
SHARED_SECONDS = 1
_UNKNOWN = object()
_DROPPED_HEADERS = frozenset({"content-length", "date", "etag", "last-modified",
                              "cache-control", "vary", "set-cookie", "connection",
                              "transfer-encoding", "keep-alive"})


def public_page(*params: str) -> Callable[[F], F]:
    """Mark a view as a public page, the same for every visitor without a session, that
    reads only the query parameters ``params``. Its responses may be kept and served again."""
    def mark(view: F) -> F:
        setattr(view, _MARK, tuple(sorted(params)))
        return view
    return mark


def _query(raw: str, allowed: tuple[str, ...]) -> str | None:
    """The page's own parameters, sorted (None: a value too long to be worth keeping)."""
    if not raw:
        return ""
    pairs: list[tuple[str, str]] = []
    for name, value in parse_qsl(raw, keep_blank_values=True):
        if name in allowed:
            if len(value) > MAX_VALUE:
                return None
            pairs.append((name, value))
    pairs.sort(key=lambda pair: pair[0])  # stable: repeated values keep their order
    return urlencode(pairs)


@dataclass(slots=True)
class _Captured:
    status: str
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def code(self) -> int:
        return int(self.status.split(" ", 1)[0])


class PageCache:
    """The WSGI layer (installed by :func:`init_app` around Flask's own ``wsgi_app``)."""

    def __init__(self, app: Flask, inner: WSGIApplication) -> None:
        self.app = app
        self.inner = inner
        self.store: PageStore = facts.caches(app).store
        self.memory = PageMemory(int(app.config.get("PAGE_CACHE_BYTES", MEMORY_BYTES)))
        self.refresher = Refresher(self.render_recipe)
        # Off the request in production; in tests a stale page is rendered in the request
        # unless a test turns this on (and waits with ``refresher.drain()``).
        self.background = not app.testing
        self._public: dict[str, tuple[str, ...]] | None = None
        self._routes: dict[tuple[str, str], str | None] = {}  # (host, path) → endpoint
        self.hosts = frozenset(str(host).lower()
                               for host in app.config.get("PUBLIC_HOSTS") or ())
        self._seen_hosts: set[str] = set()
        self._hosts_guard = threading.Lock()
        # One render of a page at a time; striped, so a flood of distinct keys costs nothing.
        self._locks = [threading.Lock() for _ in range(LOCK_STRIPES)]

    # -- which requests -----------------------------------------------------------------------

    def public(self) -> dict[str, tuple[str, ...]]:
        """Endpoint → the query parameters it reads, for every public page."""
        if self._public is None:
            self._public = {endpoint: getattr(view, _MARK)
                            for endpoint, view in self.app.view_functions.items()
                            if hasattr(view, _MARK)}
        return self._public

    def recipe_for(self, environ: WSGIEnvironment) -> Recipe | None:
        """The recipe of a public page's GET or HEAD (its query reduced to the page's own
        parameters, in ``environ`` too), or None for anything else."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        allowed = self.public().get(self._endpoint(environ) or "")
        if allowed is None:
            return None
        query = _query(environ.get("QUERY_STRING", ""), allowed)
        if query is None:
            return None
        environ["QUERY_STRING"] = query
        cookies = parse_cookie(environ)
        language = negotiate(cookies.get(LANGUAGE_COOKIE), parse_accept_header(
            environ.get("HTTP_ACCEPT_LANGUAGE"), LanguageAccept))
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME") or ""
        return Recipe(path=environ.get("PATH_INFO") or "/", query=query, host=host.lower(),
                      scheme=str(environ.get("wsgi.url_scheme", "http")), language=language,
                      script_name=environ.get("SCRIPT_NAME", ""))

    def _endpoint(self, environ: WSGIEnvironment) -> str | None:
        """The endpoint a GET of this path reaches (remembered: matching costs more than the
        rest of answering from a kept page)."""
        route = (str(environ.get("HTTP_HOST", "")), str(environ.get("PATH_INFO", "")))
        known = self._routes.get(route, _UNKNOWN)  # one look-up: clear() may run meanwhile
        if known is not _UNKNOWN:
            return known  # type: ignore[return-value]
        try:
            adapter = self.app.create_url_adapter(self.app.request_class(environ))
            endpoint = str(adapter.match()[0]) if adapter is not None else None
        except (HTTPException, RequestRedirect):
            endpoint = None
        if len(self._routes) >= 20_000:
            self._routes.clear()
        self._routes[route] = endpoint
        return endpoint

    def host_allowed(self, host: str) -> bool:
        """Whether pages are kept for this host name: one of ``PUBLIC_HOSTS``, or (unset) one
        of the first :data:`MAX_HOSTS` this process was reached at. Anyone can send any
        ``Host``; a page kept per forged name would cost a render and a file each."""
        if self.hosts:
            return host in self.hosts
        with self._hosts_guard:
            if host in self._seen_hosts:
                return True
            if len(self._seen_hosts) < MAX_HOSTS:
                self._seen_hosts.add(host)
                return True
        return False

    def anonymous(self, environ: WSGIEnvironment) -> bool:
        return self.app.config["SESSION_COOKIE_NAME"] not in parse_cookie(environ)

    # -- serving ------------------------------------------------------------------------------

    def __call__(self, environ: WSGIEnvironment,
                 start_response: StartResponse) -> Iterable[bytes]:
        recipe = self.recipe_for(environ)
        if recipe is None or not self.app.config.get("PAGE_CACHE", True) \
                or not self.anonymous(environ):
            return self.inner(environ, start_response)
        if not self.host_allowed(recipe.host):
            environ[_FOREIGN] = True
            return self.inner(environ, start_response)
        version = self.version()
        held = self.kept(recipe, version)
        if held is not None:
            page = held.page
            if version is None or (page.version == version and not page.stale):
                return self.reply(page, environ, start_response)
            if page.version is None or not facts.urgent(page.version, version):
                if self.due(held, version):
                    if self.background:
                        self.refresher.ask(recipe)
                    else:
                        return self.render_now(recipe, version, environ, start_response, page)
                return self.reply(page, environ, start_response)
        if environ["REQUEST_METHOD"] != "GET":
            return self.inner(environ, start_response)
        return self.render_now(recipe, version, environ, start_response,
                               held.page if held is not None else None)

    def due(self, held: Held, version: Version) -> bool:
        """Whether a page that is not current (older data, or stale numbers) is made again
        now: after ``CACHE_SECONDS``, or, when stale, as soon as the numbers it was made
        from have been recomputed (never in a loop while they are not)."""
        page = held.page
        if time.time() - page.rendered_at >= float(self.app.config["CACHE_SECONDS"]):
            return True
        if page.stale and page.version == version and held.waits_for:
            numbers = facts.caches(self.app).numbers
            return any(numbers.version_of(key) != used
                       for key, used in held.waits_for.items())
        return False

    def version(self) -> Version | None:
        """The data version now (None: the database cannot be read; serve what we have)."""
        try:
            with self.app.extensions["xktracker_db"].engine.connect() as conn:
                return facts.version_of(conn, self.store)
        except SQLAlchemyError:
            log.warning("data version unreadable; serving kept pages", exc_info=True)
            return None

    def kept(self, recipe: Recipe, version: Version | None) -> Held | None:
        """The best rendering held: in memory, or on disk when memory has none of this
        version (a fresher one may have been made by another process or the crawl)."""
        key = recipe.key()
        held = self.memory.get(key)
        if held is not None and (version is None or (held.page.version == version
                                                     and not held.page.stale)):
            return held
        now = time.monotonic()
        if held is not None and held.looked_for == version \
                and now - held.looked_at < DISK_LOOK_SECONDS:
            return held
        disk = self.store.load(recipe)
        if disk is not None and (held is None or (disk.version == version and not disk.stale)
                                 or disk.rendered_at > held.page.rendered_at):
            held = self.memory.put(disk)
        if held is not None:
            held.looked_for, held.looked_at = version, now
        return held

    def _lock(self, key: str) -> threading.Lock:
        return self._locks[int(key[:8], 16) % LOCK_STRIPES]

    def render_now(self, recipe: Recipe, version: Version | None, environ: WSGIEnvironment,
                   start_response: StartResponse, seen: Page | None = None) -> Iterable[bytes]:
        """Render in this request (one request per page at a time: the others wait for it
        and are answered from its rendering). ``seen``: the rendering this request found
        wanting (another one of this version, even stale, is a fresh attempt: served)."""
        key = recipe.key()
        environ[_KEEPABLE] = version is not None and environ.get("REQUEST_METHOD") == "GET"
        with self._lock(key):
            held = self.memory.get(key)
            if held is not None and version is not None and held.page.version == version \
                    and (not held.page.stale or held.page is not seen):
                return self.reply(held.page, environ, start_response)
            conditional: dict[str, Any] = {name: environ.pop(name) for name in
                           ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE") if name in environ}
            captured = self.capture(environ)
            page = self.keep(recipe, version, captured, environ)
        environ.update(conditional)
        if page is not None:
            return self.reply(page, environ, start_response)
        start_response(captured.status, captured.headers)
        return [captured.body]

    def render_recipe(self, recipe: Recipe) -> None:
        """Render a page again from its recipe, with no visitor's request (background, the
        warm-up): in its language, for its host, with no cookie but the language's."""
        version = self.version()
        if version is None:
            return
        builder = EnvironBuilder(
            path=recipe.path, query_string=recipe.query,
            base_url=f"{recipe.scheme}://{recipe.host}{recipe.script_name}",
            headers=[("Cookie", f"{LANGUAGE_COOKIE}={recipe.language}")],
            environ_base={"REMOTE_ADDR": "127.0.0.1", _BACKGROUND: True, _KEEPABLE: True})
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        with self._lock(recipe.key()):
            held = self.memory.get(recipe.key())
            if held is not None and held.page.version == version and not held.page.stale:
                return
            disk = self.store.load(recipe)  # made by another process, or the crawl
            if disk is not None and disk.version == version and not disk.stale:
                self.memory.put(disk)
                return
            self.keep(recipe, version, self.capture(environ), environ)

    def capture(self, environ: WSGIEnvironment) -> _Captured:
        parts: list[bytes] = []
        started: list[Any] = []

        def start(status: str, headers: list[tuple[str, str]],
                  exc_info: Any = None) -> Callable[[bytes], object]:
            started[:] = [status, headers]
            return parts.append

        result = self.inner(environ, start)
        try:
            parts.extend(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return _Captured(started[0], list(started[1]), b"".join(parts))

    def keep(self, recipe: Recipe, version: Version | None, captured: _Captured,
             environ: WSGIEnvironment) -> Page | None:
        """Keep a rendering when it may be served to anyone (see the module's docstring)."""
        if version is None or captured.code != 200 or not environ.get(_KEEP) \
                or environ.get("REQUEST_METHOD") != "GET" \
                or any(name.lower() == "set-cookie" for name, _ in captured.headers):
            return None
        headers = [(n, v) for n, v in captured.headers if n.lower() not in _DROPPED_HEADERS]
        waits_for: dict[str, Hashable] = dict(environ.get(_STALE) or {})
        page = Page(recipe=recipe, version=version, stale=bool(waits_for),
                    status=200, headers=headers, body=captured.body,
                    rendered_at=float(int(time.time())))
        self.memory.put(page).waits_for = waits_for or None
        self.store.save(page)
        return page

    def cache_control(self) -> str:
        """``public, max-age=N`` with ``PAGE_MAX_AGE``; else browsers ask each time
        (``max-age=0``) and a shared cache may answer for a second (``s-maxage=1``): nginx's
        proxy_cache stores no response marked ``no-cache`` or ``max-age=0``, and with
        ``s-maxage`` it keeps the page and revalidates it by its ETag."""
        seconds = int(self.app.config.get("PAGE_MAX_AGE", 0))
        return f"public, max-age={seconds}" if seconds \
            else f"public, max-age=0, s-maxage={SHARED_SECONDS}"

    def reply(self, page: Page, environ: WSGIEnvironment,
              start_response: StartResponse) -> Iterable[bytes]:
        """The kept page, or ``304 Not Modified`` when the client's copy is this one."""
        validators = [("ETag", page.etag), ("Last-Modified", http_date(page.rendered_at)),
                      ("Cache-Control", self.cache_control()),
                      ("Vary", "Accept-Language, Cookie")]
        if _not_modified(environ, page):
            start_response("304 Not Modified", validators)
            return []
        start_response("200 OK", [*page.headers, *validators,
                                  ("Content-Length", str(len(page.body)))])
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [page.body]


def _not_modified(environ: WSGIEnvironment, page: Page) -> bool:
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        return parse_etags(if_none_match).contains_weak(page.etag.strip('"'))
    since = parse_date(environ.get("HTTP_IF_MODIFIED_SINCE"))
    return since is not None and since.timestamp() >= int(page.rendered_at)


def pages_of(app: Flask) -> PageCache:
    found: PageCache = app.extensions["xktracker_pages"]
    return found


def init_app(app: Flask) -> None:
    """Put the page cache around Flask's ``wsgi_app`` (inside any proxy fix, which must see
    the request first) and mark each public page's responses."""
    cache = PageCache(app, app.wsgi_app)
    app.extensions["xktracker_pages"] = cache
    app.wsgi_app = cache  # type: ignore[method-assign]

    @app.after_request
    def mark(response: Response) -> Response:
        allowed = cache.public().get(request.endpoint or "")
        if allowed is None:
            return response
        # Flask adds the session cookie after this hook: a modified session means one.
        keep = (response.status_code == 200 and not session.modified
                and "csrf_token" not in g and "Set-Cookie" not in response.headers
                and not response.is_streamed)
        environ = request.environ
        environ[_KEEP] = keep
        environ[_STALE] = dict(g.get("xk_stale_numbers") or {})
        response.vary.update(("Accept-Language", "Cookie"))
        if environ.get(_FOREIGN):
            response.headers["Cache-Control"] = "private, no-store"
        elif not (keep and environ.get(_KEEPABLE)) or not cache.anonymous(environ):
            response.headers["Cache-Control"] = "private, no-cache"
        return response
