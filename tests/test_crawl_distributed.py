"""Distributed mode: ``xktracker crawl`` workers sharing one run through a real Redis.

Two workers started together on one database (SQLite, and PostgreSQL when it answers) must
join one run, split its targets (each fetched by one worker: the checks each stored add up to
the number of targets) and finish it. A worker killed half way loses the requests it held:
the other queues them again once the dead worker's heartbeat runs out. The recovery rule and
the request codec are also tested on their own.

Redis comes from ``XK_TEST_REDIS_URL`` or the local server ``scripts/start_test_redis.sh``
starts (127.0.0.1:6390); when none answers these tests are skipped with the reason.
"""

from __future__ import annotations

import os
import signal
import subprocess
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from scrapy.http import Request
from scrapy.utils.request import request_from_dict

from crawler import requestcodec
from crawler.distributed import Coordinator, RunKeys
from tests.crawl_helpers import CrawlEnv, explain, site
from tests.db_fixtures import _postgres_schema_url, postgres_base  # noqa: F401
from xktracker.demoweb import load_expectations

REDIS_ENV = "XK_TEST_REDIS_URL"
REDIS_DEFAULT = "redis://127.0.0.1:6390/0"
STATIC_PAGES = [e for e in load_expectations() if not e.needs_browser][:20]
SLOW = 20  # /slow?seconds=1 pages: no worker can do them all before the other has started
# Few requests held per worker, so that neither can take the whole queue at once.
SHARING = {"CONCURRENT_REQUESTS": "4", "CONCURRENT_REQUESTS_PER_DOMAIN": "4"}


@pytest.fixture(scope="session")
def redis_base() -> tuple[str | None, str]:
    """(URL, "") of a Redis that answers, or (None, why not)."""
    url = os.environ.get(REDIS_ENV) or REDIS_DEFAULT
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        client.close()
    except redis.RedisError as exc:
        return None, (f"Redis not reachable at {url} ({exc}); run scripts/start_test_redis.sh "
                      f"or set {REDIS_ENV}")
    return url, ""


@pytest.fixture
def shared_redis(redis_base: tuple[str | None, str]) -> Iterator[tuple[str, str]]:
    """(URL, key prefix): a prefix of its own per test, its keys deleted afterwards."""
    url, reason = redis_base
    if url is None:
        pytest.skip(reason)
    prefix = f"xktest-{uuid.uuid4().hex[:10]}"
    yield url, prefix
    client = redis.Redis.from_url(url)
    try:
        leftovers = list(client.scan_iter(f"{prefix}:*"))
        if leftovers:
            client.delete(*leftovers)
    finally:
        client.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_database(request: pytest.FixtureRequest, tmp_path: Path,
                    postgres_base: tuple[str | None, str, bool]) -> Iterator[str]:  # noqa: F811
    """One database for every worker: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    base, reason, _explicit = postgres_base
    if base is None:
        pytest.skip(reason)
    yield from _postgres_schema_url(base)


def _workers(env: CrawlEnv, redis_url: str, prefix: str, *, count: int,
             settings: dict[str, str] | None = None, quiet: bool = True
             ) -> list[subprocess.Popen[str]]:
    environ = {**env.environ(), "XKTRACKER_REDIS_URL": redis_url}
    command = env.xktracker("crawl", "--allow-private-addresses", "--browser", "never",
                            *(["--quiet"] if quiet else []),
                            settings={**SHARING, "XK_REDIS_PREFIX": prefix, **(settings or {})})
    return [subprocess.Popen(command, env=environ, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(count)]


def _stored(stdout: str) -> tuple[int, str]:
    """(checks stored, worker name) from a worker's summary line."""
    line = next(x for x in stdout.splitlines() if "checks stored now" in x)
    count = int(line.split(": ", 1)[1].split()[0])
    return count, line.split(" by worker ", 1)[1].split()[0]


@pytest.mark.slow
def test_two_workers_split_one_run(demoweb, tmp_path, shared_database, shared_redis) -> None:
    redis_url, prefix = shared_redis
    env = CrawlEnv(tmp_path, database=shared_database)
    expected = {demoweb.url(p.path): (p.verdict, p.reason) for p in STATIC_PAGES}
    expected.update({demoweb.url(f"/slow?seconds=1&page={i}"): ("listed", None)
                     for i in range(SLOW)})
    urls = sorted(expected)
    env.load([site(f"s{n}.example", urls[n::4]) for n in range(4)])

    workers = _workers(env, redis_url, prefix, count=2)
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(worker.args, worker.returncode, out, err))
    for result in results:
        assert result.returncode == 0, explain(result)

    (run,) = env.runs()  # both joined one run, and it is finished
    assert run["status"] == "finished" and run["counts"]["checks"] == len(urls)
    checks = env.checks(run["id"])
    assert sorted(checks) == urls
    assert all(len(rows) == 1 for rows in checks.values())
    assert {url: (rows[0]["verdict"], rows[0]["reason"]) for url, rows in checks.items()} \
        == expected

    # Each target fetched by one worker: what the workers stored adds up to the targets,
    # and both did some of it.
    stored = dict(_stored(r.stdout)[::-1] for r in results)
    assert sum(stored.values()) == len(urls), stored
    by_worker = Counter(rows[0]["report"]["worker"] for rows in checks.values())
    assert by_worker == Counter(stored), (by_worker, stored)
    assert len(by_worker) == 2 and min(by_worker.values()) > 0, by_worker

    client = redis.Redis.from_url(redis_url)
    assert list(client.scan_iter(f"{prefix}:*")) == []  # the finished run's keys are gone
    client.close()


