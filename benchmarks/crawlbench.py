"""What the crawl benchmarks share: a fast local page server, crawls in child processes whose
memory is sampled, and a catalog loader.

Each side of a comparison runs in a child process of its own (a Twisted reactor cannot be
restarted, and a process of its own gives each side its own peak memory), started by the
same benchmark run, one after the other, against the same server. Throughput is read from
inside the child (Scrapy's ``elapsed_time_seconds``, or the child's own clock around the
work), so interpreter start-up and imports count for neither side.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "xktracker" / "demoweb" / "pages"
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# One request handler answer: status, content type, body.
Answer = tuple[int, str, bytes]


class PageServer:
    """A minimal HTTP/1.1 server (keep-alive, GET and HEAD) on 127.0.0.1, in a thread with an
    event loop of its own: fast enough that the crawlers, not the server, set the pace."""

    REASONS = {200: "OK", 403: "Forbidden", 404: "Not Found"}

    def __init__(self, answer: Callable[[str], Answer]) -> None:
        self.answer = answer
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="page-server", daemon=True)
        self._server: asyncio.Server | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def serve() -> None:
            self._server = await asyncio.start_server(self._client, "127.0.0.1", 0,
                                                      backlog=256)
            self.port = self._server.sockets[0].getsockname()[1]
            self._ready.set()
            async with self._server:
                await self._server.serve_forever()

        try:
            self._loop.run_until_complete(serve())
        except asyncio.CancelledError:
            pass

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                method, target, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
                status, ctype, body = self.answer(target)
                writer.write(
                    f"HTTP/1.1 {status} {self.REASONS.get(status, 'Status')}\r\n"
                    f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
                    f"Connection: keep-alive\r\n\r\n".encode("latin-1"))
                if method != "HEAD":
                    writer.write(body)
                await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError,
                ValueError):
            pass
        finally:
            writer.close()

    def __enter__(self) -> PageServer:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the page server did not start")
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        def stop() -> None:
            if self._server is not None:
                self._server.close()
            for task in asyncio.all_tasks(self._loop):
                task.cancel()

        self._loop.call_soon_threadsafe(stop)
        self._thread.join(10)


# ---------------------------------------------------------------------------------------
# Memory


def _rss(pid: int) -> int:
    """Resident bytes of one process (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def _scan() -> tuple[dict[int, list[int]], dict[int, float]]:
    """One pass over ``/proc``: the children of every process, and each one's CPU seconds
    (user + system) so far."""
    tree: dict[int, list[int]] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # The command name (field 2) may hold spaces and parentheses: split after its end.
        fields = stat[stat.rfind(b")") + 2:].split()
        tree.setdefault(int(fields[1]), []).append(int(entry))
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return tree, cpu


def descendants(pid: int, tree: dict[int, list[int]] | None = None) -> list[int]:
    tree = _scan()[0] if tree is None else tree
    out: list[int] = []
    todo = list(tree.get(pid, []))
    while todo:
        child = todo.pop()
        out.append(child)
        todo.extend(tree.get(child, []))
    return out


@dataclass
class MemoryPeak:
    """Peak resident memory of a process and, summed, of everything it started (the
    browser's processes), sampled every ``interval`` seconds."""

    process: int = 0
    children: int = 0
    samples: int = 0

    @staticmethod
    def mib(value: int) -> str:
        return f"{value / 2**20:.0f} MiB"

    def describe(self) -> str:
        text = f"crawl process {self.mib(self.process)}"
        if self.children:
            text += f", browser processes {self.mib(self.children)} (summed)"
        return text


class MemorySampler:
    """Samples the peak memory of a process tree and the CPU time of every process in it.

    The CPU of each process is its last sampled value, so processes that come and go (a
    renderer per browser context) are counted, not only those the child waited for (the
    resource usage of children misses Chromium's renderers); the last tenth of a second of
    each is lost.
    """

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = MemoryPeak()
        self.cpu_seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            own = _rss(self.pid)
            parents, cpu = _scan()
            tree = descendants(self.pid, parents)
            kids = sum(_rss(p) for p in tree)
            for pid in (self.pid, *tree):
                used = cpu.get(pid, 0.0)
                if used:
                    self.cpu_seen[pid] = max(used, self.cpu_seen.get(pid, 0.0))
            self.peak.process = max(self.peak.process, own)
            self.peak.children = max(self.peak.children, kids)
            self.peak.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


# ---------------------------------------------------------------------------------------
# Child processes


@dataclass
class ChildResult:
    result: dict[str, Any]
    memory: MemoryPeak
    wall: float
    cpu: float = 0.0  # seconds of CPU of the child and everything it started (the browser),
    # sampled (see MemorySampler)
    stderr: str = field(repr=False, default="")


def run_child(module: str, side: str, spec: dict[str, Any], folder: Path,
              timeout: float = 1800) -> ChildResult:
    """Run ``python -m <module> --child <side> --spec FILE``; it prints its result as the
    last line of stdout (JSON). Its memory (and its children's) is sampled meanwhile."""
    spec_file = folder / f"spec-{side}.json"
    spec_file.write_text(json.dumps(spec), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("XKTRACKER_")}
    env["PYTHONWARNINGS"] = "ignore"
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", module, "--child", side, "--spec",
                              str(spec_file)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    with MemorySampler(child.pid) as sampler:
        out, err = child.communicate(timeout=timeout)
    wall = time.perf_counter() - started
    cpu = sum(sampler.cpu_seen.values())
    if child.returncode != 0 or not out.strip():
        raise RuntimeError(f"{module} --child {side} failed (rc={child.returncode}):\n"
                           f"{err[-4000:]}")
    return ChildResult(json.loads(out.strip().splitlines()[-1]), sampler.peak, wall, cpu, err)


def child_main(argv: Sequence[str] | None,
               sides: Mapping[str, Callable[[dict[str, Any]], dict[str, Any]]]) -> bool:
    """In a benchmark's ``main``: if started as a child, run the side and print its result
    (returns True); otherwise return False."""
    args = list(sys.argv[1:] if argv is None else argv)
    if "--child" not in args:
        return False
    side = args[args.index("--child") + 1]
    spec = json.loads(Path(args[args.index("--spec") + 1]).read_text(encoding="utf-8"))
    result = sides[side](spec)
    result["peak_rss_self"] = _peak_rss_self()
    print(json.dumps(result))
    return True


def _peak_rss_self() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


# ---------------------------------------------------------------------------------------
# Our crawl


def load_catalog(database_url: str, sites: Sequence[dict[str, Any]]) -> None:
    """Create the database and merge a catalog of ``sites`` (catalog entries) into it."""
    from db.catalog import merge_catalog, parse_catalog
    from db.migrate import upgrade
    from db.session import Database

    upgrade(database_url)
    text = yaml.safe_dump({"sites": list(sites)}, allow_unicode=True, sort_keys=False)
    catalog = parse_catalog(text, filename="bench.yaml", name="bench.yaml", allow_private=True)
    with Database(database_url) as database, database.scope(write=True) as session:
        merge_catalog(session, catalog)


def catalog_sites(urls: Sequence[str], per_site: int, browser: str = "auto",
                  browser_of: Callable[[str], str] | None = None) -> list[dict[str, Any]]:
    """Catalog entries with ``per_site`` targets each (site names are only labels here)."""
    sites = []
    for n in range(0, len(urls), per_site):
        chunk = urls[n:n + per_site]
        sites.append({"name": f"Bench {n // per_site}", "domain": f"s{n // per_site}.bench",
                      "targets": [{"url": u, "kind": "signup",
                                   "browser": browser_of(u) if browser_of else browser}
                                  for u in chunk]})
    return sites


def crawl_ours(spec: dict[str, Any]) -> dict[str, Any]:
    """Child side: ``xktracker crawl`` in this process (the real spider, pipeline, database
    and evidence store), with the benchmark's settings on top."""
    from crawler.config import CrawlConfig
    from crawler.run import run_crawl

    started = time.perf_counter()
    result = run_crawl(CrawlConfig(
        database_url=spec["database_url"], data_dir=Path(spec["data_dir"]),
        browser=spec.get("browser", "auto"), allow_networks=("127.0.0.0/8",),
        browser_path=spec.get("browser_path"), progress=False),
        overrides=spec.get("settings", {}), log_level=spec.get("log_level", "WARNING"))
    stats = result.stats
    return {"elapsed": float(stats.get("elapsed_time_seconds") or 0.0),
            "wall_in_process": time.perf_counter() - started,
            "checks": int(stats.get("xk/checks_stored", 0)),
            "run_status": result.run_status,
            "verdicts": {k.split("/", 2)[2]: v for k, v in stats.items()
                         if k.startswith("xk/verdicts/")},
            "requests": int(stats.get("downloader/request_count", 0))}


def stored_verdicts(database_url: str) -> dict[str, tuple[str, str | None, str]]:
    """URL -> (verdict, reason, method) of every stored check (one run per database)."""
    from sqlalchemy import select

    from db.models import Check, Target
    from db.session import Database

    with Database(database_url) as database, database.scope() as session:
        rows = session.execute(select(Target.url, Check.verdict, Check.reason, Check.method)
                               .join(Target, Check.target_id == Target.id)).all()
    return {url: (verdict, reason, method) for url, verdict, reason, method in rows}


# ---------------------------------------------------------------------------------------
# Demo pages, as served and drawn by script


_SELECT = re.compile(r"(<select\b[^>]*>)(.*?)(</select>)", re.S | re.I)
DRAWN = "() => document.documentElement.getAttribute('data-drawn') === '1'"
READ = "() => [...document.querySelectorAll('select option')].map(o => o.value)"


def static_pages() -> dict[str, bytes]:
    """The demo web's signup and checkout pages that need no browser and no special serving
    (UTF-8, status 200, no delay), by name."""
    from xktracker.demoweb.expectations import load_expectations, read_meta

    skip = {"xk-status", "xk-charset", "xk-delay", "xk-no-header-charset"}
    out: dict[str, bytes] = {}
    for page in load_expectations():
        data = (PAGES / page.path.lstrip("/")).read_bytes()
        if page.needs_browser or page.verdict in ("blocked", "no_country_field") \
                or skip & read_meta(data).keys():
            continue
        out[page.path.lstrip("/")] = data
    return out


def drawn_by_script(html: str, delay_ms: int = 50) -> str | None:
    """The page with every ``<select>`` emptied and filled again by a script ``delay_ms``
    after loading (then ``data-drawn="1"`` on ``<html>``), as a framework would draw it; None
    when the page has no long select to draw."""
    inner: list[str] = []

    def empty(match: re.Match[str]) -> str:
        inner.append(match[2])
        return match[1] + match[3]

    emptied = _SELECT.sub(empty, html)
    if not any(part.count("<option") > 50 for part in inner):
        return None
    data = json.dumps(inner, ensure_ascii=False).replace("</", "<\\/")
    script = ("<script>(function(){var inner=" + data + ";setTimeout(function(){"
              "var s=document.querySelectorAll('select');"
              "for(var i=0;i<s.length&&i<inner.length;i++){s[i].innerHTML=inner[i];}"
              "document.documentElement.setAttribute('data-drawn','1');}," + str(delay_ms)
              + ");})();</script>")
    return emptied.replace("</body>", script + "</body>", 1)


class DemoPages:
    """``/p/<n>``: static demo page ``n`` modulo their number; ``/s/<n>``: the same drawn by
    script. Each body carries its ``n``, so no two are alike."""

    ROBOTS = b"User-agent: *\nDisallow: /private/\n"
    PATH = re.compile(r"/([ps])/(\d+)$")

    def __init__(self, *, escalating_only: bool = False) -> None:
        """``escalating_only``: leave out forms whose drawn version gives the static path no
        sign that a browser would see more (``auto`` mode could not know them)."""
        from checks import analyze_html

        self.static: list[bytes] = []
        self.drawn: list[bytes] = []
        self.left_out: list[str] = []
        for name, data in static_pages().items():
            drawn = drawn_by_script(data.decode("utf-8"))
            if drawn is None:
                continue
            if escalating_only and not analyze_html(drawn).needs_browser:
                self.left_out.append(name)
                continue
            self.static.append(data)
            self.drawn.append(drawn.encode("utf-8"))

    def __call__(self, target: str) -> Answer:
        if target == "/robots.txt":
            return 200, "text/plain", self.ROBOTS
        match = self.PATH.match(target)
        if not match:
            return 404, "text/plain", b"not found"
        pages = self.static if match[1] == "p" else self.drawn
        n = int(match[2])
        return (200, "text/html; charset=utf-8",
                pages[n % len(pages)] + f"<!-- page {n} -->\n".encode())
