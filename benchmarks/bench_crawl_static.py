"""The static crawl's throughput against a bare Scrapy spider over the same 2,000 pages.

Pages: the demo web's signup and checkout forms (the plain UTF-8 ones), padded with the bulk a
real checkout carries (cart rows, footer links, a JSON blob, CSS) to 20-200 KB, served at
2,000 distinct URLs ``/p/<n>`` by a local server; each body also carries its number, so no two
are the same (as on the real web: every evidence file is written).

* **bare**: a ``scrapy.Spider`` that fetches each URL and extracts the ``<select>`` option
  values (``response.css("select option::attr(value)")``), storing nothing.
* **ours**: ``xktracker crawl --browser never`` on a catalog of the same 2,000 URLs: the real
  spider, middlewares (address guard, robots, retries), judgement and the store pipeline
  writing each check into a temporary SQLite database and its page into the evidence store.

Same settings for both: 16 requests at a time (all on one host, so 16 per domain too), no
download delay, **AutoThrottle off** (it would measure the server, not the crawler),
robots.txt obeyed on both sides (one fetch of ``/robots.txt``), the asyncio reactor, logging
at WARNING. Each side runs in its own process, one after the other, alternating for
``--rounds``; the best round of each counts. Target: ours at least 0.7x the bare spider's
pages/s.

Run: ``python -m benchmarks.bench_crawl_static`` (``--quick``: 300 pages, one round).
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.bench_analyze import _bulk
from benchmarks.crawlbench import (
    Answer,
    ChildResult,
    PageServer,
    catalog_sites,
    child_main,
    crawl_ours,
    load_catalog,
    run_child,
)

PAGES = Path(__file__).resolve().parent.parent / "xktracker" / "demoweb" / "pages"
MODULE = "benchmarks.bench_crawl_static"
TARGET = 0.7
SIZES_KB = (20, 45, 80, 120, 160, 200)
COMMON_SETTINGS: dict[str, Any] = {
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "ROBOTSTXT_OBEY": True,
    "LOG_LEVEL": "WARNING",
}


def page_variants() -> list[bytes]:
    """Signup and checkout pages padded to 20-200 KB (pages that are already larger keep
    their size; none above 200 KB)."""
    from xktracker.demoweb.expectations import load_expectations, read_meta

    skip = {"xk-status", "xk-charset", "xk-delay", "xk-no-header-charset"}
    bases = []
    for page in load_expectations():
        data = (PAGES / page.path.lstrip("/")).read_bytes()
        if (page.needs_browser or page.verdict in ("blocked", "no_country_field")
                or skip & read_meta(data).keys() or len(data) > 200 * 1024):
            continue
        bases.append(data.decode("utf-8"))
    variants: list[bytes] = []
    for n, html in enumerate(bases):
        for kb in (SIZES_KB[n % len(SIZES_KB)], SIZES_KB[(n + 3) % len(SIZES_KB)]):
            size = len(html.encode("utf-8"))
            if size >= kb * 1024:
                variants.append(html.encode("utf-8"))
                continue
            padded = html.replace("</body>", _bulk(max(1, (kb * 1024 - size) // 1024))
                                  + "</body>")
            variants.append(padded.encode("utf-8"))
    return variants


class Pages:
    """``/p/<n>``: variant ``n`` modulo their number, marked with ``n``."""

    ROBOTS = b"User-agent: *\nDisallow: /private/\n"
    PATH = re.compile(r"/p/(\d+)$")

    def __init__(self) -> None:
        self.variants = page_variants()

    def __call__(self, target: str) -> Answer:
        if target == "/robots.txt":
            return 200, "text/plain", self.ROBOTS
        match = self.PATH.match(target)
        if not match:
            return 404, "text/plain", b"not found"
        n = int(match[1])
        body = self.variants[n % len(self.variants)]
        return 200, "text/html; charset=utf-8", body + f"<!-- page {n} -->\n".encode()


# ---------------------------------------------------------------------------------------
# The two sides (child processes)


def crawl_bare(spec: dict[str, Any]) -> dict[str, Any]:
    import scrapy
    from scrapy.crawler import CrawlerProcess

    from crawler.fetch.static import DEFAULT_USER_AGENT

    urls: list[str] = spec["urls"]
    counts = {"pages": 0, "options": 0}

    class BareSpider(scrapy.Spider):
        name = "bare"

        async def start(self) -> Any:
            for url in urls:
                yield scrapy.Request(url, callback=self.parse, dont_filter=True)

        def parse(self, response: Any) -> Any:
            options = response.css("select option::attr(value)").getall()
            counts["pages"] += 1
            counts["options"] += len(options)
            yield {"url": response.url, "options": len(options)}

    process = CrawlerProcess({
        **COMMON_SETTINGS, "USER_AGENT": DEFAULT_USER_AGENT,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False,
    }, install_root_handler=False)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return {"elapsed": float(stats.get("elapsed_time_seconds") or 0.0), **counts}


SIDES = {"bare": crawl_bare, "ours": crawl_ours}


# ---------------------------------------------------------------------------------------
# The comparison


def ours_spec(urls: list[str], folder: Path) -> dict[str, Any]:
    database = f"sqlite:///{folder / 'xk.sqlite3'}"
    load_catalog(database, catalog_sites(urls, per_site=20))
    return {"database_url": database, "data_dir": str(folder / "data"), "browser": "never",
            "settings": COMMON_SETTINGS}


def main(argv: list[str] | None = None) -> int:
    if child_main(argv, SIDES):
        return 0
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="300 pages, one round")
    parser.add_argument("--pages", type=int)
    parser.add_argument("--rounds", type=int)
    args = parser.parse_args(argv)
    count = args.pages or (300 if args.quick else 2000)
    rounds = args.rounds or (1 if args.quick else 2)
    pages = Pages()
    sizes = sorted(len(v) for v in pages.variants)
    work = Path(tempfile.mkdtemp(prefix="xk-bench-crawl-"))
    best: dict[str, ChildResult] = {}
    try:
        with PageServer(pages) as server:
            urls = [server.url(f"/p/{n}") for n in range(count)]
            print(f"{count} pages from {len(pages.variants)} variants of "
                  f"{sizes[0] // 1024}-{sizes[-1] // 1024} KB (median "
                  f"{sizes[len(sizes) // 2] // 1024} KB); 16 concurrent requests, "
                  "AutoThrottle off, robots.txt obeyed, both sides")
            for round_no in range(rounds):
                for side in ("bare", "ours"):
                    folder = work / f"{side}-{round_no}"
                    folder.mkdir()
                    spec = ours_spec(urls, folder) if side == "ours" else {"urls": urls}
                    done = run_child(MODULE, side, spec, folder)
                    got = done.result.get("checks", done.result.get("pages"))
                    assert got == count, f"{side} handled {got} of {count} pages"
                    rate = count / done.result["elapsed"]
                    print(f"  round {round_no + 1} {side:5}: {done.result['elapsed']:6.2f} s, "
                          f"{rate:6.1f} pages/s; peak {done.memory.describe()}")
                    if side not in best or done.result["elapsed"] < best[side].result["elapsed"]:
                        best[side] = done
                    shutil.rmtree(folder / "data", ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    bare_rate = count / best["bare"].result["elapsed"]
    ours_rate = count / best["ours"].result["elapsed"]
    ratio = ours_rate / bare_rate
    print(f"bare Scrapy spider : {bare_rate:6.1f} pages/s, peak "
          f"{best['bare'].memory.describe()}")
    print(f"xktracker crawl    : {ours_rate:6.1f} pages/s, peak "
          f"{best['ours'].memory.describe()} ({best['ours'].result['verdicts']})")
    print(f"ratio {ratio:.2f} (ours / bare pages/s; target: at least {TARGET}) "
          f"{'OK' if ratio >= TARGET else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
