"""Check one source end to end: fetch (static first, the browser only when needed), judge, report.

This is what ``xktracker check`` runs; the crawler's pipeline shares :func:`conclude`, so a
fetch outcome turns into the same verdict whichever path fetched it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from checks import FieldResult, FieldVerdict, PageResult, PageVerdict, analyze_page
from crawler.fetch.charset import decode_html
from crawler.fetch.guard import EgressPolicy
from crawler.fetch.outcome import Analysed, FetchOutcome
from crawler.fetch.static import HopCheck, StaticFetcher, TextResource
from foundation.vocabulary import BrowserMode

BROWSER_MODES = tuple(BrowserMode)
MAX_FILE_BYTES = 20 * 1024 * 1024
_LOGIN_PATH = re.compile(r"(^|/)(log-?in|sign-?in|signin|auth|sso|account/login|session)(/|$|\.)",
                         re.IGNORECASE)


@dataclass(slots=True)
class CheckOptions:
    browser: str = "auto"
    territory: str = "XK"
    timeout: float = 20.0
    # Where fetches may connect (public addresses on web ports unless widened).
    policy: EgressPolicy = field(default_factory=EgressPolicy)
    browser_path: str | None = None
    evidence_dir: Path | None = None
    steps: Sequence[dict[str, Any]] = field(default_factory=tuple)


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_url(source: str) -> bool:
    return urlsplit(source).scheme.lower() in ("http", "https")


def conclude(outcome: FetchOutcome, territory: str) -> tuple[PageResult | None, str, str | None]:
    """The page verdict and reason for a fetch outcome (and the analysis, when there was one).

    A failed fetch is an ``error`` or ``blocked`` state; a 403 page is read only to name a
    bot wall or captcha. Nothing here can produce ``missing`` without a document.
    """
    if outcome.blocked is not None:
        if outcome.html:
            seen = analyze_page(outcome.html, territory=territory)
            if seen.verdict is PageVerdict.BLOCKED:
                return None, "blocked", seen.reason
        return None, "blocked", outcome.blocked
    if outcome.error is not None or outcome.html is None:
        return None, "error", outcome.error or "bad_content"
    result = analyse(outcome, territory)
    if result.verdict is PageVerdict.MISSING and outcome.unread_frames:
        # A frame that could not be read may hold the form, with the territory in it: an
        # absence is concluded only from a page read whole.
        result = replace(result, verdict=PageVerdict.ERROR, reason="unrendered", notes=(
            *result.notes, f"{len(outcome.unread_frames)} frame(s) could not be read: "
            + ", ".join(u[:80] for u in outcome.unread_frames[:3])))
    verdict, reason = result.verdict.value, result.reason
    if result.verdict is PageVerdict.NO_COUNTRY_FIELD and _sent_to_login(outcome):
        verdict, reason = "blocked", "login_required"
    return result, verdict, reason


def _sent_to_login(outcome: FetchOutcome) -> bool:
    if not outcome.redirects or not outcome.final_url:
        return False
    asked = urlsplit(outcome.requested_url).path
    landed = urlsplit(outcome.final_url).path
    return landed != asked and bool(_LOGIN_PATH.search(landed)) and not _LOGIN_PATH.search(asked)


def analyse(outcome: FetchOutcome, territory: str) -> PageResult:
    """``analyze_page`` over an outcome's document, frames and clicked-open controls.

    The browser path analyses the page once before its screenshot (to know which control
    to photograph); that result is reused here as long as the outcome still holds the very
    inputs it was made from, so a browser check parses its page once, not twice.
    """
    assert outcome.html is not None
    memo = outcome.analysed
    if (memo is not None and memo.html is outcome.html and memo.frames == outcome.frames
            and memo.extra_controls == outcome.extra_controls
            and memo.url == outcome.final_url and memo.territory == territory):
        return memo.result
    result = analyze_page(outcome.html, outcome.extra_controls, frames=outcome.frames,
                          url=outcome.final_url, territory=territory)
    outcome.analysed = Analysed(outcome.html, list(outcome.frames),
                                list(outcome.extra_controls), outcome.final_url, territory,
                                result)
    return result


def choose_control(territory: str) -> Callable[[FetchOutcome], str | None]:
    """The browser's screenshot callback: the selector of the field that decides the verdict."""
    def choose(outcome: FetchOutcome) -> str | None:
        result = analyse(outcome, territory)
        decisive = [f for f in result.fields if f.verdict is not FieldVerdict.UNKNOWN]
        decisive.sort(key=lambda f: f.country_count, reverse=True)
        return decisive[0].control.selector if decisive else None
    return choose


