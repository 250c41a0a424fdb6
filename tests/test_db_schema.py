"""The schema: migrations equal the models, `xktracker init`, the SQLite set-up, append-only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import inspect, text

from db.migrate import current, head, require_current, upgrade
from db.models import AppendOnlyViolation, Base, Check, Company, Run, Site, Target
from db.session import Database, make_engine, session_scope
from db.store import record_check, start_run
from tests.db_fixtures import database, db_url, postgres_base  # noqa: F401
from xktracker.cli import main

REPORT = {"source": "https://shop.example.com/checkout", "checked_at": "2026-11-23T10:00:00Z",
          "territory": "XK", "method": "static", "verdict": "listed", "reason": None,
          "fields": [], "evidence": {"html_sha256": None, "screenshot": None}}


def test_migration_creates_exactly_the_models(db_url: str) -> None:  # noqa: F811
    assert current(db_url) is None
    assert upgrade(db_url) == head()
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            tables = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert tables == set(Base.metadata.tables) | {"alembic_version"}


def test_upgrade_is_idempotent_and_require_current(db_url: str) -> None:  # noqa: F811
    from db.errors import NotInitialised

    with pytest.raises(NotInitialised, match="xktracker init"):
        require_current(db_url)
    upgrade(db_url)
    upgrade(db_url)
    require_current(db_url)
    assert current(db_url) == head()


def test_upgrade_refuses_a_database_with_stray_tables(db_url: str) -> None:  # noqa: F811
    from db.errors import NotInitialised

    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE sites (id INTEGER PRIMARY KEY)"))
    finally:
        engine.dispose()
    with pytest.raises(NotInitialised, match="no migration history"):
        upgrade(db_url)


def test_sqlite_connection_settings(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'x.sqlite3'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    finally:
        engine.dispose()
    assert (tmp_path / "sub" / "x.sqlite3").exists()


def test_foreign_keys_are_enforced(database: Database) -> None:  # noqa: F811
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), database.scope() as session:
        session.add(Target(site_id=999, url="https://x.example.com/", kind="signup"))


def test_savepoint_rolls_back_inside_a_transaction(database: Database) -> None:  # noqa: F811
    # pysqlite's legacy mode would commit the savepoint's work on its own: ours must not.
    with database.scope() as session:
        session.add(Company(name="kept"))
        nested = session.begin_nested()
        session.add(Company(name="rolled back"))
        session.flush()
        nested.rollback()
    with database.scope() as session:
        assert [c.name for c in session.query(Company)] == ["kept"]


def _stored_check(database: Database) -> int:  # noqa: F811
    with database.scope(write=True) as session:
        site = Site(domain="shop.example.com", name="Shop")
        target = Target(site=site, url="https://shop.example.com/checkout", kind="checkout")
        session.add_all([site, target])
        run = start_run(session, {"browser": "never"})
        session.flush()
        return record_check(session, run_id=run.id, target_id=target.id, report=REPORT).id


def test_checks_are_append_only(database: Database) -> None:  # noqa: F811
    check_id = _stored_check(database)
    with pytest.raises(AppendOnlyViolation), database.scope() as session:
        check = session.get(Check, check_id)
        assert check is not None
        check.verdict = "missing"
        session.flush()
    with pytest.raises(AppendOnlyViolation), database.scope() as session:
        session.delete(session.get(Check, check_id))
        session.flush()
    with database.scope() as session:
        check = session.get(Check, check_id)
        assert check is not None and check.verdict == "listed"


def test_times_come_back_aware_and_in_utc(database: Database) -> None:  # noqa: F811
    from datetime import timedelta, timezone

    started = datetime(2026, 11, 23, 12, 0, tzinfo=timezone(timedelta(hours=1)))
    with database.scope() as session:
        run_id = start_run(session, {}, started_at=started).id
    with session_scope(database.sessions) as session:
        run = session.get(Run, run_id)
        assert run is not None
        assert run.started_at == datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
        assert run.started_at.tzinfo is not None
    with pytest.raises(Exception, match="naive"), database.scope() as session:
        start_run(session, {}, started_at=datetime(2026, 1, 1))


def test_init_command_creates_then_reports_up_to_date(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'inst' / 'xk.sqlite3'}"
    monkeypatch.setenv("XKTRACKER_DATABASE_URL", url)
    monkeypatch.setenv("XKTRACKER_DATA_DIR", str(tmp_path / "evidence"))
    runner = CliRunner()
    first = runner.invoke(main, ["init"])
    assert first.exit_code == 0, first.output
    assert f"created (schema revision {head()})" in first.output
    assert str(tmp_path / "inst" / "xk.sqlite3") in first.output
    assert (tmp_path / "evidence").is_dir()
    again = runner.invoke(main, ["init"])
    assert again.exit_code == 0 and "already up to date" in again.output


def test_init_command_explains_an_unreachable_database(monkeypatch) -> None:
    monkeypatch.setenv("XKTRACKER_DATABASE_URL",
                       "postgresql+psycopg://nobody:secret@127.0.0.1:1/none?connect_timeout=2")
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code == 1
    assert "cannot set up the database" in result.output
    assert "secret" not in result.output


def test_settings_database_defaults() -> None:
    from pathlib import Path

    from foundation import settings

    conf = settings.load({})
    assert conf.database_url == "sqlite:///instance/xktracker.sqlite3"
    assert conf.data_dir == Path("instance/data")
    custom = settings.load({"XKTRACKER_DATABASE_URL": "postgresql+psycopg://a:b@h/db",
                            "XKTRACKER_DATA_DIR": "/srv/evidence"})
    assert custom.database_url.startswith("postgresql+psycopg://")
    assert custom.data_dir == Path("/srv/evidence")
    with pytest.raises(settings.SettingsError, match="DATABASE_URL"):
        settings.load({"XKTRACKER_DATABASE_URL": "instance/db.sqlite3"})
