"""Discovery in this process, one site after another: what ``xktracker discover`` and the
dashboard's worker run.

Fetches go through :class:`crawler.checker.Checker` (the HTTP client and browser of
``xktracker check``, the address guard on every hop) and are paced like the crawler: one
request at a time per site, the crawler's user agent, at least ``DOWNLOAD_DELAY`` between two
requests, longer when the site answers slowly (as AutoThrottle aims at) or asks for it with a
``Crawl-delay``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from crawler import settings as crawl_settings
from crawler.checker import Checker, CheckOptions, build_report
from crawler.discover.findings import Finding
from crawler.discover.site import origin_root
from crawler.discover.walk import SiteWalk, TextFetch, Visit, WalkOptions, WalkStats
from crawler.fetch.guard import EgressPolicy, Resolver
from crawler.fetch.outcome import FetchOutcome
from crawler.fetch.static import TextResource

DEFAULT_DELAY = float(crawl_settings.DOWNLOAD_DELAY)
MAX_DELAY = float(crawl_settings.AUTOTHROTTLE_MAX_DELAY)

# Told of each page fetched: the visit, its outcome and the findings it added.
PageHook = Callable[[SiteWalk, Visit, FetchOutcome, list[Finding]], None]


@dataclass(slots=True)
class DiscoverOptions:
    max_pages: int = 30
    max_depth: int = 3
    browser: str = "auto"
    territory: str = "XK"
    timeout: float = 20.0
    max_seconds: float = 300.0
    delay: float = DEFAULT_DELAY
    allow_private: bool = False
    allow_networks: tuple[str, ...] = ()
    allowed_ports: tuple[int, ...] = (80, 443)  # of public hosts (XKTRACKER_ALLOWED_PORTS)
    browser_path: str | None = None
    evidence_dir: Path | None = None
    resolver: Resolver | None = None
    with_options: bool = False

    def walk_options(self) -> WalkOptions:
        return WalkOptions(max_pages=self.max_pages, max_depth=self.max_depth,
                           browser=self.browser, territory=self.territory,
                           max_seconds=self.max_seconds, with_options=self.with_options)

    def policy(self) -> EgressPolicy:
        return EgressPolicy.build(allow_private=self.allow_private,
                                  allow_networks=self.allow_networks, resolver=self.resolver,
                                  allowed_ports=self.allowed_ports)

    def check_options(self) -> CheckOptions:
        return CheckOptions(browser=self.browser, territory=self.territory,
                            timeout=self.timeout, policy=self.policy(),
                            browser_path=self.browser_path, evidence_dir=self.evidence_dir)


@dataclass(slots=True)
class SiteResult:
    start: str
    findings: list[Finding]
    stats: WalkStats
    seconds: float
    site: str = ""
    fetched: list[str] = field(default_factory=list)  # every URL requested, in order
    texts: list[str] = field(default_factory=list)  # robots.txt and sitemaps among them


class Pacer:
    """Spaces one site's requests: ``delay`` at least, the last answer's time when longer (a
    slow site is asked less often), a robots.txt ``Crawl-delay`` when it asks for more; never
    more than ``max_delay``."""

    def __init__(self, delay: float, max_delay: float = MAX_DELAY, *,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.delay = max(0.0, delay)
        self.max_delay = max(self.delay, max_delay)
        self.asked: float | None = None
        self._sleep = sleep
        self._clock = clock
        self._next = 0.0

    def wait(self) -> None:
        left = self._next - self._clock()
        if left > 0:
            self._sleep(left)

    def done(self, latency: float) -> None:
        gap = max(self.delay, self.asked or 0.0, latency if self.delay else 0.0)
        self._next = self._clock() + min(gap, self.max_delay)


class SiteDiscovery:
    """One site walked with a checker's fetchers (see the module's docstring)."""

    def __init__(self, start: str, checker: Checker, options: DiscoverOptions,
                 on_page: PageHook | None = None) -> None:
        self.walk = SiteWalk(start, options.walk_options())
        self.checker = checker
        self.options = options
        self.on_page = on_page
        self.pacer = Pacer(options.delay)
        self.fetched: list[str] = []
        self.texts: list[str] = []
        self.seconds = 0.0

    def findings(self) -> Iterator[Finding]:
        """Walk the site, yielding each finding as soon as its page is judged."""
        began = time.monotonic()
        walk = self.walk
        reported = 0
        try:
            while (step := walk.next_step()) is not None:
                if isinstance(step, TextFetch):
                    walk.feed_text(step, self._text(step.url))
                    if step.purpose == "robots":
                        self.pacer.asked = walk.crawl_delay(walk.start)
                else:
                    outcome = self._page(step)
                    added = walk.feed(step, outcome)
                    if self.on_page is not None:
                        self.on_page(walk, step, outcome, added)
                while reported < len(walk.findings):
                    reported += 1
                    yield walk.findings[reported - 1]
        finally:
            self.seconds = round(time.monotonic() - began, 3)

    def run(self) -> SiteResult:
        """Walk the site to the end."""
        for _ in self.findings():
            pass
        return self.result()

    def result(self) -> SiteResult:
        walk = self.walk
        return SiteResult(walk.start, list(walk.findings), walk.stats, self.seconds, walk.site,
                          list(self.fetched), list(self.texts))

    def _hop(self, url: str) -> None:
        """Before every request and redirect hop: the robots.txt of a new host of the site is
        read first, then the site and robots rules decide."""
        if not self.walk.knows_robots(url) and self.walk.on_site(url):
            robots_url = origin_root(url) + "robots.txt"
            self.walk.feed_text(TextFetch(robots_url, "robots"), self._text(robots_url))
        self.walk.hop_check(url)

    def _text(self, url: str) -> TextResource:
        self.pacer.wait()
        self.fetched.append(url)
        self.texts.append(url)
        resource = self.checker.fetch_text(url, hop_check=self.walk.hop_check)
        self.pacer.done(resource.outcome.elapsed_ms / 1000.0)
        return resource

    def _page(self, visit: Visit) -> FetchOutcome:
        if visit.method == "browser":
            if self.checker.browser_problem is not None:
                return FetchOutcome(requested_url=visit.url, method="browser",
                                    error="browser_unavailable",
                                    detail=self.checker.browser_problem)
            self.pacer.wait()
            self.fetched.append(visit.url)
            outcome = self.checker.fetch_browser(visit.url, visit.step_list,
                                                 hop_check=self.walk.hop_check)
            if outcome.error == "browser_unavailable":
                self.fetched.pop()  # the browser would not start: nothing was requested
                return outcome
        else:
            self.pacer.wait()
            self.fetched.append(visit.url)
            outcome = self.checker.fetch_static(visit.url, hop_check=self._hop)
        self.pacer.done(outcome.elapsed_ms / 1000.0)
        if self.options.evidence_dir is not None and outcome.ok:
            report = build_report(visit.url, "", outcome, None, self.options.territory)
            self.checker.keep_evidence(outcome, report)
        return outcome


def discover_sources(sources: Sequence[str], options: DiscoverOptions,
                     on_page: PageHook | None = None,
                     on_site: Callable[[SiteResult], None] | None = None
                     ) -> Iterator[Finding]:
    """Discover each start URL in turn, yielding each finding as it is made; one HTTP client
    and one browser for all of them."""
    with Checker(options.check_options()) as checker:
        for start in sources:
            run = SiteDiscovery(start, checker, options, on_page)
            yield from run.findings()
            if on_site is not None:
                on_site(run.result())