def field_options(field: FieldResult) -> list[list[str]]:
    """A field's whole option list as ``[value, label]`` pairs (``[value, label, group]`` when
    grouped): what the history stores once per distinct list, so a removal can be proven."""
    return [[o.value, o.label, o.group] if o.group else [o.value, o.label]
            for o in field.control.options]


def build_report(source: str, checked_at: str, outcome: FetchOutcome,
                 concluded: tuple[PageResult | None, str, str | None] | None,
                 territory: str, note: str | None = None, *,
                 with_options: bool = False) -> dict[str, Any]:
    """The report of one check (the ``check --json`` contract), whoever fetched the page.

    Shared by ``xktracker check`` and the crawler so that both describe a page the same way;
    ``with_options`` adds each field's full option list (the crawler stores it, ``check``
    leaves it out to keep its output readable).
    """
    result, verdict, reason = concluded or conclude(outcome, territory)
    notes = list(result.notes) if result else []
    if note:
        notes.append(note)
    if result is not None and result.needs_browser and outcome.method == "static":
        notes.append("the country list may be drawn by script: check with --browser auto "
                     "or always")
    html_sha = outcome.body_sha256
    if outcome.html is not None and outcome.method == "browser":
        html_sha = hashlib.sha256(outcome.html.encode("utf-8")).hexdigest()
    screenshot = None
    if outcome.screenshot_png:
        screenshot = hashlib.sha256(outcome.screenshot_png).hexdigest()
    fields: list[dict[str, Any]] = []
    for found in result.fields if result else ():
        entry = found.to_dict()
        if with_options:
            entry["options"] = field_options(found)
        fields.append(entry)
    return {
        "source": source,
        "final_url": outcome.final_url,
        "checked_at": checked_at,
        "territory": territory,
        "method": outcome.method,
        "verdict": verdict,
        "reason": reason,
        "fields": fields,
        "evidence": {"html_sha256": html_sha, "screenshot": screenshot,
                     "screenshot_selector": outcome.screenshot_selector},
        "title": result.title if result else None,
        "http_status": outcome.status,
        "content_type": outcome.content_type,
        "detail": outcome.detail,
        "render_hints": list(result.render_hints) if result else [],
        "notes": notes,
        "actions": list(outcome.actions),
        "elapsed_ms": outcome.elapsed_ms,
        "attempts": outcome.attempts,
    }


