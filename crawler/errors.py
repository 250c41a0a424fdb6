"""Exceptions the crawler raises inside Scrapy, each carrying the reason it is recorded with."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest


class FetchRefused(IgnoreRequest):
    """We decided not to fetch (or not to use) a URL: the address guard, robots.txt, a
    redirect loop, a replay without a recording. The spider's errback records ``reason``
    as an ``error`` (or, with ``blocked``, a ``blocked``) check, never as a verdict.

    An ``IgnoreRequest`` so that Scrapy neither retries nor logs it as a crash.
    """

    def __init__(self, reason: str, detail: str | None = None, *, blocked: bool = False) -> None:
        super().__init__(detail or reason)
        self.reason = reason
        self.detail = detail
        self.blocked = blocked
