"""``xktracker crawl``, ``status`` and ``reanalyse``: the history made and read."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click

from foundation import settings as settings_mod
from foundation.text import safe
from xktracker.cli.app import (
    main,
    open_database,
    settings,
)


def _check_redis(url: str) -> None:
    """Fail before crawling, with a message, when the shared queue cannot be reached."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)
        client.ping()
        client.close()
    except (redis.RedisError, ValueError) as exc:
        safe_url = re.sub(r"//[^@/]*@", "//***@", url)
        raise click.ClickException(f"XKTRACKER_REDIS_URL {safe_url}: {exc}") from None


@main.command()
@click.option("--site", "sites", multiple=True, metavar="DOMAIN",
              help="Crawl only this site (repeatable). Default: every active site.")
@click.option("--browser", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True,
              help="auto: each target's own catalog setting, escalating to a browser when the "
                   "list is drawn by script; always / never: for every target.")
@click.option("--allow-private-addresses", is_flag=True,
              help="Let the crawl reach private, loopback and link-local addresses (a local "
                   "test web). Also: XKTRACKER_ALLOW_PRIVATE_ADDRESSES=1.")
@click.option("--record", "record", type=click.Path(file_okay=False, path_type=Path),
              help="Keep every HTTP exchange (vcrpy cassettes) and browser session (HAR) "
                   "under DIR, to replay the crawl later.")
@click.option("--replay", "replay", type=click.Path(exists=True, file_okay=False,
                                                   path_type=Path),
              help="Answer every request from a recording made with --record; nothing is "
                   "fetched.")
@click.option("--new-run", is_flag=True,
              help="Start a new run even if an unfinished one with the same options exists "
                   "(by default it is resumed).")
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="A Scrapy or XK_ crawler setting, e.g. --set DOWNLOAD_DELAY=2 "
                   "(docs/crawling.md).")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines, only the summary.")
@click.option("--no-publish", is_flag=True,
              help="Do not make the open-data files nor render the dashboard's pages at the "
                   "end (see `xktracker publish`).")
@click.option("--discover", is_flag=True,
              help="Instead of checking targets, look for the form pages of the sites that "
                   "need it (catalog health: discover: true, no target, targets that stopped "
                   "answering) and store what is found as proposals (docs/crawling.md).")
def crawl(sites: tuple[str, ...], browser: str, allow_private_addresses: bool,
          record: Path | None, replay: Path | None, new_run: bool,
          overrides: tuple[str, ...], quiet: bool, no_publish: bool, discover: bool) -> None:
    """Check every active target of the catalog and store the results as a new run.

    Static HTML first, a browser only when needed; robots.txt obeyed, one request at a
    time per site. At the end, the open-data files and the dashboard's public pages are
    made again (`xktracker publish`), unless --no-publish. A crawl that was killed resumes
    its unfinished run when started again with the same options. With XKTRACKER_REDIS_URL
    set, every crawl started with the same options, on any machine, joins one run and they
    split its targets through Redis (docs/crawling.md). Exit status 0 when the run is
    complete, 1 when targets are left unchecked (run it again to resume), 2 on bad usage.

    \b
    Examples:
      xktracker crawl
      xktracker crawl --site example.com --site shop.example --browser never
      xktracker crawl --record recordings/2026-11-23
      xktracker crawl --replay recordings/2026-11-23
      XKTRACKER_REDIS_URL=redis://queue.internal:6379/0 xktracker crawl   # on each machine
      xktracker crawl --discover --set XK_DISCOVER_MAX_PAGES=15
    """
    from crawler.config import CrawlConfig
    from crawler.errors import SettingOverrideError
    from crawler.run import parse_overrides, run_crawl
    from crawler.runs import active_targets, unknown_sites

    conf = settings()
    if record and replay:
        raise click.UsageError("--record and --replay cannot be used together")
    try:
        extra = parse_overrides(overrides)
    except SettingOverrideError as exc:
        raise click.UsageError(str(exc)) from None
    if discover:
        if record or replay:
            raise click.UsageError("--discover cannot be recorded or replayed")
        _crawl_discover(conf, sites, browser, allow_private_addresses, extra, quiet)
        return
    with open_database(conf.database_url) as database, database.scope() as session:
        unknown = unknown_sites(session, sites)
        if unknown:
            raise click.UsageError(f"no active site {', '.join(unknown)} in the catalog "
                                   "(see `xktracker status`)")
        count = len(active_targets(session, sites))
    if not count:
        raise click.ClickException("no active targets: load a catalog first "
                                   "(`xktracker catalog load db/catalog/sites.yaml`)")
    if conf.redis_url:
        _check_redis(conf.redis_url)
    result = run_crawl(CrawlConfig(
        database_url=conf.database_url, data_dir=conf.data_dir, sites=sites, browser=browser,
        allow_private=allow_private_addresses or conf.allow_private_addresses,
        allowed_ports=tuple(sorted(conf.allowed_ports)), browser_path=conf.browser_path,
        record_dir=record, replay_dir=replay, resume=not new_run, progress=not quiet,
        redis_url=conf.redis_url), overrides=extra)
    if result.run_id is None:
        raise click.ClickException(f"the crawl did not start ({result.finish_reason})")
    stats = result.stats
    verdicts = {k.split("/", 2)[2]: v for k, v in stats.items()
                if k.startswith("xk/verdicts/")}
    counts = ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items(), key=lambda x: -x[1]))
    worker = f" by worker {stats['xk/worker']}" if stats.get("xk/worker") else ""
    status = result.run_status or "not closed"
    click.echo(f"run {result.run_id} {status}: {stats.get('xk/checks_stored', 0)} "
               f"checks stored now{worker} ({counts or 'none'}), "
               f"{stats.get('xk/targets_already_checked', 0)} before a resume")
    failures = stats.get("xk/store_failures")
    if failures:
        click.echo(f"{failures} checks could not be stored ({safe(stats.get('xk/store_error'))})",
                   err=True)
    if stats.get("xk/run_error"):
        click.echo(f"run {result.run_id} could not be closed: {safe(stats['xk/run_error'])}",
                   err=True)
    if stats.get("xk/checks_stored") and not no_publish:
        _publish_after(conf)
    if result.run_status != "finished":
        left = stats.get("xk/targets_unchecked", "some")
        click.echo(f"{left} targets unchecked: run the same command again to resume run "
                   f"{result.run_id}", err=True)
        sys.exit(1)


