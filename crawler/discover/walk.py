"""Walking one site best first: what to fetch next, and what each fetched page tells us.

A :class:`SiteWalk` does no I/O. A driver (``xktracker discover``'s :mod:`crawler.discover.run`,
the Scrapy spider, the dashboard's worker) asks it for the next step, fetches it its own way
(static or browser, always through the address guard) and hands back the outcome. So every
driver walks a site the same way: robots.txt first, the start page, then the best-ranked
candidate each time, sitemaps when the links run out of strong candidates, until the page
budget, the depth limit or the time limit ends it.

Every page is judged by ``crawler.checker.conclude``, the engine of ``xktracker check``; a
static page that cannot show its list (``PageResult.needs_browser``), or whose navigation is
drawn by a script, is fetched again by the browser (``--browser auto``), as ``check`` would.
"""

from __future__ import annotations

import heapq
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from checks import PageResult
from crawler.checker import conclude
from crawler.discover.findings import Finding, carries_control, deciding_selector, finding_report
from crawler.discover.links import PageLinks, page_links
from crawler.discover.rank import MIN_SCORE, REPORT_SCORE, judge, page_kind
from crawler.discover.robots import MAX_SITEMAP_FILES, Robots, read_sitemap
from crawler.discover.site import language_neutral, origin_root, same_site, site_of
from crawler.discover.words import INTENTS
from crawler.fetch.outcome import FetchOutcome
from crawler.fetch.static import DEFAULT_USER_AGENT, HopRefused, TextResource

DEPTH_COST = 0.5  # each hop from the start costs this much score: shallow pages first
SITEMAP_BELOW = 7.0  # read the sitemaps before spending the budget on weaker links
MAX_QUEUE = 5000
MAX_CLICKS = 2  # clicks in a row on one page
PREFERRED_LANGUAGES = ("en", "sq", "sr")
NO_BROWSER_NOTE = "a browser would have looked further, but none is available: "


@dataclass(frozen=True, slots=True)
class WalkOptions:
    max_pages: int = 30
    max_depth: int = 3
    browser: str = "auto"  # auto | always | never, as check --browser
    territory: str = "XK"
    max_seconds: float = 300.0
    user_agent: str = DEFAULT_USER_AGENT
    sitemaps: bool = True
    with_options: bool = False  # keep each field's option list (stored proposals need them)


@dataclass(frozen=True, slots=True)
class Visit:
    """A page to fetch (and, for ``click`` visits, the buttons to press once it is loaded)."""

    url: str
    score: float
    intent: str | None
    depth: int
    via: tuple[str, ...]
    method: str = "static"  # static | browser
    steps: tuple[tuple[str, str], ...] = ()  # ("click", selector) pairs
    source: str = "link"  # start | link | sitemap | alternate | click | escalation

    @property
    def key(self) -> str:
        return self.url + ("\n" + json.dumps(self.steps) if self.steps else "")

    @property
    def step_list(self) -> list[dict[str, str]]:
        return [{verb: arg} for verb, arg in self.steps]


@dataclass(frozen=True, slots=True)
class TextFetch:
    """robots.txt or a sitemap to read."""

    url: str
    purpose: str  # robots | sitemap


Step = Visit | TextFetch


@dataclass(slots=True)
class WalkStats:
    pages: int = 0  # page fetches (static, browser, clicks)
    requests: int = 0  # every request, robots.txt and sitemaps included
    stop_reason: str | None = None  # done | max_pages | time | login_required
    notes: list[str] = field(default_factory=list)


