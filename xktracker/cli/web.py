"""``xktracker serve``, ``worker`` and ``admin``: the dashboard and what runs beside it."""

from __future__ import annotations

from typing import Any

import click

from foundation.errors import SettingsError
from xktracker.cli.app import (
    main,
    settings,
)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface; put a reverse proxy "
                   "with HTTPS in front).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on.")
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Request threads of the production server.")
@click.option("--connection-limit", type=click.IntRange(1, 10_000), default=100,
              show_default=True,
              help="Open connections served at once; one more is answered 503 with "
                   "Retry-After at once instead of waiting.")
@click.option("--max-wait", type=click.FloatRange(0.1, 60), default=2.0, show_default=True,
              help="Seconds a request may wait for a thread; past it, 503 with Retry-After.")
@click.option("--debug", is_flag=True,
              help="Flask's development server with the debugger and reloader (never on a "
                   "public address).")
def serve(host: str, port: int, threads: int, connection_limit: int, max_wait: float,
          debug: bool) -> None:
    """Serve the citizens' dashboard (scoreboard, site pages, letters, submissions, API).

    Runs the production WSGI server (waitress) unless --debug, with limits that turn a crowd
    away with 503 and Retry-After rather than let it queue. Public pages are served from
    their last rendering (kept under the instance folder). The database must be set up
    (`xktracker init`); settings come from XKTRACKER_* (docs/settings.md). Deployment behind
    a reverse proxy, gunicorn, the limits and the secret key: docs/operations.md.

    \b
    Examples:
      xktracker serve
      xktracker serve --host 0.0.0.0 --port 8080
      xktracker serve --threads 8 --connection-limit 200
      XKTRACKER_ENV=production XKTRACKER_SECRET_KEY=... xktracker serve
    """
    app = _web_app()
    if debug:
        app.run(host=host, port=port, debug=True)
        return
    import logging

    from tracker_web.server import Limits, create_server

    logging.basicConfig()  # waitress's warnings (as waitress.serve does)
    # A queue deeper than the idle threads is what shedding expects under a crowd: one
    # warning per request would cost the server the time it lacks.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    limits = Limits(threads=threads, connection_limit=connection_limit, max_wait=max_wait)
    server = create_server(app, host=host, port=port, limits=limits)
    click.echo(f"xktracker dashboard on http://{host}:{port}/ (waitress, {threads} threads, "
               f"{connection_limit} connections, {max_wait:g} s wait at most)", err=True)
    server.run()


def _web_app() -> Any:
    from sqlalchemy.exc import SQLAlchemyError

    from db.errors import DbError
    from db.migrate import require_current
    from db.session import display_url

    conf = settings()
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
    conf = settings()
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
