"""Every setting, declared once: name, default, help. Read once, at start-up, never at import.

Unknown ``XKTRACKER_*`` variables are rejected, so a typo ("XKTRACKER_BROWSR_PATH") is
an error a person sees, not a setting silently ignored.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PREFIX = "XKTRACKER_"


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: str
    help: str
    kind: str = "str"  # str | bool


SETTINGS: tuple[Setting, ...] = (
    Setting("BROWSER_PATH", "",
            "A Chromium executable for Playwright to launch when Playwright has none of its own "
            "(e.g. /usr/lib/chromium/chromium-headless-shell). Empty: detect."),
    Setting("ALLOW_PRIVATE_ADDRESSES", "0",
            "1 lets fetches reach private, loopback and link-local addresses (for a local test "
            "web). The public web app never allows them.", "bool"),
    Setting("DATABASE_URL", "sqlite:///instance/xktracker.sqlite3",
            "SQLAlchemy URL of the database that keeps the history. Default: a SQLite file "
            "under ./instance/. PostgreSQL: postgresql+psycopg://user:password@host/dbname."),
    Setting("DATA_DIR", "instance/data",
            "Folder of the evidence store: page snapshots and screenshots, content-addressed "
            "by SHA-256."),
)
_BY_NAME = {s.name: s for s in SETTINGS}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingsError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Settings:
    browser_path: str | None
    allow_private_addresses: bool
    database_url: str = "sqlite:///instance/xktracker.sqlite3"
    data_dir: Path = Path("instance/data")


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
    return Settings(browser_path=values["BROWSER_PATH"] or None,
                    allow_private_addresses=allow in _TRUE,
                    database_url=database_url,
                    data_dir=Path(values["DATA_DIR"] or _BY_NAME["DATA_DIR"].default))
