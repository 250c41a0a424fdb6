"""The page's side of the egress guard: what a page may load, and why a navigation failed.

Where Chromium may connect is decided below the page, by the egress proxy every browser
context goes through (:mod:`crawler.fetch.egress`): it judges each host once, connects to
the address it judged, and caps what comes back. Here the page only drops what a form never
needs (images, fonts, media), and a failed navigation is explained with what the proxy's
session recorded: Chromium reports a closed connection, the session knows it was a refused
private address, a non-web port or a body over the cap.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Route

from crawler.fetch.browser.limits import SKIPPED_RESOURCE_TYPES
from crawler.fetch.egress import EgressSession
from crawler.fetch.static import HopCheck, HopRefused

# Chromium's names for a connection the proxy ended: the session says what really happened.
_PROXY_ENDED = frozenset({"connection", "bad_content", "private_address"})


async def skip_unneeded(route: Route) -> None:
    """Route handler: abort images, fonts and media; let the rest go (to the proxy)."""
    try:
        if route.request.resource_type in SKIPPED_RESOURCE_TYPES:
            await route.abort("blockedbyclient")
        else:
            await route.fallback()
    except PlaywrightError:
        pass  # the page went away while we decided; nothing to route


@dataclass(slots=True)
class Navigations:
    """The navigations of a page's own frame shown to a hop check, and those it refused
    (with their place in order: the first is the page's own URL)."""

    seen: int = 0
    refused: list[tuple[int, HopRefused]] = field(default_factory=list)

    def first_refused(self) -> HopRefused | None:
        return next((exc for n, exc in self.refused if n == 1), None)


def hop_guard(hop_check: HopCheck, log: Navigations) -> Callable[[Route], Awaitable[None]]:
    """Route handler: every navigation of the page's own frame (the first URL, a link or a
    script followed while reading) is shown to ``hop_check`` first. A refused one is answered
    ``204 No Content`` from here, which leaves the page where it was (an aborted navigation
    would replace it with an error page) and never reaches the site. Discovery uses it to keep
    the browser on its site and inside robots.txt, as the static path does. Redirects are not
    routed by Playwright: the caller checks where the page ended."""

    async def handle(route: Route) -> None:
        request = route.request
        try:
            if request.is_navigation_request() and request.frame.parent_frame is None:
                log.seen += 1
                try:
                    await asyncio.to_thread(hop_check, request.url)
                except HopRefused as exc:
                    log.refused.append((log.seen, exc))
                    await route.fulfill(status=204, body=b"")
                    return
            await route.fallback()
        except PlaywrightError:
            pass  # the page went away while we decided

    return handle


def explain(session: EgressSession | None, url: str, reason: str,
            detail: str | None) -> tuple[str, str | None]:
    """Sharpen a navigation error with what the egress session saw for ``url``."""
    if session is None:
        return reason, detail
    if reason == "too_many_redirects" and session.redirect_loop():
        return "redirect_loop", detail
    refusal = session.refusal_for(url)
    if refusal is None or (reason not in _PROXY_ENDED and not refusal.document):
        return reason, detail
    where = "" if refusal.url.split("#")[0] == url.split("#")[0] else f" ({refusal.url[:200]})"
    return refusal.reason, f"{refusal.detail}{where}"
