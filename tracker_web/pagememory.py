"""What one process holds of the rendered public pages (:mod:`tracker_web.pagecache`): the
renderings in memory, least recently used dropped past a size, and the one background thread
that renders pages again, each queued once."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from tracker_web.pagestore import Page, Recipe, Version

log = logging.getLogger(__name__)
MEMORY_BYTES = 96 * 1024 * 1024


@dataclass(slots=True)
class Held:
    page: Page
    # The last look on disk for a rendering fresher than this one: for which data version,
    # when (time.monotonic()).
    looked_for: Version | None = None
    looked_at: float = 0.0
    # A stale page's numbers: key → the version they were computed for (made again once the
    # numbers cache holds another; unknown for a page made by another process).
    waits_for: dict[str, Hashable] | None = None


class PageMemory:
    """The renderings this process holds, least recently used dropped past ``max_bytes``."""

    def __init__(self, max_bytes: int = MEMORY_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, Held] = OrderedDict()
        self._bytes = 0
        self._guard = threading.Lock()

    def get(self, key: str) -> Held | None:
        with self._guard:
            held = self._entries.get(key)
            if held is not None:
                self._entries.move_to_end(key)
            return held

    def put(self, page: Page) -> Held:
        held = Held(page)
        key = page.recipe.key()
        with self._guard:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.page.size
            self._entries[key] = held
            self._bytes += page.size
            while self._bytes > self.max_bytes and len(self._entries) > 1:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.page.size
        return held

    def clear(self) -> None:
        with self._guard:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


class Refresher:
    """One background thread that renders pages again, each key queued once."""

    def __init__(self, render: Callable[[Recipe], None], limit: int = 2000) -> None:
        self._render = render
        self.limit = limit
        self._queue: deque[Recipe] = deque()
        self._pending: set[str] = set()
        self._cv = threading.Condition()
        self._thread: threading.Thread | None = None
        self._busy = False

    def ask(self, recipe: Recipe) -> None:
        key = recipe.key()
        with self._cv:
            if key in self._pending or len(self._pending) >= self.limit:
                return
            self._pending.add(key)
            self._queue.append(recipe)
            if self._thread is None or not self._thread.is_alive():
                # Started on first use, so a pre-forking server starts it after the fork.
                self._thread = threading.Thread(target=self._run, name="xk-pages",
                                                daemon=True)
                self._thread.start()
            self._cv.notify()

    def _run(self) -> None:
        while True:
            with self._cv:
                while not self._queue:
                    self._busy = False
                    self._cv.notify_all()
                    self._cv.wait()
                recipe = self._queue.popleft()
                self._busy = True
            try:
                self._render(recipe)
            except Exception:  # keep serving the old rendering; the next request asks again
                log.exception("rendering %s again failed", recipe.path)
            finally:
                with self._cv:
                    self._pending.discard(recipe.key())

    def drain(self, timeout: float = 30.0) -> bool:
        """Wait until every queued page is rendered (tests, the warm-up)."""
        deadline = time.monotonic() + timeout
        with self._cv:
            while self._queue or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cv.wait(left)
        return True
