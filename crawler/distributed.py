"""Distributed mode: several ``xktracker crawl`` workers split one run through Redis.

With ``XK_REDIS_URL`` (from ``XKTRACKER_REDIS_URL``) the scheduler is scrapy-redis's: the
request queue and the duplicate filter live in Redis, so workers on several machines draw from
one queue. The database stays the source of truth (which run, which targets have a check);
Redis only knows who is doing what right now, and what it forgets is rebuilt from the database.

How one run is shared (docs/crawling.md#several-workers):

* **One run.** Each worker picks its run with the resume rule (:mod:`crawler.runs`) while
  holding a Redis lock, so workers started together join one run instead of each starting
  its own. The run's keys carry its id (``<prefix>:run<N>:requests`` …), so a new run never
  sees the leftovers of an old one.
* **Seeded once.** Every worker offers each target of the run that has no check yet; the
  shared duplicate filter (whose fingerprint of a seed is its target's id) lets the first
  offer into the queue and drops the others. No worker has to come first.
* **Fetched once.** Taking a request from the queue and claiming its target for this worker
  is one atomic step (a Lua script). Each worker renews a heartbeat, timed by the Redis
  server's clock so that the machines' clocks do not matter.
* **Nothing lost.** scrapy-redis pops requests, so a worker killed half way loses those it
  held. A worker that runs out of work looks at the run's targets still without a check:
  those claimed by a live worker are in hand (it waits for them); the others (claimed by a
  dead worker, or by nobody) are queued again, under a lock and only while the queue is
  empty, at most :attr:`Coordinator.MAX_REQUEUES` times each. A crawl started later does the
  same. The unique ``(run, target)`` key keeps storage exactly-once whatever happens.
* **Finished once.** A worker leaves when every target of the run has a check (or none is
  left that anyone could do); the first to find the run complete closes it and drops its keys.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from scrapy import Request, Spider
from scrapy.settings import BaseSettings
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

log = logging.getLogger(__name__)

DEFAULT_PREFIX = "xktracker"

# Take the best request and claim its target for this worker in one step: a worker killed
# between the two would otherwise hold a target nobody knows about.
_POP_AND_CLAIM = """
local popped = redis.call('ZRANGE', KEYS[1], 0, 0)
local member = popped[1]
if not member then return false end
redis.call('ZREM', KEYS[1], member)
local target = string.match(member, '^(%d+) ')
if target then redis.call('HSET', KEYS[2], target, ARGV[1]) end
return member
"""


def scheduler_settings(redis_url: str) -> dict[str, Any]:
    """The Scrapy settings that put the queue and the duplicate filter in Redis."""
    return {
        "SCHEDULER": "crawler.distributed.SharedScheduler",
        "SCHEDULER_PERSIST": True,  # the queue belongs to the run, not to the worker leaving
        "SCHEDULER_QUEUE_CLASS": "crawler.distributed.RunQueue",
        "SCHEDULER_SERIALIZER": "crawler.requestcodec",  # JSON: unpickling would run code
        "DUPEFILTER_CLASS": "crawler.distributed.TargetDupeFilter",
        "REDIS_URL": redis_url,
    }


def worker_name() -> str:
    """Host, process and a few random characters: unique, and says where to look."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(2)}"


@dataclass(frozen=True, slots=True)
class RunKeys:
    """The Redis keys of one run."""

    requests: str  # the queue (scrapy-redis priority queue, a sorted set)
    seen: str  # the duplicate filter: targets offered to the queue
    claims: str  # target id -> the worker that took its latest request
    requeues: str  # target id -> times it was queued again
    workers: str  # worker -> when its heartbeat runs out (Redis server time)
    lock: str  # held while deciding what to queue again

    @classmethod
    def of(cls, prefix: str, run_id: int) -> RunKeys:
        base = f"{prefix}:run{run_id}"
        return cls(requests=f"{base}:requests", seen=f"{base}:seen", claims=f"{base}:claims",
                   requeues=f"{base}:requeues", workers=f"{base}:workers",
                   lock=f"{base}:lock")

    def data(self) -> tuple[str, ...]:
        return (self.requests, self.seen, self.claims, self.requeues, self.workers)


