"""Fixtures of the discovery tests: the test web of small sites, and running discovery on it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from crawler.checker import Checker
from crawler.discover.run import DiscoverOptions, SiteDiscovery, SiteResult
from tests.discoverweb.expectations import SiteExpectations
from tests.discoverweb.server import DiscoverWeb, Hit

LOOPBACK = ("127.0.0.0/8",)


@pytest.fixture(scope="session")
def discoverweb() -> Iterator[DiscoverWeb]:
    """The discovery test web on 127.0.0.1, port 0."""
    with DiscoverWeb() as web:
        yield web


@dataclass
class Walked:
    result: SiteResult
    hits: list[Hit]

    def found(self) -> set[tuple[str, str, str, str | None]]:
        """(path, kind, verdict, reason) of every finding."""
        out = set()
        for finding in self.result.findings:
            report = finding.report
            parts = urlsplit(report["url"])
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            out.add((path, report["kind"], report["verdict"], report["reason"]))
        return out


def walk_site(web: DiscoverWeb, site: str, options: DiscoverOptions,
              checker: Checker | None = None) -> Walked:
    web.take_hits()
    if checker is None:
        with Checker(options.check_options()) as own:
            result = SiteDiscovery(web.url(site), own, options).run()
    else:
        result = SiteDiscovery(web.url(site), checker, options).run()
    return Walked(result, web.take_hits())


def expected_set(expect: SiteExpectations, *, browser: bool) -> set[tuple[str, str, str,
                                                                         str | None]]:
    return {(e.path, e.kind, e.verdict, e.reason) for e in expect.forms
            if browser or not e.needs_browser}
