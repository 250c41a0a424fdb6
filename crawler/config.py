"""The crawl's own settings (``XK_*`` in Scrapy's settings), read once when a crawl starts.

Places (database, evidence folder, browser) fall back to the ``XKTRACKER_*`` environment
settings, so ``scrapy crawl countries`` and ``xktracker crawl`` use the same ones. Spider
arguments (``-a site=… -a browser=…``) are folded in first, with the command line's priority.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings

from crawler.errors import CrawlConfigError
from crawler.fetch.guard import EgressPolicy
from db.health import DEFAULT_RUNS
from foundation.settings import BY_NAME as ENV_SETTINGS
from foundation.vocabulary import BrowserMode

BROWSER_MODES = tuple(BrowserMode)
_ENV_DATA_DIR = ENV_SETTINGS["DATA_DIR"].default
# Spider arguments and the setting each one sets.
SPIDER_ARGS = {"site": "XK_SITES", "browser": "XK_BROWSER", "record": "XK_RECORD_DIR",
               "replay": "XK_REPLAY_DIR", "allow_private": "XK_ALLOW_PRIVATE",
               "territory": "XK_TERRITORY", "allow_networks": "XK_ALLOW_NETWORKS"}


# -- how a value is read from Scrapy's settings (which may hold strings from -s, or values) --

Reader = Callable[[BaseSettings, str, Any], Any]


def _text(settings: BaseSettings, name: str, default: Any) -> str:
    return str(settings.get(name) or default)


def _optional(settings: BaseSettings, name: str, default: Any) -> str | None:
    return str(settings.get(name) or "") or None


def _path(settings: BaseSettings, name: str, default: Any) -> Path | None:
    value = settings.get(name) or default
    return Path(value) if value else None


def _data_dir(settings: BaseSettings, name: str, default: Any) -> Path:
    return Path(settings.get(name) or _ENV_DATA_DIR)


def _flag(settings: BaseSettings, name: str, default: Any) -> bool:
    try:
        return settings.getbool(name, default)
    except ValueError:
        raise CrawlConfigError(f"{name} must be True or False, not "
                               f"{settings.get(name)!r}") from None


def _number(kind: type[int] | type[float], low: float) -> Reader:
    def read(settings: BaseSettings, name: str, default: Any) -> Any:
        try:
            value = kind(settings.get(name, default))
        except (TypeError, ValueError):
            raise CrawlConfigError(f"{name} must be a number, not {settings.get(name)!r}") \
                from None
        if value < low:
            raise CrawlConfigError(f"{name} must be at least {low}, not {value}")
        return value
    return read


def _words(lower: bool = False) -> Reader:
    def read(settings: BaseSettings, name: str, default: Any) -> tuple[str, ...]:
        words = (w.strip() for w in settings.getlist(name, list(default)))
        return tuple((w.lower() if lower else w) for w in words if w)
    return read


def _ports(settings: BaseSettings, name: str, default: Any) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in settings.getlist(name, list(default)))
    except ValueError:
        raise CrawlConfigError(f"{name} is a list of ports, not {settings.get(name)!r}") \
            from None


def _choice(allowed: tuple[str, ...]) -> Reader:
    def read(settings: BaseSettings, name: str, default: Any) -> str:
        value = str(settings.get(name) or default).lower()
        if value not in allowed:
            raise CrawlConfigError(f"{name} must be one of {', '.join(allowed)}, not "
                                   f"{value!r}")
        return value
    return read


def _territory(settings: BaseSettings, name: str, default: Any) -> str:
    return str(settings.get(name) or default).upper()


def _resolver_setting(settings: BaseSettings, name: str, default: Any) -> Any:
    return _resolver(settings.get(name))


def _mapping(settings: BaseSettings, name: str, default: Any) -> dict[str, Any]:
    return dict(settings.getdict(name, dict(default)))


@dataclass(frozen=True, slots=True)
class CrawlSetting:
    """One ``XK_*`` setting: its default (as Scrapy's settings hold it), how it is read,
    and the help that docs/crawling.md shows. The field of :class:`CrawlConfig` is its name
    without ``XK_``, in lower case."""

    name: str
    default: Any
    read: Reader
    help: str

    @property
    def field(self) -> str:
        return self.name[3:].lower()


CRAWL_SETTINGS: tuple[CrawlSetting, ...] = (
    # What to crawl, and where to keep it.
    CrawlSetting("XK_BROWSER", "auto", _choice(BROWSER_MODES),
                 "auto, always or never, as `xktracker check --browser`"),
    CrawlSetting("XK_SITES", (), _words(lower=True), "domains to crawl; empty: every active "
                 "site (`--site`, `-a site=a.com,b.com`)"),
    CrawlSetting("XK_TERRITORY", "XK", _territory, "the territory to look for"),
    CrawlSetting("XK_DATABASE_URL", "", _text, "empty: XKTRACKER_DATABASE_URL"),
    CrawlSetting("XK_DATA_DIR", "", _data_dir, "the evidence store; empty: "
                 "XKTRACKER_DATA_DIR"),
    CrawlSetting("XK_BROWSER_PATH", "", _optional, "a Chromium; empty: XKTRACKER_BROWSER_PATH, "
                 "then detection"),
    CrawlSetting("XK_RECORD_DIR", "", _path, "`--record DIR`: keep the HTTP exchanges (vcrpy "
                 "cassettes) and browser sessions (HAR)"),
    CrawlSetting("XK_REPLAY_DIR", "", _path, "`--replay DIR`: answer from a recording, offline"),
    CrawlSetting("XK_RESUME", True, _flag, "resume the unfinished run made with the same "
                 "settings (crash safety); `--new-run` turns it off"),
    CrawlSetting("XK_RESUME_WITHIN", 20.0, _number(float, 0), "hours: an older unfinished run "
                 "is closed as interrupted instead of resumed"),
    CrawlSetting("XK_PROGRESS", False, _flag, "a line per stored check on stderr "
                 "(`xktracker crawl` turns it on)"),
    # Where the crawl may connect (docs/operations.md#the-egress-guard).
    CrawlSetting("XK_ALLOW_PRIVATE", False, _flag, "let fetches reach private addresses (also "
                 "XKTRACKER_ALLOW_PRIVATE_ADDRESSES=1)"),
    CrawlSetting("XK_ALLOW_NETWORKS", (), _words(), "non-public ranges let through without "
                 "opening every private one (the demo: loopback only)"),
    CrawlSetting("XK_ALLOWED_PORTS", (80, 443), _ports, "ports of public hosts (also "
                 "XKTRACKER_ALLOWED_PORTS)"),
    CrawlSetting("XK_RESOLVER", None, _resolver_setting, "tests only: a getaddrinfo look-alike, "
                 "or its dotted path"),
    # Politeness and robustness.
    CrawlSetting("XK_RETRY_BACKOFF", 1.0, _number(float, 0), "seconds before the first retry, "
                 "doubled for each next one"),
    CrawlSetting("XK_RETRY_BACKOFF_MAX", 30.0, _number(float, 0), "the longest wait between "
                 "two tries"),
    CrawlSetting("XK_RETRY_AFTER_MAX", 120.0, _number(float, 0), "a Retry-After up to this is "
                 "honoured; a longer one is recorded (rate_limited) and not waited for"),
    # The browser.
    CrawlSetting("XK_BROWSER_TIMEOUT", 20.0, _number(float, 1), "seconds to settle the form "
                 "(and for each step) after loading"),
    CrawlSetting("XK_BROWSER_PROBE_BUDGET", 15.0, _number(float, 0), "seconds for opening "
                 "custom drop-downs"),
    CrawlSetting("XK_DOWNLOAD_HANDLERS_BROWSER", {
        "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
        "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
    }, _mapping, "the download handlers the spider installs unless the crawl is "
       "`--browser never`"),
    # Discovery (`scrapy crawl discover`, `xktracker crawl --discover`).
    CrawlSetting("XK_DISCOVER_MAX_PAGES", 30, _number(int, 1), "pages fetched per site at most "
                 "(static, browser, clicks)"),
    CrawlSetting("XK_DISCOVER_DEPTH", 3, _number(int, 0), "links followed from the start page "
                 "at most"),
    CrawlSetting("XK_DISCOVER_MAX_SECONDS", 300.0, _number(float, 1), "per site"),
    CrawlSetting("XK_DISCOVER_URLS", (), _words(), "start pages to walk (`-a url=…`) instead of "
                 "the catalog's sites"),
    CrawlSetting("XK_HEALTH_RUNS", DEFAULT_RUNS, _number(int, 1), "a target stopped answering "
                 "when its last N checks all say so"),
    # Several workers, one run (docs/crawling.md#several-workers).
    CrawlSetting("XK_REDIS_URL", "", _optional, "a Redis shared by the workers; empty: "
                 "XKTRACKER_REDIS_URL; both empty: the crawl works alone"),
    CrawlSetting("XK_REDIS_PREFIX", "xktracker", _text, "Redis keys start with it (two "
                 "installations, one Redis)"),
    CrawlSetting("XK_WORKER_LIFETIME", 30.0, _number(float, 1), "seconds without a heartbeat "
                 "before a worker's targets are redone"),
)
BY_NAME: dict[str, CrawlSetting] = {s.name: s for s in CRAWL_SETTINGS}


def crawl_defaults() -> dict[str, Any]:
    """Every ``XK_*`` setting at its declared default (crawler/settings.py takes these)."""
    return {s.name: s.default for s in CRAWL_SETTINGS}


def unknown_names(names: Iterable[str]) -> list[str]:
    """The ``XK_*`` names among ``names`` that are not declared (a typo must not pass)."""
    return sorted(n for n in names if n.startswith("XK_") and n not in BY_NAME)


def refuse_unknown(names: Iterable[str]) -> None:
    unknown = unknown_names(names)
    if unknown:
        raise CrawlConfigError(f"unknown setting {', '.join(unknown)}; known XK_ settings: "
                               f"{', '.join(BY_NAME)}")


def _default(name: str) -> Any:
    return BY_NAME[name].default


@dataclass(frozen=True, slots=True)
class CrawlConfig:
    """Everything a crawl was asked to do: the one options object of ``xktracker crawl``, the
    spiders and every component (read in ``from_crawler``). A field per :data:`CRAWL_SETTINGS`
    entry, defaults from there."""

    database_url: str = _default("XK_DATABASE_URL")
    data_dir: Path = Path(_ENV_DATA_DIR)  # XKTRACKER_DATA_DIR, set when the crawl starts
    browser: str = _default("XK_BROWSER")
    sites: tuple[str, ...] = _default("XK_SITES")
    territory: str = _default("XK_TERRITORY")
    browser_path: str | None = None
    record_dir: Path | None = None
    replay_dir: Path | None = None
    resume: bool = _default("XK_RESUME")
    resume_within: float = _default("XK_RESUME_WITHIN")
    progress: bool = _default("XK_PROGRESS")
    allow_private: bool = _default("XK_ALLOW_PRIVATE")
    allow_networks: tuple[str, ...] = _default("XK_ALLOW_NETWORKS")
    allowed_ports: tuple[int, ...] = _default("XK_ALLOWED_PORTS")
    resolver: Any = None
    retry_backoff: float = _default("XK_RETRY_BACKOFF")
    retry_backoff_max: float = _default("XK_RETRY_BACKOFF_MAX")
    retry_after_max: float = _default("XK_RETRY_AFTER_MAX")
    browser_timeout: float = _default("XK_BROWSER_TIMEOUT")
    browser_probe_budget: float = _default("XK_BROWSER_PROBE_BUDGET")
    download_handlers_browser: Mapping[str, str] = field(
        default_factory=lambda: dict(_default("XK_DOWNLOAD_HANDLERS_BROWSER")))
    discover_max_pages: int = _default("XK_DISCOVER_MAX_PAGES")
    discover_depth: int = _default("XK_DISCOVER_DEPTH")
    discover_max_seconds: float = _default("XK_DISCOVER_MAX_SECONDS")
    discover_urls: tuple[str, ...] = _default("XK_DISCOVER_URLS")
    health_runs: int = _default("XK_HEALTH_RUNS")
    redis_url: str | None = None
    redis_prefix: str = _default("XK_REDIS_PREFIX")
    worker_lifetime: float = _default("XK_WORKER_LIFETIME")

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> CrawlConfig:
        """Read every ``XK_*`` setting once; an unknown ``XK_*`` name is refused."""
        refuse_unknown(settings)
        values = {s.field: s.read(settings, s.name, s.default) for s in CRAWL_SETTINGS}
        config = cls(**values)
        if config.record_dir and config.replay_dir:
            raise CrawlConfigError("a crawl either records (--record) or replays (--replay)")
        return config

    def to_settings(self) -> dict[str, Any]:
        """The ``XK_*`` settings that make this crawl (for an in-process Scrapy run)."""
        out: dict[str, Any] = {}
        for setting in CRAWL_SETTINGS:
            value = getattr(self, setting.field)
            if isinstance(value, Path):
                value = str(value)
            elif isinstance(value, tuple):
                value = list(value)
            elif value is None:
                value = "" if setting.default in ("", None) else setting.default
            out[setting.name] = value
        return out

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


def _check_declarations() -> None:
    declared = {s.field for s in CRAWL_SETTINGS}
    typed = {f.name for f in fields(CrawlConfig)}
    if declared != typed:
        raise AssertionError(f"CrawlConfig fields {sorted(declared ^ typed)} do not match "
                             "CRAWL_SETTINGS")


_check_declarations()


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