@dataclass(frozen=True, slots=True)
class Recovery:
    """What a worker out of work found about the run's targets that still have no check."""

    queued: bool = False  # the queue has work again: take it
    requeued: tuple[int, ...] = ()  # lost targets put back into the queue
    in_hand: tuple[int, ...] = ()  # claimed by live workers: wait for them
    given_up: tuple[int, ...] = ()  # queued too often already: left unchecked

    @property
    def keep_going(self) -> bool:
        return self.queued or bool(self.requeued or self.in_hand)


class Coordinator:
    """One worker's view of the shared run: heartbeat, claims, seeding and recovery."""

    MAX_REQUEUES = 3  # a target that keeps getting lost is left unchecked after this

    def __init__(self, server: Any, prefix: str = DEFAULT_PREFIX, worker: str | None = None,
                 keep_seconds: int = 3 * 86400, lifetime: float = 30.0) -> None:
        self.server = server
        self.prefix = prefix
        self.worker = worker or worker_name()
        self.keep_seconds = keep_seconds  # abandoned runs' keys expire after this
        # A worker silent this long is dead and its targets are queued again; it beats three
        # times per lifetime, so one slow beat does not kill it.
        self.lifetime = lifetime
        self.heartbeat = lifetime / 3
        self.keys: RunKeys | None = None
        self._pop = server.register_script(_POP_AND_CLAIM)
        self._loop: Any = None

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Coordinator:
        from scrapy_redis.connection import get_redis_from_settings

        from crawler.config import CrawlConfig

        config = CrawlConfig.from_settings(settings)
        return cls(get_redis_from_settings(settings),
                   prefix=config.redis_prefix or DEFAULT_PREFIX,
                   keep_seconds=int(config.resume_within * 3600) + 86400,
                   lifetime=config.worker_lifetime)

    @property
    def run_keys(self) -> RunKeys:
        if self.keys is None:
            raise RuntimeError("this worker has not joined a run yet")
        return self.keys

    # -- the run ---------------------------------------------------------------------------

    @contextmanager
    def opening(self) -> Iterator[None]:
        """Held while a worker picks its run, so workers started together pick the same."""
        with self.server.lock(f"{self.prefix}:open-run", timeout=120, blocking_timeout=300):
            yield

    def join(self, run_id: int) -> None:
        self.keys = RunKeys.of(self.prefix, run_id)
        self.beat()

    def now(self) -> float:
        seconds, micros = self.server.time()
        return float(seconds) + float(micros) / 1e6

    def beat(self) -> None:
        """Say this worker is alive (and keep the run's keys from expiring)."""
        import redis

        keys = self.run_keys
        try:
            now = self.now()
            pipe = self.server.pipeline(transaction=False)
            pipe.zadd(keys.workers, {self.worker: now + self.lifetime})
            pipe.zremrangebyscore(keys.workers, "-inf", now - 3600)
            for key in keys.data():
                pipe.expire(key, self.keep_seconds)
            pipe.execute()
        except redis.RedisError as exc:  # a missed beat is not worth stopping the crawl for
            log.warning("heartbeat to Redis failed: %s", exc)

    def start_heartbeat(self) -> None:
        from twisted.internet import task

        self._loop = task.LoopingCall(self.beat)
        self._loop.start(self.heartbeat, now=False)

    def leave(self, *, finished: bool) -> None:
        """Stop the heartbeat; drop the run's keys when it is finished."""
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self.keys is None:
            return
        if finished:
            self.server.delete(*self.keys.data())
        else:
            self.server.zrem(self.keys.workers, self.worker)

    def live_workers(self) -> set[str]:
        names = self.server.zrangebyscore(self.run_keys.workers, self.now(), "+inf")
        return {n.decode() if isinstance(n, bytes) else str(n) for n in names}

    # -- the queue ---------------------------------------------------------------------------

    def admit(self, target_id: int) -> bool:
        """Offer a target to the run: true for the first offer only (the duplicate filter)."""
        return bool(self.server.sadd(self.run_keys.seen, str(target_id)))

    def pop(self) -> bytes | None:
        keys = self.run_keys
        member = self._pop(keys=[keys.requests, keys.claims], args=[self.worker])
        return bytes(member) if member else None

    def queued(self) -> int:
        return int(self.server.zcard(self.run_keys.requests))

    def recover(self, unchecked: Iterable[int], requeue: Callable[[int], None]) -> Recovery:
        """Called when this worker has nothing left to do and ``unchecked`` targets of the
        run still have no check: queue again those nobody alive is working on.

        ``requeue`` must put the target's request into the shared queue before it returns
        (it runs under the lock, so no other worker queues the same target meanwhile)."""
        keys = self.run_keys
        with self.server.lock(keys.lock, timeout=60, blocking_timeout=60):
            if self.queued():
                return Recovery(queued=True)
            live = self.live_workers() - {self.worker}  # this worker is idle: it holds none
            claims = {int(k): v.decode() if isinstance(v, bytes) else str(v)
                      for k, v in self.server.hgetall(keys.claims).items()}
            requeued: list[int] = []
            in_hand: list[int] = []
            given_up: list[int] = []
            for target in sorted(unchecked):
                if claims.get(target) in live:
                    in_hand.append(target)
                    continue
                if int(self.server.hincrby(keys.requeues, str(target), 1)) > self.MAX_REQUEUES:
                    given_up.append(target)
                    continue
                self.server.hdel(keys.claims, str(target))
                self.server.sadd(keys.seen, str(target))
                requeue(target)
                requeued.append(target)
            return Recovery(requeued=tuple(requeued), in_hand=tuple(in_hand),
                            given_up=tuple(given_up))


