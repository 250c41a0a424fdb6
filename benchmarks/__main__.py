"""Run every benchmark: ``python -m benchmarks`` (``--quick`` passes through)."""

from __future__ import annotations

import sys

from benchmarks import bench_analyze, bench_browser


def main() -> int:
    args = sys.argv[1:]
    print("== analyze_html vs bare lxml parse ==")
    bench_analyze.main(args)
    print("\n== browser check vs bare Playwright goto + option read ==")
    bench_browser.main(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
