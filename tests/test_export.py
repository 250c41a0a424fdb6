"""The exports against their schema, on SQLite and PostgreSQL: every column in every format,
types that parse, formula cells prefixed in CSV and left exact in JSONL and SQLite, a data
package that frictionless validates, filters, streaming in batches, and the CLI."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from db.session import Database
from reports.columns import COLUMN_NAMES, COLUMNS, FORMULA_START
from reports.datapackage import table_schema
from reports.export import (
    ExportError,
    ExportFilters,
    export,
    iso_cell,
    iter_batches,
    iter_csv,
    iter_datapackage_zip,
    iter_jsonl,
    iter_rows,
    parse_when,
    write_datapackage,
    write_sqlite,
)
from tests.db_fixtures import database, db_url, postgres_base  # noqa: F401
from tests.report_history import HISTORY, HOSTILE_NAME, build_history, expected_rows
from xktracker.cli import main

NOW = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
HYPERLINK = '=HYPERLINK("http://x.test","y")'


@pytest.fixture
def history(database: Database) -> Database:  # noqa: F811
    build_history(database)
    return database


def _parse(column: str, text: str) -> Any:
    """A CSV cell read back by the column's declared type."""
    kind = next(c.type for c in COLUMNS if c.name == column)
    if text == "":
        return None
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "datetime":
        assert text.endswith("Z")
        return datetime.fromisoformat(text)
    return text


def test_rows_one_per_field_with_errors_kept(history: Database) -> None:
    rows = list(iter_rows(history))
    assert len(rows) == expected_rows() == 40
    assert all(list(row) == list(COLUMN_NAMES) for row in rows)
    assert [r["checked_at"] for r in rows] == sorted(r["checked_at"] for r in rows)
    # T1's error in run 3: one row, empty field columns, the reason kept.
    error = next(r for r in rows if r["target_url"].endswith("/register")
                 and r["checked_at"] == "2026-11-09T09:01:00Z")
    assert (error["page_verdict"], error["reason"], error["field_position"],
            error["field_verdict"], error["field_label"]) == ("error", "timeout", None, None,
                                                              None)
    listed = next(r for r in rows if r["target_url"].endswith("/register")
                  and r["page_verdict"] == "listed")
    assert listed | {} == listed  # a plain dict
    assert (listed["field_kind"], listed["kosovo_label"], listed["kosovo_value"],
            listed["kosovo_dial_code"], listed["field_label"]) == (
        "phone_country_code", "Kosovo", "XK", "+383", "\tPhone")
    assert len(listed["option_list_sha256"]) == 64
    evil = [r for r in rows if r["site"] == "evil.test"]
    assert len(evil) == 12 and {r["field_position"] for r in evil} == {0, 1}
    assert evil[0]["site_name"] == HOSTILE_NAME and evil[0]["company"] == "Evil & Co"
    assert evil[0]["fingerprint_similarity"] == pytest.approx(0.991)
    assert {r["method"] for r in rows if r["site"] == "globex.test"} == {"browser"}
    nocat = [r for r in rows if r["site"] == "nocat.test"]
    assert [(r["page_verdict"], r["reason"], r["company"], r["category"]) for r in nocat] == [
        ("blocked", "bot_wall", None, None), ("error", "dns", None, None),
        ("blocked", "captcha", None, None), ("error", "timeout", None, None)]


def test_streams_in_batches(history: Database) -> None:
    batches = list(iter_batches(history, batch=7))
    assert [len(b) for b in batches] == [7, 7, 7, 7, 7, 5]


def test_filters(history: Database) -> None:
    def count(**kwargs: Any) -> int:
        return sum(1 for _ in iter_rows(history, ExportFilters(**kwargs)))

    november = count(since=parse_when("2026-11-01"), until=parse_when("2026-11-30", end=True))
    # runs 2 to 5: 7 + 6 + 7 + 7 rows (T5 always has two fields, T4's partial page two)
    assert november == 27
    assert count(category="e-commerce") == 6 + 6 + 12
    assert count(verdict="error") == 4
    assert count(sites=("GLOBEX.test",)) == 6
    # Every site named counts, not only the last one (xktracker export --site a --site b).
    assert count(sites=("travel.acme.test",)) > 0
    assert count(sites=("globex.test", "travel.acme.test")) == 6 + count(
        sites=("travel.acme.test",))
    assert count(territory="TW") == 0
    assert parse_when("2026-11-01T12:00:00Z") == datetime(2026, 11, 1, 12, tzinfo=UTC)
    with pytest.raises(ExportError):
        parse_when("last tuesday")


