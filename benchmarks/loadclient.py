"""A load client in a process of its own: ``python -m benchmarks.loadclient``.

``--clients`` threads each keep one HTTP/1.1 connection and ask, one request after another,
for paths drawn from ``--paths`` (a JSON list of ``[path, weight]``) in a language drawn from
``--languages``, until ``--duration`` seconds have passed. A ``503`` is counted, and its
``Retry-After`` obeyed (capped at the time left), as a browser user would come back; with
``--rate`` a body is read no faster than that many bytes a second (a person's connection,
for the downloader). Writes a
JSON summary (counts per status, errors, 503s without Retry-After) and the latency of every
request (little-endian doubles, seconds) to ``--out``.json and ``--out``.lat.

Run by ``bench_dashboard`` in several processes so that the client's own GIL never caps the
load it puts on the server.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import threading
import time
from array import array
from pathlib import Path
from typing import Any


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies = array("d")
        self.statuses: dict[str, int] = {}
        self.errors: dict[str, int] = {}
        self.without_retry_after = 0
        self.slow_503 = 0.0  # the longest a 503 took to come back

    def add(self, latencies: array[float], statuses: dict[str, int], errors: dict[str, int],
            without: int, slow_503: float) -> None:
        with self.lock:
            self.latencies.extend(latencies)
            for key, count in statuses.items():
                self.statuses[key] = self.statuses.get(key, 0) + count
            for key, count in errors.items():
                self.errors[key] = self.errors.get(key, 0) + count
            self.without_retry_after += without
            self.slow_503 = max(self.slow_503, slow_503)


def _read(response: http.client.HTTPResponse, rate: float) -> None:
    if not rate:
        response.read()
        return
    started = time.monotonic()
    got = 0
    while chunk := response.read(65536):
        got += len(chunk)
        ahead = got / rate - (time.monotonic() - started)
        if ahead > 0:
            time.sleep(ahead)


def _client(port: int, paths: list[str], weights: list[float], languages: list[str],
            deadline: float, seed: int, tally: Tally, timeout: float, rate: float) -> None:
    rng = random.Random(seed)
    connection: http.client.HTTPConnection | None = None
    latencies: array[float] = array("d")
    statuses: dict[str, int] = {}
    errors: dict[str, int] = {}
    without = 0
    slow_503 = 0.0
    while time.monotonic() < deadline:
        path = rng.choices(paths, weights)[0]
        language = rng.choice(languages)
        if connection is None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        started = time.monotonic()
        wait = 0.0
        try:
            connection.request("GET", path, headers={"Accept-Language": language})
            response = connection.getresponse()
            _read(response, rate)
            took = time.monotonic() - started
            code = str(response.status)
            statuses[code] = statuses.get(code, 0) + 1
            if response.status == 503:
                slow_503 = max(slow_503, took)
                retry = response.getheader("Retry-After")
                if retry is None or not retry.isdigit():
                    without += 1
                else:
                    wait = float(retry)
            if response.will_close:
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException) as exc:
            took = time.monotonic() - started
            errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
            connection.close()
            connection = None
        latencies.append(took)
        if wait:
            time.sleep(max(0.0, min(wait, deadline - time.monotonic())))
    if connection is not None:
        connection.close()
    tally.add(latencies, statuses, errors, without, slow_503)


def run(port: int, paths: list[tuple[str, float]], languages: list[str], clients: int,
        duration: float, seed: int, timeout: float = 30.0,
        rate: float = 0.0) -> tuple[dict[str, Any], array[float]]:
    tally = Tally()
    deadline = time.monotonic() + duration
    names = [p for p, _ in paths]
    weights = [w for _, w in paths]
    threads = [threading.Thread(target=_client, args=(port, names, weights, languages,
                                                      deadline, seed * 1000 + n, tally,
                                                      timeout, rate), daemon=True)
               for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + timeout + 30)
    summary = {"seconds": time.monotonic() - started, "requests": len(tally.latencies),
               "statuses": tally.statuses, "errors": tally.errors,
               "without_retry_after": tally.without_retry_after,
               "slowest_503": tally.slow_503}
    return summary, tally.latencies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--paths", type=Path, required=True)
    parser.add_argument("--languages", default="en,sq,sr-Latn")
    parser.add_argument("--clients", type=int, default=25)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rate", type=float, default=0.0,
                        help="bytes per second a body is read at (0: as fast as it comes)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    paths = [(str(p), float(w)) for p, w in json.loads(args.paths.read_text(encoding="utf-8"))]
    summary, latencies = run(args.port, paths, args.languages.split(","), args.clients,
                             args.duration, args.seed, rate=args.rate)
    args.out.with_suffix(".json").write_text(json.dumps(summary), encoding="utf-8")
    with args.out.with_suffix(".lat").open("wb") as out:
        latencies.tofile(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
