"""The page's side of the address guard: a route handler that vets every request.

Each request is checked against :mod:`crawler.fetch.guard` before Chromium sends it, and a
document's redirects are fetched one hop at a time so a redirect to a refused address is
never followed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import (
    Route,
)

from crawler.fetch.browser.errors import (
    PageStop,
    fetch_failure,
    first_line,
    is_closed_error,
)
from crawler.fetch.browser.limits import SKIPPED_RESOURCE_TYPES
from crawler.fetch.guard import GuardError, IPNetwork, Resolver, check_host, check_url, validate_url


class RequestGuard:
    """A route handler that lets the page fetch only what the address guard allows.

    Every request (document, iframe, script, XHR, …) is checked; images, fonts and media
    are dropped outright. Decisions are cached per scheme and host for the page's life,
    so a page with 200 requests to one CDN costs one DNS look-up.

    Playwright never shows a route handler the hops of a redirect, so with
    ``check_redirects`` documents (pages and iframes) are fetched through ``route.fetch``
    one hop at a time: a redirect to a refused address is aborted before anything is sent
    there. Subresource redirects are not seen; the document's server address is checked
    again after loading (see ``BrowserFetcher``).
    """

    def __init__(
        self,
        *,
        allow_private: bool,
        allow_networks: Iterable[str | IPNetwork] = (),
        resolver: Resolver | None = None,
        skip_types: frozenset[str] = SKIPPED_RESOURCE_TYPES,
        check_redirects: bool | None = None,
        fetch_timeout: float = 20.0,
        chain: bool = False,
    ) -> None:
        self.allow_private = allow_private
        # chain: let another route handler (scrapy-playwright's) see what we allow, instead
        # of sending it on ourselves.
        self.chain = chain
        self.allow_networks = tuple(allow_networks)
        self.resolver = resolver
        self.skip_types = skip_types
        self.check_redirects = (not allow_private) if check_redirects is None else check_redirects
        self.fetch_timeout = fetch_timeout
        self.refused: list[tuple[str, str]] = []  # (url, reason), in order
        self.refused_redirect: tuple[str, str] | None = None  # (target, reason)
        self.redirect_loop = False
        self.document_error: tuple[str, str, str] | None = None  # (url, reason, detail)
        self.skipped = 0
        self._hosts: dict[tuple[str, str], GuardError | None] = {}
        self._hops: set[str] = set()

    def _check(self, url: str) -> None:
        check_url(url, allow_private=self.allow_private, resolver=self.resolver,
                  allow_networks=self.allow_networks)

    async def refusal(self, url: str) -> GuardError | None:
        """The guard's objection to ``url``, or ``None`` when it may be fetched."""
        parts = urlsplit(url)
        key = (parts.scheme.lower(), parts.netloc.lower())
        if key in self._hosts:
            cached = self._hosts[key]
            if cached is not None:
                return cached
            try:
                validate_url(url)  # shape only; the host was approved already
            except GuardError as exc:
                return exc
            return None
        try:
            await asyncio.to_thread(self._check, url)
            verdict: GuardError | None = None
        except GuardError as exc:
            verdict = exc
        self._hosts[key] = verdict
        return verdict

    async def handle(self, route: Route) -> None:
        """Playwright route handler: abort what the guard refuses, continue the rest."""
        request = route.request
        try:
            if request.resource_type in self.skip_types:
                self.skipped += 1
                await route.abort("blockedbyclient")
                return
            if not request.url.startswith(("http://", "https://")):
                await self._pass(route)
                return
            objection = await self.refusal(request.url)
            if objection is not None:
                self.refused.append((request.url, objection.reason))
                await route.abort("blockedbyclient")
                return
            if self.check_redirects and request.resource_type == "document":
                await self._document_hop(route)
                return
            await self._pass(route)
        except PlaywrightError:
            pass  # the page or browser went away while we decided; nothing to route

    async def _pass(self, route: Route) -> None:
        if self.chain:
            await route.fallback()
        else:
            await route.continue_()

    async def _document_hop(self, route: Route) -> None:
        """Fetch one hop of a document ourselves and vet a redirect before the browser
        follows it (the browser's follow-up request comes back through ``handle``)."""
        request = route.request
        try:
            response = await route.fetch(max_redirects=0, timeout=self.fetch_timeout * 1000)
        except PlaywrightError as exc:
            if is_closed_error(exc):
                raise
            reason, code = fetch_failure(exc)
            self.document_error = (request.url, reason, first_line(exc))
            await route.abort(code)
            return
        location = response.headers.get("location")
        if 300 <= response.status < 400 and location:
            target = urljoin(request.url, location.strip())
            if target in self._hops or target == request.url:
                self.redirect_loop = True
            self._hops.add(request.url)
            if target.startswith(("http://", "https://")):
                objection = await self.refusal(target)
                if objection is not None:
                    self.refused.append((target, objection.reason))
                    self.refused_redirect = (target, objection.reason)
                    await route.abort("blockedbyclient")
                    return
        await route.fulfill(response=response)

    def reason_for(self, url: str) -> str | None:
        """Why the navigation to ``url`` was aborted by us, if it was."""
        if self.refused_redirect is not None:
            return self.refused_redirect[1]
        for refused_url, reason in self.refused:
            if refused_url.split("#")[0] == url.split("#")[0]:
                return reason
        return None

    def explain(self, url: str, reason: str, detail: str | None) -> tuple[str, str | None]:
        """Sharpen a navigation error with what this guard saw: a refused address or
        redirect, a redirect loop, or a document hop it judged itself."""
        if reason == "private_address":
            reason = self.reason_for(url) or reason
            if self.refused_redirect is not None:
                detail = f"redirect to {self.refused_redirect[0][:200]} refused"
        if reason == "too_many_redirects" and self.redirect_loop:
            reason = "redirect_loop"
        if self.document_error is not None:
            _, reason, detail = self.document_error
        return reason, detail

    def summary(self) -> str | None:
        """A short note for ``FetchOutcome.detail`` about requests we refused."""
        if not self.refused:
            return None
        reasons = sorted({reason for _, reason in self.refused})
        first = self.refused[0][0][:120]
        return (f"refused {len(self.refused)} request(s) ({', '.join(reasons)}), "
                f"first {first}")



def check_server_address(address: Mapping[str, Any] | None, *, allow_private: bool,
                         allow_networks: Iterable[str | IPNetwork] = ()) -> None:
    """Refuse a document served from a non-public address (DNS changed after our check, or
    a redirect the route handler never saw); ``address`` is Playwright's ``server_addr()``."""
    if allow_private or not address:
        return
    ip = str(address.get("ipAddress") or "").strip("[]")
    if not ip:
        return
    try:
        check_host(ip, int(address.get("port") or 0), allow_private=False,
                   allow_networks=allow_networks)
    except GuardError as exc:
        raise PageStop(exc.reason, f"document served from {ip}: {exc.detail}") from None
