"""Discovery on the test web of small sites, against fetching what it fetched and checking what
it found directly.

For each site of ``tests/discoverweb`` (the HTML-only ones with ``--browser never``, the ones
drawn by script with ``--browser auto`` when a Chromium is there):

* **discover**: ``SiteDiscovery`` from the site's start page, as ``xktracker discover`` runs it
  (robots.txt, sitemaps, ranking, every page judged, escalation, clicks), no pacing delay;
* **direct**: the same work without the search: ``Checker.check`` of each page it found (with
  its steps), plus one fetch of every other page it visited, by the same method (static GET
  or browser load), and of the robots.txt and sitemaps it read, with the same client and
  browser.

Both sides run in the same process, one after the other for each site, for ``--rounds``
rounds; the best round of each counts. Reported per site and in all: pages fetched per form
found, seconds per site, and the ratio discover / direct. Target: at most 3x for every site
where forms were found and in all, i.e. finding the forms costs at most three times fetching
the same pages and checking the forms you would have had to know.

Run: ``python -m benchmarks.bench_discover`` (``--quick``: the HTML-only sites).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass

from crawler.checker import Checker, CheckOptions
from crawler.discover.run import DiscoverOptions, SiteDiscovery, SiteResult
from crawler.discover.walk import Visit
from crawler.fetch.chromium import BrowserUnavailable, find_chromium
from crawler.fetch.outcome import FetchOutcome
from tests.discoverweb.expectations import all_expectations
from tests.discoverweb.server import DiscoverWeb

TARGET = 3.0
LOOPBACK = ("127.0.0.0/8",)


@dataclass
class SiteTiming:
    site: str
    mode: str
    pages: int
    requests: int
    forms: int
    discover: float
    direct: float

    @property
    def ratio(self) -> float:
        return self.discover / self.direct if self.direct else float("inf")


def _options(mode: str) -> DiscoverOptions:
    return DiscoverOptions(browser=mode, delay=0.0, allow_networks=LOOPBACK, timeout=15.0)


def discover(web: DiscoverWeb, site: str, checker: Checker,
             options: DiscoverOptions) -> tuple[float, SiteResult, list[tuple[Visit, str]]]:
    visited: list[tuple[Visit, str]] = []

    def seen(walk: object, visit: Visit, outcome: FetchOutcome, findings: object) -> None:
        if outcome.error != "browser_unavailable":
            visited.append((visit, outcome.method))

    start = time.perf_counter()
    result = SiteDiscovery(web.url(site), checker, options, seen).run()
    return time.perf_counter() - start, result, visited


def _key(url: str, steps: list[dict[str, str]]) -> tuple[str, str]:
    return url, repr([s for s in steps if "click" in s])


def direct(result: SiteResult, visited: list[tuple[Visit, str]], checker: Checker,
           options: DiscoverOptions) -> float:
    """Check each found form page (with its clicks) and fetch every other page discovery
    fetched once, by the method it used."""
    forms = [f.report for f in result.findings if f.has_control]
    keys = {_key(r["url"], r["steps"]) for r in forms}
    start = time.perf_counter()
    for form in forms:
        clicks = [s for s in form["steps"] if "click" in s]
        checker.options.steps = tuple(clicks)
        checker.options.browser = "always" if clicks else options.browser
        checker.check(form["url"])
    checker.options.steps, checker.options.browser = (), options.browser
    for url in result.texts:
        checker.fetch_text(url)
    for visit, method in visited:
        if _key(visit.url, visit.step_list) in keys:
            continue  # its direct check above fetched it
        if method == "browser":
            checker.fetch_browser(visit.url, visit.step_list)
        else:
            checker.fetch_static(visit.url)
    return time.perf_counter() - start


def measure(web: DiscoverWeb, sites: list[tuple[str, str]], rounds: int,
            browser_path: str | None) -> list[SiteTiming]:
    best: dict[str, SiteTiming] = {}
    for mode in ("never", "auto"):
        chosen = [name for name, m in sites if m == mode]
        if not chosen:
            continue
        options = _options(mode)
        check = CheckOptions(browser=mode, policy=options.policy(), timeout=15.0,
                             browser_path=browser_path)
        with Checker(check) as checker:
            if mode == "auto":  # start the browser outside the timing, on both sides
                checker.fetch_browser(web.url(chosen[0]))
            # One untimed walk and its direct checks first: what a process does once (tables
            # loaded, caches filled, the HTTP client's first connection) is paid by neither
            # side, so a single round measures what the best of several does.
            _, warm, warm_visited = discover(web, chosen[0], checker, options)
            direct(warm, warm_visited, checker, options)
            for _ in range(rounds):
                for name in chosen:
                    seconds, result, visited = discover(web, name, checker, options)
                    baseline = direct(result, visited, checker, options)
                    forms = sum(1 for f in result.findings if f.has_control)
                    timing = SiteTiming(name, mode, result.stats.pages, result.stats.requests,
                                        forms, seconds, baseline)
                    held = best.get(name)
                    if held is None:
                        best[name] = timing
                    else:
                        held.discover = min(held.discover, seconds)
                        held.direct = min(held.direct, baseline)
    return [best[name] for name, _ in sites if name in best]


def report(timings: list[SiteTiming]) -> bool:
    print(f"{'site':<11}{'mode':<7}{'pages':>6}{'reqs':>6}{'forms':>6}{'pages/form':>11}"
          f"{'discover s':>12}{'direct s':>10}{'ratio':>7}")
    for t in timings:
        per_form = f"{t.pages / t.forms:.1f}" if t.forms else "-"
        print(f"{t.site:<11}{t.mode:<7}{t.pages:>6}{t.requests:>6}{t.forms:>6}{per_form:>11}"
              f"{t.discover:>12.3f}{t.direct:>10.3f}{t.ratio:>7.2f}")
    pages = sum(t.pages for t in timings)
    forms = sum(t.forms for t in timings)
    spent = sum(t.discover for t in timings)
    baseline = sum(t.direct for t in timings)
    ratio = spent / baseline
    print(f"\n{len(timings)} sites: {forms} forms in {pages} pages "
          f"({pages / max(1, forms):.2f} pages per form found), "
          f"{spent / len(timings):.2f} s per site")
    with_forms = [t for t in timings if t.forms]
    worst = max(with_forms, key=lambda t: t.ratio)
    passed = ratio <= TARGET and worst.ratio <= TARGET
    print(f"discover / direct: {ratio:.2f} in all, worst site with forms {worst.site} "
          f"{worst.ratio:.2f} (target ≤ {TARGET:g}): {'PASS' if passed else 'FAIL'}")
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int, default=None)
    args = parser.parse_args(argv)
    # Three rounds even with --quick: its sites take tens of milliseconds, where one round
    # measures the machine's noise more than the walk.
    rounds = args.rounds or 3
    expectations = all_expectations()
    browser_path: str | None = None
    if not args.quick:
        try:
            browser_path = find_chromium().path
        except BrowserUnavailable as exc:
            print(f"no Chromium ({exc}): the sites drawn by script are left out")
    sites = [(name, "auto" if e.site.browser_only else "never")
             for name, e in expectations.items()
             if browser_path is not None or not e.site.browser_only]
    with DiscoverWeb() as web:
        timings = measure(web, sites, rounds, browser_path)
    return 0 if report(timings) else 1


if __name__ == "__main__":
    raise SystemExit(main())
