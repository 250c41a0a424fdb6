"""Running the ``discover`` spider in this process (``xktracker crawl --discover``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crawler.config import CrawlConfig
from crawler.run import CrawlResult, scrapy_settings


def run_discovery(config: CrawlConfig, *, overrides: Mapping[str, Any] | None = None,
                  log_level: str = "WARNING") -> CrawlResult:
    """Walk every site catalog health lists (of ``config.sites`` only, when given) and
    store the proposals; blocks. ``run_id`` is ``None``: discovery makes no run."""
    from scrapy.crawler import CrawlerProcess

    from crawler.spiders.discover import DiscoverSpider

    process = CrawlerProcess(scrapy_settings(config, overrides=overrides, log_level=log_level))
    crawler = process.create_crawler(DiscoverSpider)
    process.crawl(crawler)
    process.start()
    stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
    return CrawlResult(run_id=None, run_status=None, finish_reason=stats.get("finish_reason"),
                       stats=stats)
