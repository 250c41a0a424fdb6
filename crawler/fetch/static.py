"""The static fetcher: one URL over plain HTTP(S), with every failure turned into a reason.

Built on httpx (which vcrpy can record and replay). Redirects are followed by hand so the
address guard judges every hop; a whole-fetch deadline and a byte cap on the *decoded*
body mean a slow or enormous (or compressed-bomb) answer costs bounded time and memory.
Network trouble never raises: the caller always gets a :class:`FetchOutcome`.
"""

from __future__ import annotations

import hashlib
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from types import TracebackType

import httpx

from crawler.errors import DecodeFailed, GuardError, InflatedTooLarge
from crawler.fetch.charset import decode_html
from crawler.fetch.content import (
    is_html_type,
    judge_status,
    looks_like_html,
    media_type,
    never_html,
)
from crawler.fetch.decoding import ACCEPT_ENCODING, BoundedDecoder, gunzip_bounded
from crawler.fetch.guard import (
    EgressPolicy,
    GuardedBackend,
    GuardedTransport,
    validate_url,
)
from crawler.fetch.outcome import FetchOutcome


def _version() -> str:
    try:
        return metadata.version("xktracker")
    except metadata.PackageNotFoundError:
        return "dev"


DEFAULT_USER_AGENT = (
    f"xktracker/{_version()} (+https://github.com/xktracker/xktracker; "
    "checks country lists for Kosovo)"
)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"

