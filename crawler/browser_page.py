"""The crawler's browser path: what runs in the page scrapy-playwright opened for a target.

scrapy-playwright loads the page (``meta={"playwright": True, …}``) in a context that goes
through its own session of the egress proxy (:class:`EgressSessionMiddleware` opens it when
the request is downloaded, in the worker that downloads it). Before the navigation
:func:`init_page` adds, with ``--record``/``--replay``, a HAR recorder or player. After it,
:func:`read_target_page` does the same reads as ``xktracker check --browser``
(:func:`crawler.fetch.browser.read_page`): settle, the target's steps, the document,
same-origin frames, custom dropdowns, a screenshot; then the page and its session close.
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

from crawler.config import CrawlConfig
from crawler.fetch.browser import (
    SKIPPED_RESOURCE_TYPES,
    ChooseControl,
    NetworkTracker,
    PageStop,
    ReadOptions,
    StepFailed,
    classify_error,
    explain,
    finish_outcome,
    read_page,
    record_failure,
)
from crawler.fetch.egress import EgressProxy, EgressSession
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


def playwright_meta(context: str, timeout: float) -> dict[str, Any]:
    """A browser request's scrapy-playwright meta: a fresh context of its own (no cookie or
    consent carried over from another target), the page kept for our reader, the navigation
    bounded, and :func:`init_page` run before it (a session of the egress proxy is added when
    the request is downloaded, by :class:`EgressSessionMiddleware`)."""
    return {"playwright": True, "playwright_include_page": True,
            "playwright_context": context,
            "playwright_context_kwargs": dict(CONTEXT_OPTIONS),
            "playwright_page_goto_kwargs": {"wait_until": "domcontentloaded",
                                            "timeout": timeout * 1000},
            "playwright_page_init_callback": "crawler.browser_page.init_page"}


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


class EgressSessionMiddleware:
    """Downloader middleware: each browser request's context gets an egress session of its own.

    It runs in the worker that downloads the request (with a shared Redis queue, not always the
    one that made it), just before scrapy-playwright creates the context from
    ``playwright_context_kwargs``: the session's port and its certificates' acceptance are put
    there, and the session in ``meta["xk_egress"]`` for the page's reader, which closes it.
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> EgressSessionMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request, spider: Any = None) -> None:
        if not request.meta.get("playwright") or request.meta.get("xk_egress") is not None:
            return
        proxy = getattr(self.crawler.spider, "egress", None)
        if not isinstance(proxy, EgressProxy):
            return  # no proxy, no session: init_page then refuses to read the page
        session = await proxy.open_session_async()
        kwargs = dict(request.meta.get("playwright_context_kwargs") or {})
        kwargs.update(proxy=session.playwright_proxy(), ignore_https_errors=True)
        request.meta["playwright_context_kwargs"] = kwargs
        request.meta["xk_egress"] = session


async def init_page(page: Page, request: Request) -> None:
    """``playwright_page_init_callback``: record or replay before navigating, and note that
    the page is guarded.

    Its settings travel in ``request.meta["xk_page"]`` (plain data, so the request could be
    queued elsewhere); the network tracker is left in the meta for the callback.
    ``xk_guarded`` says the page cannot reach the network past the guard (its context goes
    through an egress session, or it replays): scrapy-playwright only logs an exception raised
    here, so the callback refuses a page loaded without it.
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
    request.meta["xk_guarded"] = isinstance(request.meta.get("xk_egress"), EgressSession)


def egress_of(meta: Mapping[str, Any]) -> EgressSession | None:
    session = meta.get("xk_egress")
    return session if isinstance(session, EgressSession) else None


async def close_page(page: Any, meta: Mapping[str, Any] | None = None,
                     proxy: EgressProxy | None = None) -> None:
    """Close a target's page and its context (which writes a recorded HAR), then its egress
    session."""
    if isinstance(page, Page):
        context = page.context
        with suppress(PlaywrightError, TimeoutError):
            await asyncio.wait_for(page.close(), 10)
        with suppress(PlaywrightError, TimeoutError):
            await asyncio.wait_for(context.close(), 10)
    session = egress_of(meta or {})
    if session is not None and proxy is not None:
        with suppress(Exception):  # a proxy already closed at shutdown has no session left
            await proxy.close_session_async(session)


def navigation_failure(exc: BaseException, meta: Mapping[str, Any],
                       url: str) -> tuple[str, str]:
    """Reason and detail for a page that failed to load, told apart with what the egress
    session saw (a refused address or redirect, a non-web port, a cap, a loop)."""
    if meta.get("xk_not_recorded"):
        return "not_recorded", f"{url} was not recorded for the browser"
    reason, detail = explain(egress_of(meta), url, *classify_error(exc))
    return reason, detail or reason


async def read_target_page(
    page: Page,
    out: FetchOutcome,
    meta: Mapping[str, Any],
    *,
    steps: Sequence[Mapping[str, Any]],
    choose: ChooseControl | None,
    options: ReadOptions,
    proxy: EgressProxy | None = None,
) -> None:
    """Read a loaded page into ``out`` (never raises for a bad page), close it and its
    egress session."""
    start = time.monotonic()
    notes: list[str] = []
    session = egress_of(meta)
    # Everything a page may do is bounded: settling, each step, probing, the screenshot.
    hard_limit = options.timeout * (3 + len(steps)) + options.probe_budget + 30
    restore_content(page)
    try:
        if not meta.get("xk_guarded"):
            raise PageStop("private_address", "the address guard could not be set up")
        if meta.get("xk_not_recorded"):
            raise PageStop("not_recorded", f"{out.requested_url} was not recorded")
        await asyncio.wait_for(
            read_page(page, out, steps=steps, choose=choose,
                      deadline=time.monotonic() + options.timeout,
                      network=meta.get("xk_network"), notes=notes, options=options,
                      egress=session),
            hard_limit)
    except (PageStop, StepFailed, TimeoutError, PlaywrightError) as exc:
        record_failure(out, exc, notes)
    finally:
        await close_page(page, meta, proxy)
    finish_outcome(out, notes, session, start)


async def read_response(response: Any, url: str, *, steps: Sequence[Mapping[str, Any]],
                        config: CrawlConfig, proxy: EgressProxy | None) -> FetchOutcome:
    """The outcome of the page scrapy-playwright loaded for ``response`` (a spider's callback),
    read like ``xktracker check --browser`` reads a page, and the page closed."""
    from crawler.checker import choose_control
    from crawler.responses import header

    out = FetchOutcome(requested_url=url, method="browser", final_url=response.url,
                       status=response.status, content_type=header(response, "Content-Type"))
    out.redirects = [str(u) for u in response.meta.get("redirect_urls") or []]
    options = ReadOptions(timeout=config.browser_timeout,
                          probe_budget=config.browser_probe_budget, territory=config.territory)
    await read_target_page(response.meta["playwright_page"], out, response.meta, steps=steps,
                           choose=choose_control(config.territory), options=options,
                           proxy=proxy)
    return out