# ---------------------------------------------------------------------------------------
# scrapy-redis components bound to the run (the run is known only once the pipeline opened
# it, after the scheduler opened: until then the queue is empty and refuses nothing)


def _coordinator(spider: Spider) -> Coordinator:
    coordinator = getattr(spider, "coordinator", None)
    if not isinstance(coordinator, Coordinator):
        raise RuntimeError(f"spider {spider.name!r} has no coordinator for distributed mode")
    return coordinator


class SharedScheduler(Scheduler):  # type: ignore[misc]  # scrapy-redis is untyped
    """scrapy-redis's scheduler, counting its stats the way Scrapy 2.19 expects (without
    the spider argument it deprecates)."""

    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        request = self.queue.pop()
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request  # type: ignore[no-any-return]


class RunQueue(PriorityQueue):  # type: ignore[misc]
    """scrapy-redis's priority queue under the run's key; each entry starts with its target's
    id, so that taking it can claim the target atomically."""

    def __init__(self, server: Any, spider: Spider, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self.coordinator = _coordinator(spider)

    def __len__(self) -> int:
        return self.coordinator.queued() if self.coordinator.keys is not None else 0

    def push(self, request: Request) -> None:
        target = request.meta.get("xk_target")
        member = f"{int(target) if target is not None else '-'} ".encode() \
            + self._encode_request(request)
        self.server.execute_command("ZADD", self.coordinator.run_keys.requests,
                                    -request.priority, member)

    def pop(self, timeout: int = 0) -> Request | None:
        if self.coordinator.keys is None:
            return None
        member = self.coordinator.pop()
        if not member:
            return None
        return self._decode_request(member.split(b" ", 1)[1])  # type: ignore[no-any-return]

    def clear(self) -> None:
        if self.coordinator.keys is not None:
            self.server.delete(self.coordinator.keys.requests)


class TargetDupeFilter(RFPDupeFilter):  # type: ignore[misc]
    """scrapy-redis's shared duplicate filter, keyed by target: a target's first request
    (its *seed*) is a duplicate when another worker already offered that target for this
    run. What follows a seed (redirect hops, retries, the browser after the static page) is
    never filtered: the guard must see a redirect loop, not have it dropped."""

    coordinator: Coordinator

    @classmethod
    def from_spider(cls, spider: Spider) -> TargetDupeFilter:
        coordinator = _coordinator(spider)
        dupefilter = cls(coordinator.server, key="",
                         debug=spider.settings.getbool("DUPEFILTER_DEBUG"))
        dupefilter.coordinator = coordinator
        return dupefilter

    def request_seen(self, request: Request) -> bool:
        meta = request.meta
        if not meta.get("xk_seed") or meta.get("redirect_urls"):
            return False
        return not self.coordinator.admit(int(meta["xk_target"]))

    def request_fingerprint(self, request: Request) -> str:
        return f"target:{request.meta.get('xk_target')}"

    def clear(self) -> None:
        if self.coordinator.keys is not None:
            self.server.delete(self.coordinator.keys.seen)
