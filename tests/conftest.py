"""Shared fixtures: one local demo web per session, and a clean ``XKTRACKER_*`` environment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.fetch.guard import EgressPolicy
from xktracker.demoweb.server import DemoWebServer

LOOPBACK = ("127.0.0.0/8",)
# The real library releases installed for the attribution test (make test-lists) carry test
# suites of their own: never ours to collect.
collect_ignore = ["upstream"]
# Where tests may connect: the local demo web on loopback (any port), nothing else private.
LOCAL_WEB = EgressPolicy.build(allow_networks=LOOPBACK)


@pytest.fixture(scope="session")
def demoweb() -> Iterator[DemoWebServer]:
    """The bundled demo web on 127.0.0.1, port 0 (pages with known right answers)."""
    with DemoWebServer() as server:
        yield server


@pytest.fixture(scope="session", autouse=True)
def no_stray_instance() -> Iterator[None]:
    """No test writes into the repository's default instance folder (a command run without
    its own XKTRACKER_INSTANCE_DIR would: rendered pages, the pages' generation)."""
    pages = Path(__file__).resolve().parent.parent / "instance" / "pages"
    existed = pages.exists()
    yield
    assert existed or not pages.exists(), f"a test left {pages} behind"


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No setting of the developer's shell may leak into a test."""
    for key in list(os.environ):
        if key.startswith("XKTRACKER_"):
            monkeypatch.delenv(key)
