"""The ``xktracker`` command. Thin: the logic lives in ``checks``, ``crawler`` and friends."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import click

from foundation import settings as settings_mod
from foundation.errors import SettingsError
from xktracker.table import safe, verdict_table

EXIT_USAGE = 2


def _settings() -> settings_mod.Settings:
    try:
        return settings_mod.load()
    except SettingsError as exc:
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
      xktracker init && xktracker catalog load db/catalog/sites.yaml && xktracker crawl
      xktracker status --json
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
    from crawler.fetch.guard import EgressPolicy

    conf = _settings()
    code = _validate_territory(territory)
    _validate_sources(sources)
    policy = EgressPolicy.build(
        allow_private=allow_private_addresses or conf.allow_private_addresses,
        allowed_ports=conf.allowed_ports)
    options = CheckOptions(browser=browser, territory=code, timeout=timeout, policy=policy,
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
@click.argument("urls", nargs=-1, required=True, metavar="URL...")
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per page found, in the order found (check's report with "
                   "source, url, kind, via and steps in front).")
@click.option("--max-pages", type=click.IntRange(1, 500), default=30, show_default=True,
              help="Pages fetched per site at most (static, browser and clicks alike).")
@click.option("--depth", type=click.IntRange(0, 10), default=3, show_default=True,
              help="Links followed from the start page at most.")
@click.option("--browser", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help=BROWSER_HELP + " auto also reads navigation drawn by "
              "script and clicks buttons that open a form.")
@click.option("--territory", default="XK", show_default=True,
              help="The territory to look for (XK, TW, PS, EH).")
@click.option("--timeout", type=click.FloatRange(0.5, 300), default=20.0, show_default=True,
              help="Seconds allowed for each page.")
@click.option("--max-seconds", type=click.FloatRange(1, 86400), default=300.0,
              show_default=True, help="Seconds allowed for each site.")
@click.option("--delay", type=click.FloatRange(0, 60), default=None,
              help="Seconds between two requests to a site (default: the crawler's "
                   "DOWNLOAD_DELAY, 1 s; longer when the site is slow or robots.txt asks).")
@click.option("--allow-private-addresses", is_flag=True,
              help="Let fetches reach private, loopback and link-local addresses "
                   "(a local test web). Also: XKTRACKER_ALLOW_PRIVATE_ADDRESSES=1.")
@click.option("--evidence-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Keep each page snapshot (and browser screenshot) here, named by SHA-256.")
def discover(urls: tuple[str, ...], as_json: bool, max_pages: int, depth: int, browser: str,
             territory: str, timeout: float, max_seconds: float, delay: float | None,
             allow_private_addresses: bool, evidence_dir: Path | None) -> None:
    """From a site's page (usually its home page), find the pages with a country or
    phone-country control, and judge each as `xktracker check` does.

    Follows the links, menus and buttons most likely to lead to a signup, checkout,
    shipping, profile or phone-verification form (in many languages), then the site's
    sitemaps; stays on the site (its registrable domain), obeys robots.txt, sends one
    request at a time. Never submits a form, logs in, or clicks what pays, buys, registers
    or confirms; a page behind a login is reported as blocked/login_required. Exit status
    0 when it ran (fetch failures are results), 2 on bad usage.

    \b
    Examples:
      xktracker discover https://shop.example/
      xktracker discover --json --max-pages 15 https://shop.example/ https://app.example/
      xktracker discover --browser never --depth 2 https://news.example/
    """
    from crawler.checker import is_url
    from crawler.discover.output import progress_line, site_summary
    from crawler.discover.run import DEFAULT_DELAY, DiscoverOptions, discover_sources
    from xktracker.discover_table import findings_table

    conf = _settings()
    code = _validate_territory(territory)
    for url in urls:
        if not is_url(url):
            raise click.BadParameter(f"{url!r}: give an http(s) URL", param_hint="URL")
    options = DiscoverOptions(
        max_pages=max_pages, max_depth=depth, browser=browser, territory=code,
        timeout=timeout, max_seconds=max_seconds,
        delay=DEFAULT_DELAY if delay is None else delay,
        allow_private=allow_private_addresses or conf.allow_private_addresses,
        allowed_ports=tuple(conf.allowed_ports), browser_path=conf.browser_path,
        evidence_dir=evidence_dir)
    rows: list[dict[str, Any]] = []

    def page(walk: Any, visit: Any, outcome: Any, findings: Any) -> None:
        click.echo(progress_line(walk, visit, outcome, findings), err=True)

    def site_done(result: Any) -> None:
        click.echo(site_summary(result), err=True)

    for finding in discover_sources(urls, options, on_page=None if as_json else page,
                                    on_site=None if as_json else site_done):
        if as_json:
            click.echo(json.dumps(finding.report, ensure_ascii=False))
            sys.stdout.flush()
        else:
            rows.append(finding.report)
    if not as_json:
        click.echo(findings_table(rows))


DEMO_PORT = 8123
DEMO_INSTANCE = Path("instance/demo")


@main.command()
@click.option("--browser", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help=BROWSER_HELP)
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
@click.option("--port", type=click.IntRange(0, 65535), default=DEMO_PORT, show_default=True,
              help="Port of the demo web on 127.0.0.1. Keep it fixed: the catalog's pages are "
                   "addresses on it, so a run on another port tracks other pages.")
@click.option("--instance", type=click.Path(file_okay=False, path_type=Path),
              default=DEMO_INSTANCE, show_default=True,
              help="Folder of the demo's database and evidence, kept between runs: each run "
                   "adds to the same history.")
@click.option("--no-serve", is_flag=True,
              help="End after printing the results instead of serving the dashboard.")
@click.option("--dashboard-port", type=click.IntRange(1, 65535), default=8000,
              show_default=True, help="Port of the dashboard on 127.0.0.1.")
def demo(browser: str, as_json: bool, port: int, instance: Path, no_serve: bool,
         dashboard_port: int) -> None:
    """Crawl the bundled demo web, keep the history, show the results, open the dashboard.

    Works offline: serves a set of realistic signup and checkout pages on 127.0.0.1:8123,
    loads the demo catalog (db/catalog/demo.yaml) pointing at them and crawls it like a real
    crawl (private addresses allowed for loopback only). The first time, it crawls twice,
    and between the two crawls one demo site adds Kosovo to its list and another drops it,
    so the history starts with a win and a regression; later runs add one crawl each. It
    prints each page's status next to the verdict the page was built to have, says how to
    point the other commands (status, export, report) at the demo's database, then serves
    the dashboard over it on http://127.0.0.1:8000/ until Ctrl-C (unless --no-serve). The
    database stays in --instance (instance/demo/).

    \b
    Examples:
      xktracker demo
      xktracker demo --browser never --no-serve
      xktracker demo --instance /tmp/xk-demo --port 0
    """
    from db.queries import current_status
    from db.session import Database
    from xktracker.demorun import build_history
    from xktracker.demoweb.expectations import (
        DYNAMIC_EXPECTATIONS,
        EVOLVING,
        load_expectations,
    )
    from xktracker.demoweb.server import DemoWebServer
    from xktracker.table import status_table

    conf = _settings()
    known = {e.path: e.verdict for e in load_expectations()}
    known.update({path: e.verdict for path, e in DYNAMIC_EXPECTATIONS.items()})
    try:
        web = DemoWebServer(port=port)
    except OSError as exc:
        raise click.ClickException(f"cannot serve the demo web on 127.0.0.1:{port} ({exc}); "
                                   "is a demo running already? Give another --port (the "
                                   "pages tracked then are new ones)") from None
    with web:
        folder = instance.resolve()
        click.echo(f"demo web at {web.base_url}; database {folder / 'xktracker.sqlite3'}",
                   err=True)
        built = build_history(web, folder, browser=browser, browser_path=conf.browser_path,
                              say=lambda line: click.echo(line, err=True))
        url = built.database_url
        known.update({path: next(e.verdict for e in load_expectations()
                                 if e.path == "/" + step.after)
                      for path, step in EVOLVING.items()})
        with Database(url) as database, database.scope() as session:
            rows = [t.to_dict() for t in current_status(session).targets]
        if as_json:
            for row in rows:
                click.echo(json.dumps(row, ensure_ascii=False))
        else:
            expected = {}
            for row in rows:
                path = str(row["url"]).removeprefix(web.base_url)
                if path in known:
                    expected[str(row["url"])] = known[path]
            click.echo(status_table(rows, expected=expected))
        click.echo(f"\nThe demo's history stays in {folder}. To use it with the other "
                   f"commands (status, export, report):\n"
                   f"  export XKTRACKER_DATABASE_URL={url}\n"
                   f"  export XKTRACKER_DATA_DIR={folder / 'data'}", err=True)
        if not no_serve:
            _serve_demo_dashboard(url, folder, dashboard_port)


def _serve_demo_dashboard(url: str, folder: Path, port: int) -> None:
    """The dashboard over the demo database, on loopback, until Ctrl-C."""
    from waitress import serve as waitress_serve

    from tracker_web import create_app

    app = create_app({"DATABASE_URL": url, "DATA_DIR": str(folder / "data"),
                      "INSTANCE_DIR": str(folder),
                      "ORGANISATION": "the xktracker demo, on this computer"})
    click.echo(f"\ndashboard: http://127.0.0.1:{port}/  (Ctrl-C to stop)", err=True)
    try:
        waitress_serve(app, host="127.0.0.1", port=port, threads=4, ident="xktracker-demo",
                       _quiet=True)
    except KeyboardInterrupt:
        pass


def _database(conf: settings_mod.Settings) -> Any:
    """The settings' database, refused with a hint when it is missing or out of date."""
    from sqlalchemy.exc import SQLAlchemyError

    from db.errors import DbError
    from db.migrate import require_current
    from db.session import Database, display_url

    try:
        require_current(conf.database_url)
    except (DbError, SQLAlchemyError) as exc:
        raise click.ClickException(f"database {display_url(conf.database_url)}: "
                                   f"{str(exc).splitlines()[0]}") from None
    return Database(conf.database_url)


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
@click.option("--discover", is_flag=True,
              help="Instead of checking targets, look for the form pages of the sites that "
                   "need it (catalog health: discover: true, no target, targets that stopped "
                   "answering) and store what is found as proposals (docs/crawling.md).")
