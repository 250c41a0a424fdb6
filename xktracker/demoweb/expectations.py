"""What a correct checker must conclude about each demo-web page.

The answer lives inside each page as ``<meta name="xk-expect…">`` tags so that a page and
its expected verdict can never drift apart (adding a fixture is adding one file). The
dynamic routes of the server have no file; their expectations are the constant
:data:`DYNAMIC_EXPECTATIONS`.

Meta tags read here:

``xk-expect``            page verdict when read with a real browser (DESIGN.md §1)
``xk-expect-reason``     reason of an ``error`` or ``blocked`` verdict
``xk-expect-field``      verdict of the first country field, when there is one
``xk-needs-browser``     "1" when the list is drawn by script (raw HTML cannot tell)
``xk-slow``              "1" when the page takes ~10 s to show its list

and by the server: ``xk-status``, ``xk-charset``, ``xk-no-header-charset``, ``xk-delay``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import lxml.etree
import lxml.html

from checks.model import FieldVerdict, PageVerdict
from foundation.vocabulary import BlockReason, ErrorReason

PAGES_DIR = Path(__file__).with_name("pages")

PAGE_VERDICTS = frozenset(PageVerdict)
FIELD_VERDICTS = frozenset(FieldVerdict) - {FieldVerdict.UNKNOWN}
ERROR_REASONS = frozenset(ErrorReason)
BLOCKED_REASONS = frozenset(BlockReason)

_TRUE = frozenset({"1", "true", "yes", "on"})


@dataclass(frozen=True)
class PageExpectation:
    """The verdict a correct checker reaches for one path of the demo web.

    ``check_verdict`` is set only where ``xktracker check`` must differ from the crawler
    (it does not obey robots.txt); ``timeout`` is the fetch timeout, in seconds, under
    which the verdict holds (for the slow routes).
    """

    path: str
    verdict: str
    reason: str | None = None
    needs_browser: bool = False
    field_verdict: str | None = None
    description: str = ""
    check_verdict: str | None = None
    timeout: float | None = None
    slow: bool = False  # takes ~10 s to show its list: left out of quick runs and the demo

    def __post_init__(self) -> None:
        problem = _problem(self.verdict, self.reason, self.field_verdict)
        if problem:
            raise ValueError(f"{self.path}: {problem}")


def _problem(verdict: str, reason: str | None, field: str | None) -> str | None:
    """Why a verdict/reason/field triple breaks DESIGN.md §1, or None."""
    if verdict not in PAGE_VERDICTS:
        return f"unknown verdict {verdict!r}"
    if verdict == "error" and reason not in ERROR_REASONS:
        return f"error needs a reason from {sorted(ERROR_REASONS)}, got {reason!r}"
    if verdict == "blocked" and reason not in BLOCKED_REASONS:
        return f"blocked needs a reason from {sorted(BLOCKED_REASONS)}, got {reason!r}"
    if verdict not in ("error", "blocked") and reason is not None:
        return f"only error and blocked carry a reason, got {reason!r}"
    if field is not None and field not in FIELD_VERDICTS:
        return f"unknown field verdict {field!r}"
    return None


def read_meta(data: bytes) -> dict[str, str]:
    """The ``xk-*`` meta tags of an HTML file, whatever its encoding.

    Names and values are ASCII, so decoding as Latin-1 (which never fails) is enough
    and lets the caller learn ``xk-charset`` before decoding the text properly.
    """
    doc = _parse(data.decode("latin-1"))
    if doc is None:
        return {}
    meta: dict[str, str] = {}
    for tag in doc.iter("meta"):
        name = (tag.get("name") or "").strip().lower()
        if name.startswith("xk-") and name not in meta:
            meta[name] = (tag.get("content") or "").strip()
    return meta


def decode_page(data: bytes, meta: Mapping[str, str] | None = None) -> str:
    """The text of a page file: UTF-8 when it is valid UTF-8, else its ``xk-charset``."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        charset = (meta if meta is not None else read_meta(data)).get("xk-charset")
        return data.decode(charset or "windows-1252", errors="replace")


def _parse(text: str) -> lxml.html.HtmlElement | None:
    """Parse a document; None for a file lxml finds empty."""
    try:
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return None


def page_title(data: bytes, meta: Mapping[str, str] | None = None) -> str:
    """The ``<title>`` text, whitespace collapsed."""
    doc = _parse(decode_page(data, meta))
    if doc is None:
        return ""
    title = doc.find(".//title")
    return " ".join((title.text_content() if title is not None else "").split())