class Checker:
    """Checks many sources with one HTTP client and, when needed, one browser."""

    def __init__(self, options: CheckOptions) -> None:
        self.options = options
        self._static: StaticFetcher | None = None
        self._browser: Any = None
        self.browser_problem: str | None = None

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._static is not None:
            self._static.close()
        if self._browser is not None:
            self._browser.close()

    def _static_fetcher(self) -> StaticFetcher:
        if self._static is None:
            self._static = StaticFetcher(timeout=self.options.timeout,
                                         policy=self.options.policy)
        return self._static

    def _browser_fetcher(self) -> Any:
        """The browser, started on first need; ``None`` (the reason kept) when there is none."""
        if self._browser is None and self.browser_problem is None:
            from crawler.errors import BrowserUnavailable
            from crawler.fetch.browser import BrowserFetcher
            from crawler.fetch.chromium import find_chromium

            try:
                binary = find_chromium(self.options.browser_path)
            except BrowserUnavailable as exc:
                self.browser_problem = str(exc)
                return None
            self._browser = BrowserFetcher(timeout=self.options.timeout,
                                           policy=self.options.policy,
                                           executable_path=binary.path,
                                           territory=self.options.territory)
        return self._browser

    def fetch_static(self, url: str, *, hop_check: HopCheck | None = None) -> FetchOutcome:
        """One plain HTTP fetch with this checker's client (discovery walks a site with it)."""
        return self._static_fetcher().fetch(url, hop_check=hop_check)

    def fetch_text(self, url: str, *, hop_check: HopCheck | None = None) -> TextResource:
        """robots.txt or a sitemap through the same client and guard."""
        return self._static_fetcher().fetch_text(url, hop_check=hop_check)

    def fetch_browser(self, url: str, steps: Sequence[dict[str, Any]] = (), *,
                      hop_check: HopCheck | None = None) -> FetchOutcome:
        """One browser fetch (the browser started on first need), ``steps`` run first; an
        ``error``/``browser_unavailable`` outcome when there is no browser. ``hop_check``
        sees every navigation of the page before it is made."""
        browser = self._browser_fetcher()
        if browser is None:
            return FetchOutcome(requested_url=url, method="browser",
                                error="browser_unavailable", detail=self.browser_problem)
        outcome: FetchOutcome = browser.fetch(
            url, steps=steps, choose_control=choose_control(self.options.territory),
            hop_check=hop_check)
        return outcome

    def check(self, source: str) -> dict[str, Any]:
        checked_at = now_iso()
        if not is_url(source):
            return self._report(source, checked_at, self._read_file(source))
        mode = self.options.browser
        outcome: FetchOutcome | None = None
        if mode != "always":
            outcome = self.fetch_static(source)
            concluded = conclude(outcome, self.options.territory)
            result = concluded[0]
            if mode == "never" or result is None or not result.needs_browser:
                return self._report(source, checked_at, outcome, concluded)
        browser = self._browser_fetcher()
        if browser is None:
            if outcome is not None:
                return self._report(source, checked_at, outcome, concluded,
                                    note="a browser would have looked further, but none is "
                                         "available: " + (self.browser_problem or ""))
            failed = FetchOutcome(requested_url=source, method="browser",
                                  error="browser_unavailable", detail=self.browser_problem)
            return self._report(source, checked_at, failed)
        return self._report(source, checked_at, self.fetch_browser(source, self.options.steps))

    def _read_file(self, source: str) -> FetchOutcome:
        path = Path(source)
        out = FetchOutcome(requested_url=source, method="static", final_url=path.resolve().as_uri())
        try:
            with path.open("rb") as fh:
                body = fh.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            out.error, out.detail = "bad_url", f"cannot read {source}: {exc.strerror}"
            return out
        if len(body) > MAX_FILE_BYTES:
            out.error = "too_large"
            return out
        out.html, out.encoding = decode_html(body, None)
        out.body_sha256 = hashlib.sha256(body).hexdigest()
        return out

    def _report(self, source: str, checked_at: str, outcome: FetchOutcome,
                concluded: tuple[PageResult | None, str, str | None] | None = None,
                note: str | None = None) -> dict[str, Any]:
        report = build_report(source, checked_at, outcome, concluded, self.options.territory,
                              note=note)
        evidence = report["evidence"]
        self._keep_evidence(outcome, evidence["html_sha256"], evidence["screenshot"])
        return report

    def keep_evidence(self, outcome: FetchOutcome, report: dict[str, Any]) -> None:
        """Keep a report's page (and screenshot) in ``evidence_dir``, when one is set."""
        evidence = report.get("evidence") or {}
        self._keep_evidence(outcome, evidence.get("html_sha256"), evidence.get("screenshot"))

    def _keep_evidence(self, outcome: FetchOutcome, html_sha: str | None,
                       screenshot: str | None) -> None:
        folder = self.options.evidence_dir
        if folder is None:
            return
        folder.mkdir(parents=True, exist_ok=True)
        if outcome.html is not None and html_sha:
            target = folder / f"{html_sha}.html"
            if not target.exists():
                target.write_text(outcome.html, encoding="utf-8")
        if outcome.screenshot_png and screenshot:
            target = folder / f"{screenshot}.png"
            if not target.exists():
                target.write_bytes(outcome.screenshot_png)


def check_sources(sources: Sequence[str], options: CheckOptions) -> Iterator[dict[str, Any]]:
    """Check each source in input order, sharing one client and one browser."""
    with Checker(options) as checker:
        for source in sources:
            yield checker.check(source)
