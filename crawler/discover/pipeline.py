"""The discover spider's pipeline: each walk's proposals, with their evidence, as it ends.

One writer at a time (a walk ends every few seconds at most, unlike checks), in a thread so
the reactor keeps fetching; the evidence goes to the store before the rows that name it.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider

from crawler.config import CrawlConfig
from crawler.discover.items import DiscoveryItem
from crawler.discover.keep import keep_findings
from db.evidence import EvidenceStore
from db.proposals import start_discovery
from db.session import Database

log = logging.getLogger(__name__)


class ProposalPipeline:
    def __init__(self, crawler: Crawler, config: CrawlConfig) -> None:
        self.crawler = crawler
        self.config = config
        self.database: Database | None = None
        self.store: EvidenceStore | None = None
        self._lock = asyncio.Lock()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProposalPipeline:
        return cls(crawler, CrawlConfig.from_settings(crawler.settings))

    def open_spider(self) -> None:
        from db.errors import DbError
        from db.migrate import require_current

        try:
            require_current(self.config.database_url)
        except DbError as exc:
            log.error("cannot discover: %s", exc)
            raise CloseSpider("database_not_ready") from None
        self.database = Database(self.config.database_url)
        self.store = EvidenceStore(self.config.data_dir)
        spider = self.crawler.spider
        if spider is not None:
            spider.store_ready = True  # type: ignore[attr-defined]

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, DiscoveryItem) or self.database is None:
            return item
        async with self._lock:
            made = await asyncio.to_thread(self._keep, item)
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value("xk/discover/proposals", made)
        return item

    def _keep(self, item: DiscoveryItem) -> int:
        assert self.database is not None and self.store is not None
        with self.database.scope(write=True) as session:
            discovery = start_discovery(
                session, domain=item.domain, start_url=item.start_url, origin="crawl",
                site_id=item.site_id, trigger=item.trigger,
                settings={"browser": self.config.browser, "territory": self.config.territory})
            discovery.created_at = datetime.now(UTC) - timedelta(seconds=item.seconds)
            made = keep_findings(session, self.store, discovery, item.findings,
                                 pages=item.stats.pages, requests=item.stats.requests,
                                 seconds=item.seconds, stop_reason=item.stats.stop_reason,
                                 replaces=item.replaces)
            return len(made)

    def close_spider(self) -> None:
        if self.database is not None:
            self.database.dispose()
