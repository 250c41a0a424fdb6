"""The store pipeline: each check goes to the database (through ``db.store``) as it arrives.

Opening the spider opens the run, or resumes the unfinished one made with the same settings
(:mod:`crawler.runs`); each item is written in its own transaction, evidence first, so a crawl
killed at any moment leaves complete checks only; closing the spider finishes the run when
every target has its check, and otherwise leaves it ``running`` for the next crawl to resume.

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
    def __init__(self, crawler: Crawler, config: CrawlConfig) -> None:
        self.crawler = crawler
        self.config = config
        self.book: RunBook | None = None
        self.binding: RunBinding | None = None
        # One write at a time: SQLite has one writer anyway, and order keeps logs readable.
        self._lock = asyncio.Lock()

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
                within_hours=self.config.resume_within_hours, sites=self.config.sites)
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
        async with self._lock:
            await asyncio.to_thread(self.book.store, item.run_id, item.target_id, item.report,
                                    item.blobs)
        self._stat("xk/checks_stored", inc=True)
        self._stat(f"xk/verdicts/{item.report['verdict']}", inc=True)
        return item

    def close_spider(self) -> None:
        if self.book is None or self.binding is None:
            return
        try:
            stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
            extra = {"targets": len(self.binding.scope),
                     "resumed": self.binding.resumed,
                     "checked_before_resume": len(self.binding.done),
                     "retries": int(stats.get("retry/count", 0))}
            status, missing = self.book.close_run(self.binding, extra)
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
