"""The database for the app: one :class:`db.session.Database` per app, one session per request.

Reads use the request's session (closed at teardown); writes open their own short
``scope(write=True)`` so that on SQLite they take the write lock at ``BEGIN``.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from db.evidence import EvidenceStore
from db.session import Database

_KEY = "xktracker_db"


def init_app(app: Flask) -> None:
    app.extensions[_KEY] = Database(app.config["DATABASE_URL"])
    app.extensions["xktracker_evidence"] = EvidenceStore(app.config["DATA_DIR"])
    app.teardown_appcontext(_close_session)


def get_db() -> Database:
    database: Database = current_app.extensions[_KEY]
    return database


def evidence() -> EvidenceStore:
    store: EvidenceStore = current_app.extensions["xktracker_evidence"]
    return store


def session() -> Session:
    """The request's read session (created on first use)."""
    if "db_session" not in g:
        g.db_session = get_db().sessions()
    found: Session = g.db_session
    return found


def write_scope() -> AbstractContextManager[Session]:
    """A short writing transaction, committed at the end of the ``with`` block."""
    return get_db().scope(write=True)


def _close_session(_exc: BaseException | None) -> None:
    found: Session | None = g.pop("db_session", None)
    if found is not None:
        found.close()
