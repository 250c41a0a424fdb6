"""``xktracker init`` and ``xktracker catalog``: the database and which sites it tracks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from xktracker.cli.app import (
    main,
    open_database,
    settings,
)


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

    conf = settings()
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
    conf = settings()
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

    conf = settings()
    loaded = _load_catalog_file(file, allow_private_addresses or conf.allow_private_addresses)
    try:
        require_current(conf.database_url)
        with Database(conf.database_url) as database, database.scope(write=True) as session:
            result = merge_catalog(session, loaded)
    except (DbError, SQLAlchemyError) as exc:
        raise click.ClickException(f"database {display_url(conf.database_url)}: "
                                   f"{str(exc).splitlines()[0]}") from None
    if result.changed:  # the dashboard's kept pages show the change at once
        from tracker_web.pagestore import PageStore

        PageStore(conf.instance_dir.resolve() / "pages").bump()
    click.echo(f"catalog {loaded.name}: {len(loaded.sites)} sites, {loaded.targets} targets")
    click.echo(result.summary())


@catalog.command("health")
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per site: reasons, stopped targets, proposals, and the "
                   "catalog entry to paste for a site the file does not list.")
@click.option("--runs", type=click.IntRange(1, 30), default=None,
              help="A target stopped answering when each of its last N checks did "
                   "(http_4xx, no_country_field, a redirect to the home page). Default: 2.")
@click.option("--site", "sites", multiple=True, metavar="DOMAIN", help="Only this site.")
@click.option("--catalog", "catalog_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="The catalog file to write a patch for (default: the "
              "bundled db/catalog/sites.yaml).")
@click.option("--patch", "patch_only", is_flag=True,
              help="Print only the patch for the catalog file (for `git apply`).")
def catalog_health_command(as_json: bool, runs: int | None, sites: tuple[str, ...],
                           catalog_file: Path | None, patch_only: bool) -> None:
    """Sites that need discovery: `discover: true`, no active target, or targets that
    stopped answering; discovery's proposals beside them, and a patch for the catalog file
    that puts the waiting proposals in (review it, then `git apply` or copy by hand).

    \b
    Examples:
      xktracker catalog health
      xktracker catalog health --runs 3 --catalog my-sites.yaml
      xktracker catalog health --patch > heal.patch && git apply heal.patch
      xktracker catalog health --json --site example.com
    """
    from db.catalog import BUNDLED_CATALOG
    from db.catalog_patch import catalog_patch
    from db.health import DEFAULT_RUNS, catalog_health
    from xktracker.health_table import health_text

    conf = settings()
    with open_database(conf.database_url) as database, database.scope() as session:
        found = catalog_health(session, runs=runs or DEFAULT_RUNS, sites=sites)
    path = catalog_file or BUNDLED_CATALOG
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    import os

    patch = catalog_patch(text, os.path.relpath(path), found)
    if patch_only:
        click.echo(patch.diff, nl=False)
        return
    if as_json:
        for site in found:
            entry = site.to_dict()
            entry["paste"] = catalog_patch("", "", [site]).extra or None
            click.echo(json.dumps(entry, ensure_ascii=False))
        return
    click.echo(health_text(found))
    if patch.diff:
        click.echo(f"\nPatch for {path}:\n{patch.diff}", nl=False)
    if patch.extra:
        click.echo(f"\nSites {path.name} does not list (paste under sites:):\n{patch.extra}",
                   nl=False)
