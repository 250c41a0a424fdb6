"""Writing the history: runs and checks, idempotently.

Crash safety comes from the database, not from a clean shutdown: ``checks`` has a unique key
on ``(run_id, target_id)`` and :func:`record_check` inserts with ``ON CONFLICT DO NOTHING``,
so re-running a crawl that was killed half way stores each missing check once and leaves the
stored ones untouched, even with two writers racing for the same target.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.evidence import EvidenceStore
from db.models import METHODS, Check, FieldResult, OptionList, Run
from db.verdicts import is_conclusive

__all__ = ["EvidenceStore", "canonical_options", "finish_run", "record_check", "record_checks",
           "start_run"]



def _insert_or_ignore(session: Session, model: type[Check] | type[OptionList],
                      key: list[str]) -> sqlite.Insert | postgresql.Insert | None:
    """``INSERT … ON CONFLICT (key) DO NOTHING`` where the dialect has it, else ``None``."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite.insert(model).on_conflict_do_nothing(index_elements=key)
    if dialect == "postgresql":
        return postgresql.insert(model).on_conflict_do_nothing(index_elements=key)
    return None


def _now() -> datetime:
    return datetime.now(UTC)


def _engine_version() -> str:
    try:
        return metadata.version("xktracker")
    except metadata.PackageNotFoundError:
        return "unknown"


def _jsonable(value: Any) -> Any:
    """A JSON-safe copy (paths, dates and the like as strings) for the JSON columns."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def start_run(session: Session, settings: dict[str, Any], *,
              engine_version: str | None = None, started_at: datetime | None = None) -> Run:
    """Open a run (one crawl); ``settings`` records how it was made (browser mode, filters…)."""
    run = Run(started_at=started_at or _now(), status="running", settings=_jsonable(settings),
              counts={}, engine_version=engine_version or _engine_version())
    session.add(run)
    session.flush()
    return run


def run_counts(session: Session, run_id: int) -> dict[str, Any]:
    """What a run stored: number of checks, by verdict and by method."""
    by_verdict = dict(session.execute(
        select(Check.verdict, func.count()).where(Check.run_id == run_id)
        .group_by(Check.verdict)).all())
    by_method = dict(session.execute(
        select(Check.method, func.count()).where(Check.run_id == run_id)
        .group_by(Check.method)).all())
    return {"checks": sum(by_verdict.values()), "verdicts": dict(sorted(by_verdict.items())),
            "methods": dict(sorted(by_method.items()))}


def finish_run(session: Session, run_id: int, *, status: str = "finished",
               counts: dict[str, Any] | None = None,
               finished_at: datetime | None = None) -> Run:
    """Close a run as ``finished`` or ``interrupted``; ``counts`` default to what it stored.

    Runs are bookkeeping, not evidence: closing one updates it (checks are never updated).
    """
    if status not in ("finished", "interrupted"):
        raise ValueError(f"a run ends as finished or interrupted, not {status!r}")
    run = session.get(Run, run_id)
    if run is None:
        raise LookupError(f"no run {run_id}")
    run.status = status
    run.finished_at = finished_at or _now()
    run.counts = _jsonable(counts) if counts is not None else run_counts(session, run_id)
    session.flush()
    return run


def canonical_options(options: Sequence[Any]) -> list[list[str]]:
    """Options as ``[value, label]`` pairs (``[value, label, group]`` when grouped), the form
    that is hashed, so the same list from two pages or two paths gets one row."""
    out: list[list[str]] = []
    for option in options:
        if isinstance(option, dict):
            item = [str(option.get("value") or ""), str(option.get("label") or "")]
            if option.get("group"):
                item.append(str(option["group"]))
        else:
            values = list(option)
            item = [str(v if v is not None else "") for v in values[:2]]
            item += [""] * (2 - len(item))
            if len(values) > 2 and values[2]:
                item.append(str(values[2]))
        out.append(item)
    return out


def options_sha256(options: list[list[str]]) -> str:
    text = json.dumps(options, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _parse_time(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return _now()


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str_or_none(value: Any, limit: int | None = None) -> str | None:
    """Text for a column: NUL characters dropped (PostgreSQL refuses them in text, and a
    hostile page can put one in a label), cut to the column's length."""
    if value is None or value == "":
        return None
    text = str(value).replace("\x00", "")
    return (text[:limit] if limit else text) or None


