"""The browser path against a bare Playwright ``goto`` plus option read of the same pages.

Both sides use the same Chromium, one browser for the whole run and a new context per page.
The bare side does the least that could possibly read a country select: ``goto``, wait for
the select to have options, read them. Ours also settles the page, flattens shadow roots,
reads frames, probes custom drop-downs, takes the evidence screenshot and classifies.
Ratio = our time per page / bare time per page.

Run: ``python -m benchmarks.bench_browser`` (``--quick`` for fewer rounds).
"""

from __future__ import annotations

import argparse
import statistics
import time

from playwright.sync_api import sync_playwright

from crawler.checker import Checker, CheckOptions
from crawler.fetch.chromium import find_chromium
from crawler.fetch.guard import EgressPolicy
from xktracker.demoweb.server import DemoWebServer

# Pages whose country list is a <select>, so the bare reader can read them too.
PAGES = ("js-injected-select.html", "xhr-select.html", "checkout-en.html", "signup-de.html",
         "phone-dial-listed.html")
WAIT = "() => [...document.querySelectorAll('select')].some(s => s.options.length > 100)"
READ = "() => [...document.querySelectorAll('select option')].map(o => [o.value, o.text])"


def bare(urls: list[str], path: str, rounds: int) -> list[float]:
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(**find_chromium(path).launch_options())
        for _ in range(rounds):
            for url in urls:
                start = time.perf_counter()
                context = browser.new_context()
                page = context.new_page()
                page.goto(url, wait_until="domcontentloaded")
                page.wait_for_function(WAIT, timeout=15_000)
                options = page.evaluate(READ)
                assert len(options) > 100
                context.close()
                times.append(time.perf_counter() - start)
        browser.close()
    return times


def ours(urls: list[str], path: str, rounds: int) -> list[float]:
    times = []
    options = CheckOptions(browser="always",
                           policy=EgressPolicy.build(allow_networks=("127.0.0.0/8",)),
                           timeout=15.0,
                           browser_path=path)
    with Checker(options) as checker:
        checker.check(urls[0])  # start the browser outside the timing, as the bare side does
        for _ in range(rounds):
            for url in urls:
                start = time.perf_counter()
                report = checker.check(url)
                times.append(time.perf_counter() - start)
                assert report["verdict"] in ("listed", "missing"), report
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    rounds = 2 if args.quick else 5
    path = find_chromium().path
    with DemoWebServer() as web:
        urls = [web.url("/" + p) for p in PAGES]
        b = bare(urls, path, rounds)
        o = ours(urls, path, rounds)
    bm, om = statistics.median(b) * 1e3, statistics.median(o) * 1e3
    print(f"chromium: {path}")
    print(f"bare goto + option read: median {bm:.0f} ms/page ({len(b)} loads)")
    print(f"xktracker browser check: median {om:.0f} ms/page ({len(o)} loads)")
    print(f"ratio {om / bm:.2f} (ours / bare); throughput {60_000 / om:.0f} vs "
          f"{60_000 / bm:.0f} pages/min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
