"""Database fixtures: every db test runs on SQLite and on PostgreSQL, on a fresh schema.

PostgreSQL comes from ``XK_TEST_POSTGRES_URL`` or, failing that, the local server that
``scripts/start_test_postgres.sh`` sets up. When the local server does not answer, the
PostgreSQL half of each test is skipped with the reason (``pytest -ra`` lists it), never
silently passed; when a URL was given explicitly and does not answer, those tests fail.

Import the fixtures a test module needs: ``from tests.db_fixtures import database  # noqa``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from db.migrate import upgrade
from db.session import Database

POSTGRES_ENV = "XK_TEST_POSTGRES_URL"
POSTGRES_DEFAULT = "postgresql+psycopg://xktracker:xktracker@127.0.0.1:5432/xktracker_test"
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_base() -> Iterator[tuple[str | None, str, bool]]:
    """(URL, "", explicit) of a PostgreSQL that answers, or (None, why not, explicit);
    ``explicit`` when the URL came from ``XK_TEST_POSTGRES_URL``.

    Session-scoped, so it runs before the per-test fixture that clears ``XKTRACKER_*``.
    """
    explicit = os.environ.get(POSTGRES_ENV)
    url = explicit or POSTGRES_DEFAULT
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to connect means: skip, and say why
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        why = (f"PostgreSQL not reachable at {make_url(url).render_as_string()} ({first}); "
               f"run scripts/start_test_postgres.sh or set {POSTGRES_ENV}")
        yield None, why, bool(explicit)
    else:
        yield url, "", bool(explicit)
    finally:
        engine.dispose()


def _postgres_schema_url(base: str) -> Iterator[str]:
    """A new, empty schema for one test, dropped afterwards; its URL puts it first in the
    search path, so tables, Alembic's version table and inspection all land there."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield make_url(base).update_query_dict(
            {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path,
           postgres_base: tuple[str | None, str, bool]) -> Iterator[str]:
    """The URL of an empty database (no tables) on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    base, reason, explicit = postgres_base
    if base is None:
        if explicit:
            pytest.fail(f"{POSTGRES_ENV} is set but {reason}", pytrace=False)
        pytest.skip(reason)
    yield from _postgres_schema_url(base)


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    """A migrated database (``xktracker init``'s schema) on each backend."""
    upgrade(db_url)
    db = Database(db_url)
    try:
        yield db
    finally:
        db.dispose()
