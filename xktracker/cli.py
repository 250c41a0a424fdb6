"""The ``xktracker`` command. Thin: the logic lives in ``checks``, ``crawler`` and friends."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from xktracker import settings as settings_mod
from xktracker.table import verdict_table

EXIT_USAGE = 2


def _settings() -> settings_mod.Settings:
    try:
        return settings_mod.load()
    except settings_mod.SettingsError as exc:
        raise click.UsageError(str(exc)) from None


def _validate_sources(sources: tuple[str, ...]) -> None:
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


def _validate_territory(code: str) -> str:
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
    """


BROWSER_HELP = ("auto: read the HTML first and start a browser only when the list is drawn by "
                "script; always: use the browser for every source; never: HTML only.")


@main.command()
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--browser", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help=BROWSER_HELP)
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per source per line, in input order.")
@click.option("--territory", default="XK", show_default=True,
              help="The territory to look for (XK, TW, PS, EH).")
@click.option("--timeout", type=click.FloatRange(0.5, 300), default=20.0, show_default=True,
              help="Seconds allowed for each source (the whole fetch, redirects included).")
@click.option("--allow-private-addresses", is_flag=True,
              help="Let fetches reach private, loopback and link-local addresses "
                   "(a local test web). Also: XKTRACKER_ALLOW_PRIVATE_ADDRESSES=1.")
@click.option("--evidence-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Keep each page snapshot (and browser screenshot) here, named by SHA-256.")
def check(sources: tuple[str, ...], browser: str, as_json: bool, territory: str, timeout: float,
          allow_private_addresses: bool, evidence_dir: Path | None) -> None:
    """Check SOURCE... (http(s) URLs or local HTML files) for the territory's presence.

    Needs no database. Fetch failures are results (error or blocked), never "missing":
    the exit status is 0 whenever the check ran, 2 on bad usage. Local files are read
    as they are, without running their scripts.

    \b
    Examples:
      xktracker check https://shop.example/checkout
      xktracker check --json page1.html page2.html
      xktracker check --browser always --evidence-dir evidence/ https://app.example/signup
    """
    from crawler.checker import CheckOptions, check_sources

    conf = _settings()
    code = _validate_territory(territory)
    _validate_sources(sources)
    options = CheckOptions(browser=browser, territory=code, timeout=timeout,
                           allow_private=allow_private_addresses or conf.allow_private_addresses,
                           browser_path=conf.browser_path, evidence_dir=evidence_dir)
    rows: list[dict[str, Any]] = []
    for report in check_sources(sources, options):
        if as_json:
            click.echo(json.dumps(report, ensure_ascii=False))
            sys.stdout.flush()
        else:
            rows.append(report)
    if not as_json:
        click.echo(verdict_table(rows))


@main.command()
@click.option("--browser", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help=BROWSER_HELP)
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port of the demo web on 127.0.0.1 (0: any free port).")
def demo(browser: str, as_json: bool, port: int) -> None:
    """Serve the bundled demo web on 127.0.0.1 and check every page of it.

    Works offline: the demo web is a set of realistic signup and checkout pages that ship
    with xktracker. Each row shows the verdict the checker reached and the verdict the
    page was built to have.

    \b
    Example:
      xktracker demo --browser never
    """
    from crawler.checker import CheckOptions, check_sources
    from xktracker.demoweb.expectations import load_expectations
    from xktracker.demoweb.server import DemoWebServer

    conf = _settings()
    pages = [e for e in load_expectations() if not e.slow]
    loopback = ("127.0.0.0/8", "::1/128")
    with DemoWebServer(port=port) as web:
        click.echo(f"demo web at {web.base_url} ({len(pages)} pages)", err=True)
        options = CheckOptions(browser=browser, allow_networks=loopback, timeout=15.0,
                               browser_path=conf.browser_path)
        urls = [web.url(e.path) for e in pages]
        rows = []
        for expectation, report in zip(pages, check_sources(urls, options), strict=True):
            report["expected"] = expectation.verdict
            if as_json:
                click.echo(json.dumps(report, ensure_ascii=False))
            else:
                rows.append(report)
    if not as_json:
        click.echo(verdict_table(rows, show_expected=True))


