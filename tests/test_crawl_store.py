"""The crawl's group commit: ``record_checks`` stores exactly what ``record_check`` does, one
statement per table for a whole batch, on SQLite and PostgreSQL; and ``RunBook.store_many``
keeps one bad report from sinking the others of its batch."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from crawler.runs import RunBinding, RunBook
from db.models import Check, FieldResult, OptionList
from db.session import Database
from db.store import record_check, record_checks, start_run
from tests.db_fixtures import database, db_url, postgres_base  # noqa: F401
from tests.test_db_store import SHIPPING, WORLD, field, make_targets, report


def _stored(database: Database, run_id: int) -> list[dict[str, Any]]:  # noqa: F811
    """Every check of a run with its fields, in target order, without ids and times."""
    with database.scope() as session:
        checks = session.scalars(select(Check).where(Check.run_id == run_id)
                                 .order_by(Check.target_id)).all()
        out = []
        for check in checks:
            fields = sorted(check.fields, key=lambda f: f.position)
            out.append({
                "target": check.target_id, "verdict": check.verdict, "reason": check.reason,
                "method": check.method, "report": check.report, "status": check.http_status,
                "checked_at": check.checked_at, "conclusive": check.conclusive,
                "fields": [(f.position, f.kind, f.verdict, f.kosovo_label, f.country_count,
                            f.option_list.sha256 if f.option_list else None) for f in fields]})
        return out


def _reports() -> list[dict[str, Any]]:
    return [report(fields=[field("listed", WORLD), field("restricted", SHIPPING)]),
            report("missing", [field("missing", WORLD[:-1])]),
            report("error", [], reason="http_5xx", http_status=503,
                   evidence={"html_sha256": None, "screenshot": None}),
            report(fields=[field("listed")])]


def test_record_checks_stores_what_record_check_stores(database: Database) -> None:  # noqa: F811
    one_run, targets = make_targets(database, 4)
    with database.scope(write=True) as session:
        batch_run = start_run(session, {"browser": "never", "batch": True}).id
    with database.scope(write=True) as session:
        for target_id, rep in zip(targets, _reports(), strict=True):
            record_check(session, run_id=one_run, target_id=target_id, report=rep)
    with database.scope(write=True) as session:
        ids = record_checks(session, [(batch_run, t, r)
                                      for t, r in zip(targets, _reports(), strict=True)])
    assert all(isinstance(i, int) for i in ids)
    assert _stored(database, batch_run) == _stored(database, one_run)
    with database.scope() as session:  # the lists are shared, not stored twice
        assert len(session.scalars(select(OptionList)).all()) == 3


def test_record_checks_leaves_stored_checks_alone(database: Database) -> None:  # noqa: F811
    run_id, (a, b) = make_targets(database, 2)
    with database.scope(write=True) as session:
        first = record_check(session, run_id=run_id, target_id=a, report=report()).id
    with database.scope(write=True) as session:
        ids = record_checks(session, [
            (run_id, a, report("missing", [field("missing", WORLD[:-1])])),
            (run_id, b, report()), (run_id, b, report("missing"))])
    assert ids[0] is None and isinstance(ids[1], int) and ids[2] is None
    with database.scope() as session:
        rows = {c.target_id: (c.id, c.verdict) for c in session.scalars(select(Check))}
        assert rows == {a: (first, "listed"), b: (ids[1], "listed")}
        assert len(session.scalars(select(FieldResult)).all()) == 2


def test_store_many_isolates_a_bad_report(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'xk.sqlite3'}"
    from db.migrate import upgrade

    upgrade(url)
    with Database(url) as db:
        run_id, (a, b, c) = make_targets(db, 3)
    book = RunBook(url, tmp_path / "data")
    try:
        problems = book.store_many([
            (run_id, a, report(), [(b"<html>a</html>", "html")]),
            (run_id, b, {"fields": []}, ()),  # no verdict: refused
            (run_id, c, report("missing"), [(b"<html>c</html>", "html")])])
        assert problems[0] is None and problems[2] is None
        assert isinstance(problems[1], ValueError)
        binding = RunBinding(run_id=run_id, resumed=False, scope=(a, b, c))
        assert book.unchecked(binding) == {b}
        assert len(list((tmp_path / "data").rglob("*.html"))) == 2
    finally:
        book.close()


@pytest.mark.parametrize("batch", [1, 7])
def test_store_many_batches_of_any_size(tmp_path, batch: int) -> None:
    url = f"sqlite:///{tmp_path / 'xk.sqlite3'}"
    from db.migrate import upgrade

    upgrade(url)
    with Database(url) as db:
        run_id, targets = make_targets(db, batch)
    book = RunBook(url, tmp_path / "data")
    try:
        assert book.store_many([(run_id, t, report(), ()) for t in targets]) == [None] * batch
        binding = RunBinding(run_id=run_id, resumed=False, scope=tuple(targets))
        assert book.unchecked(binding) == set()
    finally:
        book.close()
