"""Every ``XKTRACKER_*`` setting, declared once: name, default, parser, help.

The :class:`Settings` value, :func:`load`, the web app's defaults, ``.env.example`` and
docs/settings.md all come from :data:`SETTINGS` (tests check the last two). Settings are read
once, at start-up, never at import; an unknown ``XKTRACKER_*`` variable is an error a person
sees ("XKTRACKER_BROWSR_PATH"), not a setting silently ignored.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from foundation.errors import SettingsError

PREFIX = "XKTRACKER_"

Parser = Callable[[str, str], Any]  # (value, full setting name) -> parsed value


# -- parsers --------------------------------------------------------------------------------

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


def text(value: str, name: str) -> str:
    return value


def optional(value: str, name: str) -> str | None:
    return value or None


def boolean(value: str, name: str) -> bool:
    lowered = value.lower()
    if lowered not in _TRUE | _FALSE:
        raise SettingsError(f"{name} must be 0 or 1, not {value!r}")
    return lowered in _TRUE


def whole(low: int, high: int) -> Parser:
    def parse(value: str, name: str) -> int:
        try:
            number = int(value)
        except ValueError:
            number = low - 1
        if not low <= number <= high:
            raise SettingsError(f"{name} must be a whole number from {low} to {high}, "
                                f"not {value!r}")
        return number
    return parse


def choice(*allowed: str) -> Parser:
    def parse(value: str, name: str) -> str:
        lowered = value.lower()
        if lowered not in allowed:
            raise SettingsError(f"{name} must be {' or '.join(allowed)}, not {value!r}")
        return lowered
    return parse


def url(*schemes: str, example: str, required: bool = True) -> Parser:
    def parse(value: str, name: str) -> str | None:
        if not value and not required:
            return None
        if not value.startswith(tuple(f"{s}://" for s in schemes)) and not (
                "*" in schemes and "://" in value):
            raise SettingsError(f"{name} must be a URL such as {example}, not {value!r}")
        return value
    return parse


def path(value: str, name: str) -> Path:
    return Path(value)


def secret(min_length: int) -> Parser:
    def parse(value: str, name: str) -> str | None:
        if value and len(value) < min_length:
            raise SettingsError(f"{name} is too short: use at least {min_length} random "
                                "characters")
        return value or None
    return parse


_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+")
_HTTPS = re.compile(r"https://[^\s<>\"'`]{3,500}")


def line(limit: int) -> Parser:
    """One line of text (no control characters), at most ``limit`` characters."""
    def parse(value: str, name: str) -> str | None:
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in value) or len(value) > limit:
            raise SettingsError(f"{name} must be one line of at most {limit} characters")
        return value or None
    return parse


def https(value: str, name: str) -> str | None:
    """An ``https://`` address shown as a link on public pages (never javascript: …)."""
    if value and not _HTTPS.fullmatch(value):
        raise SettingsError(f"{name} must be an https:// address, not {value!r}")
    return value or None


def contact(value: str, name: str) -> str | None:
    """An e-mail address or an ``https://`` address."""
    if value and not (_EMAIL.fullmatch(value) or _HTTPS.fullmatch(value)):
        raise SettingsError(f"{name} must be an e-mail address or an https:// address, not "
                            f"{value!r}")
    return value or None


def spdx(value: str, name: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9.+-]{2,64}", value):
        raise SettingsError(f"{name} must be an SPDX licence identifier such as "
                            f"AGPL-3.0-or-later, not {value!r}")
    return value


_RATE = re.compile(r"(\d{1,6})\s*/\s*(minute|hour|day)")
_PERIOD_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


def rate(value: str, name: str = "a rate") -> tuple[int, int]:
    """``"5/hour"`` → (5, 3600): how many actions per how many seconds."""
    match = _RATE.fullmatch(value.strip().lower())
    if not match:
        raise SettingsError(f"{name} is N/minute, N/hour or N/day, not {value!r}")
    return int(match[1]), _PERIOD_SECONDS[match[2]]


