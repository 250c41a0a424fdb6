"""Run every benchmark: ``python -m benchmarks`` (``--quick`` passes through)."""

from __future__ import annotations

import sys

from benchmarks import (
    bench_analyze,
    bench_browser,
    bench_crawl_browser,
    bench_crawl_mixed,
    bench_crawl_static,
    bench_dashboard,
    bench_discover,
    bench_export,
    bench_widgets,
)


def main() -> int:
    args = sys.argv[1:]
    print("== analyze_html vs bare lxml parse ==")
    bench_analyze.main(args)
    print("\n== browser check vs bare Playwright goto + option read ==")
    bench_browser.main(args)
    print("\n== export (1M rows; --quick: 100k) vs bare SELECT iteration ==")
    bench_export.main(args)
    print("\n== dashboard: 1,000 sites x 365 days (--quick: 200 x 90), then 50 clients ==")
    bench_dashboard.main([a for a in args if a == "--quick"])
    quick = [a for a in args if a == "--quick"]
    print("\n== static crawl, 2,000 pages (--quick: 300) vs a bare Scrapy spider ==")
    bench_crawl_static.main(quick)
    print("\n== crawl browser path, 60 pages (--quick: 16) vs bare Playwright ==")
    bench_crawl_browser.main(quick)
    print("\n== mixed crawl, 100 targets (--quick: 30): auto vs browser for all ==")
    bench_crawl_mixed.main(quick)
    print("\n== discovery on the test web of small sites vs fetching and checking directly ==")
    bench_discover.main(quick)
    print("\n== widget web: check --browser auto per page (--quick: pages with Kosovo) ==")
    bench_widgets.main(quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
