"""What a fetch hands to the analysis: the document, or an honest reason why there is none."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from checks import PageResult
from foundation.vocabulary import BlockReason, ErrorReason

# Reasons (DESIGN.md §1, foundation.vocabulary). A fetch that ends in one of these is never a
# verdict about Kosovo.
ERROR_REASONS = frozenset(ErrorReason)
BLOCKED_REASONS = frozenset(BlockReason)


class Analysed(NamedTuple):
    """An analysis of an outcome and the inputs it read (compared before it is reused)."""

    html: str
    frames: list[tuple[str, str]]
    extra_controls: list[dict[str, Any]]
    url: str | None
    territory: str
    result: PageResult


@dataclass(slots=True)
class FetchOutcome:
    """The result of fetching one URL, by either method.

    Exactly one of ``html`` (the decoded document), ``error`` or ``blocked`` says what
    happened; a 403 page may carry its ``html`` as well, so that a bot wall can be named.
    """

    requested_url: str
    method: str  # "static" | "browser"
    final_url: str | None = None
    status: int | None = None
    html: str | None = None
    body_sha256: str | None = None
    content_type: str | None = None
    encoding: str | None = None
    error: str | None = None
    blocked: str | None = None
    detail: str | None = None  # a short human explanation, never shown unescaped
    redirects: list[str] = field(default_factory=list)
    elapsed_ms: float = 0.0
    # Tries it took (retries after 5xx/429/timeouts, a fresh browser after a crash); the
    # outcome is the last try's.
    attempts: int = 1
    # Browser only: documents of same-origin iframes, controls read by clicking custom
    # widgets (``checks.model.Control`` dicts), and a PNG screenshot of the country control.
    frames: list[tuple[str, str]] = field(default_factory=list)
    # Frames that could not be read (an error, too large, past the frame limit): one of them
    # may hold the form, so no absence is concluded from the rest of the page.
    unread_frames: list[str] = field(default_factory=list)
    extra_controls: list[dict[str, Any]] = field(default_factory=list)
    screenshot_png: bytes | None = None
    screenshot_selector: str | None = None
    # What the browser did to the page beyond reading it (a form moved on a step: the boxes
    # filled with example data, the button pressed), for the evidence.
    actions: list[str] = field(default_factory=list)
    # The analysis made to choose the control to photograph, kept with the inputs it read
    # (document, frames, controls, URL, territory) so the verdict need not parse the page
    # again; used only while those inputs are still the ones in this outcome.
    analysed: Analysed | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.error is None and self.blocked is None and self.html is not None
