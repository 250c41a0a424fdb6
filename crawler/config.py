"""The crawl's own settings (``XK_*`` in Scrapy's settings), read once when a crawl starts.

Places (database, evidence folder, browser) fall back to the ``XKTRACKER_*`` environment
settings, so ``scrapy crawl countries`` and ``xktracker crawl`` use the same ones. Spider
arguments (``-a site=… -a browser=…``) are folded in first, with the command line's priority.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings

from crawler.errors import CrawlConfigError
from crawler.fetch.guard import EgressPolicy
from foundation.vocabulary import BrowserMode

BROWSER_MODES = tuple(BrowserMode)
# Spider arguments and the setting each one sets.
SPIDER_ARGS = {"site": "XK_SITES", "browser": "XK_BROWSER", "record": "XK_RECORD_DIR",
               "replay": "XK_REPLAY_DIR", "allow_private": "XK_ALLOW_PRIVATE",
               "territory": "XK_TERRITORY", "allow_networks": "XK_ALLOW_NETWORKS"}


@dataclass(frozen=True, slots=True)
class CrawlConfig:
    database_url: str
    data_dir: Path
    browser: str = "auto"
    sites: tuple[str, ...] = ()
    territory: str = "XK"
    allow_private: bool = False
    allow_networks: tuple[str, ...] = ()
    allowed_ports: tuple[int, ...] = (80, 443)
    # A getaddrinfo look-alike for tests (crawler.fetch.guard.static_resolver); None: the system.
    resolver: Any = None
    browser_path: str | None = None
    record_dir: Path | None = None
    replay_dir: Path | None = None
    browser_timeout: float = 20.0
    probe_budget: float = 15.0
    retry_after_max: float = 120.0
    backoff: float = 1.0
    backoff_max: float = 30.0
    resume: bool = True
    resume_within_hours: float = 20.0
    progress: bool = False
    redis_url: str | None = None

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> CrawlConfig:
        record = settings.get("XK_RECORD_DIR") or ""
        replay = settings.get("XK_REPLAY_DIR") or ""
        browser = str(settings.get("XK_BROWSER") or "auto").lower()
        if browser not in BROWSER_MODES:
            raise CrawlConfigError(f"XK_BROWSER must be one of {', '.join(BROWSER_MODES)}, "
                                   f"not {browser!r}")
        if record and replay:
            raise CrawlConfigError("a crawl either records (--record) or replays (--replay)")
        return cls(
            database_url=str(settings.get("XK_DATABASE_URL") or ""),
            data_dir=Path(settings.get("XK_DATA_DIR") or "instance/data"),
            browser=browser,
            sites=tuple(s.strip().lower() for s in settings.getlist("XK_SITES") if s.strip()),
            territory=str(settings.get("XK_TERRITORY") or "XK").upper(),
            allow_private=settings.getbool("XK_ALLOW_PRIVATE"),
            allow_networks=tuple(n.strip() for n in settings.getlist("XK_ALLOW_NETWORKS")
                                 if n.strip()),
            allowed_ports=tuple(int(p) for p in settings.getlist("XK_ALLOWED_PORTS")),
            resolver=_resolver(settings.get("XK_RESOLVER")),
            browser_path=settings.get("XK_BROWSER_PATH") or None,
            record_dir=Path(record) if record else None,
            replay_dir=Path(replay) if replay else None,
            browser_timeout=settings.getfloat("XK_BROWSER_TIMEOUT", 20.0),
            probe_budget=settings.getfloat("XK_BROWSER_PROBE_BUDGET", 15.0),
            retry_after_max=settings.getfloat("XK_RETRY_AFTER_MAX", 120.0),
            backoff=settings.getfloat("XK_RETRY_BACKOFF", 1.0),
            backoff_max=settings.getfloat("XK_RETRY_BACKOFF_MAX", 30.0),
            resume=settings.getbool("XK_RESUME", True),
            resume_within_hours=settings.getfloat("XK_RESUME_WITHIN", 20.0),
            progress=settings.getbool("XK_PROGRESS"),
            redis_url=settings.get("XK_REDIS_URL") or None,
        )

    @property
    def policy(self) -> EgressPolicy:
        """Where this crawl may connect, for every fetcher and the browser's egress proxy."""
        return EgressPolicy.build(allow_private=self.allow_private,
                                  allow_networks=self.allow_networks, resolver=self.resolver,
                                  allowed_ports=self.allowed_ports or (80, 443))

    def run_settings(self) -> dict[str, Any]:
        """How the run was made, stored with it; a re-run with the same ones resumes it."""
        data: dict[str, Any] = {
            "kind": "crawl", "browser": self.browser, "sites": sorted(self.sites),
            "territory": self.territory,
            "record": str(self.record_dir) if self.record_dir else None,
            "replay": str(self.replay_dir) if self.replay_dir else None,
        }
        data["resume_key"] = json.dumps(data, sort_keys=True)
        return data


def _resolver(value: Any) -> Any:
    """``XK_RESOLVER``: a getaddrinfo look-alike, or the dotted path of one (tests only)."""
    if not value:
        return None
    if isinstance(value, str):
        from scrapy.utils.misc import load_object

        return load_object(value)
    return value


def apply_defaults(settings: BaseSettings, spider_args: dict[str, Any]) -> None:
    """Fold spider arguments and the ``XKTRACKER_*`` environment into ``settings`` (before
    Scrapy freezes them), so every component reads one source in its ``from_crawler``."""
    for arg, name in SPIDER_ARGS.items():
        value = spider_args.get(arg)
        if value is None or value == "":
            continue
        if name in ("XK_SITES", "XK_ALLOW_NETWORKS") and isinstance(value, str):
            value = [v for v in value.split(",") if v.strip()]
        settings.set(name, value, priority="cmdline")

    from foundation import settings as xk_settings

    env = xk_settings.load()
    if not settings.get("XK_DATABASE_URL"):
        settings.set("XK_DATABASE_URL", env.database_url, priority="project")
    if not settings.get("XK_DATA_DIR"):
        settings.set("XK_DATA_DIR", str(env.data_dir), priority="project")
    if not settings.get("XK_BROWSER_PATH") and env.browser_path:
        settings.set("XK_BROWSER_PATH", env.browser_path, priority="project")
    if not settings.get("XK_REDIS_URL") and env.redis_url:
        settings.set("XK_REDIS_URL", env.redis_url, priority="project")
    if env.allow_private_addresses and not settings.getbool("XK_ALLOW_PRIVATE"):
        settings.set("XK_ALLOW_PRIVATE", True, priority="project")
    if (settings.getpriority("XK_ALLOWED_PORTS") or 0) <= 20:  # not set on the command line
        settings.set("XK_ALLOWED_PORTS", sorted(env.allowed_ports), priority="project")
