"""Writing the history: idempotent checks (also under two racing writers), option-list
deduplication, runs, and the content-addressed evidence store."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from db.errors import EvidenceNotFound
from db.models import Check, FieldResult, OptionList, Run, Site, Target
from db.session import Database
from db.store import (
    EvidenceStore,
    canonical_options,
    finish_run,
    record_check,
    start_run,
)
from tests.db_fixtures import database, db_url, postgres_base  # noqa: F401

WORLD = [["", "Choose…"]] + [[f"C{i:03d}", f"Country {i}"] for i in range(240)] \
    + [["XK", "Kosovo"]]
SHIPPING = [["DE", "Germany"], ["FR", "France"], ["IT", "Italy"]]


def field(verdict: str = "listed", options: list[list[str]] | None = None,
          **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "country", "widget": "select", "selector": "#country", "name": "country",
        "id": "country", "label": "Country", "option_count": len(options or []),
        "country_count": max(len(options or []) - 1, 0), "verdict": verdict,
        "kosovo": {"label": "Kosovo", "value": "XK", "dial_code": None}
        if verdict == "listed" else None,
        "qualifier": None,
        "fingerprint": {"source": "i18n-iso-countries", "similarity": 0.991},
        "neighbours": [["JO", "Jordan"], ["KZ", "Kazakhstan"]],
    }
    if options is not None:
        data["options"] = options
    data.update(extra)
    return data


def report(verdict: str = "listed", fields: list[dict[str, Any]] | None = None,
           checked_at: str = "2026-11-23T10:00:00Z", **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "source": "https://shop.example.com/checkout",
        "final_url": "https://shop.example.com/checkout", "checked_at": checked_at,
        "territory": "XK", "method": "static", "verdict": verdict, "reason": None,
        "fields": fields if fields is not None else [field(verdict, WORLD)],
        "evidence": {"html_sha256": "a" * 64, "screenshot": None},
        "title": "Checkout", "http_status": 200, "detail": None, "render_hints": [],
        "notes": [], "elapsed_ms": 321,
    }
    data.update(extra)
    return data


def make_targets(database: Database, count: int = 1) -> tuple[int, list[int]]:  # noqa: F811
    with database.scope(write=True) as session:
        site = Site(domain="shop.example.com", name="Shop")
        targets = [Target(site=site, url=f"https://shop.example.com/p{i}", kind="checkout")
                   for i in range(count)]
        session.add_all([site, *targets])
        run = start_run(session, {"browser": "never"})
        session.flush()
        return run.id, [t.id for t in targets]


def count(database: Database, model: Any) -> int:  # noqa: F811
    with database.scope() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def test_record_check_stores_check_fields_and_options(database: Database) -> None:  # noqa: F811
    run_id, (target_id,) = make_targets(database)
    two_fields = [field("listed", WORLD), field("restricted", SHIPPING, selector="#ship",
                                                kosovo=None)]
    with database.scope() as session:
        check = record_check(session, run_id=run_id, target_id=target_id,
                             report=report("listed", two_fields))
        check_id = check.id
    with database.scope() as session:
        check = session.get(Check, check_id)
        assert check is not None
        assert (check.verdict, check.method, check.territory, check.conclusive) == \
            ("listed", "static", "XK", True)
        assert check.checked_at.isoformat() == "2026-11-23T10:00:00+00:00"
        assert (check.http_status, check.elapsed_ms, check.html_sha256) == (200, 321, "a" * 64)
        first, second = check.fields
        assert (first.position, first.verdict, first.kosovo_label, first.kosovo_value) == \
            (0, "listed", "Kosovo", "XK")
        assert first.fingerprint_source == "i18n-iso-countries"
        assert first.fingerprint_similarity == pytest.approx(0.991)
        assert first.element_id == "country" and first.selector == "#country"
        assert first.option_list is not None and first.option_list.options == WORLD
        assert first.option_list.option_count == len(WORLD)
        assert second.option_list is not None and second.option_list.options == SHIPPING
        # The stored report names the lists by hash instead of repeating them.
        stored_fields = check.report["fields"]
        assert "options" not in stored_fields[0]
        assert stored_fields[0]["options_sha256"] == first.option_list.sha256
        assert check.report["title"] == "Checkout"


def test_record_check_twice_keeps_one_row_unchanged(database: Database) -> None:  # noqa: F811
    run_id, (target_id,) = make_targets(database)
    with database.scope() as session:
        first = record_check(session, run_id=run_id, target_id=target_id, report=report())
        first_id = first.id
    with database.scope() as session:
        again = record_check(session, run_id=run_id, target_id=target_id,
                             report=report("missing", [field("missing", WORLD[:-1])]))
        assert again.id == first_id
        assert again.verdict == "listed"
    assert count(database, Check) == 1
    assert count(database, FieldResult) == 1


def test_option_lists_are_deduplicated_by_content(database: Database) -> None:  # noqa: F811
    run_id, targets = make_targets(database, 3)
    with database.scope() as session:
        for target_id in targets:
            # Same list; given once as pairs and once as {value, label} objects.
            opts: list[Any] = WORLD if target_id != targets[1] else \
                [{"value": v, "label": lab} for v, lab in WORLD]
            record_check(session, run_id=run_id, target_id=target_id,
                         report=report(fields=[field("listed", opts), field("listed", opts)]))
    assert count(database, OptionList) == 1
    assert count(database, FieldResult) == 6
    with database.scope() as session:
        ids = set(session.execute(select(FieldResult.option_list_id)).scalars())
        assert len(ids) == 1 and None not in ids


def test_fields_without_options_and_failed_fetches(database: Database) -> None:  # noqa: F811
    run_id, (a, b) = make_targets(database, 2)
    with database.scope() as session:
        ok = record_check(session, run_id=run_id, target_id=a,
                          report=report(fields=[field("listed")]))
        failed = record_check(session, run_id=run_id, target_id=b, report=report(
            "error", [], reason="http_5xx", http_status=503, detail="Service Unavailable",
            evidence={"html_sha256": None, "screenshot": None}))
        assert ok.fields[0].option_list_id is None
        assert (failed.verdict, failed.reason, failed.conclusive) == ("error", "http_5xx", False)
        assert failed.fields == []
    with database.scope() as session:
        with pytest.raises(ValueError, match="verdict"):
            record_check(session, run_id=run_id, target_id=a, report={"fields": []})
        with pytest.raises(ValueError, match="method"):
            record_check(session, run_id=run_id, target_id=a,
                         report=report(method="carrier-pigeon"))


def test_hostile_text_is_stored(database: Database) -> None:  # noqa: F811
    run_id, (target_id,) = make_targets(database)
    nasty = field("listed", [["XK", "Kos\x00ovo"], ["RS", "Serbia"]], label="Coun\x00try",
                  name="c" * 2000)
    with database.scope() as session:
        check = record_check(session, run_id=run_id, target_id=target_id, report=report(
            fields=[nasty], title="\x00", detail="bad\x00detail"))
        assert check.fields[0].label == "Country"
        assert check.fields[0].name == "c" * 500
        assert check.detail == "baddetail"
    with database.scope() as session:
        stored = session.execute(select(OptionList.options)).scalar_one()
        assert stored[0] == ["XK", "Kos\x00ovo"]  # JSON keeps it, escaped


def test_two_writers_racing_store_one_check(database: Database) -> None:  # noqa: F811
    run_id, (target_id,) = make_targets(database)
    barrier = threading.Barrier(2)
    ids: list[int] = []
    errors: list[BaseException] = []

    def write() -> None:
        try:
            barrier.wait(timeout=10)
            with database.scope() as session:
                ids.append(record_check(session, run_id=run_id, target_id=target_id,
                                        report=report()).id)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    for _ in range(5):  # several rounds: the race has to be met, not dodged
        threads = [threading.Thread(target=write) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert errors == []
    assert len(ids) == 10 and len(set(ids)) == 1
    assert count(database, Check) == 1
    assert count(database, FieldResult) == 1
    assert count(database, OptionList) == 1


def test_start_and_finish_run(database: Database) -> None:  # noqa: F811
    run_id, (a, b) = make_targets(database, 2)
    with database.scope() as session:
        record_check(session, run_id=run_id, target_id=a, report=report())
        record_check(session, run_id=run_id, target_id=b, report=report(
            "blocked", [], reason="bot_wall", method="browser"))
    with database.scope() as session:
        run = finish_run(session, run_id)
        assert run.status == "finished" and run.finished_at is not None
        assert run.counts == {"checks": 2, "verdicts": {"blocked": 1, "listed": 1},
                              "methods": {"browser": 1, "static": 1}}
        assert run.engine_version
        assert run.settings == {"browser": "never"}
    with database.scope() as session:
        other = start_run(session, {"path": Path("/tmp/x")}, engine_version="test")
        finish_run(session, other.id, status="interrupted", counts={"checks": 0})
        with pytest.raises(ValueError):
            finish_run(session, other.id, status="running")
    with database.scope() as session:
        stored = session.get(Run, other.id)
        assert stored is not None
        assert (stored.status, stored.settings, stored.counts) == \
            ("interrupted", {"path": "/tmp/x"}, {"checks": 0})


def test_canonical_options_forms() -> None:
    assert canonical_options([["XK", "Kosovo"], ("RS", "Serbia"), ["", None]]) == \
        [["XK", "Kosovo"], ["RS", "Serbia"], ["", ""]]
    assert canonical_options([{"value": "XK", "label": "Kosovo", "group": "Europe"},
                              ["AL", "Albania", None]]) == \
        [["XK", "Kosovo", "Europe"], ["AL", "Albania"]]


# The evidence store (no database).

def test_evidence_is_content_addressed(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path)
    html = "<html><select><option>Kosovë</option></select></html>".encode()
    sha = store.put(html, "html")
    assert sha == hashlib.sha256(html).hexdigest()
    path = store.path(sha)
    assert path == tmp_path / sha[:2] / sha[2:4] / f"{sha}.html"
    assert store.get(sha) == html
    assert sha in store
    assert oct(path.stat().st_mode & 0o777) == "0o644"
    # The same bytes again (even named .txt) are the same file, written once.
    mtime = path.stat().st_mtime_ns
    assert store.put(html, ".HTML") == sha
    assert store.put(html, "txt") == sha
    assert list(path.parent.iterdir()) == [path]
    assert path.stat().st_mtime_ns == mtime
    other = store.put(b"\x89PNG...", "png")
    assert other != sha and store.path(other).suffix == ".png"


def test_evidence_refuses_bad_names_and_reports_absence(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path)
    with pytest.raises(EvidenceNotFound):
        store.get("0" * 64)
    assert "0" * 64 not in store
    for bad in ("../../etc/passwd", "A" * 64, "0" * 63):
        with pytest.raises(ValueError):
            store.path(bad)
        assert bad not in store
    with pytest.raises(ValueError):
        store.put(b"x", "../html")


def test_evidence_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = EvidenceStore(tmp_path)
    data = b"<html>" + b"x" * 100_000

    def crash(src: str, dst: str) -> None:
        raise OSError("disk died before the rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        store.put(data, "html")
    sha = hashlib.sha256(data).hexdigest()
    # Nothing half-written under the final name, and the temporary file is gone.
    assert sha not in store
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    monkeypatch.undo()
    assert store.put(data, "html") == sha and store.get(sha) == data


def test_evidence_concurrent_writers_of_the_same_blob(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path)
    data = os.urandom(200_000)
    barrier = threading.Barrier(4)
    results: list[str] = []

    def put() -> None:
        barrier.wait(timeout=10)
        results.append(store.put(data, "png"))

    threads = [threading.Thread(target=put) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(set(results)) == 1 and len(results) == 4
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) == 1 and files[0].read_bytes() == data
