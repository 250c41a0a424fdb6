"""The dashboard at size: 1,000 sites × 365 days of daily checks in SQLite.

1. In process (Flask test client): the median time of the scoreboard and of a site page,
   rendered (the page cache off) and served from the page cache. The scoreboard's
   whole-history numbers are computed once ("cold").
2. The production server (``xktracker serve``: waitress with its limits, the page cache) on
   127.0.0.1, the load made by ``benchmarks.loadclient`` in processes of their own (threads in
   this process would share its GIL and cap the load), every request in English, Albanian or
   Serbian, site pages drawn with Zipf popularity from every site:

   * first page after start with nothing kept (the numbers computed in the request);
   * ``--clients`` (50) for ``--duration`` seconds (60; the report's run: 600) while one more
     client downloads the whole-history CSV again and again over a 100 Mbit/s line: requests
     per second, p50, p95, max, errors (targets: p95 < 300 ms, no error);
   * ``--spike`` (200) clients for ``--spike-duration`` seconds: the 503s, each with
     Retry-After (obeyed by the client), and the slowest answer (target: < 5 s);
   * a restart after the data changed: first page from the last rendering (target:
     < 500 ms after the port opens).

   The load average (``uptime``) is printed before each part: the machine is shared.

Run: ``python -m benchmarks.bench_dashboard [--sites 1000] [--days 365] [--duration 60]
[--clients 50] [--spike 200] [--db PATH]`` (``--quick``: 200 sites, 90 days, 15 s).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from array import array
from pathlib import Path
from typing import Any

from benchmarks.history import build

ROOT = Path(__file__).resolve().parent.parent
DOWNLOAD_RATE = 12_500_000  # bytes/s: the downloader's line, 100 Mbit/s


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def in_process(database: Path, domains: list[str], repeats: int) -> dict[str, Any]:
    from tracker_web import create_app

    work = Path(tempfile.mkdtemp(prefix="xk-bench-"))
    app = create_app({"DATABASE_URL": f"sqlite:///{database}", "DATA_DIR": str(work / "data"),
                      "INSTANCE_DIR": str(work / "instance"), "START_WORKERS": False,
                      "SECRET_KEY": "benchmark-only-key-0123456789", "CACHE_SECONDS": 3600,
                      "PAGE_CACHE": False})
    client = app.test_client()
    started = time.perf_counter()
    assert client.get("/").status_code == 200
    cold = time.perf_counter() - started
    board: list[float] = []
    for _ in range(repeats):
        started = time.perf_counter()
        assert client.get("/").status_code == 200
        board.append(time.perf_counter() - started)
    # Each site page once (built from the database), then again (from the per-site cache).
    site: list[float] = []
    again: list[float] = []
    for times in (site, again):
        for n in range(repeats):
            started = time.perf_counter()
            assert client.get(f"/site/{domains[n % len(domains)]}").status_code == 200
            times.append(time.perf_counter() - started)
    # The same pages through the page cache (each rendered once, then served as kept).
    app.config["PAGE_CACHE"] = True
    kept: list[float] = []
    for path in ["/"] + [f"/site/{d}" for d in domains[:repeats]]:
        client.get(path)
        started = time.perf_counter()
        assert client.get(path).status_code == 200
        kept.append(time.perf_counter() - started)
    app.extensions["xktracker_db"].dispose()
    return {"cold": cold, "scoreboard": statistics.median(board),
            "scoreboard_p95": _percentile(board, 0.95), "site": statistics.median(site),
            "site_p95": _percentile(site, 0.95), "site_cached": statistics.median(again),
            "kept": statistics.median(kept), "kept_p95": _percentile(kept, 0.95)}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def _get(port: int, path: str = "/", timeout: float = 120) -> tuple[int, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Accept-Language": "sq"})
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


class Server:
    """``xktracker serve`` in a process of its own, its log in a file."""

    def __init__(self, database: Path, work: Path, port: int, threads: int,
                 connection_limit: int) -> None:
        self.port = port
        env = {k: v for k, v in os.environ.items() if not k.startswith("XKTRACKER_")}
        env.update({"XKTRACKER_DATABASE_URL": f"sqlite:///{database}",
                    "XKTRACKER_DATA_DIR": str(work / "data"),
                    "XKTRACKER_INSTANCE_DIR": str(work / "instance"),
                    "XKTRACKER_SECRET_KEY": "benchmark-only-key-0123456789",
                    "XKTRACKER_CHECK_WORKERS": "0"})
        # The log goes to a file: an unread pipe would fill up and stall the server.
        self.log_path = work / f"server-{time.time_ns()}.log"
        self._log = self.log_path.open("wb")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "xktracker.cli", "serve", "--port", str(port),
             "--threads", str(threads), "--connection-limit", str(connection_limit)],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        self.listening = self._wait_for(60)

    def _wait_for(self, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.01)
        raise RuntimeError(f"the server did not open port {self.port} within {timeout:.0f} s")

    def stop(self) -> str:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self._log.close()
        return self.log_path.read_text(errors="replace")


def _paths(domains: list[str]) -> list[tuple[str, float]]:
    """The pages a crowd asks for: the scoreboard most, site pages by Zipf popularity."""
    harmonic = sum(1 / n for n in range(1, len(domains) + 1))
    pages: list[tuple[str, float]] = [
        ("/", 10), ("/?page=2", 1), ("/?verdict=missing", 1), ("/upstream", 2),
        ("/about", 1), ("/data", 1), ("/api/v1/stats", 2), ("/feeds/changes.atom", 1),
        ("/static/css/site.css", 2)] + [(f"/api/v1/sites?page={n}", 0.5) for n in range(1, 5)]
    pages += [(f"/site/{domain}", 40 / (rank * harmonic))
              for rank, domain in enumerate(domains, 1)]
    return pages


def load(port: int, paths: list[tuple[str, float]], clients: int, duration: float,
         processes: int, work: Path, tag: str, languages: str = "en,sq,sr-Latn"
         ) -> dict[str, Any]:
    """``clients`` spread over ``processes`` load clients; their results merged."""
    paths_file = work / f"paths-{tag}.json"
    paths_file.write_text(json.dumps(paths), encoding="utf-8")
    share = [clients // processes + (1 if n < clients % processes else 0)
             for n in range(processes)]
    running = [subprocess.Popen(
        [sys.executable, "-m", "benchmarks.loadclient", "--port", str(port), "--paths",
         str(paths_file), "--clients", str(count), "--duration", str(duration), "--seed",
         str(n + 1), "--languages", languages, "--out", str(work / f"{tag}-{n}")], cwd=ROOT)
        for n, count in enumerate(share) if count]
    for process in running:
        process.wait(duration + 180)
    statuses: dict[str, int] = {}
    errors: dict[str, int] = {}
    latencies: array[float] = array("d")
    seconds = 0.0
    without = 0
    slowest_503 = 0.0
    for n, count in enumerate(share):
        if not count:
            continue
        summary = json.loads((work / f"{tag}-{n}.json").read_text(encoding="utf-8"))
        with (work / f"{tag}-{n}.lat").open("rb") as fh:
            latencies.frombytes(fh.read())
        seconds = max(seconds, summary["seconds"])
        without += summary["without_retry_after"]
        slowest_503 = max(slowest_503, summary["slowest_503"])
        for key, value in summary["statuses"].items():
            statuses[key] = statuses.get(key, 0) + value
        for key, value in summary["errors"].items():
            errors[key] = errors.get(key, 0) + value
    ordered = sorted(latencies)
    return {"requests": len(ordered), "seconds": seconds,
            "rps": len(ordered) / seconds if seconds else 0.0,
            "p50": _percentile(ordered, 0.5) if ordered else 0.0,
            "p95": _percentile(ordered, 0.95) if ordered else 0.0,
            "p99": _percentile(ordered, 0.99) if ordered else 0.0,
            "max": ordered[-1] if ordered else 0.0, "statuses": statuses, "errors": errors,
            "without_retry_after": without, "slowest_503": slowest_503}


def _change_data(database: Path) -> None:
    """One more check in a run of its own, as a crawl would add while the server is down."""
    with sqlite3.connect(database) as conn:
        run = conn.execute(
            "INSERT INTO runs (started_at, finished_at, status, settings, counts, "
            "engine_version) VALUES (strftime('%Y-%m-%d %H:%M:%f', 'now'), "
            "strftime('%Y-%m-%d %H:%M:%f', 'now'), 'finished', '{\"kind\": \"benchmark\"}', "
            "'{}', 'benchmark')").lastrowid
        conn.execute(
            "INSERT INTO checks (run_id, target_id, checked_at, territory, method, verdict, "
            "reason, conclusive, final_url, http_status, report) SELECT ?, target_id, "
            "strftime('%Y-%m-%d %H:%M:%f', 'now'), territory, method, verdict, reason, "
            "conclusive, final_url, http_status, report FROM checks ORDER BY id DESC LIMIT 1",
            (run,))


def _report_load(label: str, found: dict[str, Any]) -> None:
    print(f"{label}: {found['requests']} requests in {found['seconds']:.0f} s, "
          f"{found['rps']:.0f}/s, p50 {_ms(found['p50'])}, p95 {_ms(found['p95'])}, "
          f"p99 {_ms(found['p99'])}, max {_ms(found['max'])}; statuses {found['statuses']}; "
          f"errors: {found['errors'] or 'none'}")


def under_load(database: Path, domains: list[str], args: argparse.Namespace) -> dict[str, Any]:
    from db.session import Database
    from reports.published import folder_of, publish

    work = Path(tempfile.mkdtemp(prefix="xk-bench-serve-"))
    results: dict[str, Any] = {}
    started = time.perf_counter()
    with Database(f"sqlite:///{database}") as source:
        made = publish(source, folder_of(work / "instance"))
    results["publish"] = {"seconds": time.perf_counter() - started, "rows": made.rows,
                          "bytes": sum(f.size for f in made.files.values())}
    print(f"open-data files made in {results['publish']['seconds']:.1f} s "
          f"({made.rows} rows, {results['publish']['bytes'] >> 20} MiB in 3 files)")
    port = _free_port()
    print(_load())
    server = Server(database, work, port, args.threads, args.connection_limit)
    try:
        status, cold = _get(port)
        results["cold"] = {"listening": server.listening, "first_page": cold, "status": status}
        print(f"first start, nothing kept: port open {server.listening:.2f} s after launch, "
              f"first scoreboard {cold:.2f} s (HTTP {status}; the numbers computed in it)")
        status, libraries = _get(port, "/upstream")  # what the start-up warm-up computes
        results["cold"]["libraries"] = libraries
        print(f"  then Libraries {libraries:.2f} s (its numbers, computed at start-up)")
        paths = _paths(domains)
        print(_load())
        (work / "download.json").write_text('[["/data/xktracker.csv", 1]]', encoding="utf-8")
        download = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.loadclient", "--port", str(port), "--paths",
             str(work / "download.json"), "--clients", "1", "--duration",
             str(args.duration), "--rate", str(DOWNLOAD_RATE), "--out",
             str(work / "download-0")], cwd=ROOT)
        steady = load(port, paths, args.clients, args.duration, args.processes, work,
                      "steady")
        download.wait(args.duration + 300)
        summary = json.loads((work / "download-0.json").read_text(encoding="utf-8"))
        results["steady"] = steady
        results["download"] = summary
        _report_load(f"{args.clients} clients", steady)
        print(f"  meanwhile one client downloaded the whole-history CSV "
              f"{summary['statuses'].get('200', 0)} times at up to "
              f"{DOWNLOAD_RATE * 8 // 1_000_000} Mbit/s")
        print(_load())
        spike = load(port, paths, args.spike, args.spike_duration, args.processes, work,
                     "spike")
        results["spike"] = spike
        _report_load(f"{args.spike} clients", spike)
        print(f"  503s: {spike['statuses'].get('503', 0)} "
              f"({spike['without_retry_after']} without Retry-After), slowest 503 "
              f"{_ms(spike['slowest_503'])}, slowest answer {_ms(spike['max'])}")
    finally:
        log = server.stop()
    results["queue_warnings"] = log.count("Task queue depth")
    _change_data(database)
    print(_load())
    server = Server(database, work, port, args.threads, args.connection_limit)
    try:
        status, first = _get(port)
        results["restart"] = {"listening": server.listening, "first_page": first,
                              "status": status}
        print(f"restart after the data changed: port open {server.listening:.2f} s after "
              f"launch, first scoreboard {_ms(first)} (HTTP {status}, from the last "
              "rendering; a fresh one is made in the background)")
    finally:
        server.stop()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--duration", type=float, help="seconds of the 50-client load")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--spike", type=int, default=200, help="clients of the spike")
    parser.add_argument("--spike-duration", type=float, default=30.0)
    parser.add_argument("--processes", type=int, default=2, help="load client processes")
    parser.add_argument("--threads", type=int, default=8, help="waitress request threads")
    parser.add_argument("--connection-limit", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--db", type=Path, help="reuse (or create) the history at this path")
    parser.add_argument("--json", type=Path, help="write the results here too")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-load", action="store_true", help="skip the server load test")
    args = parser.parse_args(argv)
    if args.quick:
        args.sites, args.days = 200, 90
        args.spike_duration = min(args.spike_duration, 10.0)
    if args.duration is None:
        args.duration = 15.0 if args.quick else 60.0
    path = args.db or Path(tempfile.mkdtemp(prefix="xk-bench-db-")) / "history.sqlite3"
    if not path.exists():
        started = time.perf_counter()
        built = build(path, args.sites, args.days)
        print(f"built {built.sites} sites, {built.targets} targets, {built.checks} checks "
              f"in {time.perf_counter() - started:.1f} s ({path.stat().st_size >> 20} MiB)")
    with sqlite3.connect(path) as conn:
        domains = [row[0] for row in conn.execute("SELECT domain FROM sites ORDER BY id")]
    print(_load())
    result = in_process(path, domains, args.repeats)
    print(f"scoreboard: median {_ms(result['scoreboard'])} (p95 {_ms(result['scoreboard_p95'])})"
          f" rendered, cold (whole-history numbers computed) {result['cold']:.2f} s")
    print(f"site page:  median {_ms(result['site'])} (p95 {_ms(result['site_p95'])}) built, "
          f"{_ms(result['site_cached'])} from the per-site cache")
    print(f"kept page (page cache): median {_ms(result['kept'])} "
          f"(p95 {_ms(result['kept_p95'])})")
    results: dict[str, Any] = {"in_process": result}
    if not args.no_load:
        results["server"] = under_load(path, domains, args)
    results["load_average_end"] = os.getloadavg()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    if args.db is None:
        path.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