@main.command()
def init() -> None:
    """Create the database, or upgrade it to this version's schema, and the evidence folder.

    Safe to run again: a database already up to date is left as it is. The database is
    XKTRACKER_DATABASE_URL (default: a SQLite file under ./instance/); the evidence store is
    XKTRACKER_DATA_DIR.

    \b
    Examples:
      xktracker init
      XKTRACKER_DATABASE_URL=postgresql+psycopg://xk:secret@127.0.0.1/xktracker xktracker init
    """
    from sqlalchemy.exc import SQLAlchemyError

    from db.errors import DbError
    from db.migrate import current, upgrade
    from db.session import display_url, sqlite_path

    conf = _settings()
    where = display_url(conf.database_url)
    path = sqlite_path(conf.database_url)
    if path is not None:
        where = f"{where} ({path.resolve()})"
    try:
        before = current(conf.database_url)
        after = upgrade(conf.database_url)
    except (DbError, SQLAlchemyError) as exc:
        raise click.ClickException(f"cannot set up the database {where}: "
                                   f"{str(exc).splitlines()[0]}") from None
    conf.data_dir.mkdir(parents=True, exist_ok=True)
    state = ("created" if before is None else
             "already up to date" if before == after else f"upgraded from {before}")
    click.echo(f"database {where}: {state} (schema revision {after})")
    click.echo(f"evidence store {conf.data_dir.resolve()}")


@main.group()
def catalog() -> None:
    """The site catalog: which sites and pages are tracked (YAML; docs/data-model.md).

    \b
    Examples:
      xktracker catalog check db/catalog/sites.yaml
      xktracker catalog load db/catalog/sites.yaml
    """


def _load_catalog_file(path: Path, allow_private: bool) -> Any:
    from db.catalog import load_catalog
    from db.errors import CatalogError

    try:
        return load_catalog(path, allow_private=allow_private)
    except CatalogError as exc:
        count = len(exc.problems)
        raise click.ClickException(
            f"{count} problem{'s' if count != 1 else ''} in {path}:\n{exc}") from None


PRIVATE_CATALOG_HELP = ("Accept target URLs on private and loopback addresses (a catalog of a "
                        "local test web). Also: XKTRACKER_ALLOW_PRIVATE_ADDRESSES=1.")


@catalog.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--allow-private-addresses", is_flag=True, help=PRIVATE_CATALOG_HELP)
def catalog_check(file: Path, allow_private_addresses: bool) -> None:
    """Validate a catalog FILE without touching the database.

    Every problem is listed with its line and field; the exit status is 1 if there is any.

    \b
    Example:
      xktracker catalog check my-sites.yaml
    """
    conf = _settings()
    loaded = _load_catalog_file(file, allow_private_addresses or conf.allow_private_addresses)
    click.echo(f"{file}: valid, {len(loaded.sites)} sites, {loaded.targets} targets")


@catalog.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--allow-private-addresses", is_flag=True, help=PRIVATE_CATALOG_HELP)
def catalog_load(file: Path, allow_private_addresses: bool) -> None:
    """Merge a catalog FILE into the database and print what changed.

    Idempotent: loading the same file again changes nothing. A site or target that is no
    longer in the file is marked inactive, never deleted (its history stays). Run
    `xktracker init` first.

    \b
    Examples:
      xktracker catalog load db/catalog/sites.yaml
      xktracker catalog load --allow-private-addresses local-test-sites.yaml
    """
    from sqlalchemy.exc import SQLAlchemyError

    from db.catalog import merge_catalog
    from db.errors import DbError
    from db.migrate import require_current
    from db.session import Database, display_url

    conf = _settings()
    loaded = _load_catalog_file(file, allow_private_addresses or conf.allow_private_addresses)
    try:
        require_current(conf.database_url)
        with Database(conf.database_url) as database, database.scope(write=True) as session:
            result = merge_catalog(session, loaded)
    except (DbError, SQLAlchemyError) as exc:
        raise click.ClickException(f"database {display_url(conf.database_url)}: "
                                   f"{str(exc).splitlines()[0]}") from None
    click.echo(f"catalog {loaded.name}: {len(loaded.sites)} sites, {loaded.targets} targets")
    click.echo(result.summary())


if __name__ == "__main__":
    main()
