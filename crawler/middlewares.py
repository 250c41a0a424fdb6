"""Downloader middlewares: the address guard, polite retries, robots marking, cassettes.

Order (``DOWNLOADER_MIDDLEWARES`` in :mod:`crawler.settings`): the guard first (50), so
nothing, not even robots.txt, is fetched from an address we refuse; the cassette last (950),
closest to the network, so it records raw bytes and every redirect hop, and on replay answers
before anything could leave the machine.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from crawler.config import CrawlConfig
from crawler.errors import CrawlerError, GuardError

log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------
# Refusals


class FetchRefused(CrawlerError, IgnoreRequest):
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


# ---------------------------------------------------------------------------------------
# The address guard


class AddressGuardMiddleware:
    """Refuse any request (catalog URL, redirect hop, robots.txt, retry) whose host is, or
    resolves to, a non-public address, unless allowed; and a URL met twice in one redirect
    chain (a loop). Redirect hops come back through ``process_request``, so each is judged.

    The connection Twisted then makes resolves the name again, through
    :class:`crawler.resolver.GuardedResolver`, which answers only with approved addresses (no
    DNS rebinding in between); ``process_response`` checks the address the answer came from
    once more. Decisions are cached per host for five minutes, as a resolver would.
    """

    CACHE_SECONDS = 300.0

    def __init__(self, config: CrawlConfig, crawler: Crawler) -> None:
        self.policy = config.policy
        self.stats = crawler.stats
        self._cache: dict[tuple[str, str], tuple[float, GuardError | None]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        config = CrawlConfig.from_settings(crawler.settings)
        if config.replay_dir is not None:
            raise NotConfigured("replaying: nothing is fetched")
        return cls(config, crawler)

    def _refuse(self, reason: str, detail: str) -> FetchRefused:
        if self.stats is not None:
            self.stats.inc_value(f"xk/guard/{reason}")
        return FetchRefused(reason, detail)

    async def process_request(self, request: Request, spider: Any = None) -> None:
        # Scrapy's own redirects come back here as new requests; the browser follows its
        # redirects itself (its route guard watches for loops), and a retried browser request
        # keeps the redirect history of its first attempt.
        history = [] if request.meta.get("playwright") else [
            str(u) for u in request.meta.get("redirect_urls") or []]
        if request.url in history:
            raise self._refuse("redirect_loop", f"{history[-1][:200]} redirects back to "
                                                f"{request.url[:200]}")
        parts = urlsplit(request.url)
        key = (parts.scheme.lower(), parts.netloc.lower())
        cached = self._cache.get(key)
        if cached is None or cached[0] < time.monotonic():
            try:
                await asyncio.to_thread(self.policy.guard_url, request.url)
                objection: GuardError | None = None
            except GuardError as exc:
                objection = exc
            if objection is None or objection.reason != "bad_url":
                self._cache[key] = (time.monotonic() + self.CACHE_SECONDS, objection)
        else:
            objection = cached[1]
        if objection is not None:
            raise self._refuse(objection.reason, objection.detail)

    def process_response(self, request: Request, response: Response,
                         spider: Any = None) -> Response:
        ip = response.ip_address
        if ip is None or "playwright" in response.flags:
            return response  # the browser's egress proxy judged its connections itself
        parts = urlsplit(response.url)
        try:
            self.policy.check_host(str(ip), parts.port or
                                   (443 if parts.scheme == "https" else 80))
        except GuardError as exc:
            raise self._refuse(exc.reason, f"answer came from {ip}: {exc.detail}") from None
        return response


# ---------------------------------------------------------------------------------------
# Retries


def parse_retry_after(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date)."""
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if re.fullmatch(r"\d{1,10}", text):
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


async def _drop_page(request: Request, retry: Request, proxy: Any) -> None:
    """A browser attempt that is retried leaves its page and egress session open: close them;
    the retry gets a new session when it is downloaded."""
    page = request.meta.pop("playwright_page", None)
    retry.meta.pop("playwright_page", None)
    retry.meta.pop("xk_egress", None)
    if page is not None or request.meta.get("xk_egress") is not None:
        from crawler.browser_page import close_page

        await close_page(page, request.meta, proxy)
        request.meta.pop("xk_egress", None)