class _Stop(Exception):
    """Ends reading a body early with a FetchOutcome reason."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class HopRefused(Exception):
    """Raised by a caller's ``hop_check`` to stop a fetch before a URL is requested (a
    redirect that leaves the site, a path robots.txt disallows); ``blocked`` reasons are
    our choice not to look, the others errors."""

    def __init__(self, reason: str, detail: str, *, blocked: bool = False) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.blocked = blocked


TEXT_MAX_BYTES = 5 * 1024 * 1024


def text_of(body: bytes, out: FetchOutcome, max_bytes: int = TEXT_MAX_BYTES) -> str | None:
    """A text resource's body as text, gunzipped when it is a gzip file (a ``.gz`` sitemap,
    not a content coding); ``None`` with the reason in ``out`` when it is corrupt or inflates
    past ``max_bytes``."""
    try:
        return gunzip_bounded(body, max_bytes).decode("utf-8", errors="replace")
    except InflatedTooLarge as exc:
        out.error, out.detail = "too_large", str(exc)
    except DecodeFailed as exc:
        out.error, out.detail = "bad_content", f"corrupt gzip file: {exc}"
    return None


# Called with every URL a fetch is about to request (the first and each redirect hop).
HopCheck = Callable[[str], None]


# ---------------------------------------------------------------------------------------
# Helpers


def _in_chain(exc: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kinds):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _network_reason(exc: BaseException) -> str:
    """Map an httpx/OS exception to an outcome reason."""
    if isinstance(exc, httpx.TimeoutException) or _in_chain(exc, (TimeoutError,)):
        return "timeout"
    if _in_chain(exc, (ssl.SSLError,)):
        return "tls"
    if _in_chain(exc, (socket.gaierror,)):
        return "dns"
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return "bad_url"
    if isinstance(exc, httpx.DecodingError):
        return "bad_content"
    return "connection"


def _retry_after(response: httpx.Response) -> str | None:
    value = response.headers.get("retry-after")
    return value.strip()[:100] if value else None


def _content_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length", "")
    try:
        return int(value.split(",")[0].strip())
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class TextResource:
    """A text answer (robots.txt, a sitemap): the outcome, and the text when there is one."""

    outcome: FetchOutcome
    text: str | None


_Finish = Callable[[httpx.Response, FetchOutcome, float], None]


# ---------------------------------------------------------------------------------------
# The fetcher


class StaticFetcher:
    """Fetches many URLs over one httpx client: pooled connections, cookies kept per fetcher.

    ``timeout`` is the deadline for a whole fetch (every redirect hop and the body);
    ``connect_timeout`` bounds each TCP/TLS connect within it. ``policy`` says where it may
    connect (default: public addresses on web ports). A ``client`` passed in is used as is
    and not closed; the guard still judges every hop, but connections are pinned to the
    checked address only with the fetcher's own client.
    """

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        connect_timeout: float = 10.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_redirects: int = 8,
        policy: EgressPolicy | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
        client: httpx.Client | None = None,
        verify: bool = True,
    ) -> None:
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.policy = policy or EgressPolicy()
        self.user_agent = user_agent
        self.backend: GuardedBackend | None = None
        self._owns_client = client is None
        if client is None:
            self.backend = GuardedBackend(self.policy)
            client = httpx.Client(
                transport=GuardedTransport(self.backend, verify=verify),
                follow_redirects=False,
                trust_env=False,
                headers={"User-Agent": user_agent},
            )
        self.client = client

    def __enter__(self) -> StaticFetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the client if the fetcher made it."""
        if self._owns_client:
            self.client.close()

    # -- public -----------------------------------------------------------------------

    def fetch(self, url: str, *, hop_check: HopCheck | None = None) -> FetchOutcome:
        """Fetch one URL; every failure is reported in the outcome, never raised.

        ``hop_check`` sees every URL before it is requested, redirect hops included, and may
        raise :class:`HopRefused` (discovery keeps a fetch on its site and inside robots.txt).
        """
        start = time.monotonic()
        out = FetchOutcome(requested_url=url, method="static")
        self._guarded(url, out, start, hop_check, self._finish)
        return out

    def fetch_text(self, url: str, *, hop_check: HopCheck | None = None,
                   max_bytes: int = TEXT_MAX_BYTES) -> TextResource:
        """Fetch a small text resource (robots.txt, a sitemap, gzipped or not) through the
        same guard, redirects and deadline as a page; any 2xx answer is read, whatever its
        media type, up to ``max_bytes`` (decompressed)."""
        start = time.monotonic()
        out = FetchOutcome(requested_url=url, method="static")
        found: list[bytes] = []

        def read(response: httpx.Response, outcome: FetchOutcome, deadline: float) -> None:
            if judge_status(outcome, response.status_code, _retry_after(response)):
                return
            found.append(self._read_body(response, deadline, max_bytes))

        self._guarded(url, out, start, hop_check, read)
        body = found[0] if found and out.error is None and out.blocked is None else None
        return TextResource(out, text_of(body, out, max_bytes) if body is not None else None)

    def _guarded(self, url: str, out: FetchOutcome, start: float,
                 hop_check: HopCheck | None, finish: _Finish) -> None:
        try:
            self._fetch(url, out, start + self.timeout, hop_check, finish)
        except GuardError as exc:
            out.error, out.detail = exc.reason, exc.detail
        except _Stop as exc:
            out.error, out.detail = exc.reason, exc.detail
        except HopRefused as exc:
            if exc.blocked:
                out.blocked, out.detail = exc.reason, exc.detail
            else:
                out.error, out.detail = exc.reason, exc.detail
        except (httpx.HTTPError, OSError) as exc:
            out.error = _network_reason(exc)
            out.detail = f"{type(exc).__name__}: {exc}"[:300]
        if out.error is not None:
            out.html = None
        out.elapsed_ms = round((time.monotonic() - start) * 1000.0, 1)

    # -- internals --------------------------------------------------------------------

    def _remaining(self, deadline: float) -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise _Stop("timeout", f"deadline of {self.timeout:g}s passed")
        return left

    def _fetch(self, url: str, out: FetchOutcome, deadline: float,
               hop_check: HopCheck | None, finish: _Finish) -> None:
        current = url
        seen: set[str] = set()
        while True:
            if hop_check is not None:
                hop_check(current)
            checked = self.policy.guard_url(current)
            seen.add(checked.url)
            if self.backend is not None:
                self.backend.pin(checked)
            left = self._remaining(deadline)
            request = self.client.build_request(
                "GET",
                checked.url,
                headers={
                    "User-Agent": self.user_agent,
                    "Accept": _ACCEPT,
                    "Accept-Language": "en",
                    "Accept-Encoding": ACCEPT_ENCODING,
                },
                timeout=httpx.Timeout(left, connect=min(self.connect_timeout, left)),
            )
            response = self.client.send(request, stream=True, follow_redirects=False)
            try:
                out.final_url = str(response.url)
                out.status = response.status_code
                out.content_type = response.headers.get("content-type")
                location = response.headers.get("location")
                if not (300 <= response.status_code < 400 and location):
                    finish(response, out, deadline)
                    return
                target = self._next_hop(response.url, location)
                out.redirects.append(checked.url)
                if target in seen:
                    raise _Stop("redirect_loop", f"{checked.url} redirects back to {target}")
                if len(out.redirects) > self.max_redirects:
                    raise _Stop("too_many_redirects", f"more than {self.max_redirects} redirects")
                current = target
            finally:
                response.close()

    @staticmethod
    def _next_hop(base: httpx.URL, location: str) -> str:
        try:
            joined = base.join(location.strip())
        except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
            shown = location[:200]
            raise _Stop("bad_url", f"unusable redirect Location {shown!r}: {exc}") from None
        if joined.scheme not in ("http", "https"):
            raise _Stop("bad_url", f"redirect to a non-http(s) URL {str(joined)[:200]!r}")
        try:
            return validate_url(str(joined))
        except GuardError as exc:
            raise _Stop(exc.reason, f"redirect to {str(joined)[:200]!r}: {exc.detail}") from None

    def _finish(self, response: httpx.Response, out: FetchOutcome, deadline: float) -> None:
        status = response.status_code
        media = media_type(out.content_type)
        if judge_status(out, status, _retry_after(response)):
            if out.blocked is not None and not never_html(media):
                try:
                    self._read_document(response, out, deadline, media)
                except _Stop:
                    out.html = None  # the wall's text is a bonus; its absence is no error
            return
        if never_html(media):
            out.error, out.detail = "bad_content", f"content type {media}"
            return
        if not self._read_document(response, out, deadline, media):
            out.error, out.detail = "bad_content", f"content type {media or '(none)'} is not HTML"

    def _read_document(
        self, response: httpx.Response, out: FetchOutcome, deadline: float, media: str
    ) -> bool:
        """Read, hash and decode the body; False when it is not an HTML document."""
        body = self._read_body(response, deadline)
        out.body_sha256 = hashlib.sha256(body).hexdigest()
        if not is_html_type(media) and not looks_like_html(body):
            return False
        out.html, out.encoding = decode_html(body, out.content_type)
        return True

    def _read_body(self, response: httpx.Response, deadline: float,
                   max_bytes: int | None = None) -> bytes:
        """The decoded body, never holding more than ``max_bytes`` of it, within the deadline."""
        cap = self.max_bytes if max_bytes is None else max_bytes
        length = _content_length(response)
        if length is not None and length > cap:
            raise _Stop("too_large", f"Content-Length {length} exceeds {cap} bytes")
        body = bytearray()
        try:
            decoder = BoundedDecoder(response.headers.get("content-encoding"))
            for raw in response.iter_raw():
                self._remaining(deadline)
                for piece in decoder.feed(raw):
                    body += piece
                    if len(body) > cap:
                        raise _Stop("too_large", f"body exceeds {cap} bytes")
            self._remaining(deadline)
            for piece in decoder.finish():
                body += piece
                if len(body) > cap:
                    raise _Stop("too_large", f"body exceeds {cap} bytes")
        except DecodeFailed as exc:
            raise _Stop("bad_content", str(exc)) from None
        return bytes(body)


def fetch_static(
    url: str,
    *,
    timeout: float = 20.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = 8,
    policy: EgressPolicy | None = None,
    user_agent: str = DEFAULT_USER_AGENT,
    client: httpx.Client | None = None,
) -> FetchOutcome:
    """Fetch one URL with a throw-away :class:`StaticFetcher`."""
    with StaticFetcher(
        timeout=timeout,
        max_bytes=max_bytes,
        max_redirects=max_redirects,
        policy=policy,
        user_agent=user_agent,
        client=client,
    ) as fetcher:
        return fetcher.fetch(url)
