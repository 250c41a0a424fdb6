"""One engine and one session factory per database URL, shared by the CLI, Flask and Scrapy.

SQLite is set up for a crawler writing while a dashboard reads: WAL (readers never wait for
the writer), a 5 s busy timeout (writers queue instead of failing), foreign keys on (SQLite
leaves them off by default), and SQLAlchemy in charge of ``BEGIN`` so that transactions,
savepoints and Alembic's DDL behave as they do on PostgreSQL (the sqlite3 module's legacy mode
runs SELECTs outside any transaction).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 5000
# Connection execution option read by the BEGIN hook: "IMMEDIATE" takes SQLite's write lock
# at the start of the transaction, so a writer that reads first cannot fail half way with
# "database is locked" when another writer commits in between.
_BEGIN_OPTION = "xktracker_sqlite_begin"


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def display_url(url: str | URL) -> str:
    """The URL with its password hidden, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def sqlite_path(url: str | URL) -> Path | None:
    """The file of a SQLite URL (``None`` for in-memory databases and other backends)."""
    url = make_url(url)
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Hand transaction control to SQLAlchemy (see the module docstring); PRAGMAs run outside
    # any transaction, which journal_mode requires.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        # Durable at each checkpoint rather than each commit: safe with WAL, much faster.
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def _on_sqlite_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get(_BEGIN_OPTION, "")
    conn.exec_driver_sql(f"BEGIN {mode}".strip())


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    """An engine for ``url``: a SQLite file (its folder created) or PostgreSQL via psycopg."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(parsed)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    # A crawl runs for hours: a connection dropped by the server must not fail the next write.
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit (plain values handed to templates)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def writer_bind(engine: Engine) -> Engine:
    """The engine to bind a session that will write: on SQLite its transactions take the write
    lock at ``BEGIN`` (see ``_BEGIN_OPTION``); elsewhere the engine itself."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
    return engine


@contextmanager
def session_scope(sessions: sessionmaker[Session] | Engine, *,
                  write: bool = False) -> Iterator[Session]:
    """A session committed when the block ends, rolled back if it raises, always closed.

    ``write=True`` for blocks that read before they write (catalog merge, the crawler's
    pipeline): on SQLite it serialises such writers at ``BEGIN`` instead of letting one fail.
    """
    factory = (make_session_factory(sessions) if isinstance(sessions, Engine) else sessions)
    engine = factory.kw.get("bind")
    session = (factory(bind=writer_bind(engine))
               if write and isinstance(engine, Engine) else factory())
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


class Database:
    """The engine and session factory for one URL: make one per process and share it."""

    def __init__(self, url: str | URL, **engine_kwargs: Any) -> None:
        self.url = make_url(url)
        self.engine = make_engine(self.url, **engine_kwargs)
        self.sessions = make_session_factory(self.engine)

    def scope(self, *, write: bool = False) -> AbstractContextManager[Session]:
        """``with db.scope() as session: ...`` (see :func:`session_scope`)."""
        return session_scope(self.sessions, write=write)

    def dispose(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.dispose()

    def __repr__(self) -> str:
        return f"Database({display_url(self.url)!r})"
