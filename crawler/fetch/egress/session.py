"""What one browser context did through the egress proxy: its limits, its bytes, its refusals.

Each browser context gets a session of its own (its own listening port), so the caps are per
page and the fetcher can tell *why* a navigation failed: a refused address, a non-web port, a
body over the cap. Written from the proxy's thread, read from the fetcher's.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.async_api import ProxySettings


@dataclass(frozen=True, slots=True)
class EgressLimits:
    """Caps of one browser context (a page and everything it loads)."""

    # Decoded bytes of one document (page or frame): the static path's cap.
    max_document_bytes: int = 10 * 1024 * 1024
    # Decoded bytes of one subresource (a script bundle, a JSON list).
    max_resource_bytes: int = 32 * 1024 * 1024
    # Bytes of everything the context exchanged: decoded bodies and response heads received,
    # WebSocket frames both ways (counted as they pass; extensions are never negotiated).
    max_page_bytes: int = 64 * 1024 * 1024
    # Bytes of a request or response head, and of a request body.
    max_head_bytes: int = 64 * 1024
    max_request_body: int = 2 * 1024 * 1024
    # Requests one page may make (a busy shop page makes a few hundred).
    max_requests: int = 2000
    # Longest wait for a host's addresses, and then for a connection to one of them.
    connect_timeout: float = 10.0
    # Longest wait for the next bytes of an upstream answer.
    read_timeout: float = 30.0


@dataclass(frozen=True, slots=True)
class Refusal:
    """A request the proxy did not let through, or cut short."""

    url: str  # ``scheme://host:port/path`` (or ``host:port`` for a tunnel it refused)
    reason: str  # the outcome vocabulary: private_address, bad_url, dns, too_large …
    detail: str
    document: bool  # a navigation (page or frame), so the page itself failed
    cut: bool = False  # something the page loaded was cut short: it was not seen whole


@dataclass(eq=False)
class EgressSession:
    """One context's view of the proxy; ``server`` is what Playwright's ``proxy`` option takes."""

    port: int
    limits: EgressLimits
    traffic: int = 0  # bytes counted against ``max_page_bytes``
    requests: int = 0
    documents: list[str] = field(default_factory=list)
    _refusals: list[Refusal] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    closed: bool = False

    @property
    def server(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def playwright_proxy(self) -> ProxySettings:
        """The ``proxy`` option of a browser context that must go through this session."""
        # "<-loopback>" by name: Chromium sends loopback and link-local hosts past a proxy
        # unless told not to, and Playwright's own default can be switched off by an
        # environment variable (PLAYWRIGHT_DISABLE_FORCED_CHROMIUM_PROXIED_LOOPBACK).
        return {"server": self.server, "bypass": "<-loopback>"}

    # -- written by the proxy -----------------------------------------------------------

    def refuse(self, url: str, reason: str, detail: str, *, document: bool = False,
               cut: bool = False) -> None:
        """Record a refusal; ``cut`` (implied by ``too_large``) when the page lost part of
        what it loaded, so it was not seen whole."""
        with self._lock:
            if len(self._refusals) < 200:
                self._refusals.append(Refusal(url[:2048], reason, detail[:500], document,
                                              cut or reason == "too_large"))

    def saw_request(self, url: str, *, document: bool) -> bool:
        """Count a request; False once the page made more than ``max_requests``."""
        with self._lock:
            self.requests += 1
            if document and len(self.documents) < 100:
                self.documents.append(url[:2048])
            return self.requests <= self.limits.max_requests

    def add_traffic(self, count: int) -> bool:
        """Count bytes exchanged; False once the page's total is over its cap."""
        with self._lock:
            self.traffic += count
            return self.traffic <= self.limits.max_page_bytes

    # -- read by the fetcher ------------------------------------------------------------

    @property
    def refusals(self) -> tuple[Refusal, ...]:
        with self._lock:
            return tuple(self._refusals)

    @property
    def cut_short(self) -> Refusal | None:
        """The first thing the page lost (a cap it hit, a body that broke off), if any: then
        it was not seen whole."""
        return next((r for r in self.refusals if r.cut), None)

    def refusal_for(self, url: str) -> Refusal | None:
        """Why a navigation to ``url`` (or a hop of its redirects) failed, as far as we know.

        A refusal of the URL itself or of its host wins; else the last refused navigation
        (a redirect to a refused address); else ``None``.
        """
        refusals = self.refusals
        host = (urlsplit(url).hostname or "").lower()
        bare = url.split("#", 1)[0]
        for r in refusals:
            if r.url == bare or r.url.split("#", 1)[0] == bare:
                return r
        for r in refusals:
            if _host_of(r.url) == host and (r.document or "://" not in r.url):
                return r
        documents = [r for r in refusals if r.document]
        return documents[-1] if documents else None

    def redirect_loop(self) -> bool:
        """A document URL asked for twice: the site redirects in a circle."""
        with self._lock:
            return len(set(self.documents)) < len(self.documents)

    def summary(self) -> str | None:
        """A short note for ``FetchOutcome.detail`` about what was refused."""
        refusals = self.refusals
        if not refusals:
            return None
        reasons = sorted({r.reason for r in refusals})
        return (f"egress refused {len(refusals)} request(s) ({', '.join(reasons)}), "
                f"first {refusals[0].url[:120]}")


def _host_of(url: str) -> str:
    if "://" in url:
        return (urlsplit(url).hostname or "").lower()
    return url.rsplit(":", 1)[0].strip("[]").lower()