def _field_row(position: int, field: dict[str, Any], option_list_id: int | None,
               check_id: int) -> dict[str, Any]:
    kosovo = field.get("kosovo") or {}
    fingerprint = field.get("fingerprint") or {}
    similarity = fingerprint.get("similarity")
    return {
        "check_id": check_id, "position": position,
        "kind": _str_or_none(field.get("kind"), 32) or "country",
        "widget": _str_or_none(field.get("widget"), 32) or "select",
        "selector": _str_or_none(field.get("selector")),
        "name": _str_or_none(field.get("name"), 500),
        "element_id": _str_or_none(field.get("id"), 500),
        "label": _str_or_none(field.get("label")),
        "verdict": _str_or_none(field.get("verdict"), 32) or "unknown",
        "kosovo_label": _str_or_none(kosovo.get("label"), 500),
        "kosovo_value": _str_or_none(kosovo.get("value"), 500),
        "kosovo_dial_code": _str_or_none(kosovo.get("dial_code"), 16),
        "qualifier": _str_or_none(field.get("qualifier"), 500),
        "option_count": _int_or_none(field.get("option_count")),
        "country_count": _int_or_none(field.get("country_count")),
        "fingerprint_source": _str_or_none(fingerprint.get("source"), 200),
        "fingerprint_similarity": (float(similarity)
                                   if isinstance(similarity, int | float) else None),
        "option_list_id": option_list_id,
    }


def _store_option_lists(session: Session,
                        lists: dict[str, list[list[str]]]) -> dict[str, int]:
    """Insert the lists not stored yet; return the row id of each hash.

    Looked up first: almost every list is already stored (a site's country list changes
    rarely), and an insert-or-ignore would serialise its few hundred options for nothing."""
    if not lists:
        return {}
    known: dict[str, int] = {sha: id_ for sha, id_ in session.execute(
        select(OptionList.sha256, OptionList.id).where(OptionList.sha256.in_(list(lists))))}
    if len(known) == len(lists):
        return known
    # Sorted: two writers inserting the same lists take their locks in the same order.
    rows = [{"sha256": sha, "option_count": len(opts), "options": opts}
            for sha, opts in sorted(lists.items()) if sha not in known]
    stmt = _insert_or_ignore(session, OptionList, ["sha256"])
    if stmt is not None:
        session.execute(stmt, rows)
    else:
        for row in rows:
            try:
                with session.begin_nested():
                    session.execute(insert(OptionList), [row])
            except IntegrityError:
                pass
    found = session.execute(select(OptionList.sha256, OptionList.id)
                            .where(OptionList.sha256.in_([r["sha256"] for r in rows]))).all()
    return {**known, **dict(found)}


def _insert_check(session: Session, row: dict[str, Any]) -> int | None:
    """The new check's id, or ``None`` when (run_id, target_id) was already stored."""
    stmt = _insert_or_ignore(session, Check, ["run_id", "target_id"])
    if stmt is not None:
        return session.execute(stmt.values(**row).returning(Check.id)).scalar_one_or_none()
    try:
        with session.begin_nested():
            return session.execute(insert(Check).values(**row).returning(Check.id)).scalar_one()
    except IntegrityError:
        return None


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A report made ready for the tables: the check's row, its fields, their lists."""

    row: dict[str, Any]
    fields: list[dict[str, Any]]
    field_sha: list[str | None]
    lists: dict[str, list[list[str]]]


def _prepare_check(run_id: int, target_id: int, report: dict[str, Any]) -> _Prepared:
    verdict = report.get("verdict")
    if not isinstance(verdict, str) or not verdict:
        raise ValueError("report has no verdict")
    method = report.get("method") or "static"
    if method not in METHODS:
        raise ValueError(f"report method must be one of {', '.join(METHODS)}, not {method!r}")

    fields: list[dict[str, Any]] = [f for f in report.get("fields") or []
                                    if isinstance(f, dict)]
    lists: dict[str, list[list[str]]] = {}
    field_sha: list[str | None] = []
    for field in fields:
        options = field.get("options")
        if isinstance(options, list | tuple) and options:
            canonical = canonical_options(options)
            sha = options_sha256(canonical)
            lists[sha] = canonical
            field_sha.append(sha)
        else:
            field_sha.append(None)
    stored_report = dict(report)
    stored_report["fields"] = [
        {**{k: v for k, v in field.items() if k != "options"},
         **({"options_sha256": sha} if sha else {})}
        for field, sha in zip(fields, field_sha, strict=True)]

    evidence = report.get("evidence") or {}
    row = {
        "run_id": run_id, "target_id": target_id,
        "checked_at": _parse_time(report.get("checked_at")),
        "territory": str(report.get("territory") or "XK"),
        "method": method, "verdict": verdict,
        "reason": _str_or_none(report.get("reason"), 64),
        "conclusive": is_conclusive(verdict),
        "final_url": _str_or_none(report.get("final_url")),
        "http_status": _int_or_none(report.get("http_status")),
        "detail": _str_or_none(report.get("detail")),
        "html_sha256": _str_or_none(evidence.get("html_sha256"), 64),
        "screenshot_sha256": _str_or_none(evidence.get("screenshot"), 64),
        "elapsed_ms": _int_or_none(report.get("elapsed_ms")),
        "report": _jsonable(stored_report),
    }

    return _Prepared(row=row, fields=fields, field_sha=field_sha, lists=lists)


