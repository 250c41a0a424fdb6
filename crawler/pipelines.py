"""The store pipeline: each check goes to the database (through ``db.store``) as it arrives.

Opening the spider opens the run, or resumes the unfinished one made with the same settings
(:mod:`crawler.runs`). Checks are written as they come by one writer thread (SQLite has one
writer anyway), which takes every check that arrived while it was busy: their evidence
first, then all of them in one transaction (a group commit: a transaction per check, and a
thread hop per file, cost a third of the static crawl's throughput). An item is done only
once its check is stored. A crawl killed at any moment leaves complete checks only: a batch
is in the database whole or not at all. Closing the spider finishes the run when every
target has its check, and otherwise leaves it ``running`` for the next crawl to resume.

In distributed mode (:mod:`crawler.distributed`) the run is picked under a Redis lock, so
workers started together join one run; the first worker to find it complete closes it.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider

from crawler.config import CrawlConfig
from crawler.items import CheckItem
from crawler.runs import RunBinding, RunBook

log = logging.getLogger(__name__)


class StorePipeline:
    MAX_BATCH = 64  # checks per transaction at most

    def __init__(self, crawler: Crawler, config: CrawlConfig) -> None:
        self.crawler = crawler
        self.config = config
        self.book: RunBook | None = None
        self.binding: RunBinding | None = None
        self._waiting: list[tuple[CheckItem, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler, CrawlConfig.from_settings(crawler.settings))

    def _stat(self, name: str, value: Any = None, inc: bool = False) -> None:
        stats = self.crawler.stats
        if stats is None:
            return
        if inc:
            stats.inc_value(name)
        else:
            stats.set_value(name, value)

    def open_spider(self) -> None:
        from db.errors import DbError
        from db.migrate import require_current

        try:
            require_current(self.config.database_url)
        except DbError as exc:
            log.error("cannot crawl: %s", exc)
            raise CloseSpider("database_not_ready") from None
        self.book = RunBook(self.config.database_url, self.config.data_dir)
        spider = self.crawler.spider
        coordinator = getattr(spider, "coordinator", None)
        picking: AbstractContextManager[Any] = (coordinator.opening() if coordinator
                                                 else nullcontext())
        self.book.follow_catalog = coordinator is not None
        with picking:
            binding, targets = self.book.open(
                self.config.run_settings(), resume=self.config.resume,
                within_hours=self.config.resume_within, sites=self.config.sites)
        if coordinator is not None:
            coordinator.join(binding.run_id)
            coordinator.start_heartbeat()
            self._stat("xk/worker", coordinator.worker)
        self.binding = binding
        self._stat("xk/run_id", binding.run_id)
        self._stat("xk/run_resumed", binding.resumed)
        log.info("%s run %s: %d targets, %d already checked", "resuming" if binding.resumed
                 else "starting", binding.run_id, len(binding.scope), len(binding.done))
        if spider is not None and hasattr(spider, "bind_run"):
            book = self.book
            spider.bind_run(binding, targets, unchecked=lambda: book.unchecked(binding),
                            lookup=book.target)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, CheckItem) or self.book is None:
            return item
        stored = asyncio.get_running_loop().create_future()
        self._waiting.append((item, stored))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.ensure_future(self._write())
        try:
            await stored  # the item is done (progress line, stats) once its check is stored
        except Exception as exc:
            self._stat("xk/store_failures", inc=True)
            if self.crawler.stats is not None and not self.crawler.stats.get_value(
                    "xk/store_error"):
                self._stat("xk/store_error", f"{type(exc).__name__}: {exc}"[:300])
            raise
        self._stat("xk/checks_stored", inc=True)
        self._stat(f"xk/verdicts/{item.report['verdict']}", inc=True)
        return item

    async def _write(self) -> None:
        """The one writer: store what waits, in batches, until nothing does."""
        assert self.book is not None
        book = self.book
        while self._waiting:
            batch = self._waiting[:self.MAX_BATCH]
            del self._waiting[:self.MAX_BATCH]
            entries = [(i.run_id, i.target_id, i.report, i.blobs) for i, _ in batch]
            try:
                problems = await asyncio.to_thread(book.store_many, entries)
            except Exception as exc:  # the database is gone: every item of the batch failed
                problems = [exc] * len(batch)
            self._stat("xk/store_batches", inc=True)
            for (_, stored), problem in zip(batch, problems, strict=True):
                if stored.done():  # its waiter was cancelled (the crawl is stopping)
                    continue
                if problem is None:
                    stored.set_result(None)
                else:
                    stored.set_exception(problem)

    def close_spider(self) -> None:
        if self.book is None or self.binding is None:
            return
        try:
            stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
            extra = {"targets": len(self.binding.scope),
                     "resumed": self.binding.resumed,
                     "checked_before_resume": len(self.binding.done),
                     "retries": int(stats.get("retry/count", 0))}
            try:
                status, missing = self.book.close_run(self.binding, extra)
            except Exception as exc:  # the database went away: say so, leave the run to resume
                self._stat("xk/run_status", "not closed")
                self._stat("xk/run_error", f"{type(exc).__name__}: {exc}"[:300])
                log.error("run %s could not be closed: %s", self.binding.run_id, exc)
                return
            coordinator = getattr(self.crawler.spider, "coordinator", None)
            if coordinator is not None:
                coordinator.leave(finished=status == "finished")
            self._stat("xk/run_status", status)
            self._stat("xk/targets_unchecked", missing)
            if missing:
                log.warning("run %s left running: %d targets unchecked; crawl again with "
                            "the same options to resume it", self.binding.run_id, missing)
        finally:
            self.book.close()
