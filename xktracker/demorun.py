"""The demo's history: the demo catalog crawled into a kept database, twice the first time
with the demo web's changing pages switched in between (a win and a regression).

Each crawl runs in a child process: a Twisted reactor cannot be restarted, and the demo
crawls twice (and then serves the dashboard) from one command. Used by ``xktracker demo`` and
by ``scripts/screenshots.py``.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crawler.config import CrawlConfig
from crawler.run import LOCAL_WEB_SETTINGS, run_crawl
from db.catalog import demo_catalog, merge_catalog
from db.migrate import upgrade
from db.models import Run
from db.session import Database
from xktracker.demoweb.server import DemoWebServer

LOOPBACK = ("127.0.0.0/8", "::1/128")


def _crawl(config: CrawlConfig) -> None:
    run_crawl(config, overrides=LOCAL_WEB_SETTINGS, log_level="ERROR")


def crawl_in_child(config: CrawlConfig) -> None:
    """Crawl the catalog in a fresh interpreter (``spawn``) and wait for it to end."""
    child = multiprocessing.get_context("spawn").Process(
        target=_crawl, args=(config,), name="xktracker-demo-crawl")
    child.start()
    try:
        child.join()
    except KeyboardInterrupt:
        child.terminate()
        child.join()
        raise
    if child.exitcode not in (0, 1):  # 1: some pages left unchecked, which the table shows
        raise RuntimeError(f"the demo crawl ended with exit code {child.exitcode}")


def history_runs(session: Session) -> int:
    """How many runs the demo's database holds (0: its first demo)."""
    return int(session.execute(select(func.count()).select_from(Run)).scalar_one())


@dataclass(frozen=True, slots=True)
class DemoHistory:
    database_url: str
    data_dir: Path
    first_time: bool


def build_history(web: DemoWebServer, folder: Path, *, browser: str = "auto",
                  browser_path: str | None = None,
                  say: Callable[[str], None] = lambda _line: None,
                  networks: Sequence[str] = LOOPBACK) -> DemoHistory:
    """Load the demo catalog into ``folder``'s database and crawl it: twice on a new
    database (the changing pages switched in between), once on one that has a history."""
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'xktracker.sqlite3'}"
    upgrade(url)
    with Database(url) as database, database.scope(write=True) as session:
        merge_catalog(session, demo_catalog(web.base_url))
        first_time = history_runs(session) == 0
    options = CrawlConfig(database_url=url, data_dir=folder / "data", browser=browser,
                          allow_networks=tuple(networks), browser_path=browser_path,
                          progress=True)
    if first_time:
        web.phase = "before"
        say("first crawl (one demo site still leaves Kosovo out, another lists it)")
        crawl_in_child(options)
    web.phase = "after"
    say("crawl (the one has added Kosovo, the other has dropped it)" if first_time
        else "crawl")
    crawl_in_child(options)
    return DemoHistory(url, folder / "data", first_time)
