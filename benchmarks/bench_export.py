"""Export rate and peak memory for one million rows, against a bare ``SELECT`` of the same rows.

Target (issue 5): one million rows under 200 MB of resident memory, streamed. The history is
generated with bulk inserts straight into a temporary SQLite file at the current schema (1000
targets, as many runs as it takes, two fields per check, every 25th check an error without
fields), then each export runs in a fresh child process, which first iterates the export's own
SQL through the bare DB-API cursor (the baseline: what reading the rows costs at all), then
writes the export, and reports its time and the process's peak RSS. The ratio is export time
over baseline time.

Run: ``python -m benchmarks.bench_export`` (``--quick`` for 100 000 rows, ``--rows N``,
``--formats csv,jsonl,sqlite,datapackage``).
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

TARGETS = 1000
FIELDS_PER_CHECK = 2
ERROR_EVERY = 25
BATCH = 20_000
LIMIT_MB = 200


def _rows_per_run() -> float:
    return TARGETS * ((ERROR_EVERY - 1) * FIELDS_PER_CHECK + 1) / ERROR_EVERY


def _stamp(moment: datetime) -> str:
    # SQLAlchemy's SQLite DateTime storage format (naive UTC, microseconds).
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def generate(path: Path, rows: int) -> int:
    """Fill a migrated SQLite file with at least ``rows`` export rows; return how many."""
    from db.migrate import upgrade

    url = f"sqlite:///{path}"
    upgrade(url)
    runs = math.ceil(rows / _rows_per_run())
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO companies (id, name) VALUES (?, ?)",
                     [(i, f"Company {i}") for i in range(1, 51)])
    conn.executemany(
        "INSERT INTO sites (id, domain, name, category, company_id, active) "
        "VALUES (?, ?, ?, ?, ?, 1)",
        [(i, f"site{i}.example", f"Site {i}", ("e-commerce", "travel", "fintech")[i % 3],
          i % 50 + 1) for i in range(1, 501)])
    conn.executemany(
        "INSERT INTO targets (id, site_id, url, kind, browser, steps, active) "
        "VALUES (?, ?, ?, 'signup', 'auto', '[]', 1)",
        [(i, (i - 1) // 2 + 1, f"https://site{(i - 1) // 2 + 1}.example/form{i}")
         for i in range(1, TARGETS + 1)])
    conn.executemany(
        "INSERT INTO option_lists (id, sha256, option_count, options) VALUES (?, ?, 250, '[]')",
        [(i, f"{i:064x}") for i in range(1, 11)])
    start = datetime(2024, 1, 1, 6, 0)
    conn.executemany(
        "INSERT INTO runs (id, started_at, status, settings, counts, engine_version) "
        "VALUES (?, ?, 'finished', '{}', '{}', '0.1.0')",
        [(r, _stamp(start + timedelta(days=r))) for r in range(1, runs + 1)])

    def checks() -> Iterator[tuple[Any, ...]]:
        check_id = 0
        for run in range(1, runs + 1):
            base = start + timedelta(days=run)
            for target in range(1, TARGETS + 1):
                check_id += 1
                error = check_id % ERROR_EVERY == 0
                verdict = "error" if error else ("missing", "listed")[target % 2]
                yield (check_id, run, target, _stamp(base + timedelta(seconds=target)), "XK",
                       "static", verdict, "timeout" if error else None, 0 if error else 1,
                       f"https://site.example/{target}", None if error else 200,
                       f"{check_id:064x}", "{}")

    def fields() -> Iterator[tuple[Any, ...]]:
        field_id = 0
        for check_id in range(1, runs * TARGETS + 1):
            if check_id % ERROR_EVERY == 0:
                continue
            listed = (check_id - 1) % TARGETS % 2 == 1
            for position in range(FIELDS_PER_CHECK):
                field_id += 1
                yield (field_id, check_id, position, "country", "select", "#country",
                       "country", "country", "Country", "listed" if listed else "missing",
                       "Kosovo" if listed else None, "XK" if listed else None, None, None,
                       250, 249 if listed else 248,
                       None if listed else "i18n-iso-countries", None if listed else 0.99,
                       field_id % 10 + 1)

    _bulk(conn, "INSERT INTO checks (id, run_id, target_id, checked_at, territory, method, "
                "verdict, reason, conclusive, final_url, http_status, html_sha256, report) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", checks())
    _bulk(conn, "INSERT INTO field_results (id, check_id, position, kind, widget, selector, "
                "name, element_id, label, verdict, kosovo_label, kosovo_value, "
                "kosovo_dial_code, qualifier, option_count, country_count, "
                "fingerprint_source, fingerprint_similarity, option_list_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", fields())
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    total = conn.execute(
        "SELECT count(*) FROM checks LEFT JOIN field_results ON check_id = checks.id"
    ).fetchone()[0]
    conn.close()
    return int(total)


def _bulk(conn: sqlite3.Connection, sql: str, rows: Iterator[tuple[Any, ...]]) -> None:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            conn.executemany(sql, batch)
            batch.clear()
    if batch:
        conn.executemany(sql, batch)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(database: Path, fmt: str, output: Path) -> dict[str, Any]:
    """In this (fresh) process: the bare iteration, then the export; times and peak RSS."""
    from sqlalchemy.dialects import sqlite as sqlite_dialect

    from db.session import Database
    from reports.export import export, export_query

    url = f"sqlite:///{database}"
    started_mb = _peak_mb()
    sql = str(export_query().compile(dialect=sqlite_dialect.dialect(),
                                     compile_kwargs={"literal_binds": True}))
    with Database(url) as db:
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            began = time.perf_counter()
            cursor.execute(sql)
            bare_rows = 0
            while chunk := cursor.fetchmany(2000):
                bare_rows += len(chunk)
            bare = time.perf_counter() - began
            cursor.close()
        finally:
            raw.close()
        after_bare_mb = _peak_mb()
        began = time.perf_counter()
        result = export(db, fmt, output)
        seconds = time.perf_counter() - began
    return {"format": fmt, "rows": result.rows, "bare_rows": bare_rows, "bare_s": bare,
            "export_s": seconds, "ratio": seconds / bare, "rows_per_s": result.rows / seconds,
            "start_mb": started_mb, "after_bare_mb": after_bare_mb, "peak_mb": _peak_mb(),
            "bytes": _size(output)}


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir())
    return path.stat().st_size


def _child(database: Path, fmt: str, folder: Path) -> dict[str, Any]:
    suffix = {"csv": ".csv", "jsonl": ".jsonl", "sqlite": ".sqlite3", "datapackage": ".zip"}[fmt]
    output = folder / f"export{suffix}"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_export", "--measure", fmt, str(database),
         str(output)], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parent.parent)
    output.unlink(missing_ok=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 000 rows")
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--formats", default="csv,jsonl,sqlite,datapackage")
    parser.add_argument("--measure", nargs=3, metavar=("FORMAT", "DB", "OUT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        fmt, database, output = args.measure
        print(json.dumps(measure(Path(database), fmt, Path(output))))
        return 0
    rows = args.rows or (100_000 if args.quick else 1_000_000)
    with tempfile.TemporaryDirectory(prefix="xktracker-bench-") as temp:
        folder = Path(temp)
        database = folder / "history.sqlite3"
        began = time.perf_counter()
        total = generate(database, rows)
        print(f"generated {total:,} rows ({database.stat().st_size / 2**20:.0f} MB SQLite) "
              f"in {time.perf_counter() - began:.1f} s")
        print(f"{'format':<12}{'rows/s':>10}{'export s':>10}{'bare s':>8}{'ratio':>7}"
              f"{'peak RSS MB':>13}{'output MB':>11}")
        worst = 0.0
        for fmt in args.formats.split(","):
            r = _child(database, fmt, folder)
            assert r["rows"] == r["bare_rows"] == total, r
            worst = max(worst, r["peak_mb"])
            print(f"{fmt:<12}{r['rows_per_s']:>10,.0f}{r['export_s']:>10.1f}{r['bare_s']:>8.2f}"
                  f"{r['ratio']:>7.1f}{r['peak_mb']:>13.0f}{r['bytes'] / 2**20:>11.0f}")
        verdict = "within" if worst < LIMIT_MB else "OVER"
        print(f"peak RSS {worst:.0f} MB: {verdict} the {LIMIT_MB} MB target "
              f"(the bare iteration is the same SQL through the sqlite3 cursor, no conversion)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
