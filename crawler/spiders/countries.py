"""The ``countries`` spider: check every active target of the catalog, static first.

Fetch and extract only: ``checks`` decides (through :func:`crawler.checker.conclude`, the same
call ``xktracker check`` makes) and the pipeline stores. Per target:

1. a plain HTTP request (unless the browser is asked for outright);
2. if the HTML cannot show the list (``PageResult.needs_browser``) and the browser mode
   allows it, a scrapy-playwright request for the same URL, read in the page by
   :mod:`crawler.browser_page` after running the target's steps;
3. every failure (DNS, timeout, refused, TLS, the guard, robots.txt) reaches :meth:`failed`
   and is stored as an ``error`` or ``blocked`` check with its reason, never as ``missing``.

With ``XK_REDIS_URL`` several of these spiders, in several processes or machines, share one
run through a Redis queue (:mod:`crawler.distributed`): each offers every unchecked target,
the shared duplicate filter lets each in once, and whichever worker takes a request answers
for its target (requests carry only its id, so any worker can).

Usage: ``scrapy crawl countries [-a site=a.com,b.com] [-a browser=auto|always|never]
[-a record=DIR | -a replay=DIR]`` from the repository root, or ``xktracker crawl``.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from checks import PageResult
from crawler.browser_page import close_page, har_path, navigation_failure, playwright_meta
from crawler.checker import build_report, conclude, now_iso
from crawler.config import SPIDER_ARGS, CrawlConfig, apply_defaults
from crawler.distributed import Coordinator, scheduler_settings
from crawler.evidence import page_extras
from crawler.fetch.egress import EgressProxy
from crawler.fetch.outcome import FetchOutcome
from crawler.items import CheckItem
from crawler.responses import ERROR_STATUSES, outcome_from_failure, outcome_from_response
from crawler.runs import RunBinding, RunBook, TargetSpec
from foundation.vocabulary import ErrorReason

log = logging.getLogger(__name__)

NO_BROWSER_NOTE = "a browser would have looked further, but none is available: "


def setup_browser(settings: Any, config: CrawlConfig) -> tuple[str | None, EgressProxy | None]:
    """Install scrapy-playwright's handlers unless the crawl never uses a browser; return why
    no browser can run (``None`` when one can) and the browser's egress proxy.

    Chromium is launched with the proxy's catch-all session, whatever launch options were
    given, so no context reaches the network past the guard."""
    if config.browser == "never":
        return None, None
    from crawler.errors import BrowserUnavailable
    from crawler.fetch.chromium import find_chromium

    try:
        binary = find_chromium(config.browser_path)
    except BrowserUnavailable as exc:
        return str(exc), None
    settings.set("DOWNLOAD_HANDLERS", dict(config.download_handlers_browser), priority="spider")
    proxy = EgressProxy(config.policy).start()
    launch = dict(settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS") or binary.launch_options())
    launch["proxy"] = proxy.catch_all().playwright_proxy()
    settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", launch, priority="spider")
    return None, proxy


def _early_launch_done(future: asyncio.Future[None]) -> None:
    """A failed early launch is retried by the first browser request, which records why."""
    if not future.cancelled() and future.exception() is not None:
        log.debug("early browser launch failed: %s", future.exception())


class CountriesSpider(scrapy.Spider):
    name = "countries"

    config: CrawlConfig
    browser_problem: str | None = None
    egress: EgressProxy | None = None  # the browser's only way out (crawler.fetch.egress)
    binding: RunBinding | None = None
    run_book: RunBook | None = None  # set with the run by crawler.run_lifecycle
    run_problem: str | None = None  # why no run could be opened
    coordinator: Coordinator | None = None  # distributed mode (XK_REDIS_URL)
    targets: dict[int, TargetSpec]
    _pending: list[TargetSpec]
    _unchecked: Callable[[], set[int]] | None = None
    _lookup: Callable[[int], TargetSpec | None] | None = None
    _launching: asyncio.Future[None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> CountriesSpider:
        args_given = {k: kwargs.pop(k) for k in list(kwargs) if k in SPIDER_ARGS}
        apply_defaults(crawler.settings, args_given)
        config = CrawlConfig.from_settings(crawler.settings)
        problem, egress = setup_browser(crawler.settings, config)
        if config.redis_url:
            crawler.settings.setdict(scheduler_settings(config.redis_url), priority="spider")
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.config = config
        spider.browser_problem = problem
        spider.egress = egress
        if egress is not None:
            crawler.signals.connect(spider.close_egress, signal=signals.spider_closed)
        spider.targets = {}
        spider._pending = []
        if config.redis_url:
            spider.coordinator = Coordinator.from_settings(crawler.settings)
            crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        return spider

    def close_egress(self) -> None:
        if self.egress is not None:
            self.egress.close()

    def bind_run(self, binding: RunBinding, targets: list[TargetSpec],
                 unchecked: Callable[[], set[int]] | None = None,
                 lookup: Callable[[int], TargetSpec | None] | None = None) -> None:
        """Called by :class:`crawler.run_lifecycle.RunLifecycle` once it opened (or resumed)
        the run, with every target in its scope, a way to ask which still have no check, and
        one to read a target this worker did not know (added to the catalog after it started).
        Requests
        carry only a target's id, so a worker that did not schedule them (the shared queue
        of distributed mode) can still answer for any target of the run."""
        self.binding = binding
        self.targets = {t.id: t for t in targets}
        self._pending = [t for t in targets if t.id not in binding.done]
        self._unchecked = unchecked
        self._lookup = lookup

    # -- requests -------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        if self.binding is None:  # nothing would be kept
            raise CloseSpider(self.run_problem or "no_run")
        stats = self.crawler.stats
        if stats is not None:
            stats.set_value("xk/targets_total", len(self.binding.scope))
            stats.set_value("xk/targets_already_checked", len(self.binding.done))
            stats.set_value("xk/targets_pending", len(self._pending))
        if self.browser_problem and self.config.browser != "never":
            log.warning("no browser for this crawl: %s", self.browser_problem)
        if self._pending:
            self.launch_browser_early()
        for target in self._pending:
            for output in self.first_step(target):
                yield output

    def launch_browser_early(self) -> None:
        """Start Chromium now, while the first static pages are fetched: scrapy-playwright
        launches it at the first browser request, which in ``auto`` mode comes only after a
        static page asked for it (half a second of the mixed benchmark's ten)."""
        if self.config.browser == "never" or self.browser_problem is not None:
            return
        engine = self.crawler.engine
        handlers = getattr(getattr(engine, "downloader", None), "handlers", None)
        # Scrapy keeps one handler, so one browser, per URL scheme: start the one most
        # targets will use.
        schemes = Counter(urlsplit(t.url).scheme.lower() for t in self._pending)
        scheme = "http" if schemes["http"] > schemes["https"] else "https"
        try:  # scrapy-playwright's own, lazy launch stays the fallback
            handler = handlers._get_handler(scheme) if handlers is not None else None
            launch = getattr(handler, "_maybe_launch_browser", None)
            if launch is not None:
                self._launching = asyncio.ensure_future(launch())
                self._launching.add_done_callback(_early_launch_done)
        except Exception as exc:  # an early launch is an optimisation, never a failure
            log.debug("could not launch the browser early: %s", exc)

    def mode_for(self, target: TargetSpec) -> str:
        """``--browser always``/``never`` decide for every target; ``auto`` defers to the
        target's own ``browser:`` (itself ``auto`` unless the catalog says otherwise)."""
        return target.browser if self.config.browser == "auto" else self.config.browser

    def first_step(self, target: TargetSpec, *, requeue: bool = False) -> Iterator[Any]:
        """A target's first request (its *seed*), or its check when no request can help.

        Alone, every seed passes (``dont_filter``); sharing a run, the first offer of each
        target passes the shared duplicate filter and the other workers' are dropped, except
        when a lost target is queued again (``requeue``)."""
        started = now_iso()
        seed = self.coordinator is not None and not requeue
        if self.mode_for(target) == "always":
            if self.browser_problem is None:
                yield self.browser_request(target, started, seed=seed)
            elif not seed or self.coordinator is None or self.coordinator.admit(target.id):
                failed = FetchOutcome(requested_url=target.url, method="browser",
                                      error="browser_unavailable", detail=self.browser_problem)
                yield self.item(target, started, failed)
            return
        yield scrapy.Request(target.url, callback=self.parse, errback=self.failed,
                             dont_filter=not seed,
                             meta={"xk_target": target.id, "xk_method": "static",
                                   "xk_started": started, "xk_seed": seed,
                                   "handle_httpstatus_list": ERROR_STATUSES})

    def idle(self) -> None:
        """Distributed mode, out of work: stay while targets of the run are in other workers'
        hands, queue again those lost with a dead worker; leave when none is left."""
        if self.coordinator is None or self._unchecked is None:
            return
        left = self._unchecked()
        if not left:
            return
        recovery = self.coordinator.recover(left, self.requeue)
        if recovery.requeued:
            log.warning("queued again %d targets no live worker holds (a worker died?)",
                        len(recovery.requeued))
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value("xk/requeued", len(recovery.requeued))
        if recovery.given_up:
            log.error("%d targets were lost %d times: left unchecked", len(recovery.given_up),
                      self.coordinator.MAX_REQUEUES)
        if recovery.keep_going:
            raise DontCloseSpider

    def requeue(self, target_id: int) -> None:
        """Put a lost target's first request into the shared queue now (or store its check
        when no request can help)."""
        from twisted.internet.defer import Deferred

        assert self.crawler.engine is not None
        for output in self.first_step(self.target(target_id), requeue=True):
            if isinstance(output, scrapy.Request):
                self.crawler.engine.crawl(output)
            else:
                Deferred.fromCoroutine(self.crawler.engine.scraper.start_itemproc_async(
                    output, response=None))

    def browser_request(self, target: TargetSpec, started: str, *,
                        seed: bool = False, crashes: int = 0) -> scrapy.Request:
        conf = self.config
        page: dict[str, Any] = {"timeout": conf.browser_timeout}
        if conf.record_dir is not None:
            page.update(mode="record", har=str(har_path(conf.record_dir, target.url)))
        elif conf.replay_dir is not None:
            page.update(mode="replay", har=str(har_path(conf.replay_dir, target.url)))
        return scrapy.Request(target.url, callback=self.parse_browser, errback=self.failed,
                              dont_filter=not seed, meta={
                                  "xk_target": target.id, "xk_method": "browser",
                                  "xk_started": started, "xk_page": page, "xk_seed": seed,
                                  "xk_crashes": crashes,
                                  **playwright_meta(f"xk-target-{target.id}",
                                                    conf.browser_timeout),
                                  "handle_httpstatus_list": ERROR_STATUSES})

    # -- callbacks ------------------------------------------------------------------------

    def _target(self, meta: dict[str, Any]) -> TargetSpec:
        return self.target(int(meta["xk_target"]))

    def target(self, target_id: int) -> TargetSpec:
        known = self.targets.get(target_id)
        if known is None and self._lookup is not None:
            known = self._lookup(target_id)
            if known is not None:
                self.targets[target_id] = known
        if known is None:
            raise KeyError(f"target {target_id} is not in the catalog")
        return known

    def parse(self, response: Response) -> Iterator[Any]:
        """A static response: judge it; escalate to the browser when the list is not in it."""
        target = self._target(response.meta)
        started = response.meta.get("xk_started") or now_iso()
        outcome = outcome_from_response(response, target.url)
        outcome.attempts = 1 + int(response.meta.get("retry_times") or 0)
        concluded = conclude(outcome, self.config.territory)
        result: PageResult | None = concluded[0]
        note = None
        if self.mode_for(target) == "auto" and result is not None and result.needs_browser:
            if self.browser_problem is None:
                yield self.browser_request(target, started)
                return
            if self.config.browser != "never":
                note = NO_BROWSER_NOTE + self.browser_problem
        yield self.item(target, started, outcome, concluded, note=note, body=response.body)

    async def parse_browser(self, response: Response) -> AsyncIterator[CheckItem | scrapy.Request]:
        """A page scrapy-playwright loaded: read it like ``check --browser`` and close it."""
        from crawler.browser_page import read_response

        target = self._target(response.meta)
        out = await read_response(response, target.url, steps=target.steps, config=self.config,
                                  proxy=self.egress)
        again = self.after_crash(target, response.meta, out)
        if again is not None:
            yield again
            return
        yield self.item(target, response.meta.get("xk_started") or now_iso(), out)

    async def failed(self, failure: Failure) -> AsyncIterator[CheckItem | scrapy.Request]:
        """No response: a reason, never a verdict. Closes a browser page left open."""
        request = failure.request  # type: ignore[attr-defined]
        meta = request.meta
        target = self._target(meta)
        method = meta.get("xk_method", "static")
        exc = failure.value
        assert exc is not None
        out = outcome_from_failure(exc, target.url, method)
        if method == "browser" and meta.get("xk_page") is not None and not getattr(
                exc, "reason", None):
            out.error, out.detail = navigation_failure(exc, meta, target.url)
        await close_page(meta.get("playwright_page"), meta, self.egress)
        again = self.after_crash(target, meta, out)
        if again is not None:
            yield again
            return
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"xk/failures/{out.error or out.blocked}")
        yield self.item(target, meta.get("xk_started") or now_iso(), out)

    def after_crash(self, target: TargetSpec, meta: dict[str, Any],
                    out: FetchOutcome) -> scrapy.Request | None:
        """A crashed browser says nothing about the page: one more try, with the fresh
        browser scrapy-playwright launches, before a crash is recorded. Counts the tries."""
        crashes = int(meta.get("xk_crashes") or 0)
        out.attempts = 1 + int(meta.get("retry_times") or 0) + crashes
        if out.error != ErrorReason.BROWSER_CRASHED or crashes >= 1:
            return None
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("xk/browser_crash_retries")
        log.warning("the browser crashed on %s: trying once more with a fresh one", target.url)
        return self.browser_request(target, meta.get("xk_started") or now_iso(),
                                    crashes=crashes + 1)

    # -- items ----------------------------------------------------------------------------

    def item(self, target: TargetSpec, started: str, outcome: FetchOutcome,
             concluded: tuple[PageResult | None, str, str | None] | None = None, *,
             note: str | None = None, body: bytes | None = None) -> CheckItem:
        """The report (as ``check --json`` gives it, plus option lists) and its evidence."""
        report = build_report(target.url, started, outcome, concluded, self.config.territory,
                              note=note, with_options=True)
        report["target_id"] = target.id
        report["site"] = target.site
        report["redirects"] = list(outcome.redirects)
        if self.coordinator is not None:
            report["worker"] = self.coordinator.worker  # which machine saw it
        evidence = report["evidence"]
        blobs: list[tuple[bytes, str]] = []
        if evidence.get("html_sha256"):
            if outcome.method == "static" and body is not None:
                blobs.append((body, "html" if outcome.html is not None else "bin"))
            elif outcome.html is not None:
                blobs.append((outcome.html.encode("utf-8"), "html"))
            else:
                evidence["html_sha256"] = None  # nothing kept to show for it
        blobs += page_extras(outcome, evidence)
        assert self.binding is not None
        return CheckItem(run_id=self.binding.run_id, target_id=target.id, report=report,
                         blobs=blobs)
