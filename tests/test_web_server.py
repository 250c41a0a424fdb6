"""The production server turns a crowd away (503 + Retry-After) instead of queueing it: real
waitress on 127.0.0.1, port 0, serving the dashboard."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from tests.web_fixtures import app, history, web_db  # noqa: F401
from tracker_web.server import Limits, SheddingServer, create_server


class Served:
    def __init__(self, wsgi: Any, limits: Limits) -> None:
        sock = socket.create_server(("127.0.0.1", 0))
        self.server = create_server(wsgi, limits=limits, sockets=[sock])
        assert isinstance(self.server, SheddingServer)
        self.port = self.server.effective_port
        self.stopping = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.server.run()
        except (OSError, ValueError):
            # stop() closes the sockets from this test's thread: the loop may be inside a
            # select() on one of them. Any other failure of the loop still fails the test.
            if not self.stopping:
                raise

    def get(self, path: str = "/about", timeout: float = 10) -> tuple[int, dict[str, str]]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}
        finally:
            connection.close()

    def stop(self) -> None:
        from waitress import wasyncore

        self.stopping = True
        self.server.task_dispatcher.shutdown()
        wasyncore.close_all(self.server._map)
        self.thread.join(10)


@pytest.fixture
def serve(app: Flask) -> Iterator[Any]:
    started: list[Served] = []

    def start(limits: Limits, wsgi: Any = None) -> Served:
        served = Served(wsgi or app, limits)
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()


def _idle(port: int) -> socket.socket:
    """A client that connected and says nothing (it holds a connection slot)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    return sock


def test_a_full_server_answers_503_with_retry_after(serve) -> None:
    served = serve(Limits(threads=2, connection_limit=2, retry_after=7))
    assert served.get()[0] == 200
    holders = [_idle(served.port) for _ in range(2)]
    time.sleep(0.3)  # the server's loop accepts them
    started = time.monotonic()
    status, headers = served.get()
    assert status == 503 and headers["retry-after"] == "7"
    assert headers["connection"] == "close"
    assert time.monotonic() - started < 2  # turned away at once, not queued
    assert served.server.refused == 1
    holders[0].close()
    time.sleep(0.3)
    assert served.get()[0] == 200  # room again
    holders[1].close()


def test_a_request_that_waited_too_long_for_a_thread_is_turned_away(serve, app: Flask) -> None:
    gate = threading.Event()

    def slow_first(environ: dict[str, Any], start_response: Any) -> Any:
        if environ["PATH_INFO"] == "/slow":
            gate.wait(10)
        return app.wsgi_app(environ, start_response)

    served = serve(Limits(threads=1, connection_limit=50, max_wait=0.5, retry_after=3),
                   slow_first)
    results: dict[str, Any] = {}
    blocker = threading.Thread(target=lambda: results.update(slow=served.get("/slow")))
    blocker.start()
    time.sleep(0.3)  # the only thread is now busy
    waiting = threading.Thread(target=lambda: results.update(late=served.get("/about")))
    waiting.start()
    time.sleep(1.0)  # longer than max_wait
    gate.set()
    blocker.join(10)
    waiting.join(10)
    assert results["slow"][0] == 404  # no such page, but served
    status, headers = results["late"]
    assert status == 503 and headers["retry-after"] == "3"
    assert served.get("/about")[0] == 200


def test_a_request_waiting_behind_busy_threads_is_turned_away_in_time(serve,
                                                                      app: Flask) -> None:
    # The only thread stays busy far longer than max_wait: the 503 must come from the
    # server's loop about max_wait after arrival, not when the thread is free again.
    gate = threading.Event()

    def slow_first(environ: dict[str, Any], start_response: Any) -> Any:
        if environ["PATH_INFO"] == "/slow":
            gate.wait(15)
        return app.wsgi_app(environ, start_response)

    served = serve(Limits(threads=1, connection_limit=50, max_wait=0.5, retry_after=3),
                   slow_first)
    results: dict[str, Any] = {}
    blocker = threading.Thread(target=lambda: results.update(slow=served.get("/slow", 20)))
    blocker.start()
    time.sleep(0.3)  # the only thread is now busy
    started = time.monotonic()
    try:
        status, headers = served.get("/about")
        waited = time.monotonic() - started
    finally:
        gate.set()
        blocker.join(20)
    assert status == 503 and headers["retry-after"] == "3"
    assert waited < 3.0, waited  # max_wait plus at most a turn of the loop, not 15 s
    assert results["slow"][0] == 404
    assert served.server.refused == 1
    assert served.get("/about")[0] == 200


def test_while_full_each_answer_closes_its_connection(serve) -> None:
    served = serve(Limits(threads=2, connection_limit=2))
    holder = _idle(served.port)
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=5)
    try:
        connection.request("GET", "/about")
        response = connection.getresponse()
        response.read()
        # Two connections open: the server is full, so this one is asked to make room.
        assert response.status == 200 and response.getheader("Connection") == "close"
    finally:
        connection.close()
        holder.close()
    time.sleep(0.3)
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=5)
    try:
        connection.request("GET", "/about")
        response = connection.getresponse()
        response.read()
        assert response.status == 200 and response.getheader("Connection") is None
    finally:
        connection.close()
