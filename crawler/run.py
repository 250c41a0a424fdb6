"""Running the ``countries`` spider in this process (what ``xktracker crawl`` and ``demo`` do).

A Twisted reactor cannot be restarted, so a process runs one crawl; tests and scripts that
need several start ``xktracker crawl`` (or ``python -m scrapy crawl countries``) as
subprocesses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.settings import Settings

from crawler.errors import SettingOverrideError

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
    """``NAME=VALUE`` strings (``--set``) as a dict; names are Scrapy or ``XK_`` settings."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name or not name.replace("_", "").isalnum() or not name.isupper():
            raise SettingOverrideError(f"--set takes NAME=VALUE with an upper-case setting "
                                       f"name, not {pair!r}")
        out[name] = value
    return out


@dataclass(slots=True)
class CrawlOptions:
    database_url: str
    data_dir: Path
    sites: Sequence[str] = ()
    browser: str = "auto"
    allow_private: bool = False
    allow_networks: Sequence[str] = ()
    browser_path: str | None = None
    record_dir: Path | None = None
    replay_dir: Path | None = None
    resume: bool = True
    progress: bool = True
    log_level: str = "WARNING"
    redis_url: str | None = None
    overrides: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CrawlResult:
    run_id: int | None
    run_status: str | None
    finish_reason: str | None
    stats: dict[str, Any]


def scrapy_settings(options: CrawlOptions) -> Settings:
    """The project settings with this crawl's choices on top (overrides last)."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    chosen: dict[str, Any] = {
        "XK_DATABASE_URL": options.database_url,
        "XK_DATA_DIR": str(options.data_dir),
        "XK_SITES": list(options.sites),
        "XK_BROWSER": options.browser,
        "XK_ALLOW_PRIVATE": options.allow_private,
        "XK_ALLOW_NETWORKS": list(options.allow_networks),
        "XK_BROWSER_PATH": options.browser_path or "",
        "XK_RECORD_DIR": str(options.record_dir) if options.record_dir else "",
        "XK_REPLAY_DIR": str(options.replay_dir) if options.replay_dir else "",
        "XK_RESUME": options.resume,
        "XK_PROGRESS": options.progress,
        "LOG_LEVEL": options.log_level,
    }
    if options.redis_url:  # otherwise XKTRACKER_REDIS_URL, read when the spider starts
        chosen["XK_REDIS_URL"] = options.redis_url
    settings.setdict(chosen, priority="cmdline")
    settings.setdict(dict(options.overrides), priority="cmdline")
    return settings


def run_crawl(options: CrawlOptions) -> CrawlResult:
    """Crawl in this process until done; blocks. Returns the run and Scrapy's stats."""
    from scrapy.crawler import CrawlerProcess

    from crawler.spiders.countries import CountriesSpider

    process = CrawlerProcess(scrapy_settings(options))
    crawler = process.create_crawler(CountriesSpider)
    process.crawl(crawler)
    process.start()
    stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
    return CrawlResult(run_id=stats.get("xk/run_id"), run_status=stats.get("xk/run_status"),
                       finish_reason=stats.get("finish_reason"), stats=stats)
