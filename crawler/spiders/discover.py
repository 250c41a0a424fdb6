"""The ``discover`` spider: look for the form pages of the sites that need it.

Which sites: those catalog health lists (``db.health``): ``discover: true``, no active target,
or a target whose last ``XK_HEALTH_RUNS`` checks all ended ``http_4xx``, ``no_country_field``
or on the home page. ``-a site=a.com,b.com`` narrows the list (a listed site is walked even
when it looks healthy); ``-a url=https://…`` walks any start page.

Each site is walked by a :class:`crawler.discover.walk.SiteWalk`, the walk of ``xktracker
discover``: the spider only turns its steps into requests, one at a time per site, and the
responses back into outcomes (``crawler.responses``, the countries spider's). Every request
passes the crawler's address guard, robots middleware, retries and pacing, and the site
scope (:class:`SiteScopeMiddleware`) on every redirect hop. Pages the browser must read go
through scrapy-playwright, read by ``crawler.browser_page`` as a target's are. When a walk
ends, its findings go to the pipeline as one item: proposals, never targets.

Usage: ``scrapy crawl discover [-a site=a.com,b.com] [-a url=https://…] [-a browser=…]
[-a max_pages=30] [-a depth=3] [-a runs=2]``, or ``xktracker crawl --discover``.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from scrapy.settings import BaseSettings
from twisted.python.failure import Failure

from crawler.browser_page import close_page, navigation_failure, playwright_meta
from crawler.config import SPIDER_ARGS, CrawlConfig, apply_defaults
from crawler.discover.findings import Finding
from crawler.discover.items import DiscoveryItem
from crawler.discover.output import progress_line
from crawler.discover.site import site_of
from crawler.discover.walk import SiteWalk, TextFetch, Visit, WalkOptions
from crawler.fetch.egress import EgressProxy
from crawler.fetch.outcome import FetchOutcome
from crawler.fetch.static import DEFAULT_USER_AGENT, TextResource, text_of
from crawler.middlewares import FetchRefused
from crawler.responses import ERROR_STATUSES, outcome_from_failure, outcome_from_response
from crawler.spiders.countries import setup_browser

log = logging.getLogger(__name__)

# Spider arguments of this spider alone, and the setting each one sets.
DISCOVER_ARGS = {"max_pages": "XK_DISCOVER_MAX_PAGES", "depth": "XK_DISCOVER_DEPTH",
                 "runs": "XK_HEALTH_RUNS", "max_seconds": "XK_DISCOVER_MAX_SECONDS",
                 "url": "XK_DISCOVER_URLS"}


class SiteScopeMiddleware:
    """A request that belongs to a walk stays on the walk's site, redirect hops included
    (they come back through here as new requests): ``error``/``off_site`` otherwise."""

    def process_request(self, request: scrapy.Request, spider: Any = None) -> None:
        site = request.meta.get("xk_discover_site")
        if site and site_of(request.url) != site:
            raise FetchRefused("off_site", f"{request.url[:200]} is outside {site}")


@dataclass(slots=True)
class SiteRun:
    key: int
    walk: SiteWalk
    site_id: int | None
    domain: str
    trigger: str
    replaces: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)


class DiscoverSpider(scrapy.Spider):
    name = "discover"

    config: CrawlConfig
    browser_problem: str | None = None
    egress: EgressProxy | None = None  # the browser's only way out (crawler.fetch.egress)
    runs: dict[int, SiteRun]

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """This spider stores proposals, not checks: its own pipeline, the site scope on
        every hop, and its own progress lines instead of the crawl's."""
        super().update_settings(settings)
        middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
        middlewares["crawler.spiders.discover.SiteScopeMiddleware"] = 60
        settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="spider")
        settings.set("ITEM_PIPELINES", {"crawler.discover.pipeline.ProposalPipeline": 300},
                     priority="spider")
        extensions = dict(settings.getdict("EXTENSIONS"))
        extensions["crawler.progress.Progress"] = None
        settings.set("EXTENSIONS", extensions, priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> DiscoverSpider:
        args_given = {k: kwargs.pop(k) for k in list(kwargs) if k in SPIDER_ARGS}
        for arg, name in DISCOVER_ARGS.items():
            if kwargs.get(arg) not in (None, ""):
                value = kwargs.pop(arg)
                crawler.settings.set(name, value.split(",") if arg == "url" else value,
                                     priority="cmdline")
        apply_defaults(crawler.settings, args_given)
        config = CrawlConfig.from_settings(crawler.settings)
        problem, egress = setup_browser(crawler.settings, config)
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.config = config
        spider.browser_problem = problem
        spider.egress = egress
        spider.runs = {}
        if egress is not None:
            crawler.signals.connect(spider.close_egress, signal=signals.spider_closed)
        return spider

    def close_egress(self) -> None:
        if self.egress is not None:
            self.egress.close()

    # -- which sites ----------------------------------------------------------------------

    def _walk_options(self) -> WalkOptions:
        config = self.config
        return WalkOptions(max_pages=config.discover_max_pages,
                           max_depth=config.discover_depth,
                           browser=config.browser, territory=config.territory,
                           max_seconds=config.discover_max_seconds,
                           user_agent=self.crawler.settings.get("USER_AGENT")
                           or DEFAULT_USER_AGENT, with_options=True)

    def _sites(self) -> list[SiteRun]:
        from db.health import catalog_health
        from db.session import Database

        options = self._walk_options()
        out: list[SiteRun] = []
        for url in self.config.discover_urls:
            out.append(SiteRun(len(out), SiteWalk(url.strip(), options), None,
                               site_of(url.strip()), "asked for on the command line"))
        if out and not self.config.sites:
            return out
        database = Database(self.config.database_url)
        try:
            with database.scope() as session:
                found = {h.domain: h for h in catalog_health(
                    session, runs=self.config.health_runs,
                    territory=self.config.territory, sites=self.config.sites)}
                for domain in self.config.sites:
                    if domain not in found:
                        found.update({h.domain: h for h in _asked_for(session, domain)})
        finally:
            database.dispose()
        for health in found.values():
            out.append(SiteRun(len(out), SiteWalk(health.start_url, options), health.site_id,
                               health.domain, health.trigger, health.replaces()))
        return out

    # -- requests -------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        if not getattr(self, "store_ready", False):
            raise CloseSpider("no_store")  # the pipeline is off: nothing would be kept
        sites = self._sites()
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("xk/discover/sites", len(sites))
        if self.browser_problem and self.config.browser != "never":
            log.warning("no browser for this discovery: %s", self.browser_problem)
        for run in sites:
            self.runs[run.key] = run
            for output in self._next(run):
                yield output

    def _next(self, run: SiteRun) -> Iterator[Any]:
        """The walk's next request, or the item that ends the walk."""
        walk = run.walk
        while True:
            step = walk.next_step()
            if step is None:
                yield self._item(run)
                return
            if isinstance(step, TextFetch):
                yield self._request(run, step.url, self.on_text, step,
                                    dont_obey=step.purpose == "robots")
                return
            if step.method == "browser":
                if self.browser_problem is not None:
                    walk.feed(step, FetchOutcome(requested_url=step.url, method="browser",
                                                 error="browser_unavailable",
                                                 detail=self.browser_problem))
                    continue
                yield self._browser_request(run, step)
                return
            yield self._request(run, step.url, self.on_page, step)
            return

    def _request(self, run: SiteRun, url: str, callback: Any, step: Visit | TextFetch,
                 dont_obey: bool = False) -> scrapy.Request:
        meta = {"xk_run": run.key, "xk_step": step, "xk_discover_site": run.walk.site,
                "handle_httpstatus_list": ERROR_STATUSES}
        if dont_obey:
            meta["dont_obey_robotstxt"] = True
        return scrapy.Request(url, callback=callback, errback=self.failed, dont_filter=True,
                              meta=meta)

    def _browser_request(self, run: SiteRun, visit: Visit) -> scrapy.Request:
        conf = self.config
        page = {"timeout": conf.browser_timeout}
        return scrapy.Request(visit.url, callback=self.on_browser_page, errback=self.failed,
                              dont_filter=True, meta={
                                  "xk_run": run.key, "xk_step": visit, "xk_page": page,
                                  "xk_discover_site": run.walk.site,
                                  **playwright_meta(f"xk-discover-{run.key}-"
                                                    f"{run.walk.stats.pages}",
                                                    conf.browser_timeout),
                                  "handle_httpstatus_list": ERROR_STATUSES})

    # -- callbacks ------------------------------------------------------------------------

    def on_text(self, response: Response) -> Iterator[Any]:
        run, step = self._of(response.meta)
        outcome = FetchOutcome(requested_url=step.url, method="static",
                               final_url=response.url, status=response.status)
        text = None
        if 200 <= response.status < 300:
            text = text_of(response.body, outcome)
        assert isinstance(step, TextFetch)
        run.walk.feed_text(step, TextResource(outcome, text))
        yield from self._next(run)

    def on_page(self, response: Response) -> Iterator[Any]:
        run, step = self._of(response.meta)
        assert isinstance(step, Visit)
        yield from self._fed(run, step, outcome_from_response(response, step.url))

    async def on_browser_page(self, response: Response) -> AsyncIterator[Any]:
        from crawler.browser_page import read_response

        run, step = self._of(response.meta)
        assert isinstance(step, Visit)
        out = await read_response(response, step.url, steps=step.step_list, config=self.config,
                                  proxy=self.egress)
        for output in self._fed(run, step, out):
            yield output

    async def failed(self, failure: Failure) -> AsyncIterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        meta = request.meta
        run, step = self._of(meta)
        exc = failure.value
        assert exc is not None
        method = step.method if isinstance(step, Visit) else "static"
        out = outcome_from_failure(exc, step.url, method)
        if method == "browser" and meta.get("xk_page") is not None and not getattr(
                exc, "reason", None):
            out.error, out.detail = navigation_failure(exc, meta, step.url)
        await close_page(meta.get("playwright_page"), meta, self.egress)
        if isinstance(step, TextFetch):
            run.walk.feed_text(step, TextResource(out, None))
            outputs: Iterator[Any] = self._next(run)
        else:
            outputs = self._fed(run, step, out)
        for output in outputs:
            yield output

    def _fed(self, run: SiteRun, visit: Visit, outcome: FetchOutcome) -> Iterator[Any]:
        findings = run.walk.feed(visit, outcome)
        if self.config.progress:
            sys.stderr.write(progress_line(run.walk, visit, outcome, findings) + "\n")
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("xk/discover/pages")
        yield from self._next(run)

    def _of(self, meta: dict[str, Any]) -> tuple[SiteRun, Visit | TextFetch]:
        return self.runs[int(meta["xk_run"])], meta["xk_step"]

    def _item(self, run: SiteRun) -> DiscoveryItem:
        walk = run.walk
        findings: list[Finding] = list(walk.findings)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("xk/discover/sites_done")
            self.crawler.stats.inc_value("xk/discover/found", len(findings))
        return DiscoveryItem(site_id=run.site_id, domain=run.domain, start_url=walk.start,
                             trigger=run.trigger, findings=findings, stats=walk.stats,
                             seconds=round(time.monotonic() - run.started, 3),
                             replaces=dict(run.replaces))


def _asked_for(session: Any, domain: str) -> list[Any]:
    """A site named with ``-a site=`` that looks healthy: walked anyway, from its start."""
    from sqlalchemy import select

    from db.health import SiteHealth, start_url
    from db.models import Site, Target

    site = session.execute(select(Site).where(Site.domain == domain)).scalar_one_or_none()
    if site is None:
        return []
    targets = list(session.scalars(select(Target.url).where(Target.site_id == site.id,
                                                            Target.active.is_(True))))
    return [SiteHealth(site_id=site.id, domain=site.domain, name=site.name,
                       catalog=site.catalog, reasons=("asked for",),
                       start_url=start_url(site, (), targets), targets=tuple(targets))]

