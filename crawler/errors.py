"""The errors the crawler raises, one tree under :class:`CrawlerError`.

Scrapy-free, so ``xktracker check`` can import it without loading Scrapy; the one exception
raised inside Scrapy's machinery, ``FetchRefused``, lives with the middlewares that raise it.
A failed fetch is never one of these: it is a :class:`crawler.fetch.outcome.FetchOutcome`
with a reason. These are for callers that asked for something impossible.
"""

from __future__ import annotations

from foundation.errors import SettingsError, XKTrackerError


class CrawlerError(XKTrackerError):
    """Base of every error raised by ``crawler``."""


class CrawlConfigError(CrawlerError, SettingsError):
    """Settings that cannot make a crawl (an unknown ``XK_*`` name, a bad browser mode,
    ``--record`` with ``--replay`` …)."""


class SettingOverrideError(CrawlConfigError):
    """A ``--set NAME=VALUE`` that is not of that form."""


class NotPlainData(CrawlerError, TypeError):
    """A request to be shared carries something JSON cannot hold (an object, a page…)."""


class NothingToReanalyse(CrawlerError, LookupError):
    """No such run, or no finished crawl to start from."""


class BrowserUnavailable(CrawlerError, RuntimeError):
    """No usable Chromium: the browser path cannot run (callers fall back or report it)."""

    reason = "browser_unavailable"


class DecodeFailed(CrawlerError, ValueError):
    """A content coding we cannot undo with a bound, or a corrupt compressed body."""


class InflatedTooLarge(DecodeFailed):
    """A compressed file that inflates past its cap (a bomb, or just too big to read)."""


class GuardError(CrawlerError):
    """Base of every refusal of the address guard; ``reason`` is the outcome reason."""

    reason: str = "bad_url"

    def __init__(self, detail: str, reason: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if reason is not None:
            self.reason = reason


class BadUrl(GuardError):
    """The URL is malformed or uses something we never fetch (scheme, userinfo, a port that is
    not a web port on a public host)."""

    reason = "bad_url"


class AddressRefused(GuardError):
    """The host is, or resolves to, an address that is not on the public Internet."""

    reason = "private_address"


class ResolveFailed(GuardError):
    """The host name did not resolve; kept apart so it is reported as ``dns``."""

    reason = "dns"
