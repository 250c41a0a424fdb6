"""The crawler's browser path: what runs in the page scrapy-playwright opened for a target.

scrapy-playwright loads the page (``meta={"playwright": True, …}``); before the navigation
:func:`init_page` puts our address guard on every request the page makes (images, fonts and
media dropped, service workers blocked by the context) and, with ``--record``/``--replay``,
a HAR recorder or player. After it, :func:`read_target_page` does the same reads as
``xktracker check --browser`` (:func:`crawler.fetch.browser.read_page`): settle, the
target's steps, the document, same-origin frames, custom dropdowns, a screenshot.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from playwright.async_api import Request as PlaywrightRequest
from scrapy import Request

from crawler.fetch.browser import (
    SKIPPED_RESOURCE_TYPES,
    ChooseControl,
    NetworkTracker,
    PageStop,
    ReadOptions,
    RequestGuard,
    StepFailed,
    check_server_address,
    classify_error,
    finish_outcome,
    read_page,
    record_failure,
)
from crawler.fetch.outcome import FetchOutcome

log = logging.getLogger(__name__)

# Options of each target's browser context: a fresh one per target, so no cookie or consent
# choice leaks from one site to the next; service workers could fetch past our route.
CONTEXT_OPTIONS: dict[str, Any] = {
    "service_workers": "block",
    "viewport": {"width": 1280, "height": 900},
    "locale": "en-US",
    "accept_downloads": False,
}


def har_path(folder: Path, url: str) -> Path:
    """Where the browser exchanges of one target URL are recorded."""
    return folder / "browser" / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()[:24]}.har"


def skip_resource(request: PlaywrightRequest) -> bool:
    """``PLAYWRIGHT_ABORT_REQUEST``: what a form never needs (the guard drops them too)."""
    return request.resource_type in SKIPPED_RESOURCE_TYPES


def skip_handover_read(page: Page) -> None:
    """Answer scrapy-playwright's ``page.content()`` after navigating with an empty body.

    It reads the document right after DOMContentLoaded to build the Scrapy response; our
    callback never uses that body (it reads the settled page itself, shadow roots and all),
    and serialising a half-drawn page for nothing cost 10-15 % of a browser check. The
    override answers once and removes itself; :func:`restore_content` removes it in any case
    before the page is read, so every later ``content()`` is Playwright's own.
    """
    async def handover(*_: Any, **__: Any) -> str:
        restore_content(page)
        return ""

    page.content = handover  # type: ignore[method-assign]


def restore_content(page: Page) -> None:
    """Drop :func:`skip_handover_read`'s override if it is still there."""
    vars(page).pop("content", None)


async def init_page(page: Page, request: Request) -> None:
    """``playwright_page_init_callback``: guard (or record, or replay) before navigating.

    Its settings travel in ``request.meta["xk_page"]`` (plain data, so the request could be
    queued elsewhere); the guard and the network tracker are left in the meta for the
    callback. ``xk_guarded`` says the guard is in place: scrapy-playwright only logs an
    exception raised here, so the callback refuses a page loaded without it.
    """
    conf = request.meta.get("xk_page") or {}
    page.set_default_timeout(float(conf.get("timeout", 20.0)) * 1000)
    skip_handover_read(page)
    request.meta["xk_network"] = NetworkTracker().attach(page)
    har = conf.get("har")
    if conf.get("mode") == "replay":
        if har and Path(har).is_file():
            await page.route_from_har(har, not_found="abort")
        else:
            request.meta["xk_not_recorded"] = True
            await page.route("**/*", lambda route: route.abort("blockedbyclient"))
        request.meta["xk_guarded"] = True  # nothing leaves the machine
        return
    if conf.get("mode") == "record" and har:
        Path(har).parent.mkdir(parents=True, exist_ok=True)
        await page.route_from_har(har, update=True, update_content="embed")
    guard = RequestGuard(allow_private=bool(conf.get("allow_private")),
                         allow_networks=tuple(conf.get("allow_networks") or ()),
                         fetch_timeout=float(conf.get("timeout", 20.0)), chain=True)
    request.meta["xk_guard"] = guard
    # Registered last, so it runs first (Playwright tries routes newest first).
    await page.route("**/*", guard.handle)
    request.meta["xk_guarded"] = True


async def close_page(page: Any) -> None:
    """Close a target's page and its context (which writes a recorded HAR)."""
    if not isinstance(page, Page):
        return
    context = page.context
    with suppress(PlaywrightError, TimeoutError):
        await asyncio.wait_for(page.close(), 10)
    with suppress(PlaywrightError, TimeoutError):
        await asyncio.wait_for(context.close(), 10)


def navigation_failure(exc: BaseException, meta: Mapping[str, Any],
                       url: str) -> tuple[str, str]:
    """Reason and detail for a page that failed to load, told apart with what the guard saw
    (a refused redirect, a loop, a document hop that could not connect)."""
    if meta.get("xk_not_recorded"):
        return "not_recorded", f"{url} was not recorded for the browser"
    reason, detail = classify_error(exc)
    guard = meta.get("xk_guard")
    if isinstance(guard, RequestGuard):
        reason, explained = guard.explain(url, reason, detail)
        detail = explained or detail
    return reason, detail


async def read_target_page(
    page: Page,
    out: FetchOutcome,
    meta: Mapping[str, Any],
    *,
    steps: Sequence[Mapping[str, Any]],
    choose: ChooseControl | None,
    server: Mapping[str, Any] | None,
    options: ReadOptions,
) -> None:
    """Read a loaded page into ``out`` (never raises for a bad page) and close it."""
    start = time.monotonic()
    notes: list[str] = []
    guard = meta.get("xk_guard")
    conf = meta.get("xk_page") or {}
    # Everything a page may do is bounded: settling, each step, probing, the screenshot.
    hard_limit = options.timeout * (3 + len(steps)) + options.probe_budget + 30
    restore_content(page)
    try:
        if not meta.get("xk_guarded"):
            raise PageStop("private_address", "the address guard could not be set up")
        if meta.get("xk_not_recorded"):
            raise PageStop("not_recorded", f"{out.requested_url} was not recorded")
        if conf.get("mode") != "replay":
            check_server_address(server, allow_private=bool(conf.get("allow_private")),
                                 allow_networks=tuple(conf.get("allow_networks") or ()))
        await asyncio.wait_for(
            read_page(page, out, steps=steps, choose=choose,
                      deadline=time.monotonic() + options.timeout,
                      network=meta.get("xk_network"), notes=notes, options=options),
            hard_limit)
    except (PageStop, StepFailed, TimeoutError, PlaywrightError) as exc:
        record_failure(out, exc, notes)
    finally:
        await close_page(page)
    finish_outcome(out, notes, guard if isinstance(guard, RequestGuard) else None, start)
