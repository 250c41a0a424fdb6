"""``xktracker check`` and ``xktracker discover``: one page, or a site walked to its forms."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from xktracker.cli.app import (
    BROWSER_HELP,
    main,
    settings,
    validate_sources,
    validate_territory,
)
from xktracker.table import verdict_table


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

    conf = settings()
    code = validate_territory(territory)
    validate_sources(sources)
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

    conf = settings()
    code = validate_territory(territory)
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