def crawl(sites: tuple[str, ...], browser: str, allow_private_addresses: bool,
          record: Path | None, replay: Path | None, new_run: bool,
          overrides: tuple[str, ...], quiet: bool, discover: bool) -> None:
    """Check every active target of the catalog and store the results as a new run.

    Static HTML first, a browser only when needed; robots.txt obeyed, one request at a
    time per site. A crawl that was killed resumes its unfinished run when started again
    with the same options. With XKTRACKER_REDIS_URL set, every crawl started with the same
    options, on any machine, joins one run and they split its targets through Redis
    (docs/crawling.md). Exit status 0 when the run is complete, 1 when targets are left
    unchecked (run it again to resume), 2 on bad usage.

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

    conf = _settings()
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
    with _database(conf) as database, database.scope() as session:
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
    if result.run_status != "finished":
        left = stats.get("xk/targets_unchecked", "some")
        click.echo(f"{left} targets unchecked: run the same command again to resume run "
                   f"{result.run_id}", err=True)
        sys.exit(1)


def _crawl_discover(conf: settings_mod.Settings, sites: tuple[str, ...], browser: str,
                    allow_private: bool, extra: dict[str, str], quiet: bool) -> None:
    from crawler.config import CrawlConfig
    from crawler.discover.crawl import run_discovery
    from crawler.runs import unknown_sites

    with _database(conf) as database, database.scope() as session:
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

    conf = _settings()
    with _database(conf) as database, database.scope() as session:
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

    conf = _settings()
    with _database(conf) as database:
        try:
            result = reanalyse_run(database, EvidenceStore(conf.data_dir), run_id)
        except NothingToReanalyse as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"run {result.source_run} re-analysed into run {result.new_run}: "
               f"{result.checks} checks, {result.reread} documents read again, "
               f"{len(result.changed)} verdicts changed")
    for url, before, after in result.changed:
        click.echo(f"  {before} -> {after}  {safe(url, 100)}")


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

    conf = _settings()
    with _database(conf) as database, database.scope() as session:
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


EXPORT_FORMATS = ("csv", "jsonl", "datapackage", "sqlite")


def _open_database(url: str) -> Any:
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
    conf = _settings()
    with _open_database(conf.database_url) as database:
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
    conf = _settings()
    now = datetime.now(UTC)
    with _open_database(conf.database_url) as database:
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


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface; put a reverse proxy "
                   "with HTTPS in front).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on.")
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Request threads of the production server.")
@click.option("--debug", is_flag=True,
              help="Flask's development server with the debugger and reloader (never on a "
                   "public address).")
def serve(host: str, port: int, threads: int, debug: bool) -> None:
    """Serve the citizens' dashboard (scoreboard, site pages, letters, submissions, API).

    Runs the production WSGI server (waitress) unless --debug. The database must be set up
    (`xktracker init`); settings come from XKTRACKER_* (docs/settings.md). Deployment behind
    a reverse proxy, gunicorn and the secret key: docs/operations.md.

    \b
    Examples:
      xktracker serve
      xktracker serve --host 0.0.0.0 --port 8080
      XKTRACKER_ENV=production XKTRACKER_SECRET_KEY=... xktracker serve
    """
    app = _web_app()
    if debug:
        app.run(host=host, port=port, debug=True)
        return
    from waitress import serve as waitress_serve

    click.echo(f"xktracker dashboard on http://{host}:{port}/ (waitress, {threads} threads)",
               err=True)
    waitress_serve(app, host=host, port=port, threads=threads, ident="xktracker")


def _web_app() -> Any:
    from sqlalchemy.exc import SQLAlchemyError

    from db.errors import DbError
    from db.migrate import require_current
    from db.session import display_url

    conf = _settings()
    try:
        require_current(conf.database_url)
    except (DbError, SQLAlchemyError) as exc:
        raise click.ClickException(f"database {display_url(conf.database_url)}: "
                                   f"{str(exc).splitlines()[0]}") from None
    from tracker_web import create_app

    try:
        return create_app()
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None


@main.command()
@click.option("--once", is_flag=True, help="Do the queued jobs, then exit.")
def worker(once: bool) -> None:
    """Check submitted sites and moderators' re-checks, outside the web processes.

    For deployments that set XKTRACKER_CHECK_WORKERS=0 (e.g. many gunicorn workers): run
    one or more of these beside them; they share the queue through the database.

    \b
    Examples:
      xktracker worker
      xktracker worker --once
    """
    import threading

    from tracker_web.worker import pool_of

    app = _web_app()
    job_worker = pool_of(app).worker
    if once:
        click.echo(f"{job_worker.run_pending()} jobs done")
        return
    click.echo("checking submissions and re-checks (Ctrl-C to stop)", err=True)
    stop, wake = threading.Event(), threading.Event()
    try:
        job_worker.loop(stop, wake)
    except KeyboardInterrupt:
        stop.set()


@main.group()
def admin() -> None:
    """Moderators of the dashboard (there is no default account).

    \b
    Example:
      xktracker admin create alba
    """


MIN_PASSWORD = 12


@admin.command("create")
@click.argument("username")
@click.password_option("--password", prompt="Password", confirmation_prompt=True,
                       help="Asked for twice when not given (never put it on a shared "
                            "command line).")
def admin_create(username: str, password: str) -> None:
    """Create the moderator USERNAME; the password is asked for twice and stored hashed.

    \b
    Example:
      xktracker admin create alba
    """
    from sqlalchemy.exc import SQLAlchemyError

    from db.errors import DbError
    from db.migrate import require_current
    from db.session import Database, display_url
    from tracker_web.errors import ModerationError
    from tracker_web.moderation import create_admin

    username = username.strip()
    if not 1 <= len(username) <= 64 or not username.isprintable():
        raise click.BadParameter("1 to 64 printable characters", param_hint="USERNAME")
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"the password must have at least {MIN_PASSWORD} "
                                   "characters")
    conf = _settings()
    try:
        require_current(conf.database_url)
        with Database(conf.database_url) as database, database.scope(write=True) as session:
            create_admin(session, username, password)
    except ModerationError as exc:
        raise click.ClickException(str(exc)) from None
    except (DbError, SQLAlchemyError) as exc:
        raise click.ClickException(f"database {display_url(conf.database_url)}: "
                                   f"{str(exc).splitlines()[0]}") from None
    click.echo(f"moderator {username!r} created; sign in at /admin/login")


if __name__ == "__main__":
    main()
