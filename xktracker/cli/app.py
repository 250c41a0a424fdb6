"""The ``xktracker`` command group and what its commands share. Thin: the logic lives in
``checks``, ``crawler``, ``db``, ``reports`` and ``tracker_web``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from foundation import settings as settings_mod
from foundation.errors import SettingsError

EXIT_USAGE = 2


def settings() -> settings_mod.Settings:
    try:
        return settings_mod.load()
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None


def validate_sources(sources: tuple[str, ...]) -> None:
    from crawler.checker import is_url

    for source in sources:
        if is_url(source):
            continue
        if "://" in source:
            raise click.BadParameter(f"{source!r}: only http and https URLs can be checked",
                                     param_hint="SOURCE")
        if not Path(source).is_file():
            raise click.BadParameter(f"{source!r} is neither an http(s) URL nor a readable file",
                                     param_hint="SOURCE")


def validate_territory(code: str) -> str:
    from checks import known_territories

    code = code.upper()
    if code not in known_territories():
        raise click.BadParameter(f"unknown territory {code!r}; configured: "
                                 f"{', '.join(known_territories())}", param_hint="--territory")
    return code


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xktracker")
def main() -> None:
    """Find, with evidence, which websites leave Kosovo out of their country selectors.

    \b
    Examples:
      xktracker check https://example.com/register
      xktracker check --json --browser always https://example.com/checkout
      xktracker demo
      xktracker init && xktracker catalog load db/catalog/sites.yaml && xktracker crawl
      xktracker status --json
    """


BROWSER_HELP = ("auto: read the HTML first and start a browser only when the list is drawn by "
                "script; always: use the browser for every source; never: HTML only.")


def open_database(url: str) -> Any:
    """A :class:`db.session.Database` at the current schema, or a message a person can act on."""
    from sqlalchemy.exc import SQLAlchemyError

    from db.errors import DbError
    from db.migrate import require_current
    from db.session import Database, display_url

    try:
        require_current(url)
    except (DbError, SQLAlchemyError) as exc:
        raise click.ClickException(f"database {display_url(url)}: "
                                   f"{str(exc).splitlines()[0]}") from None
    return Database(url)

