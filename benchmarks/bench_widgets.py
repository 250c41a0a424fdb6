"""``xktracker check --browser auto`` over every page of the widget web, timed per page.

The widget web (``tests/widgetweb``: country pickers drawn by real UI libraries from npm,
installed by ``make widgetweb``) is checked page by page as a user would, with
``--timeout 30``. For each page: the verdict against the page's declared truth, and the
seconds it took. Printed: pages right, false accusations (``missing``, ``partial`` or
``wrong_code`` where that is not the truth), the median and worst seconds per page (targets:
median ≤ 3 s, worst ≤ 10 s), and the ratio of our median to a bare Playwright baseline that
does the least a reading could: a fresh context, ``goto`` until ``load``, one screenshot.

Run: ``python -m benchmarks.bench_widgets`` (``--quick``: the pages with Kosovo only;
``--only NAME`` for pages whose name contains NAME; ``--json FILE`` keeps every result).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any

TARGET_MEDIAN = 3.0
TARGET_WORST = 10.0
ACCUSATIONS = ("missing", "partial", "wrong_code")


def _bare(urls: list[str], chromium: str) -> list[float]:
    from playwright.sync_api import sync_playwright

    from crawler.fetch.chromium import find_chromium

    times: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**find_chromium(chromium).launch_options())
        for url in urls:
            start = time.perf_counter()
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(url, wait_until="load")
            page.screenshot()
            context.close()
            times.append(time.perf_counter() - start)
        browser.close()
    return times


def run(pages: list[Any], web: Any, chromium: str, timeout: float) -> list[dict[str, Any]]:
    """Check every page with ``--browser auto``; one result dict per page."""
    from crawler.checker import Checker, CheckOptions
    from crawler.fetch.guard import EgressPolicy

    options = CheckOptions(browser="auto", timeout=timeout, browser_path=chromium,
                           policy=EgressPolicy.build(allow_networks=("127.0.0.0/8",)))
    results: list[dict[str, Any]] = []
    with Checker(options) as checker:
        checker.check(web.url(pages[0].path))  # start the browser outside the timing
        for page in pages:
            start = time.perf_counter()
            report = checker.check(web.url(page.path))
            seconds = time.perf_counter() - start
            results.append({
                "page": page.name, "needs": page.widget.needs, "truth": page.verdict,
                "truth_reason": page.reason, "verdict": report["verdict"],
                "reason": report["reason"], "method": report["method"],
                "seconds": round(seconds, 2), "detail": report["detail"],
                "right": report["verdict"] == page.verdict
                and (page.reason is None or report["reason"] == page.reason),
                "false_accusation": report["verdict"] in ACCUSATIONS
                and report["verdict"] != page.verdict,
            })
    return results


def summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    seconds = [r["seconds"] for r in results]
    return {"pages": len(results), "right": sum(r["right"] for r in results),
            "false_accusations": sum(r["false_accusation"] for r in results),
            "median_s": round(statistics.median(seconds), 2) if seconds else None,
            "worst_s": round(max(seconds), 2) if seconds else None}


def main(argv: list[str] | None = None) -> int:
    from crawler.fetch.chromium import BrowserUnavailable, find_chromium
    from tests.widgetweb.catalog import PAGES
    from tests.widgetweb.server import WidgetWeb, missing_setup

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="only the pages with Kosovo")
    parser.add_argument("--only", help="only pages whose name contains this")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--json", type=Path, help="write every result to this file")
    args = parser.parse_args(argv)
    problem = missing_setup()
    if problem:
        print(f"skipped: {problem}")
        return 0
    try:
        chromium = find_chromium().path
    except BrowserUnavailable as exc:
        print(f"skipped: no Chromium ({exc})")
        return 0
    pages = [p for p in PAGES if (not args.quick or p.variant == "xk")
             and (not args.only or args.only in p.name)]
    with WidgetWeb() as web:
        results = run(pages, web, chromium, args.timeout)
        bare = _bare([web.url(p.path) for p in pages], chromium)
        posts = web.posts
    for r in results:
        mark = "ok " if r["right"] else ("ACCUSES" if r["false_accusation"] else "no ")
        got = r["verdict"] + (f"/{r['reason']}" if r["reason"] else "")
        want = r["truth"] + (f"/{r['truth_reason']}" if r["truth_reason"] else "")
        print(f"  {mark} {r['page']:34} {got:28} truth {want:28} {r['seconds']:5.1f} s "
              f"{r['method']}")
    done = summary(results)
    by_need: Counter[str] = Counter()
    wrong_need: Counter[str] = Counter()
    for r in results:
        by_need[r["needs"]] += 1
        wrong_need[r["needs"]] += not r["right"]
    print("by what the page needs: " + ", ".join(
        f"{need} {by_need[need] - wrong_need[need]}/{by_need[need]}" for need in sorted(by_need)))
    bare_median = statistics.median(bare)
    print(f"widget web: {done['right']} of {done['pages']} right, "
          f"{done['false_accusations']} false accusation(s), form submissions {len(posts)}")
    print(f"seconds per page: median {done['median_s']:.2f} (target ≤ {TARGET_MEDIAN:g}), "
          f"worst {done['worst_s']:.2f} (target ≤ {TARGET_WORST:g}); bare goto + screenshot "
          f"median {bare_median:.2f}: ratio {done['median_s'] / bare_median:.2f}")
    if args.json:
        args.json.write_text(json.dumps({"summary": done, "bare_median_s": bare_median,
                                         "results": results}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
