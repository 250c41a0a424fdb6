"""Scrapy's answers (a response, or the failure an errback gets) as a :class:`FetchOutcome`.

The same reasons as the static fetcher's (``crawler.fetch.static``), so a target checked by
the crawler and by ``xktracker check`` ends in the same state. Every failure has a reason;
none can become a verdict about Kosovo.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import urlsplit

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from twisted.internet import defer
from twisted.internet import error as tx_error
from twisted.python.failure import Failure

from crawler.errors import GuardError
from crawler.fetch.charset import decode_html
from crawler.fetch.content import judge_status, looks_like_html, media_type, never_html
from crawler.fetch.outcome import FetchOutcome
from crawler.middlewares import FetchRefused

# Final statuses the spider wants to see (to record them) instead of Scrapy dropping them;
# 3xx stay out so that Scrapy's redirect middleware follows them.
ERROR_STATUSES = tuple(range(400, 600))


def header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value is not None else None


def outcome_from_response(response: Response, requested_url: str) -> FetchOutcome:
    """The outcome of a static (plain HTTP) response, judged like the httpx fetcher's."""
    meta = response.meta
    out = FetchOutcome(requested_url=requested_url, method="static", final_url=response.url,
                       status=response.status, content_type=header(response, "Content-Type"))
    out.redirects = [str(u) for u in meta.get("redirect_urls") or []]
    out.elapsed_ms = round(float(meta.get("download_latency") or 0.0) * 1000.0, 1)
    media = media_type(out.content_type)
    body = response.body
    if judge_status(out, response.status, header(response, "Retry-After")):
        refused = meta.get("xk_retry_after_refused")
        if refused is not None:
            out.detail = (f"{out.detail or 'HTTP ' + str(response.status)}; Retry-After "
                          f"{refused:g}s is longer than we wait")
        if out.blocked is not None and body and not never_html(media):
            _read(out, body, media)  # the wall's text names it (bot wall, captcha)
        return out
    if never_html(media):
        out.error, out.detail = "bad_content", f"content type {media}"
        return out
    if not _read(out, body, media):
        out.error, out.detail = "bad_content", f"content type {media or '(none)'} is not HTML"
    return out


def _read(out: FetchOutcome, body: bytes, media: str) -> bool:
    out.body_sha256 = hashlib.sha256(body).hexdigest()
    if media not in ("text/html", "application/xhtml+xml") and not looks_like_html(body):
        return False
    out.html, out.encoding = decode_html(body, out.content_type)
    return True


def _reasons(exc: BaseException) -> list[BaseException]:
    """The exception and what it wraps (Twisted's ResponseFailed keeps a list of failures)."""
    seen: list[BaseException] = []
    stack: list[Any] = [exc]
    while stack and len(seen) < 20:
        item = stack.pop()
        if isinstance(item, Failure):
            item = item.value
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        seen.append(item)
        stack.extend(getattr(item, "reasons", None) or [])
        stack.extend(x for x in (item.__cause__, item.__context__) if x is not None)
    return seen


def failure_reason(exc: BaseException) -> tuple[str, str, str]:
    """``(kind, reason, detail)`` for an exception, kind ``error`` or ``blocked``."""
    detail = f"{type(exc).__name__}: {exc}"[:300]
    if isinstance(exc, FetchRefused):
        return ("blocked" if exc.blocked else "error"), exc.reason, exc.detail or exc.reason
    chain = _reasons(exc)
    names = " ".join(type(e).__name__ for e in chain)
    text = " ".join(str(e) for e in chain)
    if any(isinstance(e, DownloadTimeoutError | tx_error.TimeoutError | TimeoutError)
           for e in chain):
        return "error", "timeout", detail
    if any(isinstance(e, CannotResolveHostError | tx_error.DNSLookupError) for e in chain):
        return "error", "dns", detail
    if "SSL" in names or "TLS" in text or "certificate" in text.lower():
        return "error", "tls", detail
    if isinstance(exc, DownloadCancelledError) or "DOWNLOAD_MAXSIZE" in text or (
            any(isinstance(e, defer.CancelledError) for e in chain)):
        # Scrapy cancels a download only for its size cap (timeouts have their own error).
        return "error", "too_large", detail
    if isinstance(exc, IgnoreRequest) and "max redirections" in text:
        return "error", "too_many_redirects", detail
    if "Playwright" in names or "TargetClosed" in names or "net::ERR_" in text:
        from crawler.fetch.browser import classify_error

        reason, short = classify_error(exc)
        return "error", reason, short
    if any(isinstance(e, DownloadConnectionRefusedError | ResponseDataLossError
                      | DownloadFailedError | tx_error.ConnectError | tx_error.ConnectionLost
                      | ConnectionError | OSError) for e in chain):
        return "error", "connection", detail
    return "error", "connection", detail


def _refused_lookup(exc: BaseException, requested_url: str) -> GuardError | None:
    """The guarded resolver's refusal behind a failed look-up (a rebinding answer, a private
    address, a non-web port), found by the host the error names or the URL's own host."""
    from crawler.resolver import refusal_for

    text = " ".join(str(e) for e in _reasons(exc))
    hosts = re.findall(r"(?:lookup|resolve)[^:]*:\s*([A-Za-z0-9._-]+?)\.?(?:\s|$)", text)
    hosts.append(urlsplit(requested_url).hostname or "")
    for host in hosts:
        found = refusal_for(host) if host else None
        if found is not None:
            return found
    return None


def outcome_from_failure(exc: BaseException, requested_url: str, method: str) -> FetchOutcome:
    """The outcome of a request that produced no response (an errback's failure)."""
    kind, reason, detail = failure_reason(exc)
    if reason == "dns":
        refused = _refused_lookup(exc, requested_url)
        if refused is not None:
            reason, detail = refused.reason, refused.detail
    out = FetchOutcome(requested_url=requested_url, method=method, detail=detail)
    if kind == "blocked":
        out.blocked = reason
    else:
        out.error = reason
    return out
