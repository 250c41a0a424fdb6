"""``xktracker demo``: the bundled demo web crawled into a kept database, then the dashboard."""

from __future__ import annotations

import json
from pathlib import Path

import click

from xktracker.cli.app import (
    BROWSER_HELP,
    main,
    settings,
)

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

    conf = settings()
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
        from reports.published import folder_of, publish

        with Database(url) as database:
            publish(database, folder_of(folder))  # the Data page's files, as a crawl makes
            with database.scope() as session:
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