def expectation_from_file(path: Path) -> PageExpectation:
    """Read one page's expectation; ValueError when its tags are missing or wrong."""
    data = path.read_bytes()
    meta = read_meta(data)
    verdict = meta.get("xk-expect")
    if not verdict:
        raise ValueError(f"/{path.name}: no <meta name=\"xk-expect\"> tag")
    return PageExpectation(
        path=f"/{path.name}",
        verdict=verdict,
        reason=meta.get("xk-expect-reason") or None,
        needs_browser=meta.get("xk-needs-browser", "").lower() in _TRUE,
        field_verdict=meta.get("xk-expect-field") or None,
        description=page_title(data, meta),
        slow=meta.get("xk-slow", "").lower() in _TRUE,
    )


def load_expectations(pages_dir: Path | str | None = None) -> list[PageExpectation]:
    """Expectations of every ``.html`` page, sorted by path.

    Raises ValueError naming the file when a page lacks ``xk-expect`` or states a verdict
    or reason DESIGN.md does not know: a fixture without an answer is a broken fixture.
    """
    folder = Path(pages_dir) if pages_dir is not None else PAGES_DIR
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix == ".html"
                   and not p.name.startswith("."))
    return [expectation_from_file(p) for p in files]


def _dyn(
    path: str,
    verdict: str,
    reason: str | None = None,
    description: str = "",
    *,
    field_verdict: str | None = None,
    check_verdict: str | None = None,
    timeout: float | None = None,
) -> tuple[str, PageExpectation]:
    """One entry of :data:`DYNAMIC_EXPECTATIONS`."""
    return path, PageExpectation(
        path=path, verdict=verdict, reason=reason, description=description,
        field_verdict=field_verdict, check_verdict=check_verdict, timeout=timeout)


DYNAMIC_EXPECTATIONS: Mapping[str, PageExpectation] = MappingProxyType(dict([
    _dyn("/", "no_country_field", description="Index of the demo web: links only"),
    _dyn("/status/503", "error", "http_5xx", "Service unavailable (503)"),
    _dyn("/status/500", "error", "http_5xx", "Internal server error (500)"),
    _dyn("/status/404", "error", "http_4xx", "Not found (404)"),
    _dyn("/slow?seconds=20", "error", "timeout",
         "Headers at once, the body after 20 s; a timeout when checked with 5 s",
         timeout=5.0),
    _dyn("/drip", "error", "timeout",
         "A tiny page sent one byte every 0.5 s (about 50 s): only a total deadline stops "
         "it; a timeout when checked with 5 s", timeout=5.0),
    _dyn("/huge", "error", "too_large", "A 50 MiB HTML body"),
    _dyn("/redirect-loop", "error", "redirect_loop", "302 to itself, forever"),
    _dyn("/redirect-private", "error", "private_address",
         "302 to http://10.0.0.1/, which fetchers must refuse before connecting"),
    _dyn("/redirect?to=http://evil.example/", "error", "http_4xx",
         "The server refuses redirects to absolute URLs (400)"),
    _dyn("/redirect?to=/signup-de.html", "listed", None,
         "A local redirect to the German signup", field_verdict="listed"),
    _dyn("/private/signup.html", "blocked", "robots",
         "World list with Kosovo behind a robots.txt Disallow: the crawler obeys robots.txt "
         "(blocked/robots); `xktracker check` does not and sees a listed page",
         field_verdict="listed", check_verdict="listed"),
    _dyn("/botwall", "blocked", "bot_wall", "403 Cloudflare-style 'Just a moment...' page"),
    _dyn("/captcha", "blocked", "captcha", "200 page that is only a reCAPTCHA challenge"),
    _dyn("/login-redirect", "blocked", "login_required", "302 to /login.html, a sign-in form"),
]))


@dataclass(frozen=True)
class Evolving:
    """A demo page that changes between two crawls of ``xktracker demo``: the page file it
    serves before the demo's first crawl is over (``before``) and after (``after``)."""

    path: str
    before: str
    after: str
    description: str

    def page(self, phase: str) -> str:
        return self.after if phase == "after" else self.before


# Pages whose answer depends on the demo web's phase, so the demo's history has a win and a
# regression. Kept apart from DYNAMIC_EXPECTATIONS: their verdict is not one fixed answer.
EVOLVING: Mapping[str, Evolving] = MappingProxyType({
    "/evolving/tickets": Evolving(
        "/evolving/tickets", "checkout-world-missing.html", "checkout-en.html",
        "A ticket checkout that leaves Kosovo out, then lists it (the demo's win)"),
    "/evolving/rentals": Evolving(
        "/evolving/rentals", "checkout-en.html", "checkout-world-missing.html",
        "A rental signup that lists Kosovo, then leaves it out (the demo's regression)"),
})
