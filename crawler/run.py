"""Running the ``countries`` spider in this process (what ``xktracker crawl`` and ``demo`` do).

A Twisted reactor cannot be restarted, so a process runs one crawl; tests and scripts that
need several start ``xktracker crawl`` (or ``python -m scrapy crawl countries``) as
subprocesses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from scrapy.settings import Settings

from crawler.config import CrawlConfig, refuse_unknown
from crawler.errors import CrawlConfigError, SettingOverrideError

# Settings for crawling our own machine (the demo web, test fixtures): politeness is for
# other people's servers; a local web answers at once and shares one host name.
LOCAL_WEB_SETTINGS: dict[str, Any] = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
    "DOWNLOAD_TIMEOUT": 10,
    "XK_RETRY_AFTER_MAX": 5,
    "XK_RETRY_BACKOFF": 0.5,
}


def parse_overrides(pairs: Iterable[str]) -> dict[str, str]:
    """``NAME=VALUE`` strings (``--set``) as a dict; names are Scrapy or declared ``XK_``
    settings (a typo such as ``XK_TYPO`` is refused with the known names)."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name or not name.replace("_", "").isalnum() or not name.isupper():
            raise SettingOverrideError(f"--set takes NAME=VALUE with an upper-case setting "
                                       f"name, not {pair!r}")
        out[name] = value
    try:
        refuse_unknown(out)
    except CrawlConfigError as exc:
        raise SettingOverrideError(str(exc)) from None
    return out


@dataclass(frozen=True, slots=True)
class CrawlResult:
    run_id: int | None
    run_status: str | None
    finish_reason: str | None
    stats: dict[str, Any]


def scrapy_settings(config: CrawlConfig, *, overrides: Mapping[str, Any] | None = None,
                    log_level: str = "WARNING") -> Settings:
    """The project settings with this crawl's choices on top (``--set`` overrides last)."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    chosen = config.to_settings()
    chosen["LOG_LEVEL"] = log_level
    if not config.redis_url:  # XKTRACKER_REDIS_URL, read when the spider starts
        chosen.pop("XK_REDIS_URL")
    settings.setdict(chosen, priority="cmdline")
    settings.setdict(dict(overrides or {}), priority="cmdline")
    return settings


def run_crawl(config: CrawlConfig, *, overrides: Mapping[str, Any] | None = None,
              log_level: str = "WARNING") -> CrawlResult:
    """Crawl in this process until done; blocks. Returns the run and Scrapy's stats."""
    from scrapy.crawler import CrawlerProcess

    from crawler.spiders.countries import CountriesSpider

    process = CrawlerProcess(scrapy_settings(config, overrides=overrides, log_level=log_level))
    crawler = process.create_crawler(CountriesSpider)
    process.crawl(crawler)
    process.start()
    stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
    return CrawlResult(run_id=stats.get("xk/run_id"), run_status=stats.get("xk/run_status"),
                       finish_reason=stats.get("finish_reason"), stats=stats)
