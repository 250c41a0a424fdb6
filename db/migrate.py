"""Create or upgrade a database schema with Alembic, from a URL (what ``xktracker init`` runs).

Developers adding a table: change ``db/models.py``, then
``python -m db.migrate revision "what changed"`` against a database at head, review the file it
writes under ``db/migrations/versions/``, and run the tests (they compare the migrated schema
with the models on SQLite and PostgreSQL).
"""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import URL

from db.errors import NotInitialised
from db.session import make_engine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    """Alembic's configuration, built in code: no ini file, no URL in it."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head() -> str:
    """The newest revision this code knows."""
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have one head, found {heads}")
    return heads[0]


def current(url: str | URL) -> str | None:
    """The revision the database is at (``None``: no schema yet)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def upgrade(url: str | URL, revision: str = "head") -> str | None:
    """Bring the database at ``url`` to ``revision``, in one transaction; return where it is.

    Creates the schema on an empty database. Refuses a database that has tables but no
    revision (made by hand or by ``create_all``): migrating it could not be trusted.
    """
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            if MigrationContext.configure(conn).get_current_revision() is None:
                stray = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
                if stray:
                    raise NotInitialised(
                        "the database has tables but no migration history "
                        f"({', '.join(sorted(stray)[:5])}…); use an empty database")
            config = alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def require_current(url: str | URL) -> None:
    """Raise :class:`NotInitialised` unless the database is at the newest revision."""
    at = current(url)
    if at != head():
        state = "has no schema" if at is None else f"is at revision {at}, not {head()}"
        raise NotInitialised(f"the database {state}: run `xktracker init`")


def make_revision(url: str | URL, message: str) -> None:
    """Autogenerate a revision from the difference between the models and the database."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.revision(config, message=message, autogenerate=True)
    finally:
        engine.dispose()


def main(argv: list[str]) -> int:
    """``python -m db.migrate revision MESSAGE [URL]`` (default URL: the settings')."""
    if len(argv) < 2 or argv[0] != "revision":
        print(main.__doc__, file=sys.stderr)
        return 2
    if len(argv) > 2:
        url = argv[2]
    else:
        from foundation.settings import load

        url = load().database_url
    make_revision(url, argv[1])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
