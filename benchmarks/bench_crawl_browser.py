"""Browser checks per minute: the crawl's browser path against bare Playwright.

Pages: the demo web's signup and checkout forms (13-220 KB) with every ``<select>`` emptied
and filled again by a script 50 ms after loading, as a framework draws it, served at ~60
distinct URLs ``/s/<n>`` by a local server.

* **bare**: Playwright on the same Chromium and launch options, as many pages at once as the
  crawl (``PLAYWRIGHT_MAX_CONTEXTS``), each worker **reusing one browser context**: a new
  page per URL, ``goto`` (DOMContentLoaded), wait for the script's own "drawn" mark (which
  only the page's author knows), read every option value, close the page. The least that
  could read the lists; the target is measured against it.
* **bare-fresh**: the same with a new context per page, as the crawl does (so no cookie or
  stored consent passes from one target to the next) and as ``bench_browser`` does.
* **bare-shot**: bare plus the one piece of evidence a browser check must keep that a bare
  read does not: a screenshot of the longest list, opened as a list box and centred (the
  page laid out and painted once). Not the target's baseline; it shows how much of the gap
  the screenshot alone makes.
* **ours**: ``xktracker crawl`` with every target ``browser: always`` (no static request):
  scrapy-playwright, the address guard on every request the page makes, settling (without
  knowing the page's mark), the document with shadow roots flattened, frames, custom
  dropdowns probed, the screenshot of the deciding control, the verdict, and the check
  stored with its evidence, as in a real crawl.

Both launch the browser inside the timing. Each side runs in its own process, alternating
for ``--rounds``; the best round of each counts. Peak memory: the crawl process and, summed,
the browser's processes (Playwright's driver and Chromium's). Target: ours at least 0.8x the
bare checks per minute.

Run: ``python -m benchmarks.bench_crawl_browser`` (``--quick``: 16 pages, one round).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.crawlbench import (
    DRAWN,
    READ,
    ChildResult,
    DemoPages,
    PageServer,
    catalog_sites,
    child_main,
    crawl_ours,
    load_catalog,
    run_child,
)

MODULE = "benchmarks.bench_crawl_browser"
TARGET = 0.8
CONTEXTS = 2  # the crawl's PLAYWRIGHT_MAX_CONTEXTS (crawler/settings.py)
SETTINGS: dict[str, Any] = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0,
                            "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
                            "PLAYWRIGHT_MAX_CONTEXTS": CONTEXTS}


def browse_bare(spec: dict[str, Any]) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    from crawler.browser_page import CONTEXT_OPTIONS

    urls: list[str] = spec["urls"]
    shoot = bool(spec.get("shot"))

    async def run() -> dict[str, Any]:
        started = time.perf_counter()
        options = 0
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(**spec["launch"])
            queue: asyncio.Queue[str] = asyncio.Queue()
            for url in urls:
                queue.put_nowait(url)

            async def worker() -> None:
                nonlocal options
                context = await browser.new_context(**CONTEXT_OPTIONS)
                while not queue.empty():
                    url = queue.get_nowait()
                    if spec["fresh"]:
                        await context.close()
                        context = await browser.new_context(**CONTEXT_OPTIONS)
                    page = await context.new_page()
                    await page.goto(url, wait_until="domcontentloaded")
                    await page.wait_for_function(DRAWN, timeout=15_000)
                    values = await page.evaluate(READ)
                    assert len(values) > 50, url
                    options += len(values)
                    if shoot:
                        box = await page.evaluate(SHOW_LONGEST)
                        await page.screenshot(clip=box, caret="initial")
                    await page.close()
                await context.close()

            await asyncio.gather(*(worker() for _ in range(CONTEXTS)))
            await browser.close()
        return {"elapsed": time.perf_counter() - started, "pages": len(urls),
                "options": options}

    return asyncio.run(run())


SIDES = {"bare": browse_bare, "bare-fresh": browse_bare, "bare-shot": browse_bare,
         "ours": crawl_ours}
# bare-shot: the longest select opened as a 12-row list box, centred, and its box.
SHOW_LONGEST = """() => {
  const s = [...document.querySelectorAll('select')]
    .sort((a, b) => b.options.length - a.options.length)[0];
  s.size = 12;
  s.scrollIntoView({block: 'center'});
  const r = s.getBoundingClientRect();
  return {x: r.x, y: Math.max(0, r.y - 40), width: r.width, height: r.height + 40};
}"""


def main(argv: list[str] | None = None) -> int:
    if child_main(argv, SIDES):
        return 0
    from crawler.fetch.chromium import find_chromium

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="16 pages, one round")
    parser.add_argument("--pages", type=int)
    parser.add_argument("--rounds", type=int)
    args = parser.parse_args(argv)
    count = args.pages or (16 if args.quick else 60)
    rounds = args.rounds or (1 if args.quick else 2)
    chromium = find_chromium()
    pages = DemoPages()
    work = Path(tempfile.mkdtemp(prefix="xk-bench-browser-"))
    best: dict[str, ChildResult] = {}
    try:
        with PageServer(pages) as server:
            urls = [server.url(f"/s/{n}") for n in range(count)]
            print(f"{count} pages drawn by script ({len(pages.drawn)} forms), {CONTEXTS} at "
                  f"once, {chromium.path}")
            for round_no in range(rounds):
                for side in ("bare", "bare-fresh", "bare-shot", "ours"):
                    folder = work / f"{side}-{round_no}"
                    folder.mkdir()
                    if side == "ours":
                        database = f"sqlite:///{folder / 'xk.sqlite3'}"
                        load_catalog(database, catalog_sites(urls, 10, browser="always"))
                        spec: dict[str, Any] = {
                            "database_url": database, "data_dir": str(folder / "data"),
                            "browser": "auto", "browser_path": chromium.path,
                            "settings": SETTINGS}
                    else:
                        spec = {"urls": urls, "launch": chromium.launch_options(),
                                "fresh": side == "bare-fresh", "shot": side == "bare-shot"}
                    done = run_child(MODULE, side, spec, folder)
                    if side == "ours":
                        verdicts = done.result["verdicts"]
                        assert done.result["checks"] == count and "error" not in verdicts, \
                            done.result
                    rate = 60 * count / done.result["elapsed"]
                    print(f"  round {round_no + 1} {side:10}: {done.result['elapsed']:6.2f} s, "
                          f"{rate:6.1f} checks/min, CPU {done.cpu:5.1f} s (all processes); "
                          f"peak {done.memory.describe()}")
                    if side not in best or done.result["elapsed"] < best[side].result["elapsed"]:
                        best[side] = done
    finally:
        shutil.rmtree(work, ignore_errors=True)
    bare = 60 * count / best["bare"].result["elapsed"]
    fresh = 60 * count / best["bare-fresh"].result["elapsed"]
    shot = 60 * count / best["bare-shot"].result["elapsed"]
    ours = 60 * count / best["ours"].result["elapsed"]
    print(f"bare Playwright, context reused : {bare:6.1f} checks/min, peak "
          f"{best['bare'].memory.describe()}")
    print(f"bare Playwright, fresh contexts : {fresh:6.1f} checks/min, peak "
          f"{best['bare-fresh'].memory.describe()}")
    print(f"bare Playwright + screenshot    : {shot:6.1f} checks/min, peak "
          f"{best['bare-shot'].memory.describe()} ({shot / bare:.2f} of bare)")
    print(f"xktracker crawl, browser always : {ours:6.1f} checks/min, peak "
          f"{best['ours'].memory.describe()} ({best['ours'].result['verdicts']})")
    ratio = ours / bare
    print(f"ratio {ratio:.2f} (ours / bare checks per minute; target: at least {TARGET}) "
          f"{'OK' if ratio >= TARGET else 'MISSED'}; {ours / fresh:.2f} against fresh contexts, "
          f"{ours / shot:.2f} against bare + screenshot")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
