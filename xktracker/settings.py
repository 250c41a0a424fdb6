"""Every setting, declared once: name, default, help. Read once, at start-up, never at import.

Unknown ``XKTRACKER_*`` variables are rejected, so a typo ("XKTRACKER_BROWSR_PATH") is
an error a person sees, not a setting silently ignored.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PREFIX = "XKTRACKER_"


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: str
    help: str
    kind: str = "str"  # str | bool | int


SETTINGS: tuple[Setting, ...] = (
    Setting("BROWSER_PATH", "",
            "A Chromium executable for Playwright to launch when Playwright has none of its own "
            "(e.g. /usr/lib/chromium/chromium-headless-shell). Empty: detect."),
    Setting("ALLOW_PRIVATE_ADDRESSES", "0",
            "1 lets fetches reach private, loopback and link-local addresses (for a local test "
            "web). The public web app never allows them.", "bool"),
    Setting("ALLOWED_PORTS", "80,443",
            "Ports a fetch may use on a public address (comma-separated). A web page never "
            "needs 6379 or 22, and a fetch there is a port scan; private addresses let through "
            "by ALLOW_PRIVATE_ADDRESSES may use any port."),
    Setting("DATABASE_URL", "sqlite:///instance/xktracker.sqlite3",
            "SQLAlchemy URL of the database that keeps the history. Default: a SQLite file "
            "under ./instance/. PostgreSQL: postgresql+psycopg://user:password@host/dbname."),
    Setting("DATA_DIR", "instance/data",
            "Folder of the evidence store: page snapshots and screenshots, content-addressed "
            "by SHA-256."),
    Setting("REDIS_URL", "",
            "A Redis server shared by several `xktracker crawl` workers (redis://host:6379/0): "
            "they split one run through one request queue. Empty: each crawl works alone."),
    Setting("ENV", "development",
            "development or production. In production the web app refuses to start without "
            "XKTRACKER_SECRET_KEY and marks its cookies Secure (serve it over HTTPS)."),
    Setting("SECRET_KEY", "",
            "The web app's key for signing sessions and CSRF tokens and for hashing client "
            "addresses (rate limits). Required in production; otherwise a random key is made "
            "once and kept in the instance folder (secret_key, mode 0600)."),
    Setting("INSTANCE_DIR", "instance",
            "The web app's instance folder: its generated secret key and compiled files."),
    Setting("SUBMISSION_RATE", "5/hour",
            "How many sites one client address may submit (and wrong verdicts it may report) "
            "per period: N/minute, N/hour or N/day."),
    Setting("SUBMISSION_QUEUE", "100",
            "At most this many submitted sites wait for their check; beyond it new ones are "
            "refused until the queue drains.", "int"),
    Setting("CHECK_WORKERS", "1",
            "Background threads in each web process that check submitted sites and re-checks "
            "asked by moderators. 0: none (run `xktracker worker` separately).", "int"),
    Setting("PROXY_COUNT", "0",
            "How many reverse proxies stand in front of the web app; their X-Forwarded-For "
            "and X-Forwarded-Proto are trusted that many hops deep (for rate limits and "
            "links). 0: none trusted.", "int"),
)
_BY_NAME = {s.name: s for s in SETTINGS}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingsError(ValueError):
    pass


_RATE = re.compile(r"(\d{1,6})\s*/\s*(minute|hour|day)")
_PERIOD_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


def parse_rate(text: str) -> tuple[int, int]:
    """``"5/hour"`` → (5, 3600): how many actions per how many seconds."""
    match = _RATE.fullmatch(text.strip().lower())
    if not match:
        raise SettingsError(f"a rate is N/minute, N/hour or N/day, not {text!r}")
    return int(match[1]), _PERIOD_SECONDS[match[2]]


@dataclass(frozen=True, slots=True)
class Settings:
    browser_path: str | None
    allow_private_addresses: bool
    database_url: str = "sqlite:///instance/xktracker.sqlite3"
    data_dir: Path = Path("instance/data")
    env: str = "development"
    secret_key: str | None = None
    instance_dir: Path = Path("instance")
    submission_rate: tuple[int, int] = (5, 3600)
    submission_queue: int = 100
    check_workers: int = 1
    proxy_count: int = 0
    redis_url: str | None = None
    allowed_ports: frozenset[int] = frozenset({80, 443})

    @property
    def production(self) -> bool:
        return self.env == "production"


def parse_ports(text: str) -> frozenset[int]:
    """``"80,443,8080"`` → the ports, each from 1 to 65535."""
    ports: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 65535:
            raise SettingsError(f"{PREFIX}ALLOWED_PORTS is a comma-separated list of ports "
                                f"(1-65535), not {text!r}")
        ports.add(int(part))
    if not ports:
        raise SettingsError(f"{PREFIX}ALLOWED_PORTS needs at least one port")
    return frozenset(ports)


def _int(values: dict[str, str], name: str, low: int, high: int) -> int:
    text = values[name] or _BY_NAME[name].default
    try:
        number = int(text)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        raise SettingsError(f"{PREFIX}{name} must be a whole number from {low} to {high}, "
                            f"not {text!r}")
    return number


def load(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the ``XKTRACKER_*`` variables of ``environ`` (default: the process environment)."""
    env = os.environ if environ is None else environ
    values: dict[str, str] = {s.name: s.default for s in SETTINGS}
    for key, value in env.items():
        if not key.startswith(PREFIX):
            continue
        name = key[len(PREFIX):]
        if name not in _BY_NAME:
            known = ", ".join(PREFIX + s.name for s in SETTINGS)
            raise SettingsError(f"unknown setting {key}; known settings: {known}")
        values[name] = value.strip()
    allow = values["ALLOW_PRIVATE_ADDRESSES"].lower()
    if allow not in _TRUE | _FALSE:
        raise SettingsError(f"{PREFIX}ALLOW_PRIVATE_ADDRESSES must be 0 or 1, not {allow!r}")
    database_url = values["DATABASE_URL"] or _BY_NAME["DATABASE_URL"].default
    if "://" not in database_url:
        raise SettingsError(f"{PREFIX}DATABASE_URL must be a URL such as sqlite:///path or "
                            f"postgresql+psycopg://user:password@host/db, not {database_url!r}")
    redis_url = values["REDIS_URL"] or None
    if redis_url is not None and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError(f"{PREFIX}REDIS_URL must be a URL such as redis://host:6379/0, "
                            f"not {redis_url!r}")
    env_name = (values["ENV"] or "development").lower()
    if env_name not in ("development", "production"):
        raise SettingsError(f"{PREFIX}ENV must be development or production, not {env_name!r}")
    secret = values["SECRET_KEY"] or None
    if secret is not None and len(secret) < 16:
        raise SettingsError(f"{PREFIX}SECRET_KEY is too short: use at least 16 random "
                            "characters")
    return Settings(browser_path=values["BROWSER_PATH"] or None,
                    allow_private_addresses=allow in _TRUE,
                    database_url=database_url,
                    data_dir=Path(values["DATA_DIR"] or _BY_NAME["DATA_DIR"].default),
                    env=env_name, secret_key=secret,
                    instance_dir=Path(values["INSTANCE_DIR"] or "instance"),
                    submission_rate=parse_rate(values["SUBMISSION_RATE"] or "5/hour"),
                    submission_queue=_int(values, "SUBMISSION_QUEUE", 1, 100_000),
                    check_workers=_int(values, "CHECK_WORKERS", 0, 16),
                    proxy_count=_int(values, "PROXY_COUNT", 0, 5),
                    redis_url=redis_url,
                    allowed_ports=parse_ports(values["ALLOWED_PORTS"] or "80,443"))
