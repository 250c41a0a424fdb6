"""The words the parts share, declared once: how a page was read and why it could not be.

Verdicts about Kosovo (``listed``, ``missing`` …) belong to :mod:`checks.model`; these are the
words around them. The values are the contract's strings (DESIGN.md §1–2): stored in the
history, printed by ``check --json``, offered by the API.
"""

from __future__ import annotations

from enum import StrEnum


class BrowserMode(StrEnum):
    """When a check uses a browser (``--browser``, a catalog target's ``browser:``)."""

    AUTO = "auto"  # only when the HTML cannot show the list
    ALWAYS = "always"
    NEVER = "never"


class Method(StrEnum):
    """How a page was read."""

    STATIC = "static"
    BROWSER = "browser"


class ErrorReason(StrEnum):
    """Why a page ended ``error``: we did not see the form. Never a verdict about Kosovo."""

    TIMEOUT = "timeout"
    DNS = "dns"
    CONNECTION = "connection"
    TLS = "tls"
    HTTP_4XX = "http_4xx"
    HTTP_5XX = "http_5xx"
    RATE_LIMITED = "rate_limited"
    TOO_LARGE = "too_large"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    REDIRECT_LOOP = "redirect_loop"
    PRIVATE_ADDRESS = "private_address"
    BAD_URL = "bad_url"  # malformed, not http(s), credentials in it, or not a web port
    BAD_CONTENT = "bad_content"
    BROWSER_CRASHED = "browser_crashed"
    BROWSER_UNAVAILABLE = "browser_unavailable"
    UNRENDERED = "unrendered"  # the only country controls could not be read whole or judged
    STEP_FAILED = "step_failed"
    NOT_RECORDED = "not_recorded"  # --replay: the exchange is not in the recording
    OFF_SITE = "off_site"  # discovery: a redirect would leave the site it walks


class BlockReason(StrEnum):
    """Why a page ended ``blocked``: something stood between us and the form."""

    BOT_WALL = "bot_wall"
    CAPTCHA = "captcha"
    FORBIDDEN = "forbidden"
    ROBOTS = "robots"
    LOGIN_REQUIRED = "login_required"


def reason_for_status(status: int | None) -> BlockReason | ErrorReason | None:
    """What an HTTP status means for a check, the same for every fetch path: ``None`` when
    the page may be read (2xx, 3xx handled elsewhere); a 401/403 page is still read, to name a
    bot wall or captcha in it, and is otherwise ``forbidden``."""
    if status is None or status < 400:
        return None
    if status in (401, 403):
        return BlockReason.FORBIDDEN
    if status == 429:
        return ErrorReason.RATE_LIMITED
    if status < 500:
        return ErrorReason.HTTP_4XX
    return ErrorReason.HTTP_5XX
