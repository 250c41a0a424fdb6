"""A small in-process cache for the scoreboard's expensive numbers.

A value is reused while the data it came from is unchanged (the newest check, site and target
ids say so) and recomputed at most once per ``ttl`` seconds while a crawl is adding checks,
so a busy crawl does not make every visitor pay for the whole-history queries. Once a value
exists, a stale one is recomputed in a background thread while requests keep getting the
previous value; only the very first computation (warmed at start-up) makes anyone wait.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class _Entry:
    version: Hashable
    at: float
    value: Any


class VersionedCache:
    def __init__(self) -> None:
        self._entries: dict[Hashable, _Entry] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()
        self.last_refresh: threading.Thread | None = None  # for tests: join it

    def _lock(self, key: Hashable) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def get(self, key: Hashable, version: Hashable, compute: Callable[[], Any],
            ttl: float, *, background: bool = True,
            urgent: Callable[[Any], bool] | None = None) -> Any:
        """The value for ``version``. A value of an older version is served while it is
        younger than ``ttl`` (and refreshed in the background after), unless
        ``urgent(old_version)`` says the change must show at once: then it is recomputed
        before answering."""
        return self.get_versioned(key, version, compute, ttl, background=background,
                                  urgent=urgent)[0]

    def get_versioned(self, key: Hashable, version: Hashable, compute: Callable[[], Any],
                      ttl: float, *, background: bool = True,
                      urgent: Callable[[Any], bool] | None = None) -> tuple[Any, Hashable]:
        """As :meth:`get`, with the data version the value was computed for (older than
        ``version`` when a previous value is served)."""
        entry = self._entries.get(key)
        now = time.monotonic()
        pressing = entry is not None and entry.version != version and urgent is not None \
            and urgent(entry.version)
        if entry is not None and not pressing and (entry.version == version
                                                   or now - entry.at < ttl):
            return entry.value, entry.version
        lock = self._lock(key)
        if pressing:
            lock.acquire()
        elif entry is not None:
            if not lock.acquire(blocking=False):
                # someone is recomputing: serve the previous value
                return entry.value, entry.version
            if background:
                self.last_refresh = threading.Thread(
                    target=self._refresh, args=(key, version, compute, lock), name="xk-cache",
                    daemon=True)
                self.last_refresh.start()
                return entry.value, entry.version
        else:
            lock.acquire()
        try:
            entry = self._entries.get(key)
            if entry is not None and entry.version == version:
                return entry.value, entry.version
            value = compute()
            self._entries[key] = _Entry(version, time.monotonic(), value)
            return value, version
        finally:
            lock.release()

    def _refresh(self, key: Hashable, version: Hashable, compute: Callable[[], Any],
                 lock: threading.Lock) -> None:
        try:
            self._entries[key] = _Entry(version, time.monotonic(), compute())
        except Exception:  # keep serving the old value; the next request tries again
            logging.getLogger(__name__).exception("cache refresh of %r failed", key)
        finally:
            lock.release()

    def version_of(self, key: Hashable) -> Hashable | None:
        """The data version of the value held for ``key`` (None: none held)."""
        entry = self._entries.get(key)
        return None if entry is None else entry.version

    def clear(self) -> None:
        with self._guard:
            self._entries.clear()


class LruCache:
    """At most ``size`` values, each kept while its data version is unchanged and it is less
    than ``ttl`` seconds old (the site pages: many sites, each cheap to rebuild)."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._guard = threading.Lock()

    def get(self, key: Hashable, version: Hashable, ttl: float) -> Any:
        with self._guard:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.version != version or time.monotonic() - entry.at >= ttl:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry.value

    def put(self, key: Hashable, version: Hashable, value: Any) -> None:
        with self._guard:
            self._entries[key] = _Entry(version, time.monotonic(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._guard:
            self._entries.clear()