@pytest.mark.slow
def test_a_killed_workers_targets_are_done_by_the_other(demoweb, tmp_path,
                                                        shared_redis) -> None:
    redis_url, prefix = shared_redis
    env = CrawlEnv(tmp_path)
    urls = [demoweb.url(f"/slow?seconds=1&page=k{i}") for i in range(24)]
    env.load([site(f"s{n}.example", urls[n::4]) for n in range(4)])
    victim, survivor = _workers(env, redis_url, prefix, count=2, quiet=False,
                                settings={"XK_WORKER_LIFETIME": "2"})
    assert victim.stderr is not None
    try:
        for line in victim.stderr:  # a progress line is printed once a check is stored
            if line.startswith("["):
                break
    finally:
        os.kill(victim.pid, signal.SIGKILL)
        victim.communicate(timeout=30)
    out, err = survivor.communicate(timeout=120)
    result = subprocess.CompletedProcess(survivor.args, survivor.returncode, out, err)
    assert result.returncode == 0, explain(result)
    assert "queued again" in err, explain(result)  # it held requests when it died

    (run,) = env.runs()
    assert run["status"] == "finished"
    checks = env.checks(run["id"])
    assert sorted(checks) == sorted(urls)
    assert all(len(rows) == 1 and rows[0]["verdict"] == "listed" for rows in checks.values())


def _coordinator(url: str, prefix: str, worker: str) -> Coordinator:
    coordinator = Coordinator(redis.Redis.from_url(url), prefix=prefix, worker=worker,
                              lifetime=30.0)
    coordinator.join(7)
    return coordinator


def test_recovery_queues_again_only_what_no_live_worker_holds(shared_redis) -> None:
    url, prefix = shared_redis
    me = _coordinator(url, prefix, "me")
    alive = _coordinator(url, prefix, "alive")
    dead = _coordinator(url, prefix, "dead")
    keys = RunKeys.of(prefix, 7)
    server = me.server
    server.zadd(keys.workers, {"dead": me.now() - 1})  # its heartbeat ran out
    for target in (1, 2, 3):
        assert me.admit(target) and not alive.admit(target)  # offered once, by anyone
    # Taking a request claims its target in the same step.
    for coordinator, target in ((dead, 1), (alive, 2), (me, 3)):
        server.zadd(keys.requests, {f"{target} {{}}".encode(): 0})
        assert coordinator.pop() == f"{target} {{}}".encode()
    assert {int(k): v.decode() for k, v in server.hgetall(keys.claims).items()} \
        == {1: "dead", 2: "alive", 3: "me"}

    requeued: list[int] = []
    recovery = me.recover({1, 2, 3, 4}, requeued.append)
    # 1: its worker died; 3: claimed by this worker, which is idle; 4: never offered.
    assert recovery.requeued == (1, 3, 4) and requeued == [1, 3, 4]
    assert recovery.in_hand == (2,) and recovery.keep_going
    assert not alive.admit(4)  # queued again: a late offer of it is a duplicate

    server.zadd(keys.requests, {b"1 {}": 0})  # work in the queue: nothing to recover
    assert me.recover({1}, requeued.append).queued
    server.delete(keys.requests)
    for _ in range(Coordinator.MAX_REQUEUES - 1):
        me.recover({1}, requeued.append)
    assert me.recover({1}, requeued.append).given_up == (1,)  # lost once too often
    me.leave(finished=True)
    assert not any(server.exists(k) for k in keys.data())
    for coordinator in (me, alive, dead):
        coordinator.server.close()


def test_requests_cross_the_queue_as_plain_json() -> None:
    request = Request("https://example.com/signup?a=1", method="GET", dont_filter=False,
                      headers={"Accept": "text/html"}, body=b"\x00\xff",
                      meta={"xk_target": 12, "xk_seed": True, "handle_httpstatus_list": [403],
                            "playwright_context_kwargs": {"viewport": {"width": 1280}},
                            "redirect_urls": ("https://example.com/",)})
    data = requestcodec.dumps(request.to_dict())
    assert data.startswith(b"{")  # JSON, never pickle
    again = request_from_dict(requestcodec.loads(data))
    assert (again.url, again.body, again.dont_filter) == (request.url, b"\x00\xff", False)
    assert again.headers.get("Accept") == b"text/html"
    assert again.meta["playwright_context_kwargs"] == {"viewport": {"width": 1280}}
    assert again.meta["xk_target"] == 12 and again.meta["redirect_urls"] == [
        "https://example.com/"]
    with pytest.raises(requestcodec.NotPlainData, match=r"request\.meta\.page"):
        requestcodec.dumps(Request("https://example.com/", meta={"page": object()}).to_dict())


def test_seed_requests_are_filtered_by_target_but_what_follows_is_not() -> None:
    from crawler.distributed import TargetDupeFilter

    admitted: list[int] = []

    class FakeCoordinator:
        def admit(self, target: int) -> bool:
            admitted.append(target)
            return admitted.count(target) == 1

    dupefilter: Any = TargetDupeFilter.__new__(TargetDupeFilter)
    dupefilter.coordinator = FakeCoordinator()
    seed = Request("https://example.com/", meta={"xk_target": 5, "xk_seed": True})
    assert not dupefilter.request_seen(seed) and dupefilter.request_seen(seed)
    hop = seed.replace(url="https://example.com/next")
    hop.meta["redirect_urls"] = ["https://example.com/"]  # a redirect hop keeps the seed mark
    assert not dupefilter.request_seen(hop)
    assert not dupefilter.request_seen(Request("https://example.com/", meta={"xk_target": 5}))
    assert admitted == [5, 5]
