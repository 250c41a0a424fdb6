"""The dashboard at size: 1,000 sites × 365 days of daily checks in SQLite.

1. In process (Flask test client): the median time of the scoreboard and of a site page.
   Target (issue 4): under 100 ms each. The scoreboard's whole-history numbers (share over
   time, wins) are cached and refreshed in the background; their first computation is
   reported separately as "cold".
2. The production server (waitress, ``xktracker serve``) on 127.0.0.1 with 50 concurrent
   clients for a minute: requests per second, latency percentiles and errors (target: no
   errors). The load is bounded in time and count and stops by itself.

Run: ``python -m benchmarks.bench_dashboard [--sites 1000] [--days 365] [--duration 60]
[--clients 50] [--db PATH]`` (``--quick``: 200 sites, 90 days, 15 s).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.history import build

ROOT = Path(__file__).resolve().parent.parent


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
                      "SECRET_KEY": "benchmark-only-key-0123456789", "CACHE_SECONDS": 3600})
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
    app.extensions["xktracker_db"].dispose()
    return {"cold": cold, "scoreboard": statistics.median(board),
            "scoreboard_p95": _percentile(board, 0.95), "site": statistics.median(site),
            "site_p95": _percentile(site, 0.95), "site_cached": statistics.median(again)}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not open port {port} within {timeout:.0f} s")


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _client(port: int, paths: list[str], stop: threading.Event, tally: Tally, seed: int,
            limit: int) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    mine: list[float] = []
    errors: dict[str, int] = {}
    for _ in range(limit):
        if stop.is_set():
            break
        path = rng.choice(paths)
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Accept-Language": "sq,en;q=0.5"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors[f"HTTP {response.status}"] = errors.get(f"HTTP {response.status}", 0) + 1
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
        except (OSError, http.client.HTTPException) as exc:
            errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine.append(time.perf_counter() - started)
    connection.close()
    with tally.lock:
        tally.latencies.extend(mine)
        for key, count in errors.items():
            tally.errors[key] = tally.errors.get(key, 0) + count


def under_load(database: Path, domains: list[str], clients: int, duration: float,
               threads: int) -> dict[str, Any]:
    port = _free_port()
    work = Path(tempfile.mkdtemp(prefix="xk-bench-serve-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("XKTRACKER_")}
    env.update({"XKTRACKER_DATABASE_URL": f"sqlite:///{database}",
                "XKTRACKER_DATA_DIR": str(work / "data"),
                "XKTRACKER_INSTANCE_DIR": str(work / "instance"),
                "XKTRACKER_SECRET_KEY": "benchmark-only-key-0123456789",
                "XKTRACKER_CHECK_WORKERS": "0"})
    # The server's log goes to a file: an unread pipe would fill up and stall the server.
    log = (work / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "xktracker.cli", "serve", "--port", str(port), "--threads",
         str(threads)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_for(port, 60)
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        warm.request("GET", "/")  # waits for the start-up warm-up of the cache
        warm.getresponse().read()
        warm.close()
        paths = (["/"] * 10 + [f"/site/{d}" for d in domains[:40]] * 1
                 + [f"/api/v1/sites?page={n}" for n in range(1, 6)]
                 + ["/api/v1/stats", "/upstream", "/static/css/site.css"])
        stop = threading.Event()
        tally = Tally()
        workers = [threading.Thread(target=_client, args=(port, paths, stop, tally, n, 100_000))
                   for n in range(clients)]
        started = time.perf_counter()
        for worker in workers:
            worker.start()
        stop.wait(duration)
        stop.set()
        for worker in workers:
            worker.join(60)
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    queue_warnings = (work / "server.log").read_text(errors="replace").count("Task queue depth")
    latencies = tally.latencies
    return {"requests": len(latencies), "seconds": elapsed,
            "rps": len(latencies) / elapsed if elapsed else 0.0,
            "p50": statistics.median(latencies) if latencies else 0.0,
            "p95": _percentile(latencies, 0.95) if latencies else 0.0,
            "max": max(latencies, default=0.0), "errors": tally.errors,
            "queue_warnings": queue_warnings}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--duration", type=float)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--threads", type=int, default=8, help="waitress request threads")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--db", type=Path, help="reuse (or create) the history at this path")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-load", action="store_true", help="skip the server load test")
    args = parser.parse_args(argv)
    if args.quick:
        args.sites, args.days = 200, 90
    if args.duration is None:
        args.duration = 15.0 if args.quick else 60.0
    path = args.db or Path(tempfile.mkdtemp(prefix="xk-bench-db-")) / "history.sqlite3"
    if not path.exists():
        started = time.perf_counter()
        built = build(path, args.sites, args.days)
        print(f"built {built.sites} sites, {built.targets} targets, {built.checks} checks "
              f"in {time.perf_counter() - started:.1f} s ({path.stat().st_size >> 20} MiB)")
    import sqlite3

    with sqlite3.connect(path) as conn:
        domains = [row[0] for row in conn.execute("SELECT domain FROM sites ORDER BY id")]
    result = in_process(path, domains, args.repeats)
    print(f"scoreboard: median {_ms(result['scoreboard'])} (p95 {_ms(result['scoreboard_p95'])}),"
          f" cold (whole-history numbers computed) {result['cold']:.2f} s")
    print(f"site page:  median {_ms(result['site'])} (p95 {_ms(result['site_p95'])}) built, "
          f"{_ms(result['site_cached'])} cached   target: < 100 ms each")
    if not args.no_load:
        load = under_load(path, domains, args.clients, args.duration, args.threads)
        print(f"waitress, {args.clients} clients, {load['seconds']:.0f} s: "
              f"{load['requests']} requests, {load['rps']:.0f}/s, p50 {_ms(load['p50'])}, "
              f"p95 {_ms(load['p95'])}, max {_ms(load['max'])}, "
              f"errors: {load['errors'] or 'none'} (server queue-depth warnings: "
              f"{load['queue_warnings']})")
    if args.db is None:
        path.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
