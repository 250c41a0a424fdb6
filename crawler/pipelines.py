"""The store pipeline: each check goes to the database (through ``db.store``) as it arrives.

It only stores: the run it stores into is opened, resumed and closed by
:class:`crawler.runs.RunLifecycle`, an extension, which hands the spider the run's book.
Checks are written as they come by one writer thread (SQLite has one writer anyway), which
takes every check that arrived while it was busy: their evidence first, then all of them in
one transaction (a group commit: a transaction per check, and a thread hop per file, cost a
third of the static crawl's throughput). An item is done only once its check is stored. A
crawl killed at any moment leaves complete checks only: a batch is in the database whole or
not at all.
"""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy.crawler import Crawler

from crawler.items import CheckItem
from crawler.runs import RunBook


class StorePipeline:
    MAX_BATCH = 64  # checks per transaction at most

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._waiting: list[tuple[CheckItem, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    @property
    def book(self) -> RunBook | None:
        """The open run's book (see :class:`crawler.runs.RunLifecycle`), if any."""
        book = getattr(self.crawler.spider, "run_book", None)
        return book if isinstance(book, RunBook) else None

    def _stat(self, name: str, value: Any = None, inc: bool = False) -> None:
        stats = self.crawler.stats
        if stats is None:
            return
        if inc:
            stats.inc_value(name)
        else:
            stats.set_value(name, value)

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
        book = self.book
        assert book is not None
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
