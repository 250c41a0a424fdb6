"""Running the ``discover`` spider in this process (``xktracker crawl --discover``)."""

from __future__ import annotations

from crawler.run import CrawlOptions, CrawlResult, scrapy_settings


def run_discovery(options: CrawlOptions) -> CrawlResult:
    """Walk every site catalog health lists (of ``options.sites`` only, when given) and
    store the proposals; blocks. ``run_id`` is ``None``: discovery makes no run."""
    from scrapy.crawler import CrawlerProcess

    from crawler.spiders.discover import DiscoverSpider

    process = CrawlerProcess(scrapy_settings(options))
    crawler = process.create_crawler(DiscoverSpider)
    process.crawl(crawler)
    process.start()
    stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
    return CrawlResult(run_id=None, run_status=None, finish_reason=stats.get("finish_reason"),
                       stats=stats)