def ports(value: str, name: str = "a port list") -> frozenset[int]:
    """``"80,443,8080"`` → the ports, each from 1 to 65535, at least one."""
    found: set[int] = set()
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 65535:
            raise SettingsError(f"{name} is a comma-separated list of ports (1-65535), "
                                f"not {value!r}")
        found.add(int(part))
    if not found:
        raise SettingsError(f"{name} needs at least one port")
    return frozenset(found)


_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}"
                   r"[a-z0-9])?(?::\d{1,5})?|\[[0-9a-f:.]{2,45}\](?::\d{1,5})?")


def hosts(value: str, name: str = "a host list") -> frozenset[str]:
    """``"xk.example.org, www.xk.example.org:8443"`` → the host names (lower case, with a
    port when one is given), as a ``Host`` header carries them; empty: none."""
    found: set[str] = set()
    for part in value.split(","):
        part = part.strip().lower()
        if not part:
            continue
        if len(part) > 260 or not _HOST.fullmatch(part):
            raise SettingsError(f"{name} is a comma-separated list of host names (with a port "
                                f"if not the default), not {value!r}")
        found.add(part)
    return frozenset(found)


# -- the declarations -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: its name (without the prefix), default as written in the environment,
    parser, and the help shown in docs/settings.md and ``.env.example``."""

    name: str
    default: str
    parse: Parser
    help: str

    @property
    def field(self) -> str:
        """Its attribute on :class:`Settings`."""
        return self.name.lower()

    @property
    def env(self) -> str:
        return PREFIX + self.name


SETTINGS: tuple[Setting, ...] = (
    Setting("BROWSER_PATH", "", optional,
            "A Chromium executable for Playwright to launch when Playwright has none of its own "
            "(e.g. /usr/lib/chromium/chromium-headless-shell). Empty: detect."),
    Setting("ALLOW_PRIVATE_ADDRESSES", "0", boolean,
            "1 lets fetches reach private, loopback and link-local addresses (for a local test "
            "web). The public web app never allows them."),
    Setting("ALLOWED_PORTS", "80,443", ports,
            "Ports a fetch may use on a public address (comma-separated). A web page never "
            "needs 6379 or 22, and a fetch there is a port scan; private addresses let through "
            "by ALLOW_PRIVATE_ADDRESSES may use any port."),
    Setting("DATABASE_URL", "sqlite:///instance/xktracker.sqlite3",
            url("*", example="sqlite:///path or postgresql+psycopg://user:password@host/db"),
            "SQLAlchemy URL of the database that keeps the history. Default: a SQLite file "
            "under ./instance/. PostgreSQL: postgresql+psycopg://user:password@host/dbname."),
    Setting("DATA_DIR", "instance/data", path,
            "Folder of the evidence store: page snapshots and screenshots, content-addressed "
            "by SHA-256."),
    Setting("REDIS_URL", "", url("redis", "rediss", "unix", example="redis://host:6379/0",
                                 required=False),
            "A Redis server shared by several `xktracker crawl` workers (redis://host:6379/0): "
            "they split one run through one request queue. Empty: each crawl works alone."),
    Setting("ENV", "development", choice("development", "production"),
            "development or production. In production the web app refuses to start without "
            "XKTRACKER_SECRET_KEY and marks its cookies Secure (serve it over HTTPS)."),
    Setting("SECRET_KEY", "", secret(16),
            "The web app's key for signing sessions and CSRF tokens and for hashing client "
            "addresses (rate limits). Required in production; otherwise a random key is made "
            "once and kept in the instance folder (secret_key, mode 0600)."),
    Setting("INSTANCE_DIR", "instance", path,
            "The web app's instance folder: its generated secret key and compiled files."),
    Setting("SUBMISSION_RATE", "5/hour", rate,
            "How many sites one client address may submit (and wrong verdicts it may report) "
            "per period: N/minute, N/hour or N/day."),
    Setting("SUBMISSION_QUEUE", "100", whole(1, 100_000),
            "At most this many submitted sites wait for their check; beyond it new ones are "
            "refused until the queue drains."),
    Setting("CHECK_WORKERS", "1", whole(0, 16),
            "Background threads in each web process that check submitted sites and re-checks "
            "asked by moderators. 0: none (run `xktracker worker` separately)."),
    Setting("PROXY_COUNT", "0", whole(0, 5),
            "How many reverse proxies stand in front of the web app; their X-Forwarded-For "
            "and X-Forwarded-Proto are trusted that many hops deep (for rate limits and "
            "links). 0: none trusted."),
    Setting("PAGE_MAX_AGE", "0", whole(0, 86400),
            "Seconds a browser, reverse proxy or CDN may reuse a public page (scoreboard, site "
            "pages, data, API, feeds) without asking again. 0: a browser asks each time, a "
            "shared cache after a second (an ETag makes the answer a short 304 when nothing "
            "changed), so an approval shows at once everywhere; 60 lets a CDN absorb a crowd "
            "at the cost of a minute's delay."),
    Setting("PUBLIC_HOSTS", "", hosts,
            "The host names the dashboard is published at (comma-separated, as visitors' "
            "browsers send them: xktracker.example.org, with :port if not 80 or 443). Public "
            "pages are kept rendered, and warmed after a crawl, only for these; a request "
            "naming another host (anyone can send any Host header) is rendered for that "
            "request alone and marked private. Empty: pages are kept for the first 4 host "
            "names each process is reached at."),
    Setting("ORGANISATION", "", line(200),
            "Who runs this instance and answers for what it publishes (a person or an "
            "organisation), shown on the About page, in every page's footer and in the Data "
            "page's citation. Required in production."),
    Setting("CONTACT", "", contact,
            "How to reach them, for questions and corrections: an e-mail address or an "
            "https:// address. Required in production."),
    Setting("SOURCE_URL", "", https,
            "An https:// address where this instance's source code can be had, as the AGPL "
            "asks of a network service; linked in the footer and on the About page. Required "
            "in production."),
    Setting("LICENCE", "AGPL-3.0-or-later", spdx,
            "The SPDX identifier of the code's licence, shown beside the source link (the data "
            "is always ODbL-1.0)."),
    Setting("CORRECTIONS_URL", "", https,
            "An https:// page with the operator's own corrections policy, linked from the "
            "About page. Empty: the About page states the built-in policy only (reports of "
            "wrong verdicts are reviewed by a moderator; a correction is a new check, never "
            "an edit of the history)."),
)
BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


@dataclass(frozen=True, slots=True)
class Settings:
    """The parsed settings; one field per declaration, defaults only in :data:`SETTINGS`."""

    browser_path: str | None
    allow_private_addresses: bool
    allowed_ports: frozenset[int]
    database_url: str
    data_dir: Path
    redis_url: str | None
    env: str
    secret_key: str | None
    instance_dir: Path
    submission_rate: tuple[int, int]
    submission_queue: int
    check_workers: int
    proxy_count: int
    page_max_age: int
    public_hosts: frozenset[str]
    organisation: str | None
    contact: str | None
    source_url: str | None
    licence: str
    corrections_url: str | None

    @property
    def production(self) -> bool:
        return self.env == "production"


def load(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the ``XKTRACKER_*`` variables of ``environ`` (default: the process environment)."""
    env = os.environ if environ is None else environ
    values = {s.name: s.default for s in SETTINGS}
    for key, value in env.items():
        if not key.startswith(PREFIX):
            continue
        name = key[len(PREFIX):]
        if name not in BY_NAME:
            known = ", ".join(s.env for s in SETTINGS)
            raise SettingsError(f"unknown setting {key}; known settings: {known}")
        values[name] = value.strip()
    parsed = {s.field: s.parse(values[s.name] or s.default, s.env) for s in SETTINGS}
    return Settings(**parsed)


def defaults() -> Settings:
    """Every setting at its declared default."""
    return load({})


def _check_declarations() -> None:
    declared = {s.field for s in SETTINGS}
    typed = {f.name for f in fields(Settings)}
    if declared != typed:  # caught by the tests and at first import alike
        raise AssertionError(f"Settings fields {sorted(typed ^ declared)} are not declared "
                             "in SETTINGS (or the other way round)")


_check_declarations()
