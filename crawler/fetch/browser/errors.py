"""Failures while driving the browser, and how each becomes an outcome reason.

Every failure of a browser fetch ends as a recorded reason (``timeout``, ``dns``, ``tls`` …),
never as a crash: :func:`classify_error` reads Playwright's and Chromium's error texts.
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import TimeoutError as FutureTimeout

from playwright.async_api import TimeoutError as PlaywrightTimeout

_CLOSED_MARKERS = (
    "has been closed", "Target closed", "Browser closed", "browser has disconnected",
    "Connection closed", "Page crashed", "Target crashed",
)
_NAV_MARKERS = ("Execution context was destroyed", "navigat", "Frame was detached",
                "frame got detached", "Cannot find context")

# Chromium net error names (net::ERR_*) to outcome reasons; the first matching prefix wins.
_NET_REASONS: tuple[tuple[str, str], ...] = (
    ("ERR_NAME_NOT_RESOLVED", "dns"), ("ERR_NAME_RESOLUTION_FAILED", "dns"), ("ERR_DNS_", "dns"),
    ("ERR_CERT_", "tls"), ("ERR_SSL_", "tls"), ("ERR_BAD_SSL", "tls"),
    ("ERR_TIMED_OUT", "timeout"), ("ERR_CONNECTION_TIMED_OUT", "timeout"),
    ("ERR_TOO_MANY_REDIRECTS", "too_many_redirects"),
    ("ERR_INVALID_URL", "bad_url"), ("ERR_DISALLOWED_URL_SCHEME", "bad_url"),
    ("ERR_UNKNOWN_URL_SCHEME", "bad_url"), ("ERR_UNSAFE_PORT", "bad_url"),
    ("ERR_BLOCKED_BY_CLIENT", "private_address"),
    ("ERR_INVALID_RESPONSE", "bad_content"), ("ERR_INVALID_HTTP_RESPONSE", "bad_content"),
    ("ERR_CONTENT_DECODING_FAILED", "bad_content"), ("ERR_RESPONSE_HEADERS_", "bad_content"),
    ("ERR_INVALID_CHUNKED_ENCODING", "bad_content"),
    ("ERR_INCOMPLETE_CHUNKED_ENCODING", "bad_content"),
    ("ERR_CONTENT_LENGTH_MISMATCH", "bad_content"), ("ERR_BLOCKED_BY_RESPONSE", "bad_content"),
    ("ERR_BLOCKED_BY_ORB", "bad_content"), ("ERR_FILE_TOO_BIG", "too_large"),
)



class StepFailed(Exception):
    """A catalog step (click, fill, …) could not be carried out."""


class PageStop(Exception):
    """Ends a fetch early with an outcome reason (``error`` unless ``blocked`` is set)."""

    def __init__(self, reason: str, detail: str | None = None) -> None:
        super().__init__(detail or reason)
        self.reason = reason
        self.detail = detail



def is_closed_error(exc: BaseException) -> bool:
    """True when the page, context or browser went away (a crash, a kill, a close)."""
    if type(exc).__name__ == "TargetClosedError":
        return True
    text = str(exc)
    return any(marker in text for marker in _CLOSED_MARKERS)


def is_navigation_error(exc: BaseException) -> bool:
    return not is_closed_error(exc) and any(m in str(exc) for m in _NAV_MARKERS)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


def net_error_reason(name: str) -> str:
    """Map a Chromium ``ERR_*`` name to an outcome reason (unknown ones are ``connection``)."""
    for prefix, reason in _NET_REASONS:
        if name.startswith(prefix):
            return reason
    return "connection"


# Node's network error names (route.fetch) to (reason, Playwright abort code).
_FETCH_FAILURES: tuple[tuple[str, str, str], ...] = (
    ("ECONNREFUSED", "connection", "connectionrefused"),
    ("ECONNRESET", "connection", "connectionreset"),
    ("ENOTFOUND", "dns", "namenotresolved"), ("EAI_AGAIN", "dns", "namenotresolved"),
    ("ETIMEDOUT", "timeout", "timedout"), ("Timeout", "timeout", "timedout"),
    ("EHOSTUNREACH", "connection", "addressunreachable"),
    ("ENETUNREACH", "connection", "addressunreachable"),
    ("CERT", "tls", "failed"), ("SSL", "tls", "failed"), ("TLS", "tls", "failed"),
    ("certificate", "tls", "failed"),
)


def fetch_failure(exc: BaseException) -> tuple[str, str]:
    text = str(exc)
    for marker, reason, code in _FETCH_FAILURES:
        if marker in text:
            return reason, code
    return "connection", "failed"


def classify_error(exc: BaseException) -> tuple[str, str]:
    """Reason and short detail for an exception raised while driving the browser."""
    text = str(exc)
    if isinstance(exc, PlaywrightTimeout | asyncio.TimeoutError | FutureTimeout):
        return "timeout", first_line(exc)
    found = re.search(r"net::(ERR_[A-Z0-9_]+)", text)
    if found:
        return net_error_reason(found.group(1)), found.group(1)
    if "Download is starting" in text:
        return "bad_content", "the URL starts a download, not a page"
    if is_closed_error(exc):
        return "browser_crashed", first_line(exc)
    return "connection", first_line(exc)
