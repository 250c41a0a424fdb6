"""The browser's egress proxy: every connection Chromium makes goes through here, or nowhere.

A route handler in the page sees only what Playwright routes (not preconnects, not
WebSockets, not what Chromium resolves for itself), and Chromium resolves a host again after
our check — a DNS-rebinding window into loopback. So Chromium gets no network of its own:
each browser context is pointed at a session of this proxy (its own port on 127.0.0.1), and
the browser is launched with a catch-all session, so a context without one is guarded too.
The proxy resolves and judges each host once, connects to the addresses it judged, and caps
what comes back (see :mod:`crawler.fetch.egress.relay`).

It runs on its own thread and event loop, so the synchronous checker and the crawler's
reactor use it the same way and its relaying never waits on theirs.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from collections.abc import Coroutine
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import certifi

from crawler.errors import GuardError
from crawler.fetch.egress.certs import LocalAuthority
from crawler.fetch.egress.relay import Relay
from crawler.fetch.egress.session import EgressLimits, EgressSession
from crawler.fetch.guard import EgressPolicy

T = TypeVar("T")
# Threads that resolve host names for all sessions: a slow resolver ties up these few, never
# the event loop's default pool; each look-up is also bounded by the session's timeout.
_RESOLVER_THREADS = 4

class _Listener:
    """A session's listening socket and the connections it accepted."""

    def __init__(self, session: EgressSession, server: asyncio.Server) -> None:
        self.session = session
        self.server = server
        self.tasks: set[asyncio.Task[Any]] = set()
        self.relays: set[Relay] = set()
        self.approved: dict[tuple[str, int], tuple[str, ...] | GuardError] = {}


class EgressProxy:
    """Guarding proxy for Chromium; ``open_session()`` per browser context, ``close()`` at the end.

    ``policy`` says where connections may go; ``limits`` caps each session; ``verify=False``
    accepts any upstream certificate (tests with a self-signed local server only).
    """

    def __init__(self, policy: EgressPolicy | None = None, *,
                 limits: EgressLimits | None = None, verify: bool = True) -> None:
        self.policy = policy or EgressPolicy()
        self.limits = limits or EgressLimits()
        self.verify = verify
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._authority: LocalAuthority | None = None
        self._upstream_tls: ssl.SSLContext | None = None
        self._listeners: dict[int, _Listener] = {}
        self._catch_all: EgressSession | None = None
        self._resolvers: ThreadPoolExecutor | None = None
        self._start_lock = threading.Lock()

    # -- lifecycle --------------------------------------------------------------------

    def start(self) -> EgressProxy:
        """Start the proxy's thread (idempotent); returns the proxy."""
        with self._start_lock:
            if self._loop is not None:
                return self
            self._authority = LocalAuthority()
            context = ssl.create_default_context(cafile=certifi.where())
            if not self.verify:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            context.set_alpn_protocols(["http/1.1"])
            self._upstream_tls = context
            self._resolvers = ThreadPoolExecutor(_RESOLVER_THREADS,
                                                 thread_name_prefix="xk-egress-dns")
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="xk-egress", daemon=True)
            thread.start()
            self._loop, self._thread = loop, thread
        return self

    def close(self) -> None:
        """Close every session and stop the thread (idempotent)."""
        loop, thread = self._loop, self._thread
        if loop is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(self._close_all(), loop).result(15)
        except Exception:  # a wedged loop must not keep the process from ending
            pass
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(timeout=10)
        loop.close()
        self._loop = self._thread = None
        self._catch_all = None  # its port is gone; a restarted proxy opens a new one
        if self._resolvers is not None:
            # A look-up stuck in a resolver is abandoned, not waited for.
            self._resolvers.shutdown(wait=False, cancel_futures=True)
            self._resolvers = None
        if self._authority is not None:
            self._authority.close()

    def __enter__(self) -> EgressProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sessions ---------------------------------------------------------------------

    def catch_all(self) -> EgressSession:
        """The session a browser is launched with: what no context session claims."""
        if self._catch_all is None:
            self._catch_all = self.open_session()
        return self._catch_all

    def open_session(self, limits: EgressLimits | None = None) -> EgressSession:
        """A new session with its own port (blocking; from any thread but the proxy's)."""
        return self._submit(self._open(limits or self.limits)).result(10)

    async def open_session_async(self, limits: EgressLimits | None = None) -> EgressSession:
        """:meth:`open_session` for a caller running its own event loop."""
        return await asyncio.wrap_future(self._submit(self._open(limits or self.limits)))

    def close_session(self, session: EgressSession) -> None:
        """Stop the session's port and cut its connections (blocking)."""
        if self._loop is None or session.closed:
            return
        self._submit(self._close(session)).result(10)

    async def close_session_async(self, session: EgressSession) -> None:
        if self._loop is None or session.closed:
            return
        await asyncio.wrap_future(self._submit(self._close(session)))

    def _submit(self, coro: Coroutine[Any, Any, T]) -> Future[T]:
        if self._loop is None:
            self.start()
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    async def _open(self, limits: EgressLimits) -> EgressSession:
        holder: list[_Listener] = []

        async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            listener = holder[0]
            if listener.session.closed:
                writer.close()
                return
            assert self._authority is not None and self._upstream_tls is not None
            assert self._resolvers is not None
            relay = Relay(listener.session, self.policy, self._authority, self._upstream_tls,
                          listener.approved, self._resolvers)
            task = asyncio.current_task()
            if task is not None:
                listener.tasks.add(task)
            listener.relays.add(relay)
            try:
                await relay.serve(reader, writer)
            except asyncio.CancelledError:
                # The session closed under it: the connection is gone, which is the point.
                # (Ending the handler normally keeps asyncio from logging the cancellation.)
                relay.abort()
            finally:
                listener.relays.discard(relay)
                if task is not None:
                    listener.tasks.discard(task)

        server = await asyncio.start_server(accept, "127.0.0.1", 0,
                                            limit=limits.max_head_bytes)
        port = server.sockets[0].getsockname()[1]
        session = EgressSession(port=port, limits=limits)
        holder.append(_Listener(session, server))
        self._listeners[port] = holder[0]
        return session

    async def _close(self, session: EgressSession) -> None:
        session.closed = True
        listener = self._listeners.pop(session.port, None)
        if listener is None:
            return
        listener.server.close()
        for relay in list(listener.relays):
            relay.abort()  # closed sockets end each relay's reads
        if listener.tasks:
            _, stuck = await asyncio.wait(list(listener.tasks), timeout=2.0)
            for task in stuck:
                task.cancel()

    async def _close_all(self) -> None:
        for listener in list(self._listeners.values()):
            await self._close(listener.session)