def _publish_after(conf: settings_mod.Settings) -> None:
    """The files and pages of the dashboard, made again after a run; a failure here is told,
    never the crawl's (its checks are stored)."""
    from xktracker.cli.data import publish

    try:
        for line in publish(conf):
            click.echo(line, err=True)
    except Exception as exc:  # whatever it was, the run's checks are stored
        click.echo(f"publishing after the run failed: {safe(str(exc))} (run `xktracker "
                   "publish` again)", err=True)


def _crawl_discover(conf: settings_mod.Settings, sites: tuple[str, ...], browser: str,
                    allow_private: bool, extra: dict[str, str], quiet: bool) -> None:
    from crawler.config import CrawlConfig
    from crawler.discover.crawl import run_discovery
    from crawler.runs import unknown_sites

    with open_database(conf.database_url) as database, database.scope() as session:
        unknown = unknown_sites(session, sites)
    if unknown:
        raise click.UsageError(f"no active site {', '.join(unknown)} in the catalog")
    result = run_discovery(CrawlConfig(
        database_url=conf.database_url, data_dir=conf.data_dir, sites=sites, browser=browser,
        allow_private=allow_private or conf.allow_private_addresses,
        allowed_ports=tuple(sorted(conf.allowed_ports)), browser_path=conf.browser_path,
        progress=not quiet), overrides=extra)
    stats = result.stats
    click.echo(f"discovery: {stats.get('xk/discover/sites_done', 0)} of "
               f"{stats.get('xk/discover/sites', 0)} sites walked, "
               f"{stats.get('xk/discover/pages', 0)} pages, "
               f"{stats.get('xk/discover/found', 0)} pages found, "
               f"{stats.get('xk/discover/proposals', 0)} proposals stored "
               "(see `xktracker catalog health`)")
    if result.finish_reason not in ("finished", None):
        raise click.ClickException(f"discovery ended early ({result.finish_reason})")


@main.command()
@click.option("--site", metavar="DOMAIN", help="Only this site.")
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per target per line (url, site, verdict, reason, "
                   "checked_at, method, status, stale …).")
def status(site: str | None, as_json: bool) -> None:
    """The current verdict of every tracked target, from the stored history.

    "status" is the last conclusive verdict (an error or a page without the form never
    replaces it); "verdict", "reason", "checked_at" and "method" describe the latest check.

    \b
    Examples:
      xktracker status
      xktracker status --site example.com --json
    """
    from db.queries import current_status
    from xktracker.table import status_table

    conf = settings()
    with open_database(conf.database_url) as database, database.scope() as session:
        rows = [t.to_dict() for t in current_status(session, site).targets]
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    click.echo(status_table(rows))


@main.command()
@click.option("--run", "run_id", type=int,
              help="The run to re-analyse (default: the newest finished crawl).")
def reanalyse(run_id: int | None) -> None:
    """Judge a run's stored evidence again with this version's engine, into a new run.

    Nothing is fetched: the stored page snapshots (and the frames and dropdown options a
    browser read) go through the analysis again. Each new check keeps the time the page was
    seen and its method, with a note that it was re-analysed.

    \b
    Examples:
      xktracker reanalyse
      xktracker reanalyse --run 12
    """
    from crawler.errors import NothingToReanalyse
    from crawler.reanalyse import reanalyse_run
    from db.evidence import EvidenceStore

    conf = settings()
    with open_database(conf.database_url) as database:
        try:
            result = reanalyse_run(database, EvidenceStore(conf.data_dir), run_id)
        except NothingToReanalyse as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"run {result.source_run} re-analysed into run {result.new_run}: "
               f"{result.checks} checks, {result.reread} documents read again, "
               f"{len(result.changed)} verdicts changed")
    for url, before, after in result.changed:
        click.echo(f"  {before} -> {after}  {safe(url, 100)}")
