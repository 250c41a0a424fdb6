"""The rules that turn stored page verdicts into statuses, wins and regressions. Pure.

**Conclusive.** A check is conclusive when it judged a country control: ``error`` and
``blocked`` are not (we did not see the form, DESIGN.md §1), and neither is
``no_country_field``. A page that loaded without a country control says nothing about
Kosovo: the form may have moved behind a step, a login or a script we did not run. Counting it
would let a redesign silently replace a documented ``missing`` and log a false win or loss. So a
``no_country_field`` check is shown as the latest check (with its date), while the status keeps
the last verdict about an actual list, and its age shows how stale that is.

**Site status** combines the last conclusive verdicts of a site's targets with the page
precedence of DESIGN.md §1, the targets standing in for fields: ``partial`` when some targets
offer Kosovo and some world-wide lists lack it, else ``missing``, ``wrong_code``,
``listed_qualified``, ``listed``, ``restricted``, ``free_text``; ``unknown`` with nothing
conclusive.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from checks.model import FIELD_PRECEDENCE

INCONCLUSIVE = frozenset({"error", "blocked", "no_country_field"})
# Kosovo is an option (with the wrong dial code, for wrong_code, but there).
PRESENT = frozenset({"listed", "listed_qualified", "wrong_code"})
LISTING = frozenset({"listed", "listed_qualified"})
EXCLUDING = frozenset({"missing", "partial"})
UNKNOWN = "unknown"

# The page precedence of DESIGN.md §1, declared once in checks.
_SITE_ORDER = tuple(v.value for v in FIELD_PRECEDENCE)

TransitionKind = Literal["win", "regression", "other"]
ShareBucket = Literal["listing", "excluding", "neutral", "unknown"]


def is_conclusive(verdict: str) -> bool:
    """True when a check with this page verdict judged a country control."""
    return verdict not in INCONCLUSIVE


def site_verdict(verdicts: Iterable[str]) -> str:
    """A site's status from the last conclusive verdicts of its targets (``unknown`` if none)."""
    seen = {v for v in verdicts if is_conclusive(v)}
    if "partial" in seen or ("missing" in seen and seen & PRESENT):
        return "partial"
    for verdict in _SITE_ORDER:
        if verdict in seen:
            return verdict
    return UNKNOWN


def transition_kind(before: str, after: str) -> TransitionKind:
    """``win`` when a list gains Kosovo (missing or partial → listed or listed_qualified),
    ``regression`` for the reverse, ``other`` for every other change."""
    if before in EXCLUDING and after in LISTING:
        return "win"
    if before in LISTING and after in EXCLUDING:
        return "regression"
    return "other"


def share_bucket(status: str) -> ShareBucket:
    """Where a site status counts in the share-over-time series: listing Kosovo (wrong_code
    included: Kosovo is there), excluding it (missing, partial), neutral (a short list or a
    text box: neither) or unknown (nothing conclusive yet)."""
    if status in PRESENT:
        return "listing"
    if status in EXCLUDING:
        return "excluding"
    if status == UNKNOWN:
        return "unknown"
    return "neutral"