class SiteWalk:
    """The state of discovery on one site (see the module's docstring)."""

    def __init__(self, start_url: str, options: WalkOptions | None = None, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.start = start_url
        self.options = options or WalkOptions()
        self.site = site_of(start_url)
        self.clock = clock
        self.started = clock()
        self.stats = WalkStats()
        self.findings: list[Finding] = []
        self.browser_missing: str | None = None
        self._robots: dict[str, Robots] = {}
        self._sitemaps: list[str] | None = None if self.options.sitemaps else []
        self._sitemap_files = 0
        self._heap: list[tuple[float, int, int, Visit]] = []
        self._counter = itertools.count()
        self._queued: set[str] = set()
        self._neutral: set[str] = set()
        self._reported: set[str] = set()
        self._page_fields: dict[str, frozenset[str]] = {}
        self._clicked: set[tuple[str, str]] = set()  # (page URL, selector) offered once
        self._static_seen: dict[str, FetchOutcome] = {}
        method = "browser" if self.options.browser == "always" else "static"
        self._push(Visit(start_url, float("inf"), None, 0, (), method=method, source="start"))

    # -- what to do next ---------------------------------------------------------------

    @property
    def done(self) -> bool:
        return self.stats.stop_reason is not None

    def elapsed(self) -> float:
        return self.clock() - self.started

    def next_step(self) -> Step | None:
        """The next request to make, or ``None`` when the walk is over (``stats.stop_reason``
        says why)."""
        if self.done:
            return None
        start_origin = origin_root(self.start)
        if start_origin not in self._robots:
            return TextFetch(start_origin + "robots.txt", "robots")
        while True:
            if self.elapsed() >= self.options.max_seconds:
                self._stop("time")
                return None
            best = self._heap[0][3] if self._heap else None
            if self._sitemaps and self._sitemap_files < MAX_SITEMAP_FILES and (
                    best is None or (best.source != "start" and best.score < SITEMAP_BELOW)):
                self._sitemap_files += 1
                return TextFetch(self._sitemaps.pop(0), "sitemap")
            if best is None:
                self._stop("done")
                return None
            if self.stats.pages >= self.options.max_pages:
                self._stop("max_pages")
                return None
            if origin_root(best.url) not in self._robots:
                return TextFetch(origin_root(best.url) + "robots.txt", "robots")
            heapq.heappop(self._heap)
            if best.method == "browser" and (self.options.browser == "never"
                                             or self.browser_missing):
                continue
            if not self.allowed(best.url):
                self._refused_by_robots(best)
                continue
            return best

    def allowed(self, url: str) -> bool:
        robots = self._robots.get(origin_root(url))
        return robots is None or robots.allowed(url)

    def knows_robots(self, url: str) -> bool:
        return origin_root(url) in self._robots

    def on_site(self, url: str) -> bool:
        return same_site(url, self.site)

    def crawl_delay(self, url: str) -> float | None:
        """The ``Crawl-delay`` robots.txt asks of us on this URL's host, if any."""
        robots = self._robots.get(origin_root(url))
        return robots.delay() if robots is not None else None

    def hop_check(self, url: str) -> None:
        """For the fetcher, before every request and redirect hop: stay on the site and
        inside robots.txt (raises :class:`HopRefused`)."""
        if not same_site(url, self.site):
            raise HopRefused("off_site", f"{url[:200]} is outside {self.site}")
        if not self.allowed(url):
            raise HopRefused("robots", "robots.txt disallows this URL for our user agent",
                             blocked=True)

    def _stop(self, reason: str) -> None:
        if self.stats.stop_reason is None:
            self.stats.stop_reason = reason

    # -- robots.txt and sitemaps ---------------------------------------------------------

    def feed_text(self, step: TextFetch, resource: TextResource) -> None:
        self.stats.requests += 1
        if step.purpose == "robots":
            ok = resource.outcome.status is not None and 200 <= resource.outcome.status < 300
            # A robots.txt that cannot be read means no rules (as Scrapy's middleware has it).
            robots = Robots.parse(resource.text if ok else None, self.options.user_agent)
            origin = origin_root(step.url)
            self._robots[origin] = robots
            if self._sitemaps is None and origin == origin_root(self.start):
                listed = [s for s in robots.sitemaps if same_site(s, self.site)]
                self._sitemaps = listed or [origin + "sitemap.xml"]
            return
        if resource.text is None:
            return
        sitemap = read_sitemap(resource.text)
        assert self._sitemaps is not None
        for nested in sitemap.sitemaps:
            if same_site(nested, self.site) and nested not in self._sitemaps:
                self._sitemaps.append(nested)
        label = "sitemap " + step.url.rsplit("/", 1)[-1][:60]
        for url in sitemap.pages:
            self._offer(url, "", None, depth=1, via=(label,), source="sitemap")

    # -- pages ---------------------------------------------------------------------------

    def feed(self, visit: Visit, outcome: FetchOutcome) -> list[Finding]:
        """Judge a fetched page, queue what it leads to; the findings it adds, in order."""
        territory = self.options.territory
        if outcome.error == "browser_unavailable":
            self.browser_missing = outcome.detail or "no browser"
            static = self._static_seen.get(visit.url)
            if static is None or visit.source != "escalation":
                return []
            note = NO_BROWSER_NOTE + self.browser_missing
            return self._judge(visit, static, conclude(static, territory), note=note)
        self.stats.pages += 1
        self.stats.requests += 1
        final = outcome.final_url or visit.url
        if outcome.ok and not same_site(final, self.site):
            self.stats.notes.append(f"{visit.url[:120]} left the site for {final[:120]}")
            return []
        if outcome.ok and not self.allowed(final):  # a browser followed a redirect there
            self.stats.notes.append(f"{visit.url[:120]} ended on {final[:120]}, which "
                                    "robots.txt disallows")
            return []
        concluded = conclude(outcome, territory)
        result = concluded[0]
        if visit.method == "static" and self.options.browser == "auto" and outcome.ok:
            links = page_links(outcome.html or "", final)
            if result is not None and (result.needs_browser or links.scripted):
                self._static_seen[visit.url] = outcome
                self._push(Visit(visit.url, visit.score, visit.intent, visit.depth, visit.via,
                                 method="browser", source="escalation"), first=True)
                return []
        return self._judge(visit, outcome, concluded)

    def _judge(self, visit: Visit, outcome: FetchOutcome,
               concluded: tuple[PageResult | None, str, str | None],
               note: str | None = None) -> list[Finding]:
        result, verdict, reason = concluded
        final = outcome.final_url or visit.url
        links = page_links(outcome.html, final) if outcome.html is not None else None
        found: list[Finding] = []
        hub = judge_hub(visit)
        if carries_control(verdict, reason):
            finding = self._control_finding(visit, outcome, concluded, links, note)
            if finding is not None:
                found.append(finding)
        elif verdict == "blocked" and not (hub and reason == "login_required"):
            if visit.source == "start" or self._form_bound(visit):
                found.append(self._finding(visit, outcome, concluded, visit.intent, note))
            if visit.source == "start" and reason == "login_required":
                self._heap.clear()
                self._stop("login_required")
            return found
        elif verdict == "error" and visit.source == "start":
            found.append(self._finding(visit, outcome, concluded, None, note))
        # A wall is not the site: its links are not followed (a login page we went to on
        # purpose, to reach "new customer", is the exception).
        searchable = verdict != "blocked" or (hub and reason == "login_required")
        if links is not None and searchable:
            self._offer_page(visit, links)
        return found

    def _form_bound(self, visit: Visit) -> bool:
        return (visit.intent is not None and not judge_hub(visit)
                and visit.score >= REPORT_SCORE)

    def _control_finding(self, visit: Visit, outcome: FetchOutcome,
                         concluded: tuple[PageResult | None, str, str | None],
                         links: PageLinks | None, note: str | None) -> Finding | None:
        result = concluded[0]
        selectors = frozenset(f.control.selector for f in result.fields) if result else frozenset()
        if not visit.steps:
            self._page_fields[visit.url] = selectors
        elif selectors <= self._page_fields.get(visit.url, frozenset()):
            return None  # the click showed nothing the page did not have already
        # One finding per page and set of controls, however many routes lead to it.
        key = (outcome.final_url or visit.url) + "\n" + json.dumps(sorted(selectors))
        if key in self._reported:
            return None
        self._reported.add(key)
        phone_only = result is not None and bool(result.fields) and all(
            str(f.kind) == "phone_country_code" for f in result.fields)
        texts = list(links.headings) if links else []
        if visit.via:
            texts.append(visit.via[-1])
        kind = page_kind(texts, outcome.final_url or visit.url, visit.intent, phone_only)
        return self._finding(visit, outcome, concluded, None, note, kind=kind)

    def _finding(self, visit: Visit, outcome: FetchOutcome,
                 concluded: tuple[PageResult | None, str, str | None], intent: str | None,
                 note: str | None, kind: str | None = None) -> Finding:
        result = concluded[0]
        steps = visit.step_list
        waited = deciding_selector(result)
        if steps and waited:
            steps.append({"wait_for": waited})
        if kind is None:
            kind = judge_kind(visit.intent or intent)
        report = finding_report(
            source=self.start, url=visit.url, kind=kind,
            via=visit.via or ("start page",), steps=steps, outcome=outcome,
            concluded=concluded, territory=self.options.territory, note=note,
            with_options=self.options.with_options,
            extra={"depth": visit.depth, "found_by": visit.source})
        finding = Finding(report, outcome)
        self.findings.append(finding)
        return finding

    def _refused_by_robots(self, visit: Visit) -> None:
        """A page robots.txt keeps us from: never fetched; reported when it is the start or a
        strong form link, so the gap is visible."""
        if visit.source != "start" and not self._form_bound(visit):
            return
        if visit.url in self._reported:
            return
        self._reported.add(visit.url)
        out = FetchOutcome(requested_url=visit.url, method=visit.method, blocked="robots",
                           detail="robots.txt disallows this URL for our user agent")
        self._finding(visit, out, (None, "blocked", "robots"), visit.intent, None)

    # -- the queue -------------------------------------------------------------------------

    def _offer_page(self, visit: Visit, links: PageLinks) -> None:
        depth = visit.depth + 1
        if depth > self.options.max_depth:
            return
        offered = 0
        for link in links.links:
            if self._offer(link.url, link.labels or link.text, link.place, depth=depth,
                           via=visit.via + (_said(link.labels, link.text) or _path(link.url),),
                           source="link"):
                offered += 1
        if self.options.browser != "never" and not self.browser_missing and (
                len(visit.steps) < MAX_CLICKS):
            for action in links.actions:
                verdict = judge(action.labels or action.text, None, action.place)
                if verdict.never or verdict.score < MIN_SCORE:
                    continue
                if (visit.url, action.selector) in self._clicked or any(
                        action.selector == sel for _, sel in visit.steps):
                    continue
                self._clicked.add((visit.url, action.selector))
                steps = visit.steps + (("click", action.selector),)
                said = _said(action.labels, action.text)
                clicked = Visit(visit.url, verdict.score - DEPTH_COST * depth, verdict.intent,
                                depth, visit.via + (f"{said} (click)",),
                                method="browser", steps=steps, source="click")
                if clicked.key not in self._queued:
                    self._push(clicked)
                    offered += 1
        if not offered and links.alternates:
            ranked = sorted(links.alternates, key=lambda a: (
                PREFERRED_LANGUAGES.index(a[0][:2]) if a[0][:2] in PREFERRED_LANGUAGES
                else len(PREFERRED_LANGUAGES), a[0]))
            for lang, url in ranked[:3]:
                if same_site(url, self.site) and lang != (links.lang or ""):
                    self._push_new(Visit(url, MIN_SCORE + 0.5, None, depth,
                                         visit.via + (f"hreflang {lang}",), source="alternate"))

    def _offer(self, url: str, text: str | tuple[str, ...], place: Any, *, depth: int,
               via: tuple[str, ...], source: str) -> bool:
        if not same_site(url, self.site):
            return False
        verdict = judge(text, url, place)
        if verdict.never or verdict.score < MIN_SCORE:
            return False
        method = "browser" if self.options.browser == "always" else "static"
        return self._push_new(Visit(url, round(verdict.score - DEPTH_COST * depth, 2),
                                    verdict.intent, depth, via, method=method, source=source))

    def _push_new(self, visit: Visit) -> bool:
        if visit.key in self._queued or len(self._queued) >= MAX_QUEUE:
            return False
        neutral = language_neutral(visit.url)
        if not visit.steps and neutral in self._neutral:
            return False  # the same page in another language is queued or seen already
        self._neutral.add(neutral)
        self._push(visit)
        return True

    def _push(self, visit: Visit, first: bool = False) -> None:
        self._queued.add(visit.key)
        priority = float("-inf") if first else -visit.score
        heapq.heappush(self._heap, (priority, visit.depth, next(self._counter), visit))


def judge_hub(visit: Visit) -> bool:
    """The visit follows a link to a page that links on (log in, cart), not to a form."""
    return visit.intent is not None and INTENTS[visit.intent].hub


def judge_kind(intent: str | None) -> str:
    return INTENTS[intent].kind if intent else "other"


def _said(labels: tuple[str, ...], text: str) -> str:
    """What to call a link in ``via``: its text, unless that is an icon or a digit, then its
    aria-label, title or image alt."""
    for label in labels or (text,):
        if sum(ch.isalpha() for ch in label) >= 2:
            return label
    return (labels or (text,))[0]


def _path(url: str) -> str:
    return urlsplit(url).path[:80] or "/"