def test_csv_is_rfc4180_typed_and_formula_safe(history: Database) -> None:
    raw = b"".join(iter_csv(history))
    text = raw.decode("utf-8")
    assert raw.endswith(b"\r\n") and "\n" not in text.replace("\r\n", "")
    reader = csv.reader(io.StringIO(text, newline=""))
    header, *body = list(reader)
    assert header == list(COLUMN_NAMES)
    assert len(body) == expected_rows()
    exact = list(iter_rows(history))
    for cells, row in zip(body, exact, strict=True):
        assert len(cells) == len(COLUMN_NAMES)
        for name, cell in zip(COLUMN_NAMES, cells, strict=True):
            value = row[name]
            if isinstance(value, str) and value.startswith(FORMULA_START):
                assert cell == "'" + value, name
            elif name == "checked_at":
                assert _parse(name, cell) == datetime.fromisoformat(value)
            else:
                assert _parse(name, cell) == value, name
    labels = {cells[COLUMN_NAMES.index("field_label")] for cells in body}
    assert "'" + HYPERLINK in labels and "'\tPhone" in labels and "'+Country" in labels
    assert "'-- Select --\x01" in labels
    assert "'@country" in {cells[COLUMN_NAMES.index("field_name")] for cells in body}
    assert "'+383" in {cells[COLUMN_NAMES.index("kosovo_dial_code")] for cells in body}
    assert HOSTILE_NAME in {cells[COLUMN_NAMES.index("site_name")] for cells in body}


def test_jsonl_round_trips_exactly(history: Database) -> None:
    lines = b"".join(iter_jsonl(history)).decode("utf-8").split("\n")
    assert lines[-1] == ""
    parsed = [json.loads(line) for line in lines[:-1]]
    assert parsed == list(iter_rows(history))
    assert HYPERLINK in {r["field_label"] for r in parsed}
    assert isinstance(parsed[0]["check_id"], int)
    assert isinstance(parsed[0]["fingerprint_similarity"], float)


def test_sqlite_file_is_the_same_flat_table(history: Database, tmp_path: Path) -> None:
    path = tmp_path / "out" / "history.sqlite3"
    assert write_sqlite(history, path, now=NOW) == expected_rows()
    conn = sqlite3.connect(path)
    try:
        columns = [(r[1], r[2]) for r in conn.execute("PRAGMA table_info(field_checks)")]
        assert [c for c, _ in columns] == list(COLUMN_NAMES)
        assert dict(columns)["fingerprint_similarity"] == "REAL"
        assert dict(columns)["check_id"] == "INTEGER"
        conn.row_factory = sqlite3.Row
        stored = [dict(r) for r in conn.execute("SELECT * FROM field_checks ORDER BY rowid")]
        assert stored == list(iter_rows(history))
        indexes = {r[1] for r in conn.execute("PRAGMA index_list(field_checks)")}
        assert {"ix_field_checks_checked_at", "ix_field_checks_site",
                "ix_field_checks_page_verdict"} <= indexes
        info = dict(conn.execute("SELECT key, value FROM export_info").fetchall())
        assert "ODbL-1.0" in info["licence"] and info["rows"] == str(expected_rows())
        assert info["created"] == "2026-12-02T08:00:00Z"
    finally:
        conn.close()
    assert not list(path.parent.glob(".*"))  # no temporary file left behind


