"""``xktracker export``, ``publish`` and ``report``: the open data, the files and pages the
dashboard serves, and the periodic report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from foundation import settings as settings_mod
from xktracker.cli.app import (
    main,
    open_database,
    settings,
)

EXPORT_FORMATS = ("csv", "jsonl", "datapackage", "sqlite")


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
              help="csv and jsonl stream to stdout without --output; datapackage writes a "
                   "folder (a zip when PATH ends in .zip); sqlite writes one file.")
@click.option("--output", type=click.Path(path_type=Path), metavar="PATH",
              help="Where to write (default for csv and jsonl: standard output).")
@click.option("--since", metavar="DATE", help="Checks from this date (UTC, inclusive).")
@click.option("--until", metavar="DATE", help="Checks up to this date (UTC, inclusive).")
@click.option("--category", metavar="C", help="Only sites of this catalog category.")
@click.option("--verdict", metavar="V", help="Only checks with this page verdict.")
@click.option("--site", "sites", multiple=True, metavar="DOMAIN",
              help="Only this site (repeatable).")
def export_command(fmt: str, output: Path | None, since: str | None, until: str | None,
                   category: str | None, verdict: str | None, sites: tuple[str, ...]) -> None:
    """Export the full check history, one row per field check (docs/data-dictionary.md).

    A check that saw no field (an error, a block, a page without a country control) is one
    row with empty field columns. Data licence: ODbL-1.0.

    \b
    Examples:
      xktracker export --format csv > history.csv
      xktracker export --format jsonl --since 2026-11-01 --until 2026-11-30
      xktracker export --format datapackage --output xktracker-data.zip
      xktracker export --format sqlite --output history.sqlite3 --verdict missing
      xktracker export --format csv --site example.com --site shop.example
    """
    from reports.columns import PAGE_VERDICTS
    from reports.errors import ExportError
    from reports.export import ExportFilters, export, parse_when

    if verdict is not None and verdict not in PAGE_VERDICTS:
        raise click.BadParameter(f"{verdict!r}; page verdicts: {', '.join(PAGE_VERDICTS)}",
                                 param_hint="--verdict")
    if fmt in ("datapackage", "sqlite") and output is None:
        raise click.UsageError(f"--format {fmt} writes files: give --output PATH")
    try:
        filters = ExportFilters(since=parse_when(since) if since else None,
                                until=parse_when(until, end=True) if until else None,
                                category=category, verdict=verdict, sites=sites)
    except ExportError as exc:
        raise click.BadParameter(str(exc)) from None
    conf = settings()
    with open_database(conf.database_url) as database:
        try:
            result = export(database, fmt, output or sys.stdout.buffer,
                            filters)
        except BrokenPipeError:  # `xktracker export … | head`: the reader has enough
            sys.stderr.close()
            return
        except (ExportError, OSError) as exc:
            raise click.ClickException(str(exc)) from None
    where = f" to {result.path}" if result.path else ""
    click.echo(f"{result.rows} rows{where}", err=True)


def publish(conf: settings_mod.Settings, *, files: bool = True, pages: bool = True,
            seconds: float = 300.0) -> list[str]:
    """Make the Data page's files and render the public pages again into the instance folder
    (what ``crawl`` does at the end of a run); the lines to tell the user."""
    from foundation.errors import SettingsError
    from reports.published import folder_of
    from reports.published import publish as publish_files

    said: list[str] = []
    instance = conf.instance_dir.resolve()
    if files:
        folder = folder_of(instance)
        with open_database(conf.database_url) as database:
            made = publish_files(database, folder)
        said.append(f"open data: {made.rows} rows, {len(made.files)} files in {folder}")
    if pages:
        from tracker_web import create_app
        from tracker_web.warming import render_kept_pages

        try:
            app = create_app({"START_WORKERS": False})
        except SettingsError as exc:
            raise click.UsageError(str(exc)) from None
        try:
            done = render_kept_pages(app, seconds=seconds)
        finally:
            app.extensions["xktracker_db"].dispose()
        left = f", {done.left} left to the web processes" if done.left else ""
        said.append(f"dashboard: {done.pages} pages rendered in {done.seconds:.1f} s{left}")
    return said


@main.command("publish")
@click.option("--files/--no-files", default=True, show_default=True,
              help="Make the whole-history files the Data page serves (CSV, JSON Lines, "
                   "data package).")
@click.option("--pages/--no-pages", default=True, show_default=True,
              help="Render the dashboard's public pages again into the instance folder.")
@click.option("--seconds", type=click.FloatRange(1, 86400), default=300, show_default=True,
              help="Spend at most this long rendering pages (the web processes render the "
                   "rest when asked).")
def publish_command(files: bool, pages: bool, seconds: float) -> None:
    """Make the open-data files and render the public pages the dashboard serves, so no
    visitor waits and no web thread builds an export. `xktracker crawl` does this at the
    end of every run; run it from cron when the history changes otherwise (a crawl on
    another machine, a catalog load). The files go to <instance>/exports, the pages to
    <instance>/pages (XKTRACKER_INSTANCE_DIR; docs/operations.md).

    \b
    Examples:
      xktracker publish
      xktracker publish --no-pages
    """
    if not files and not pages:
        raise click.UsageError("nothing to do: --no-files and --no-pages")
    for line in publish(settings(), files=files, pages=pages, seconds=seconds):
        click.echo(line)


@main.command("report")
@click.option("--period", metavar="PERIOD",
              help="A month (2026-11) or an ISO week (2026-W47). Default: the last complete "
                   "month, or this month to date when the history began after it.")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path),
              default=Path("instance/reports"), show_default=True, metavar="DIR",
              help="Folder for xktracker-report-PERIOD.html (and .pdf).")
@click.option("--no-pdf", is_flag=True, help="Write the HTML only.")
def report_command(period: str | None, output: Path, no_pdf: bool) -> None:
    """Write the periodic report: headline numbers, wins, regressions, worst excluders,
    upstream lists and charts, as one self-contained HTML file, and a PDF beside it when
    WeasyPrint or a Chromium is installed (see docs/reports.md for a monthly crontab).

    \b
    Examples:
      xktracker report
      xktracker report --period 2026-11 --output public/reports
      xktracker report --period 2026-W47 --no-pdf
    """
    from datetime import UTC, datetime

    from reports.errors import PeriodError
    from reports.periods import default_period, parse_period
    from reports.report import first_check_day, write_report

    try:
        chosen = parse_period(period) if period else None
    except PeriodError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from None
    conf = settings()
    now = datetime.now(UTC)
    with open_database(conf.database_url) as database:
        if chosen is None:
            chosen = default_period(now.date(), first_check_day(database))
        files = write_report(database, chosen, output, pdf=not no_pdf,
                             browser_path=conf.browser_path, now=now)
    if chosen.start <= now < chosen.end:
        click.echo(f"report {chosen.label} ({chosen.title(now)}): the period is not over, "
                   "its numbers stop today", err=True)
    click.echo(f"report {chosen.label}: {files.html}")
    if files.pdf:
        click.echo(f"report {chosen.label}: {files.pdf}")
    elif files.note and not no_pdf:
        click.echo(files.note, err=True)
