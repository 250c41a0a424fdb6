"""Alembic environment. The caller hands over the connection (or the URL): no alembic.ini
holds a database address, so the one URL setting decides which database is migrated.

Called through :mod:`db.migrate` (``xktracker init``); ``config.attributes`` carries
``connection`` (preferred: the caller owns the transaction) or ``url``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from db.models import Base
from db.session import make_engine

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things: later revisions rebuild tables in batch mode.
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("db.migrations: no connection or url given (use db.migrate)")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported; use db.migrate")
run_migrations_online()
