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
* **bare-shot-fresh**: bare-shot with a new context per page (issue 10's baseline).
* **bare-guarded**: bare-shot-fresh with each context going through its own session of the
  egress proxy (crawler.fetch.egress), as every browser check must since the browser has no
  network of its own: the same guard and caps, nothing else of ours. The fairest baseline:
  it does all the work the brief requires of a browser check except reading the page well.
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
    egress: Any = None
    if spec.get("guard"):
        from crawler.fetch.egress import EgressProxy
        from crawler.fetch.guard import EgressPolicy

        egress = EgressProxy(EgressPolicy.build(allow_networks=["127.0.0.0/8"])).start()

    async def new_context(browser: Any) -> tuple[Any, Any]:
        if egress is None:
            return await browser.new_context(**CONTEXT_OPTIONS), None
        session = await egress.open_session_async()
        context = await browser.new_context(**CONTEXT_OPTIONS, ignore_https_errors=True,
                                            proxy=session.playwright_proxy())
        return context, session

    async def close_context(context: Any, session: Any) -> None:
        await context.close()
        if session is not None:
            await egress.close_session_async(session)

    async def run() -> dict[str, Any]:
        started = time.perf_counter()
        options = 0
        async with async_playwright() as playwright:
            launch = dict(spec["launch"])
            if egress is not None:
                launch["proxy"] = egress.catch_all().playwright_proxy()
            browser = await playwright.chromium.launch(**launch)
            queue: asyncio.Queue[str] = asyncio.Queue()
            for url in urls:
                queue.put_nowait(url)

            async def worker() -> None:
                nonlocal options
                context, session = await new_context(browser)
                while not queue.empty():
                    url = queue.get_nowait()
                    if spec["fresh"]:
                        await close_context(context, session)
                        context, session = await new_context(browser)
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
                await close_context(context, session)

            await asyncio.gather(*(worker() for _ in range(CONTEXTS)))
            await browser.close()
        return {"elapsed": time.perf_counter() - started, "pages": len(urls),
                "options": options}

    try:
        return asyncio.run(run())
    finally:
        if egress is not None:
            egress.close()


BARE_SIDES = {  # side: (fresh contexts, screenshot, egress proxy)
    "bare": (False, False, False), "bare-fresh": (True, False, False),
    "bare-shot": (False, True, False), "bare-shot-fresh": (True, True, False),
    "bare-guarded": (True, True, True),
}
SIDES = {**{side: browse_bare for side in BARE_SIDES}, "ours": crawl_ours}
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
                for side in (*BARE_SIDES, "ours"):
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
                        fresh, shot, guard = BARE_SIDES[side]
                        spec = {"urls": urls, "launch": chromium.launch_options(),
                                "fresh": fresh, "shot": shot, "guard": guard}
                    done = run_child(MODULE, side, spec, folder)
                    if side == "ours":
                        verdicts = done.result["verdicts"]
                        assert done.result["checks"] == count and "error" not in verdicts, \
                            done.result
                    rate = 60 * count / done.result["elapsed"]
                    print(f"  round {round_no + 1} {side:15}: {done.result['elapsed']:6.2f} s, "
                          f"{rate:6.1f} checks/min, CPU {done.cpu:5.1f} s (all processes); "
                          f"peak {done.memory.describe()}")
                    if side not in best or done.result["elapsed"] < best[side].result["elapsed"]:
                        best[side] = done
    finally:
        shutil.rmtree(work, ignore_errors=True)
    bare = 60 * count / best["bare"].result["elapsed"]
    fresh = 60 * count / best["bare-fresh"].result["elapsed"]
    shot = 60 * count / best["bare-shot"].result["elapsed"]
    shot_fresh = 60 * count / best["bare-shot-fresh"].result["elapsed"]
    guarded = 60 * count / best["bare-guarded"].result["elapsed"]
    ours = 60 * count / best["ours"].result["elapsed"]
    print(f"bare Playwright, context reused : {bare:6.1f} checks/min, peak "
          f"{best['bare'].memory.describe()}")
    print(f"bare Playwright, fresh contexts : {fresh:6.1f} checks/min, peak "
          f"{best['bare-fresh'].memory.describe()}")
    print(f"bare Playwright + screenshot    : {shot:6.1f} checks/min, peak "
          f"{best['bare-shot'].memory.describe()} ({shot / bare:.2f} of bare)")
    print(f"  + fresh contexts              : {shot_fresh:6.1f} checks/min, peak "
          f"{best['bare-shot-fresh'].memory.describe()} ({shot_fresh / bare:.2f} of bare)")
    print(f"  + fresh + egress guard        : {guarded:6.1f} checks/min, peak "
          f"{best['bare-guarded'].memory.describe()} ({guarded / bare:.2f} of bare)")
    print(f"xktracker crawl, browser always : {ours:6.1f} checks/min, peak "
          f"{best['ours'].memory.describe()} ({best['ours'].result['verdicts']})")
    ratio = ours / bare
    print(f"ratio {ratio:.2f} (ours / bare checks per minute; target: at least {TARGET}) "
          f"{'OK' if ratio >= TARGET else 'MISSED'}; {ours / fresh:.2f} against fresh contexts, "
          f"{ours / shot:.2f} against bare + screenshot, {ours / shot_fresh:.2f} against bare + "
          f"screenshot + fresh contexts, {ours / guarded:.2f} against that + the egress guard "
          "(the baseline doing the same required work)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
