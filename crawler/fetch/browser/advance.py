"""Moving a multi-step form to the step that asks for the country, safely.

When a page shows no country field but a form whose step has a "Next" button, a person
would fill in the step and press it. So does the browser, at most ``MAX_STEPS`` times and
only harmlessly: the visible required boxes get example data (``test@example.com`` from RFC
2606's reserved domain, "Test"), never a password, card or identity number; and the button
must say next/continue in the page's words and nothing of submitting, paying, buying,
registering, signing up or confirming. A submit button, a form's button without a type, a
link (which leaves the page, perhaps for another origin) are never pressed. A "Next" button
may still send what was typed by script (an email-first sign-up posts the address with
``fetch``): while the form is moved on and read, :func:`no_sending` aborts every request
that is not a GET, HEAD or OPTIONS, and the page's ``form.submit()`` and
``requestSubmit()`` do nothing. Each action, and each request blocked, is recorded for the
evidence. The catalog's own ``steps`` always win over this.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Route

from crawler.fetch.browser import scripts as js
from crawler.fetch.browser.errors import first_line, is_closed_error

MAX_STEPS = 2
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# In the page: a form's submit() and requestSubmit() do nothing, and a submit event is
# cancelled (a form whose "Next" submits it by script is not submitted).
_NO_SUBMIT_JS = """() => {
  if (window.__xkNoSend) return;
  window.__xkNoSend = true;
  HTMLFormElement.prototype.submit = function () {};
  HTMLFormElement.prototype.requestSubmit = function () {};
  document.addEventListener('submit', (e) => e.preventDefault(), true);
}"""


@asynccontextmanager
async def no_sending(page: Page) -> AsyncIterator[list[str]]:
    """While the block runs, abort every request of the page that is not a GET, HEAD or
    OPTIONS (a document, an XHR or ``fetch``, a beacon) and stop its forms submitting; yields
    the list of what was blocked ("POST https://…"), filled as it happens."""
    blocked: list[str] = []

    async def refuse(route: Route) -> None:
        request = route.request
        try:
            if request.method.upper() in SAFE_METHODS:
                await route.fallback()
                return
            blocked.append(f"{request.method} {request.url[:120]}")
            await route.abort("blockedbyclient")
        except PlaywrightError:
            pass  # the page went away while we decided; nothing to route

    await page.route("**/*", refuse)
    try:
        await page.evaluate(_NO_SUBMIT_JS)
    except PlaywrightError as exc:
        if is_closed_error(exc):
            raise
    try:
        yield blocked
    finally:
        if not page.is_closed():
            try:
                await page.unroute("**/*", refuse)
            except PlaywrightError as exc:
                if not is_closed_error(exc):
                    raise


def harmless_value(field_: Mapping[str, Any]) -> str:
    """Example data a form accepts and no one receives (RFC 2606 names, a fictional number)."""
    kind = str(field_.get("type") or "text")
    words = str(field_.get("words") or "")
    if kind == "email" or "mail" in words:
        return "test@example.com"
    if kind == "tel" or any(w in words for w in ("phone", "tel", "mobile")):
        return "2025550143"  # a 555-01xx number: reserved for fiction
    if kind == "url" or "website" in words:
        return "https://example.com/"
    if kind == "number" or "age" in words.split():
        return "1"
    if any(w in words for w in ("zip", "postal", "postcode", "plz")):
        return "10000"
    return "Test"


@dataclass
class Advanced:
    """What one step did: the actions, for the evidence, and whether the step was taken."""

    moved: bool
    actions: list[str] = field(default_factory=list)
    why: str | None = None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


async def advance_step(page: Page, *, timeout: float = 3.0) -> Advanced:
    """Fill the visible required boxes of the current step and press its "Next" button."""
    try:
        found = await page.evaluate(js.ADVANCE_FORM_JS, {"first": False})
    except PlaywrightError as exc:
        if is_closed_error(exc):
            raise
        return Advanced(False, why=f"could not look for a next step: {first_line(exc)}")
    if not found.get("next"):
        return Advanced(False, why=found.get("why"))
    actions: list[str] = []
    ms = timeout * 1000
    start_origin = _origin(page.url)
    try:
        for box in found["fields"]:
            value = harmless_value(box)
            await page.locator(f'[data-xk-fill="{box["index"]}"]').first.fill(value, timeout=ms)
            actions.append(f"filled {str(box.get('name') or box['type'])[:40]!r} with {value!r}")
        await page.locator("[data-xk-next]").first.click(timeout=ms)
        actions.append(f"pressed {str(found['next'])[:40]!r}")
    except PlaywrightError as exc:
        if is_closed_error(exc):
            raise
        return Advanced(False, actions, why=f"the step could not be taken: {first_line(exc)}")
    if _origin(page.url) != start_origin:
        return Advanced(False, actions, why="the button left the page's origin")
    return Advanced(True, actions)
