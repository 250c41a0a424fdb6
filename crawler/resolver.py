"""The crawl's DNS resolver: it answers only with addresses the egress policy approves.

Scrapy resolves a host when it connects, after the address guard middleware judged the URL
with its own look-up: a name that answers a public address first and 127.0.0.1 next (DNS
rebinding) would be judged on the first answer and connected on the second. Installed as
``TWISTED_DNS_RESOLVER``, this resolver judges the very answer the connection uses, so what
was checked is what is connected to. A refused host resolves to nothing (Scrapy reports a
DNS failure); :func:`refusal_for` tells the crawl the real reason.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from twisted.internet import threads
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostnameResolver, IHostResolution
from zope.interface import implementer

from crawler.config import CrawlConfig
from crawler.errors import GuardError
from crawler.fetch.guard import EgressPolicy

_REFUSED: dict[str, GuardError] = {}  # host → why the last look-up of it was refused
_LOCK = threading.Lock()


def refusal_for(host: str) -> GuardError | None:
    """Why this resolver last refused ``host`` (``None`` when it did not)."""
    with _LOCK:
        return _REFUSED.get(host.lower())


@implementer(IHostResolution)
class _Resolution:
    def __init__(self, name: str) -> None:
        self.name = name

    def cancel(self) -> None:
        """Look-ups run to their end in a thread; the answer is then simply not used."""


@implementer(IHostnameResolver)
class GuardedResolver:
    """Resolves in a thread with the crawl's :class:`EgressPolicy`; no cache of its own (the
    policy's resolver, the system's, has one), so a changed answer is judged again."""

    def __init__(self, reactor: Any, policy: EgressPolicy) -> None:
        self.reactor = reactor
        self.policy = policy

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        return cls(reactor, CrawlConfig.from_settings(crawler.settings).policy)

    def install_on_reactor(self) -> None:
        self.reactor.installNameResolver(self)

    def resolveHostName(  # noqa: N802 - Twisted's interface
        self,
        resolutionReceiver: Any,  # noqa: N803 - an IResolutionReceiver
        hostName: str,  # noqa: N803
        portNumber: int = 0,  # noqa: N803
        addressTypes: Sequence[type[Any]] | None = None,  # noqa: N803
        transportSemantics: str = "TCP",  # noqa: N803
    ) -> Any:
        resolution = _Resolution(hostName)
        resolutionReceiver.resolutionBegan(resolution)

        def look_up() -> tuple[str, ...]:
            return self.policy.check_host(hostName, portNumber)

        def answered(ips: tuple[str, ...]) -> None:
            with _LOCK:
                _REFUSED.pop(hostName.lower(), None)
            for ip in ips:
                kind = IPv6Address if ":" in ip else IPv4Address
                if addressTypes and kind not in addressTypes:
                    continue
                resolutionReceiver.addressResolved(kind("TCP", ip, portNumber))
            resolutionReceiver.resolutionComplete()

        def refused(failure: Any) -> None:
            if failure.check(GuardError):
                with _LOCK:
                    if len(_REFUSED) > 10_000:
                        _REFUSED.clear()
                    _REFUSED[hostName.lower()] = failure.value
            resolutionReceiver.resolutionComplete()  # no address: Scrapy reports DNS failure

        deferred = threads.deferToThreadPool(self.reactor, self.reactor.getThreadPool(),
                                              look_up)
        deferred.addCallbacks(answered, refused)
        return resolution
