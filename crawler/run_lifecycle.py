"""A crawl's run: opened (or resumed) when the spider opens, closed when it closes.

A Scrapy extension on ``spider_opened``/``spider_closed``, so the store pipeline only stores.
Opening picks the newest unfinished run made with the same settings (:mod:`crawler.runs`),
hands the spider the run, its targets and the book to store into; closing finishes the run
when every target has its check, and otherwise leaves it ``running`` for the next crawl to
resume. In distributed mode (:mod:`crawler.distributed`) the run is picked under a Redis
lock, so workers started together join one run; the first to find it complete closes it.
Spiders without runs (``discover``) are left alone.
"""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from crawler.config import CrawlConfig
from crawler.runs import RunBook

log = logging.getLogger(__name__)


class RunLifecycle:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.open, signal=signals.spider_opened)
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunLifecycle:
        return cls(crawler)

    def _stat(self, name: str, value: Any) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.set_value(name, value)

    def open(self, spider: Any = None) -> None:
        spider = self.crawler.spider
        if spider is None or not hasattr(spider, "bind_run"):
            return
        from db.errors import DbError
        from db.migrate import require_current

        config = CrawlConfig.from_settings(self.crawler.settings)
        try:
            require_current(config.database_url)
        except DbError as exc:
            log.error("cannot crawl: %s", exc)
            spider.run_problem = "database_not_ready"  # the spider's start says so and stops
            return
        book = RunBook(config.database_url, config.data_dir)
        coordinator = getattr(spider, "coordinator", None)
        picking: AbstractContextManager[Any] = (coordinator.opening() if coordinator
                                                 else nullcontext())
        book.follow_catalog = coordinator is not None
        with picking:
            binding, targets = book.open(config.run_settings(), resume=config.resume,
                                         within_hours=config.resume_within, sites=config.sites)
        if coordinator is not None:
            coordinator.join(binding.run_id)
            coordinator.start_heartbeat()
            self._stat("xk/worker", coordinator.worker)
        self._stat("xk/run_id", binding.run_id)
        self._stat("xk/run_resumed", binding.resumed)
        log.info("%s run %s: %d targets, %d already checked", "resuming" if binding.resumed
                 else "starting", binding.run_id, len(binding.scope), len(binding.done))
        spider.run_book = book
        spider.bind_run(binding, targets, unchecked=lambda: book.unchecked(binding),
                        lookup=book.target)

    def close(self, spider: Any = None, reason: str = "") -> None:
        spider = self.crawler.spider
        book: RunBook | None = getattr(spider, "run_book", None)
        binding = getattr(spider, "binding", None)
        if book is None or binding is None:
            return
        try:
            stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
            extra = {"targets": len(binding.scope), "resumed": binding.resumed,
                     "checked_before_resume": len(binding.done),
                     "retries": int(stats.get("retry/count", 0))}
            try:
                status, missing = book.close_run(binding, extra)
            except Exception as exc:  # the database went away: say so, leave the run to resume
                self._stat("xk/run_status", "not closed")
                self._stat("xk/run_error", f"{type(exc).__name__}: {exc}"[:300])
                log.error("run %s could not be closed: %s", binding.run_id, exc)
                return
            coordinator = getattr(spider, "coordinator", None)
            if coordinator is not None:
                coordinator.leave(finished=status == "finished")
            self._stat("xk/run_status", status)
            self._stat("xk/targets_unchecked", missing)
            if missing:
                log.warning("run %s left running: %d targets unchecked; crawl again with "
                            "the same options to resume it", binding.run_id, missing)
        finally:
            book.close()
