"""A loaded page to a :class:`FetchOutcome`: judge the status, settle, run the steps, read
the document, frames and custom drop-downs, take the screenshot.

Shared by :class:`crawler.fetch.browser.BrowserFetcher` (``xktracker check``) and the crawler's
browser path (``crawler.browser_page``), so both read a page the same way.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import (
    Frame,
    Page,
)

from checks import PageVerdict, analyze_page
from crawler.fetch.browser import scripts as js
from crawler.fetch.browser.advance import MAX_STEPS, advance_step, no_sending
from crawler.fetch.browser.errors import (
    PageStop,
    StepFailed,
    classify_error,
    first_line,
    is_closed_error,
    is_navigation_error,
)
from crawler.fetch.browser.evidence import screenshot_control
from crawler.fetch.browser.limits import DEFAULT_MAX_HTML_BYTES, HTML_TYPES
from crawler.fetch.browser.probe import probe_widgets
from crawler.fetch.browser.settle import (
    NetworkTracker,
    child_frames,
    scroll_through,
    settle_page,
)
from crawler.fetch.browser.steps import run_steps
from crawler.fetch.browser.typing import search_term
from crawler.fetch.egress import EgressSession
from crawler.fetch.outcome import Analysed, FetchOutcome
from foundation.vocabulary import BlockReason, reason_for_status

# Given the outcome read so far (document, frames, clicked-open controls), the selector of
# the control to photograph; it may leave its analysis in ``FetchOutcome.analysed``.
ChooseControl = Callable[[FetchOutcome], str | None]


async def read_document(target: Page | Frame) -> str:
    """The live document as HTML, open shadow roots flattened in (``page.content()`` if the
    browser is too old for ``getHTML``); retried once if a navigation gets in the way."""
    for attempt in range(2):
        try:
            html = await target.evaluate(js.SERIALIZE_JS)
            if html is None:
                html = await target.content()
            return str(html)
        except PlaywrightError as exc:
            if attempt or not is_navigation_error(exc):
                raise
            await target.wait_for_load_state("domcontentloaded", timeout=5000)
    raise AssertionError("unreachable")


async def read_frames(
    page: Page, *, max_bytes: int = DEFAULT_MAX_HTML_BYTES, max_frames: int = 20
) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """``(url, html)`` of the page's child frames, other origins' included (a payment
    provider's form; the address guard vets every request of every frame), notes, and the
    URLs of the frames that could not be read (an error, too large, past ``max_frames``):
    any of them may hold the form, so the page's absence is not judged without them."""
    frames = child_frames(page, max_frames + 10)
    out: list[tuple[str, str]] = []
    notes: list[str] = []
    unread: list[str] = []
    top = urlsplit(page.url)
    others: set[str] = set()
    for frame in frames:
        url = frame.url or "about:blank"
        if len(out) >= max_frames:
            notes.append(f"read only the first {max_frames} frames")
            unread.extend(f.url for f in frames[frames.index(frame):]
                          if f.url.startswith(("http:", "https:")))
            break
        try:
            html = await read_document(frame)
        except PlaywrightError as exc:
            if is_closed_error(exc) and not page.is_closed() and frame.is_detached():
                continue  # the frame is gone from the page: nothing of it is shown
            if is_closed_error(exc):
                raise
            notes.append(f"frame {url[:80]} could not be read: {first_line(exc)}"[:200])
            unread.append(url)
            continue
        url = frame.url or url
        if url.startswith("about:") and not re.search(r"<(select|input|iframe)\b", html):
            continue  # an empty placeholder frame (ads, trackers): nothing to read
        if len(html.encode("utf-8")) > max_bytes:
            notes.append(f"frame {url[:80]} larger than {max_bytes} bytes, left out")
            unread.append(url)
            continue
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and (parts.scheme, parts.netloc) != (
                top.scheme, top.netloc):
            others.add(parts.netloc)
        out.append((url, html))
    if others:
        notes.append(f"read {len(others)} frame origin(s) other than the page's: "
                     + ", ".join(sorted(others)[:5]))
    return out, notes, unread


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Budgets for reading a loaded page: ``timeout`` bounds settling and each step."""

    timeout: float = 20.0
    probe: bool = True
    probe_budget: float = 15.0
    screenshots: bool = True
    max_html_bytes: int = DEFAULT_MAX_HTML_BYTES
    # The territory looked for: what typing searches for, and what decides whether a
    # multi-step form must be moved on to find the country field.
    territory: str = "XK"
    advance: bool = True  # move a multi-step form on (never when catalog steps are given)


def judge_status(status: int | None) -> bool:
    """Raise the outcome of an error status like the static path; True for a 401/403 wall."""
    reason = reason_for_status(status)
    if isinstance(reason, BlockReason):
        return True
    if reason is not None:
        raise PageStop(reason, f"HTTP {status}")
    return False


def seen_whole(egress: EgressSession | None) -> None:
    """Stop when the egress proxy cut something this page loaded: the page was not seen as
    its visitors see it, so nothing read from it may become a verdict."""
    cut = egress.cut_short if egress is not None else None
    if cut is not None:
        raise PageStop(cut.reason, f"{cut.detail} ({cut.url[:200]})")


def store_html(out: FetchOutcome, html: str, max_bytes: int) -> None:
    """Keep the rendered document (and its hash) in ``out``, refusing one over ``max_bytes``."""
    data = html.encode("utf-8")
    if len(data) > max_bytes:
        raise PageStop("too_large", f"rendered document exceeds {max_bytes} bytes")
    out.html = html
    out.body_sha256 = hashlib.sha256(data).hexdigest()
    out.encoding = "utf-8"


async def read_page(
    page: Page,
    out: FetchOutcome,
    *,
    steps: Sequence[Mapping[str, Any]],
    choose: ChooseControl | None,
    deadline: float,
    network: NetworkTracker | None,
    notes: list[str],
    options: ReadOptions,
    egress: EgressSession | None = None,
) -> None:
    """Everything after the navigation: judge ``out.status``, settle, run ``steps``, read the
    document, frames and custom dropdowns, take the screenshot.

    ``out.status``/``content_type`` must be set from the main response; ``egress`` is the
    context's proxy session (a page it cut short ends with the cut's reason). Raises the errors
    :func:`record_failure` turns into reasons; the caller closes the page.
    """
    seen_whole(egress)
    forbidden = judge_status(out.status)
    media = (out.content_type or "").split(";")[0].strip().lower()
    if media and not media.startswith(HTML_TYPES):
        raise PageStop("bad_content", f"content type {media}")
    if forbidden:
        # A wall page: its text helps name it (bot wall, captcha), the form is not there.
        await settle_page(page, deadline=min(deadline, time.monotonic() + 2.0),
                          network=network)
        store_html(out, await read_document(page), options.max_html_bytes)
        out.final_url = page.url
        raise PageStop("forbidden", f"HTTP {out.status}")
    state = await settle_page(page, deadline=deadline, network=network)
    if state == "deadline":
        notes.append(f"form did not settle within {options.timeout:g}s")
    if steps:
        await run_steps(page, steps, timeout=options.timeout)
        await settle_page(page, deadline=time.monotonic() + options.timeout, network=network)
    elif state != "ready":
        # No country control yet: read the page down as a person would, for the parts
        # that load only when they come into view.
        soon = time.monotonic() + 4.0
        if await scroll_through(page, network=network, deadline=soon):
            await settle_page(page, deadline=min(deadline, time.monotonic() + 5.0),
                              network=network)
    await _read_all(page, out, network=network, notes=notes, options=options, egress=egress)
    if not steps and options.advance:
        await _advance(page, out, network=network, notes=notes, options=options, egress=egress)
    if options.screenshots:
        await _screenshot(page, out, choose, notes)
    seen_whole(egress)


async def _read_all(page: Page, out: FetchOutcome, *, network: NetworkTracker | None,
                    notes: list[str], options: ReadOptions,
                    egress: EgressSession | None) -> None:
    """The document, the frames and the custom drop-downs, as they are now."""
    out.final_url = page.url
    seen_whole(egress)
    store_html(out, await read_document(page), options.max_html_bytes)
    out.frames, frame_notes, out.unread_frames = await read_frames(
        page, max_bytes=options.max_html_bytes)
    notes.extend(frame_notes)
    out.analysed = None
    if options.probe:
        out.extra_controls, probe_notes = await probe_widgets(
            page, frames=child_frames(page), territory=options.territory, network=network,
            budget=options.probe_budget)
        notes.extend(probe_notes)


def _needs_next_step(out: FetchOutcome, territory: str) -> bool:
    """No country field could be read (none, or only unreadable ones), and no wall."""
    assert out.html is not None
    result = analyze_page(out.html, out.extra_controls, frames=out.frames, url=out.final_url,
                          territory=territory)
    out.analysed = Analysed(out.html, list(out.frames), list(out.extra_controls),
                            out.final_url, territory, result)
    if result.verdict is PageVerdict.NO_COUNTRY_FIELD:
        return True
    return result.verdict is PageVerdict.ERROR and result.reason == "unrendered"


async def _advance(page: Page, out: FetchOutcome, *, network: NetworkTracker | None,
                   notes: list[str], options: ReadOptions,
                   egress: EgressSession | None) -> None:
    """Move a multi-step form on, at most ``MAX_STEPS`` times, until a country field shows;
    nothing the steps try to send leaves the page (``advance.no_sending``)."""
    if not _needs_next_step(out, options.territory):
        return
    async with no_sending(page) as blocked:
        for _ in range(MAX_STEPS):
            step = await advance_step(page, timeout=min(3.0, options.timeout))
            out.actions.extend(step.actions)
            if not step.moved:
                if step.actions:
                    notes.append(f"a form step was not taken: {step.why}")
                break
            notes.append("moved the form on: " + "; ".join(step.actions))
            await settle_page(page, deadline=time.monotonic() + min(5.0, options.timeout),
                              network=network)
            await _read_all(page, out, network=network, notes=notes, options=options,
                            egress=egress)
            if not _needs_next_step(out, options.territory):
                break
    if blocked:
        out.actions.extend(f"blocked {what}" for what in dict.fromkeys(blocked))
        notes.append(f"blocked {len(blocked)} request(s) a form step tried to send: "
                     + ", ".join(list(dict.fromkeys(blocked))[:3]))


def record_failure(out: FetchOutcome, exc: BaseException, notes: list[str]) -> None:
    """Turn an error raised while reading a page into the outcome's reason."""
    if isinstance(exc, PageStop):
        if exc.reason == "forbidden":
            out.blocked = "forbidden"
        else:
            out.error = exc.reason
        if exc.detail:
            notes.insert(0, exc.detail)
    elif isinstance(exc, StepFailed):
        out.error = "step_failed"
        notes.insert(0, str(exc))
    else:
        reason, detail = classify_error(exc)
        out.error = reason
        notes.insert(0, detail)