def record_check(session: Session, *, run_id: int, target_id: int,
                 report: dict[str, Any]) -> Check:
    """Store one checker report (the ``xktracker check --json`` object) as a Check with its
    FieldResults and OptionLists; return it.

    Idempotent: if the run already has a check for this target, that check is returned
    unchanged and nothing is written. ``report["fields"][i]["options"]`` (``[value, label]``
    pairs), when present, is stored once per distinct list in ``option_lists``; the copy of the
    report kept in ``checks.report`` carries ``options_sha256`` in its place, so a year of
    daily checks does not store the same 250 countries 365 times.

    The first statement writes (the check), so on SQLite it takes the write lock (waiting up
    to the busy timeout) even in a session opened without ``write=True``.
    """
    prepared = _prepare_check(run_id, target_id, report)
    fields, field_sha = prepared.fields, prepared.field_sha
    check_id = _insert_check(session, prepared.row)
    if check_id is None:
        existing = session.execute(select(Check).where(
            Check.run_id == run_id, Check.target_id == target_id)).scalar_one()
        return existing
    list_ids = _store_option_lists(session, prepared.lists)
    if fields:
        session.execute(insert(FieldResult), [
            _field_row(position, field, list_ids.get(sha) if sha else None, check_id)
            for position, (field, sha) in enumerate(zip(fields, field_sha, strict=True))])
    check = session.get(Check, check_id)
    assert check is not None
    return check


def record_checks(session: Session,
                  checks: Sequence[tuple[int, int, dict[str, Any]]]) -> list[int | None]:
    """Store several reports (``(run_id, target_id, report)``) with one statement per table
    instead of several per check: the crawler's group commit, whose per-check cost is a
    fraction of :func:`record_check`'s. Stores exactly what ``record_check`` stores for
    each; returns each new check's id, or ``None`` where the run already had a check for
    that target (left unchanged, as ``record_check`` leaves it)."""
    prepared = [_prepare_check(run_id, target_id, report) for run_id, target_id, report in checks]
    stmt = _insert_or_ignore(session, Check, ["run_id", "target_id"])
    if stmt is None:  # no ON CONFLICT here: one at a time, each in its savepoint
        out: list[int | None] = []
        for run_id, target_id, report in checks:
            before = session.execute(select(Check.id).where(
                Check.run_id == run_id, Check.target_id == target_id)).scalar_one_or_none()
            check = record_check(session, run_id=run_id, target_id=target_id, report=report)
            out.append(None if before is not None else check.id)
        return out
    table = Check.__table__
    connection = session.connection()
    new_ids = {(run_id, target_id): check_id for check_id, run_id, target_id in connection.execute(
        stmt.returning(table.c.id, table.c.run_id, table.c.target_id),
        [one.row for one in prepared])}
    ids: list[int | None] = []
    for one in prepared:
        # pop: a target twice in one batch is stored once, like record_check twice
        ids.append(new_ids.pop((one.row["run_id"], one.row["target_id"]), None))
    stored = [(one, check_id) for one, check_id in zip(prepared, ids, strict=True)
              if check_id is not None]
    lists: dict[str, list[list[str]]] = {}
    for one, _ in stored:
        lists.update(one.lists)
    list_ids = _store_option_lists(session, lists)
    field_rows = [
        _field_row(position, field, list_ids.get(sha) if sha else None, check_id)
        for one, check_id in stored
        for position, (field, sha) in enumerate(zip(one.fields, one.field_sha, strict=True))]
    if field_rows:
        connection.execute(insert(FieldResult), field_rows)
    return ids
