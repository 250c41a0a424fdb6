"""The rules that turn stored page verdicts into statuses, wins and regressions, and the sets
of verdicts every surface counts with. Pure; declared once here, so the dashboard, the API,
the report and the feeds say the same thing with the same words.

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

**The vocabulary** (site statuses):

======================  ===========================================================
``LISTED``              Kosovo as a country of its own (``listed``)
``QUALIFIED``           Kosovo under another state or a resolution (``listed_qualified``)
``WRONG_CODE``          Kosovo with a dialling code other than +383 (``wrong_code``)
``PRESENT``             Kosovo is an option, well or badly: the three above
``EXCLUDING``           a world-wide list without Kosovo (``missing``, ``partial``)
``JUDGED``              a verdict either way: ``PRESENT`` and ``EXCLUDING``
``NEUTRAL``             neither: a short list or a text box (``restricted``, ``free_text``)
``TO_FIX``              what a citizen can ask a company to fix: ``EXCLUDING``,
                        ``QUALIFIED``, ``WRONG_CODE``
``PARTS``               the parts every count is split into, in this order
======================  ===========================================================

A *win* is a list that gains Kosovo (``EXCLUDING`` → ``listed`` or ``listed_qualified``);
a *regression* the reverse. The *share* is the part of the judged sites that list Kosovo as a
country of its own: a site listing it under another state is not counted as listing it, and
every chart shows that part beside the others, so no number hides what it counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from checks.model import FIELD_PRECEDENCE

INCONCLUSIVE = frozenset({"error", "blocked", "no_country_field"})
LISTED = frozenset({"listed"})
QUALIFIED = frozenset({"listed_qualified"})
WRONG_CODE = frozenset({"wrong_code"})
PRESENT = LISTED | QUALIFIED | WRONG_CODE
EXCLUDING = frozenset({"missing", "partial"})
JUDGED = PRESENT | EXCLUDING
NEUTRAL = frozenset({"restricted", "free_text"})
TO_FIX = EXCLUDING | QUALIFIED | WRONG_CODE
# A win ends in one of these: Kosovo has an option under its name, qualified or not.
WON = LISTED | QUALIFIED
UNKNOWN = "unknown"
# Every count (cards, charts, report, API) is split into these parts, in this order; the
# first five are stacked in the charts (the judged sites), the last two are told apart.
PARTS = ("listed", "listed_qualified", "wrong_code", "partial", "missing", "neutral", UNKNOWN)
STACKED = PARTS[:5]

# The page precedence of DESIGN.md §1, declared once in checks.
_SITE_ORDER = tuple(v.value for v in FIELD_PRECEDENCE)

TransitionKind = Literal["win", "regression", "other"]


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
    if before in EXCLUDING and after in WON:
        return "win"
    if before in WON and after in EXCLUDING:
        return "regression"
    return "other"


def part_of(status: str) -> str:
    """The part of :data:`PARTS` a site status counts in."""
    if status in NEUTRAL:
        return "neutral"
    if status in JUDGED:
        return status
    return UNKNOWN
