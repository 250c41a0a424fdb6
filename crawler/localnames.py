"""Scrapy's DNS resolver with RFC 6761's rule: ``localhost`` and ``*.localhost`` are loopback.

The address guard, Chromium and curl already resolve those names that way without asking DNS
(which, on many systems, knows only ``localhost`` itself). The crawler then reaches a local
test web of named sites (``shop.localhost``, ``accounts.shop.localhost``) like the other
fetchers do; the guard still refuses loopback unless it is allowed.
"""

from __future__ import annotations

from collections.abc import Sequence

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.defer import Deferred

LOOPBACK = "127.0.0.1"


def is_local_name(name: str) -> bool:
    host = name.lower().rstrip(".")
    return host == "localhost" or host.endswith(".localhost")


class LocalNamesResolver(CachingThreadedResolver):
    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:  # noqa: N802
        if is_local_name(name):
            return defer.succeed(LOOPBACK)
        return super().getHostByName(name, timeout)
