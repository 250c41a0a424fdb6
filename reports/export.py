"""The full check history as flat files: one row per field check, streamed with flat memory.

Rows leave the database in batches (a server-side cursor on PostgreSQL, ``fetchmany`` on
SQLite) and are written as they come, so a million rows cost the same memory as a thousand.
Every format is built on :func:`iter_batches`; the generators (:func:`iter_csv`,
:func:`iter_jsonl`, :func:`iter_datapackage_zip`) open and close their own connection, so a
web response can stream them after the request's session is gone.

Formats:

- ``csv`` — UTF-8, RFC 4180 (CRLF, minimal quoting), a header row; text cells starting with
  ``= + - @``, tab or CR are prefixed with ``'`` so a spreadsheet never runs them.
- ``jsonl`` — one JSON object per row, values exact (no prefix), numbers as numbers.
- ``datapackage`` — a Frictionless Data Package: a folder, or a ``.zip`` when the path ends so.
- ``sqlite`` — a standalone SQLite file with the same flat table, indexed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import operator
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any, BinaryIO

from sqlalchemy import Engine, Select, String, select, type_coerce

from db.models import Check, Company, FieldResult, OptionList, Run, Site, Target
from db.session import Database
from reports.columns import COLUMN_NAMES, COLUMNS, FORMULA_START
from reports.datapackage import (
    CSV_NAME,
    PackageInfo,
    citation_cff,
    descriptor,
    licence_text,
    methodology_note,
)
from reports.errors import ExportError

FORMATS = ("csv", "jsonl", "datapackage", "sqlite")
# Big enough that per-batch overhead vanishes, small enough to keep memory flat.
BATCH = 2000
TABLE = "field_checks"

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8",
               "datapackage": "application/zip", "sqlite": "application/vnd.sqlite3"}
SUFFIXES = {"csv": ".csv", "jsonl": ".jsonl", "datapackage": ".zip", "sqlite": ".sqlite3"}

_TEXT = tuple(i for i, c in enumerate(COLUMNS) if c.type == "string")
_CHECKED_AT = COLUMN_NAMES.index("checked_at")
_FORMULA_TUPLES = itertools.repeat(FORMULA_START)
_SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "datetime": "TEXT", "string": "TEXT"}
_INDEXED = ("checked_at", "site", "category", "page_verdict", "field_verdict", "check_id",
            "fingerprint_source")


Source = Database | Engine


@dataclass(frozen=True, slots=True)
class ExportFilters:
    """Which checks to export. ``since`` is inclusive, ``until`` exclusive (UTC)."""

    since: datetime | None = None
    until: datetime | None = None
    category: str | None = None
    verdict: str | None = None  # the page verdict
    sites: tuple[str, ...] = ()  # domains; empty: every site
    territory: str | None = None

    def describe(self) -> dict[str, str]:
        """The filters in effect, for the package's notes."""
        out: dict[str, str] = {}
        for name in ("since", "until", "category", "verdict", "territory"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value.isoformat() if isinstance(value, datetime) else str(value)
        if self.sites:
            out["sites"] = ", ".join(self.sites)
        return out


def parse_when(text: str, *, end: bool = False) -> datetime:
    """A ``--since``/``--until`` value: a date (``until`` takes the whole day) or an ISO
    date-time (UTC unless it says otherwise)."""
    text = text.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime.combine(day, time.min, tzinfo=UTC)
            return moment + timedelta(days=1) if end else moment
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ExportError(f"{text!r} is not a date (2026-11-01) or an ISO date-time "
                          "(2026-11-01T12:00:00Z)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _engine(source: Source) -> Engine:
    return source.engine if isinstance(source, Database) else source


def export_query(filters: ExportFilters | None = None) -> Select[*tuple[Any, ...]]:
    """The flat query, columns in :data:`COLUMN_NAMES` order, in time order.

    Outer join on fields: a check without fields (an error, a block, a page without a
    country control) is still one row, so failures are in the data.
    """
    filters = filters or ExportFilters()
    query = (
        # checked_at as stored: on SQLite a string turned into ISO 8601 by text surgery
        # (parsing a million datetimes only to print them again is a third of the time).
        select(Check.id, Check.run_id, type_coerce(Check.checked_at, String).label("checked_at"),
               Check.territory, Site.domain,
               Site.name, Company.name, Site.category, Target.url, Target.kind, Check.method,
               Check.verdict, Check.reason, Check.http_status, Check.final_url,
               FieldResult.position, FieldResult.kind, FieldResult.widget,
               FieldResult.selector, FieldResult.name, FieldResult.element_id,
               FieldResult.label, FieldResult.verdict, FieldResult.kosovo_label,
               FieldResult.kosovo_value, FieldResult.kosovo_dial_code, FieldResult.qualifier,
               FieldResult.option_count, FieldResult.country_count,
               FieldResult.fingerprint_source, FieldResult.fingerprint_similarity,
               OptionList.sha256, Check.html_sha256, Check.screenshot_sha256,
               Run.engine_version)
        .select_from(Check)
        .join(Target, Target.id == Check.target_id)
        .join(Site, Site.id == Target.site_id)
        .outerjoin(Company, Company.id == Site.company_id)
        .join(Run, Run.id == Check.run_id)
        .outerjoin(FieldResult, FieldResult.check_id == Check.id)
        .outerjoin(OptionList, OptionList.id == FieldResult.option_list_id)
        .order_by(Check.checked_at, Check.id, FieldResult.position))
    if filters.since is not None:
        query = query.where(Check.checked_at >= filters.since)
    if filters.until is not None:
        query = query.where(Check.checked_at < filters.until)
    if filters.category is not None:
        query = query.where(Site.category == filters.category)
    if filters.verdict is not None:
        query = query.where(Check.verdict == filters.verdict)
    if filters.sites:
        query = query.where(Site.domain.in_([s.lower() for s in filters.sites]))
    if filters.territory is not None:
        query = query.where(Check.territory == filters.territory.upper())
    return query


def iso_cell(value: datetime | str) -> str:
    """ISO 8601 UTC with ``Z``, microseconds only when there are some (as ``isoformat``).

    PostgreSQL hands back aware datetimes; SQLite the naive UTC text SQLAlchemy stored
    (``2026-11-23 10:00:00.000000``), rewritten here without a parse.
    """
    if isinstance(value, str):
        day, _, clock = value.partition(" ")
        clock, _, fraction = clock.partition(".")
        fraction = f".{fraction.ljust(6, '0')}" if fraction.strip("0") else ""
        return f"{day}T{clock}{fraction}Z"
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def iter_batches(source: Source, filters: ExportFilters | None = None, *,
                 batch: int = BATCH) -> Iterator[list[list[Any]]]:
    """Rows in batches, each row a list of plain values in :data:`COLUMN_NAMES` order
    (``checked_at`` as an ISO 8601 UTC string). Holds one connection while iterated."""
    with _engine(source).connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=batch).execute(
            export_query(filters))
        for part in result.partitions():
            rows = [list(row) for row in part]
            for row in rows:
                row[_CHECKED_AT] = iso_cell(row[_CHECKED_AT])
            yield rows


def iter_rows(source: Source, filters: ExportFilters | None = None) -> Iterator[dict[str, Any]]:
    """Rows as dicts (column name → value), streamed; for callers that want one at a time."""
    for rows in iter_batches(source, filters):
        for row in rows:
            yield dict(zip(COLUMN_NAMES, row, strict=True))


def csv_safe(value: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _csv_chunks(batches: Iterator[list[list[Any]]], count: list[int]) -> Iterator[bytes]:
    buffer = io.StringIO()
    # RFC 4180: CRLF line ends, fields quoted only when they need it, quotes doubled.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    texts = operator.itemgetter(*_TEXT)
    for rows in batches:
        for row in rows:
            # The common case (no dangerous cell) is decided without a Python-level loop.
            if any(map(str.startswith, filter(None, texts(row)), _FORMULA_TUPLES)):
                for i in _TEXT:
                    value = row[i]
                    if value and value.startswith(FORMULA_START):
                        row[i] = "'" + value
        writer.writerows(rows)
        count[0] += len(rows)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    tail = buffer.getvalue()
    if tail:
        yield tail.encode("utf-8")


def _jsonl_chunks(batches: Iterator[list[list[Any]]], count: list[int]) -> Iterator[bytes]:
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for rows in batches:
        lines = [dumps(dict(zip(COLUMN_NAMES, row, strict=True))) for row in rows]
        count[0] += len(rows)
        yield ("\n".join(lines) + "\n").encode("utf-8")


def iter_csv(source: Source, filters: ExportFilters | None = None) -> Iterator[bytes]:
    """The CSV export as byte chunks (a header first), for a streamed download."""
    return _csv_chunks(iter_batches(source, filters), [0])


def iter_jsonl(source: Source, filters: ExportFilters | None = None) -> Iterator[bytes]:
    """The JSONL export as byte chunks, for a streamed download."""
    return _jsonl_chunks(iter_batches(source, filters), [0])


# -- data package --------------------------------------------------------------------------

MemberOpener = Callable[[str], AbstractContextManager[IO[bytes]]]


def _package_steps(open_member: MemberOpener, batches: Iterator[list[list[Any]]],
                   info: PackageInfo, count: list[int]) -> Iterator[None]:
    """Write the package's files through ``open_member``, the CSV first (its size and hash
    go into ``datapackage.json``); yields after each chunk so a zip stream can flush."""
    digest = hashlib.sha256()
    size = 0
    with open_member(CSV_NAME) as out:
        for chunk in _csv_chunks(batches, count):
            out.write(chunk)
            digest.update(chunk)
            size += len(chunk)
            yield
    package = descriptor(info, rows=count[0], size=size, sha256=digest.hexdigest())
    texts = {
        "datapackage.json": json.dumps(package, ensure_ascii=False, indent=2) + "\n",
        "CITATION.cff": citation_cff(info),
        "LICENSE.md": licence_text(info),
        "methodology.md": methodology_note(info),
    }
    for name, text in texts.items():
        with open_member(name) as out:
            out.write(text.encode("utf-8"))
        yield


class _Sink:
    """A write-only stream whose bytes are taken out as they come (zipfile sees it is not
    seekable and writes data descriptors instead of seeking back)."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data: bytes, /) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        out = b"".join(self._chunks)
        self._chunks.clear()
        return out


def _zip_member_opener(archive: zipfile.ZipFile, created: datetime) -> MemberOpener:
    def open_member(name: str) -> AbstractContextManager[IO[bytes]]:
        entry = zipfile.ZipInfo(f"{_zip_folder(created)}/{name}",
                                date_time=created.timetuple()[:6])
        entry.compress_type = zipfile.ZIP_DEFLATED
        return archive.open(entry, "w", force_zip64=True)
    return open_member


def _zip_folder(created: datetime) -> str:
    return f"xktracker-data-{created.date().isoformat()}"


def iter_datapackage_zip(source: Source, filters: ExportFilters | None = None, *,
                         now: datetime | None = None) -> Iterator[bytes]:
    """The data package as a zip, streamed as byte chunks (no temporary file)."""
    info = PackageInfo(created=now or datetime.now(UTC),
                       filters=(filters or ExportFilters()).describe())
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for _ in _package_steps(_zip_member_opener(archive, info.created),
                                iter_batches(source, filters), info, [0]):
            chunk = sink.take()
            if chunk:
                yield chunk
    chunk = sink.take()
    if chunk:
        yield chunk


def write_datapackage(source: Source, path: Path, filters: ExportFilters | None = None, *,
                      now: datetime | None = None) -> int:
    """Write the data package to the folder ``path`` (a ``.zip`` file when it ends so);
    return the number of rows. Files are written under temporary names and renamed."""
    info = PackageInfo(created=now or datetime.now(UTC),
                       filters=(filters or ExportFilters()).describe())
    count = [0]
    if path.suffix.lower() == ".zip":
        with _AtomicFile(path) as out:
            with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for _ in _package_steps(_zip_member_opener(archive, info.created),
                                        iter_batches(source, filters), info, count):
                    pass
        return count[0]
    if path.exists() and not path.is_dir():
        raise ExportError(f"{path} exists and is not a folder")
    path.mkdir(parents=True, exist_ok=True)

    def open_member(name: str) -> AbstractContextManager[IO[bytes]]:
        return _AtomicFile(path / name)

    for _ in _package_steps(open_member, iter_batches(source, filters), info, count):
        pass
    return count[0]


class _AtomicFile(AbstractContextManager[BinaryIO]):
    """A file written under a temporary name and renamed into place when the block ends
    cleanly, so a reader (or a cron job's consumer) never sees half an export."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, self.temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        self.file: BinaryIO = os.fdopen(handle, "wb")

    def __enter__(self) -> BinaryIO:
        return self.file

    def __exit__(self, kind: object, *rest: object) -> None:
        self.file.close()
        if kind is None:
            os.chmod(self.temp, 0o644)
            os.replace(self.temp, self.path)
        else:
            os.unlink(self.temp)


# -- SQLite --------------------------------------------------------------------------------

def write_sqlite(source: Source, path: Path, filters: ExportFilters | None = None, *,
                 now: datetime | None = None) -> int:
    """A standalone SQLite file with the flat table ``field_checks`` (typed, indexed) and a
    key/value table ``export_info`` (licence, version, filters); return the number of rows."""
    info = PackageInfo(created=now or datetime.now(UTC),
                       filters=(filters or ExportFilters()).describe())
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    rows = 0
    try:
        conn = sqlite3.connect(temp, isolation_level=None)
        try:
            # A fresh file renamed into place only when complete: no journal needed.
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            columns = ", ".join(f'"{c.name}" {_SQL_TYPES[c.type]}' for c in COLUMNS)
            conn.execute("BEGIN")
            conn.execute(f"CREATE TABLE {TABLE} ({columns})")
            insert = (f"INSERT INTO {TABLE} VALUES "
                      f"({', '.join('?' for _ in COLUMNS)})")
            for batch in iter_batches(source, filters):
                conn.executemany(insert, batch)
                rows += len(batch)
            for name in _INDEXED:
                conn.execute(f'CREATE INDEX ix_{TABLE}_{name} ON {TABLE} ("{name}")')
            conn.execute("CREATE TABLE export_info (key TEXT PRIMARY KEY, value TEXT)")
            conn.executemany("INSERT INTO export_info VALUES (?, ?)", [
                ("created", info.created.astimezone(UTC).isoformat().replace("+00:00", "Z")),
                ("engine_version", info.version), ("rows", str(rows)),
                ("filters", json.dumps(info.filters, ensure_ascii=False)),
                ("licence", licence_text(info)), ("citation", citation_cff(info)),
                ("methodology", methodology_note(info)),
                ("columns", json.dumps([{"name": c.name, "type": c.type,
                                         "description": c.description} for c in COLUMNS],
                                       ensure_ascii=False))])
            conn.execute("COMMIT")
        finally:
            conn.close()
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return rows


# -- one entry point -----------------------------------------------------------------------

@dataclass(slots=True)
class ExportResult:
    format: str
    rows: int
    path: Path | None = None
    notes: list[str] = field(default_factory=list)


def export(source: Source, fmt: str, output: Path | BinaryIO,
           filters: ExportFilters | None = None, *, now: datetime | None = None) -> ExportResult:
    """Write one export. ``output`` is a path, or for csv/jsonl a binary stream (stdout)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt in ("csv", "jsonl"):
        count = [0]
        chunks = (_csv_chunks if fmt == "csv" else _jsonl_chunks)(
            iter_batches(source, filters), count)
        if isinstance(output, Path):
            with _AtomicFile(output) as out:
                for chunk in chunks:
                    out.write(chunk)
            return ExportResult(fmt, count[0], output)
        for chunk in chunks:
            output.write(chunk)
        output.flush()
        return ExportResult(fmt, count[0])
    if not isinstance(output, Path):
        raise ExportError(f"--format {fmt} writes files: give --output PATH")
    if fmt == "sqlite":
        return ExportResult(fmt, write_sqlite(source, output, filters, now=now), output)
    return ExportResult(fmt, write_datapackage(source, output, filters, now=now), output)
