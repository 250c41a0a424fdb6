"""Discovery: from a site's page to the pages with a country or phone-country control.

``walk.SiteWalk`` decides what to fetch next and judges what was fetched (no I/O);
``run.SiteDiscovery`` drives it with a checker's fetchers (``xktracker discover``, the
dashboard's worker); ``crawler.spiders.discover`` drives it in Scrapy (``crawl --discover``).
See docs/crawling.md.
"""