def finish_outcome(out: FetchOutcome, notes: list[str], egress: EgressSession | None,
                   start: float) -> None:
    """Drop half-read evidence of a failed fetch and write the detail and elapsed time."""
    if out.error is not None:
        out.html = out.body_sha256 = out.screenshot_png = out.screenshot_selector = None
        out.frames, out.extra_controls, out.analysed = [], [], None
        out.unread_frames = []
    if egress is not None:
        notes.append(egress.summary() or "")
    out.detail = "; ".join(dict.fromkeys(n for n in notes if n))[:1000] or None
    out.elapsed_ms = round((time.monotonic() - start) * 1000.0, 1)


async def _screenshot(
    page: Page, out: FetchOutcome, choose: ChooseControl | None, notes: list[str]
) -> None:
    selector: str | None = None
    if choose is not None and out.html is not None:
        try:
            selector = choose(out)
        except Exception as exc:  # the caller's analysis must not sink the fetch
            notes.append(f"choose_control failed: {type(exc).__name__}: {exc}"[:200])
    chosen = next((c for c in out.extra_controls if selector and c.get("selector") == selector),
                  None)
    try:
        png, shown = await screenshot_control(page, selector, open_dropdown=chosen is not None,
                                              search=search_term(chosen))
    except (TimeoutError, PlaywrightError) as exc:
        if isinstance(exc, PlaywrightError) and is_closed_error(exc):
            raise
        notes.append(f"screenshot failed: {first_line(exc)}")
        return
    if selector and shown is None:
        notes.append(f"control {selector[:80]} not found for the screenshot")
    out.screenshot_png, out.screenshot_selector = png, shown