def _validate(descriptor: Path) -> None:
    from frictionless import validate

    report = validate(descriptor)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_datapackage_folder_validates(history: Database, tmp_path: Path) -> None:
    folder = tmp_path / "package"
    assert write_datapackage(history, folder, now=NOW) == expected_rows()
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["CITATION.cff", "LICENSE.md", "datapackage.json", "field_checks.csv",
                     "methodology.md"]
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "ODbL-1.0"
    fields = package["resources"][0]["schema"]["fields"]
    assert [f["name"] for f in fields] == list(COLUMN_NAMES)
    assert all(f["description"] and f["type"] for f in fields)
    enums = {f["name"]: f["constraints"]["enum"] for f in fields
             if "enum" in f.get("constraints", {})}
    assert "missing" in enums["page_verdict"] and "error" in enums["page_verdict"]
    assert "unknown" in enums["field_verdict"]
    assert package["resources"][0]["xktracker:rows"] == expected_rows()
    assert (folder / "field_checks.csv").read_bytes() == b"".join(iter_csv(history))
    _validate(folder / "datapackage.json")

    citation = yaml.safe_load((folder / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0" and citation["license"] == "ODbL-1.0"
    assert citation["type"] == "dataset" and citation["date-released"] == "2026-12-02"
    methodology = (folder / "methodology.md").read_text(encoding="utf-8")
    assert "xktracker" in methodology and "## 4. Verdicts" in methodology
    assert "ODbL-1.0" in (folder / "LICENSE.md").read_text(encoding="utf-8")


def test_datapackage_rejects_a_broken_row(history: Database, tmp_path: Path) -> None:
    """The schema is strict enough to catch a wrong value (the validation is not a no-op)."""
    folder = tmp_path / "package"
    write_datapackage(history, folder, now=NOW)
    csv_path = folder / "field_checks.csv"
    csv_path.write_bytes(csv_path.read_bytes().replace(b",missing,", b",absent,", 1))
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    del package["resources"][0]["hash"], package["resources"][0]["bytes"]
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    from frictionless import validate

    report = validate(folder / "datapackage.json")
    assert not report.valid
    assert "constraint-error" in {e.type for e in report.tasks[0].errors}


def test_datapackage_zip_streams_and_validates(history: Database, tmp_path: Path) -> None:
    streamed = tmp_path / "streamed.zip"
    chunks = list(iter_datapackage_zip(history, now=NOW))
    assert len(chunks) > 1
    streamed.write_bytes(b"".join(chunks))
    written = tmp_path / "written.zip"
    assert write_datapackage(history, written, now=NOW) == expected_rows()
    for archive in (streamed, written):
        with zipfile.ZipFile(archive) as zipped:
            assert zipped.testzip() is None
            names = sorted(zipped.namelist())
            assert names == [f"xktracker-data-2026-12-02/{n}" for n in (
                "CITATION.cff", "LICENSE.md", "datapackage.json", "field_checks.csv",
                "methodology.md")]
            target = tmp_path / archive.stem
            zipped.extractall(target)
        _validate(target / "xktracker-data-2026-12-02" / "datapackage.json")


def test_export_entry_point(history: Database, tmp_path: Path) -> None:
    out = io.BytesIO()
    result = export(history, "jsonl", out)
    assert result.rows == expected_rows() and result.path is None
    assert out.getvalue().count(b"\n") == expected_rows()
    target = tmp_path / "a" / "history.csv"
    assert export(history, "csv", target).path == target
    assert target.read_bytes() == b"".join(iter_csv(history))
    with pytest.raises(ExportError):
        export(history, "sqlite", io.BytesIO())
    with pytest.raises(ExportError):
        export(history, "xlsx", target)


@pytest.mark.parametrize(("stored", "moment"), [
    ("2026-11-23 10:00:00.000000", datetime(2026, 11, 23, 10, tzinfo=UTC)),
    ("2026-11-23 10:00:00.120000", datetime(2026, 11, 23, 10, 0, 0, 120000, tzinfo=UTC)),
    ("2026-11-23 10:00:00", datetime(2026, 11, 23, 10, tzinfo=UTC)),
])
def test_times_read_the_same_from_both_backends(stored: str, moment: datetime) -> None:
    """SQLite's stored text and PostgreSQL's datetimes give the same ISO 8601 cell."""
    assert iso_cell(stored) == iso_cell(moment) == moment.isoformat().replace("+00:00", "Z")


def test_table_schema_covers_every_column() -> None:
    schema = table_schema()
    assert [f["name"] for f in schema["fields"]] == list(COLUMN_NAMES)
    assert {f["type"] for f in schema["fields"]} <= {"string", "integer", "number",
                                                     "datetime"}


def test_data_dictionary_documents_every_column() -> None:
    text = (Path(__file__).resolve().parent.parent / "docs" / "data-dictionary.md").read_text(
        encoding="utf-8")
    for column in COLUMNS:
        assert f"| `{column.name}` | {column.type} |" in text, column.name


@pytest.fixture
def cli_env(history: Database) -> dict[str, str]:
    return {"XKTRACKER_DATABASE_URL": history.url.render_as_string(hide_password=False)}


def test_cli_export(cli_env: dict[str, str], tmp_path: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(main, ["export", "--format", "csv", "--category", "travel"],
                         env=cli_env)
    assert done.exit_code == 0, done.output
    lines = done.stdout_bytes.decode("utf-8").split("\r\n")
    assert lines[0] == ",".join(COLUMN_NAMES) and len(lines) == 1 + 6 + 1
    assert "6 rows" in done.stderr

    sqlite_path = tmp_path / "h.sqlite3"
    done = runner.invoke(main, ["export", "--format", "sqlite", "--output", str(sqlite_path),
                                "--verdict", "missing", "--since", "2026-11-23"], env=cli_env)
    assert done.exit_code == 0, done.output
    conn = sqlite3.connect(sqlite_path)
    # T3 (one field) and T5 (two) in runs 5 and 6
    assert conn.execute("SELECT count(*) FROM field_checks").fetchone() == (1 + 2 + 1 + 2,)
    conn.close()

    for bad in (["--format", "sqlite"], ["--format", "csv", "--since", "soon"],
                ["--format", "csv", "--verdict", "absent"], ["--format", "xml"]):
        done = runner.invoke(main, ["export", *bad], env=cli_env)
        assert done.exit_code == 2, (bad, done.output)


def test_cli_export_needs_an_initialised_database(tmp_path: Path) -> None:
    done = CliRunner().invoke(main, ["export", "--format", "csv"], env={
        "XKTRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'none.sqlite3'}"})
    assert done.exit_code == 1 and "xktracker init" in done.output


def test_history_spec_is_consistent() -> None:
    assert sum(len(runs) for runs in HISTORY.values()) == 33
