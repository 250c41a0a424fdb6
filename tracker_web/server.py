"""The production server: waitress, with limits that shed load instead of queueing it.

waitress on its own stops accepting at ``connection_limit`` (new clients then wait in the
kernel's backlog, unanswered) and queues every request for its threads without bound, so a
crowd makes visitors wait until they time out. Here:

* a connection past ``connection_limit`` is accepted and answered ``503 Service Unavailable``
  with ``Retry-After`` as soon as its request has arrived, by the server's own loop (no thread
  is taken), then closed; past twice the limit (a flood of idle sockets) nothing more is
  accepted until some close;
* a request that has waited ``max_wait`` seconds for a thread gets the same answer instead of
  a late page, from the server's loop as soon as it is found waiting (each turn of the loop,
  at least once a second), not when a thread finally reaches it;
* while the server is full, each answer closes its connection, so the clients that got in
  make room for those that were turned away (kept-alive connections would hold their slots
  for ever); idle connections are closed after ``channel_timeout`` seconds.

Reading waitress 3.0's ``server.py``, ``channel.py`` and ``task.py``: requests reach the
threads through ``add_task`` (called while the channel's request lock is held, so a refusal is
handed to the server's loop with its trigger), and a parsed request carrying ``error`` is
answered by an ``ErrorTask``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import MultiSocketServer, TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher
from waitress.utilities import Error

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Limits:
    """How much the server takes before it says "come back later"."""

    threads: int = 8
    connection_limit: int = 100
    max_wait: float = 2.0  # seconds a request may wait for a thread
    retry_after: int = 5  # seconds, told to a client turned away
    channel_timeout: int = 30  # an idle connection is closed after this long
    backlog: int = 2048


class Overloaded(Error):
    """``503`` with ``Retry-After`` (waitress's error answer, one header more)."""

    code = 503
    reason = "Service Unavailable"

    def __init__(self, retry_after: int) -> None:
        super().__init__("The service is busy. Please try again in a few seconds.")
        self.retry_after = retry_after

    def to_response(self, ident: str | None = None) -> tuple[str, list[tuple[str, str]], bytes]:
        status, headers, body = super().to_response(ident)
        return status, [*headers, ("Retry-After", str(self.retry_after))], body


class SheddingChannel(HTTPChannel):
    """A connection that may be refused (``shed``) or found to have waited too long."""

    shed = False
    queued_at = 0.0

    def service(self) -> None:
        server: SheddingServer = self.server
        if self.requests and not self.requests[0].error:
            request = self.requests[0]
            if time.monotonic() - self.queued_at > server.limits.max_wait:
                server.refused += 1
                request.error = Overloaded(server.limits.retry_after)
            elif server.full():
                request.headers["CONNECTION"] = "close"  # make room for the turned away
        super().service()


class SheddingServer(TcpWSGIServer):
    channel_class = SheddingChannel
    next_channel_cleanup: float = 0.0

    def __init__(self, application: Any, *, limits: Limits, **kwargs: Any) -> None:
        self.limits = limits
        self.refused = 0  # answers 503 since start (for logs and tests)
        super().__init__(application, **kwargs)

    def full(self) -> bool:
        return len(self.active_channels) >= int(self.adj.connection_limit)

    def readable(self) -> bool:
        now = time.time()
        if now >= self.next_channel_cleanup:
            self.next_channel_cleanup = now + self.adj.cleanup_interval
            self.maintenance(now)
        self.expire_waiting()
        # Keep accepting past the limit (those get a 503), up to twice it.
        limit = int(self.adj.connection_limit)
        return bool(self.accepting) and len(self.active_channels) < 2 * limit

    def handle_accept(self) -> None:
        try:
            pair = self.accept()
            if pair is None:
                return
            conn, addr = pair
            self.set_socket_options(conn)
        except OSError:
            if self.adj.log_socket_errors:
                self.logger.warning("server accept() threw an exception", exc_info=True)
            return
        shed = self.full()
        channel = self.channel_class(self, conn, self.fix_addr(addr), self.adj, map=self._map)
        channel.shed = shed

    def add_task(self, task: Any) -> None:
        channel: SheddingChannel = task
        if channel.shed:
            # Called under the channel's request lock: answer from the loop, soon after.
            self.trigger.pull_trigger(lambda: self._refuse(channel))
            return
        channel.queued_at = time.monotonic()
        self.task_dispatcher.add_task(channel)

    def expire_waiting(self) -> int:
        """Turn away, from the loop, every request that has waited ``max_wait`` for a thread
        (the queue is in arrival order: the oldest are first); how many were."""
        dispatcher = self.task_dispatcher
        cutoff = time.monotonic() - self.limits.max_wait
        expired: list[SheddingChannel] = []
        with dispatcher.lock:  # a thread taking a task holds it too: each is taken once
            queue = dispatcher.queue
            while queue and 0.0 < getattr(queue[0], "queued_at", 0.0) <= cutoff:
                expired.append(queue.popleft())
        for channel in expired:
            self._refuse(channel)
        return len(expired)

    def _refuse(self, channel: SheddingChannel) -> None:
        if not channel.requests:
            return
        self.refused += 1
        channel.requests[0].error = Overloaded(self.limits.retry_after)
        channel.service()  # an error answer, written by this (the loop's) thread


def create_server(app: Callable[..., Any], *, host: str = "127.0.0.1", port: int = 8000,
                  limits: Limits | None = None, sockets: list[Any] | None = None,
                  ident: str = "xktracker") -> SheddingServer | MultiSocketServer:
    """waitress's ``create_server`` with :class:`SheddingServer` and :class:`Limits`."""
    limits = limits or Limits()
    settings: dict[str, Any] = {
        "threads": limits.threads, "connection_limit": limits.connection_limit,
        "channel_timeout": limits.channel_timeout, "cleanup_interval": 5,
        "backlog": limits.backlog, "ident": ident}
    if sockets:
        settings["sockets"] = sockets
    else:
        settings.update(host=host, port=port)
    adj = Adjustments(**settings)
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(adj.threads)
    socket_map: dict[int, Any] = {}
    servers: list[SheddingServer] = []
    if sockets:
        for sock in sockets:
            info = (sock.family, sock.type, sock.proto, sock.getsockname())
            servers.append(SheddingServer(app, limits=limits, map=socket_map, _sock=sock,
                                          dispatcher=dispatcher, adj=adj, bind_socket=False,
                                          sockinfo=info))
    else:
        for info in adj.listen:
            servers.append(SheddingServer(app, limits=limits, map=socket_map,
                                          dispatcher=dispatcher, adj=adj, sockinfo=info))
    if len(servers) == 1:
        return servers[0]
    return MultiSocketServer(socket_map, adj=adj, dispatcher=dispatcher, log_info=log.info,
                             effective_listen=[(s.effective_host, s.effective_port)
                                               for s in servers])