class PoliteRetryMiddleware(RetryMiddleware):
    """Scrapy's retries (5xx, 429, timeouts, refused and reset connections) with an
    exponential back-off between tries, and ``Retry-After`` honoured on 429 and 503.

    A ``Retry-After`` longer than ``XK_RETRY_AFTER_MAX`` is not waited for: the answer goes to
    the spider as it is and is recorded (``rate_limited`` for 429, ``http_5xx`` for 503, with
    the wait in the detail). Replays do not wait at all.
    """

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        config = CrawlConfig.from_settings(settings)
        self.retry_after_max = config.retry_after_max
        self.backoff = config.retry_backoff
        self.backoff_max = config.retry_backoff_max
        self.replaying = config.replay_dir is not None

    def _delay(self, retry: Request) -> float:
        attempt = max(1, int(retry.meta.get("retry_times", 1)))
        return float(min(self.backoff_max, self.backoff * 2 ** (attempt - 1)))

    async def _wait(self, seconds: float) -> None:
        if seconds > 0 and not self.replaying:
            await asyncio.sleep(seconds)

    async def process_response(  # type: ignore[override]  # async: it waits
            self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait: float | None = None
        if response.status in (429, 503):
            wait = parse_retry_after(response.headers.get("Retry-After"))
            if wait is not None and wait > self.retry_after_max:
                request.meta["xk_retry_after_refused"] = wait
                self.crawler.stats.inc_value("xk/retry_after/too_long")
                return response
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        await _drop_page(request, retry, getattr(self.crawler.spider, "egress", None))
        if wait is not None:
            self.crawler.stats.inc_value("xk/retry_after/honoured")
        await self._wait(wait if wait is not None else self._delay(retry))
        return retry

    async def process_exception(  # type: ignore[override]  # async: it waits
            self, request: Request, exception: Exception, spider: Any = None
    ) -> Request | Response | None:
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get(
                "dont_retry", False):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await _drop_page(request, retry, getattr(self.crawler.spider, "egress", None))
            await self._wait(self._delay(retry))
        return retry


# ---------------------------------------------------------------------------------------
# robots.txt


class _QuietRobotsErrors(logging.Filter):
    """An unreachable robots.txt is ordinary (the site is down, or refuses us): Scrapy logs
    it as an error with a traceback; the page's own fetch records the reason anyway."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and str(record.msg).startswith("Error downloading"):
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info = record.exc_text = None
        return True


class RobotsMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware whose refusal carries the reason ``robots``, so the
    target is recorded as ``blocked``/``robots`` (we chose not to look), not as an error."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        robots_log = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
        if not any(isinstance(f, _QuietRobotsErrors) for f in robots_log.filters):
            robots_log.addFilter(_QuietRobotsErrors())

    async def robot_parser(self, request: Request) -> Any:
        """Scrapy 2.19 awaits one shared Deferred from every request that arrives while
        robots.txt is downloading; only the first gets the parser, the others ``None``
        ("allow all"). Read the parser it stored instead."""
        parser = await super().robot_parser(request)
        if parser is None:
            stored = self._parsers.get(urlparse_cached(request).netloc)
            if stored is not None and not isinstance(stored, Deferred):
                return stored
        return parser

    def process_request_2(self, rp: Any, request: Request) -> None:
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            raise FetchRefused("robots", "robots.txt disallows this URL for our user agent",
                               blocked=True) from None


# ---------------------------------------------------------------------------------------
# Record and replay (vcrpy cassettes for the static path)


def _vcr_request(request: Request) -> Any:
    from vcr.request import Request as VcrRequest

    headers = {k.decode("latin-1"): b", ".join(v).decode("latin-1")
               for k, v in request.headers.items()}
    return VcrRequest(request.method, request.url, request.body or None, headers)


def _cassette_name(url: str) -> str:
    netloc = urlsplit(url).netloc.lower() or "local"
    return re.sub(r"[^a-z0-9.-]+", "_", netloc) + ".yaml"


class CassetteMiddleware:
    """``--record DIR``: keep every plain-HTTP exchange as a vcrpy cassette per host
    (``DIR/http/<host>.yaml``, the format the httpx checker's cassettes use) and every
    request that got no answer (timeout, refusal…) in ``DIR/failures.jsonl``.
    ``--replay DIR``: answer from them and never touch the network; an exchange missing
    from the recording is an ``error``/``not_recorded`` check.

    Browser requests are left to Playwright's HAR recording (:mod:`crawler.browser_page`).
    """

    def __init__(self, crawler: Crawler, folder: Path, replay: bool) -> None:
        self.crawler = crawler
        self.folder = folder
        self.replay = replay
        self._cassettes: dict[str, Any] = {}
        self._failures: dict[tuple[str, str], dict[str, Any]] = {}
        self._failures_file = folder / "failures.jsonl"
        if replay and self._failures_file.is_file():
            for line in self._failures_file.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    entry = json.loads(line)
                    self._failures[(entry["method"], entry["url"])] = entry
        crawler.signals.connect(self.save_all, signal=signals.spider_closed)
        # vcrpy logs every exchange at INFO, bodies included.
        logging.getLogger("vcr").setLevel(logging.WARNING)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CassetteMiddleware:
        config = CrawlConfig.from_settings(crawler.settings)
        if config.replay_dir is not None:
            if not config.replay_dir.is_dir():
                raise NotConfigured(f"no recording at {config.replay_dir}")
            return cls(crawler, config.replay_dir, replay=True)
        if config.record_dir is not None:
            config.record_dir.mkdir(parents=True, exist_ok=True)
            return cls(crawler, config.record_dir, replay=False)
        raise NotConfigured

    def _cassette(self, url: str) -> Any:
        from vcr.cassette import Cassette
        from vcr.record_mode import RecordMode

        name = _cassette_name(url)
        if name not in self._cassettes:
            path = self.folder / "http" / name
            # Replays play each exchange once, in order (503, 503, 200 stays a sequence);
            # recordings load what an interrupted crawl kept and add to it.
            mode = RecordMode.NONE if self.replay else RecordMode.ALL
            self._cassettes[name] = Cassette.load(path=str(path), record_mode=mode,
                                                  allow_playback_repeats=False)
        return self._cassettes[name]

    def process_request(self, request: Request, spider: Any = None) -> Response | None:
        if not self.replay or request.meta.get("playwright"):
            return None
        cassette = self._cassette(request.url)
        recorded = _vcr_request(request)
        if cassette.can_play_response_for(recorded):
            return self._response(request, cassette.play_response(recorded))
        if recorded in cassette:
            # Replayed more often than recorded (more retries than the recording made):
            # the server's last recorded answer is what it kept saying.
            return self._response(request, cassette.responses_of(recorded)[-1])
        failure = self._failures.get((request.method, request.url))
        if failure is not None:
            raise FetchRefused(failure["reason"], failure.get("detail"),
                               blocked=failure.get("kind") == "blocked")
        raise FetchRefused("not_recorded", f"{request.url[:200]} is not in the recording")

    @staticmethod
    def _response(request: Request, played: dict[str, Any]) -> Response:
        headers = Headers({k: v for k, v in (played.get("headers") or {}).items()})
        body = (played.get("body") or {}).get("string") or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        respcls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return respcls(url=request.url, status=int(played["status"]["code"]),
                       headers=headers, body=body, request=request, flags=["cassette"])

    def process_response(self, request: Request, response: Response,
                         spider: Any = None) -> Response:
        if self.replay or request.meta.get("playwright") or "cassette" in response.flags:
            return response
        cassette = self._cassette(request.url)
        headers: dict[str, list[str]] = {
            k.decode("latin-1"): [v.decode("latin-1") for v in values]
            for k, values in response.headers.items()}
        cassette.append(_vcr_request(request), {
            "status": {"code": response.status, "message": ""},
            "headers": headers,
            "body": {"string": response.body},
        })
        self._save(cassette)
        return response

    def process_exception(self, request: Request, exception: Exception,
                          spider: Any = None) -> None:
        if self.replay or request.meta.get("playwright"):
            return None
        from crawler.responses import failure_reason

        kind, reason, detail = failure_reason(exception)
        if reason == "not_recorded":
            return None
        entry = {"method": request.method, "url": request.url, "kind": kind,
                 "reason": reason, "detail": detail}
        with self._failures_file.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return None

    def _save(self, cassette: Any) -> None:
        """Written after each exchange: a recording survives a crawl killed half way."""
        from vcr.persisters.filesystem import FilesystemPersister
        from vcr.serializers import yamlserializer

        FilesystemPersister.save_cassette(
            cassette.path, {"requests": cassette.requests, "responses": cassette.responses},
            serializer=yamlserializer)

    def save_all(self, spider: Any = None) -> None:
        if self.replay:
            return
        for cassette in self._cassettes.values():
            if cassette.dirty:
                self._save(cassette)
