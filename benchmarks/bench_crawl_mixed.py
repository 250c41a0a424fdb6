"""A mixed crawl in ``auto`` mode against the same crawl with the browser for every target.

100 targets (``--quick``: 30): 70 % the demo web's signup and checkout forms as they are
(``/p/<n>``, the list is in the HTML) and 30 % the same forms drawn by script 50 ms after
loading (``/s/<n>``, an empty ``<select>`` until then), served by a local server. A form
whose emptied select gives the static path no sign of a country list (a flags-only select
named ``from_flag``) is left out and named: ``auto`` cannot know it, so its verdicts would
differ by design of the escalation rule, not by speed.

* **auto**: ``xktracker crawl`` (``--browser auto``): static first, the browser only where the
  HTML cannot show the list (the script-drawn 30 %).
* **always**: ``xktracker crawl --browser always``: every target in the browser.

Same settings for both: 16 requests at a time, AutoThrottle off, robots.txt obeyed,
``PLAYWRIGHT_MAX_CONTEXTS`` 2. Each runs in its own process, alternating for ``--rounds``;
the best round of each counts. The verdicts of the two crawls must be identical, target by
target (asserted). Target: auto at least 3x faster.

Run: ``python -m benchmarks.bench_crawl_mixed`` (``--quick``: 30 targets, one round).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.crawlbench import (
    ChildResult,
    DemoPages,
    PageServer,
    catalog_sites,
    child_main,
    crawl_ours,
    load_catalog,
    run_child,
    stored_verdicts,
)

MODULE = "benchmarks.bench_crawl_mixed"
TARGET = 3.0
SETTINGS: dict[str, Any] = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0,
                            "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
                            "PLAYWRIGHT_MAX_CONTEXTS": 2}
SIDES = {"auto": crawl_ours, "always": crawl_ours}


def target_urls(url: Any, count: int) -> list[str]:
    """``count`` URLs, 30 % drawn by script, spread evenly."""
    drawn = round(count * 0.3)
    return [url(f"/s/{n}") if n * drawn // count != (n + 1) * drawn // count else
            url(f"/p/{n}") for n in range(count)]


def main(argv: list[str] | None = None) -> int:
    if child_main(argv, SIDES):
        return 0
    from crawler.fetch.chromium import find_chromium

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="30 targets, one round")
    parser.add_argument("--targets", type=int)
    parser.add_argument("--rounds", type=int)
    args = parser.parse_args(argv)
    count = args.targets or (30 if args.quick else 100)
    rounds = args.rounds or (1 if args.quick else 2)
    chromium = find_chromium()
    work = Path(tempfile.mkdtemp(prefix="xk-bench-mixed-"))
    best: dict[str, ChildResult] = {}
    verdicts: dict[str, dict[str, tuple[str, str | None, str]]] = {}
    try:
        pages = DemoPages(escalating_only=True)
        with PageServer(pages) as server:
            urls = target_urls(server.url, count)
            drawn = sum("/s/" in u for u in urls)
            print(f"{count} targets: {count - drawn} static, {drawn} drawn by script "
                  f"({len(pages.drawn)} forms); {chromium.path}")
            if pages.left_out:
                print(f"left out: {', '.join(pages.left_out)} (drawn by script, its empty "
                      "select gives no sign of a country list: auto keeps the static "
                      "no_country_field where the browser sees the list)")
            for round_no in range(rounds):
                for side in ("auto", "always"):
                    folder = work / f"{side}-{round_no}"
                    folder.mkdir()
                    database = f"sqlite:///{folder / 'xk.sqlite3'}"
                    load_catalog(database, catalog_sites(urls, 10))
                    done = run_child(MODULE, side, {
                        "database_url": database, "data_dir": str(folder / "data"),
                        "browser": side, "browser_path": chromium.path,
                        "settings": SETTINGS}, folder)
                    assert done.result["checks"] == count, done.result
                    verdicts[f"{side}-{round_no}"] = stored_verdicts(database)
                    methods: dict[str, int] = {}
                    for _, _, method in verdicts[f"{side}-{round_no}"].values():
                        methods[method] = methods.get(method, 0) + 1
                    print(f"  round {round_no + 1} {side:6}: {done.result['elapsed']:6.2f} s, "
                          f"{count / done.result['elapsed']:5.1f} targets/s, CPU "
                          f"{done.cpu:5.1f} s (all processes), {methods}; peak "
                          f"{done.memory.describe()}")
                    if side not in best or done.result["elapsed"] < best[side].result["elapsed"]:
                        best[side] = done
    finally:
        shutil.rmtree(work, ignore_errors=True)
    first = verdicts["auto-0"]
    for name, other in verdicts.items():
        differ = {url: (first[url][:2], other[url][:2]) for url in first
                  if first[url][:2] != other[url][:2]}
        assert not differ, f"verdicts differ between auto-0 and {name}: {differ}"
    auto = best["auto"].result["elapsed"]
    always = best["always"].result["elapsed"]
    print(f"auto   : {auto:6.2f} s, peak {best['auto'].memory.describe()}")
    print(f"always : {always:6.2f} s, peak {best['always'].memory.describe()}")
    print(f"identical verdicts (and reasons) for all {count} targets in all "
          f"{len(verdicts)} crawls: {best['auto'].result['verdicts']}")
    print(f"auto is {always / auto:.1f}x faster (target: at least {TARGET:g}x) "
          f"{'OK' if always / auto >= TARGET else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
