"""Typing into a search box: comboboxes and typeaheads that list nothing until a person
types, and lists drawn only in part (Tom Select draws 50 rows, whatever the list holds).

A person looking for Kosovo types its name, and so does the probe: the territory's name in
the page's language, then in the territory's own languages, then in English, as prefixes
("Kos", "Kosov") and whole; then its code and dial code (the *terms*). A suggestion naming
the territory lists it. An absence needs more, and ``checks`` judges it from the control's
:class:`~checks.model.Enumeration`: every term must have been tried, and the suggestions for
the first letters of the page's alphabet must together name a world list (>= 150
countries). Typing never presses Enter and never submits anything.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import quote, unquote

from babel import Locale, UnknownLocaleError
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page

from checks.model import Option
from checks.recognize import WORLD_WIDE, find_territory, read_list
from checks.territory import Territory
from crawler.fetch.browser import scripts as js
from crawler.fetch.browser.errors import is_closed_error
from crawler.fetch.browser.settle import NetworkTracker

# First letters of country names, most frequent first, per alphabet: typing them in this
# order reaches a world list with the fewest queries.
LETTERS = {
    "latin": "smbcagtnplieukfvhrdzjoywqx",
    "cyrillic": "смбкагтнплиеуфвхрдзјоцчшђжљњћџюяэй",
    "greek": "σμβκαγτνπλιεουφχρδζηθξψω",
}
_CYRILLIC_LANGS = ("sr", "ru", "bg", "mk", "uk", "be", "kk", "ky", "mn", "tg")
FIRST_WAIT = 0.45  # s: a typeahead's debounce and answer, before anything is learned
MAX_WAIT = 3.0  # s: at most this long for one query's suggestions
QUIET = 0.12  # s: suggestions unchanged, document and network quiet this long = answered
HOPELESS = 50  # countries after eight letters: too few for the letters to prove a world list


@lru_cache(maxsize=64)
def _name_in(code: str, lang: str) -> str | None:
    try:
        name = Locale.parse(lang.replace("-", "_")).territories.get(code)
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    return str(name) if name else None


def territory_terms(terr: Territory, lang: str | None) -> list[str]:
    """What to type, in order: the name in the page's language, the territory's own
    spellings, the English name (each as 3- and 5-letter prefixes and whole), then its code
    and dial code. "Kos", "Kosov", "Kosovo", "Kosova", "Kosovë", "Кос", …, "XK", "+383"."""
    names = [_name_in(terr.code, lang.split("-")[0]) if lang else None, *terr.typing,
             _name_in(terr.code, "en") or terr.name]
    terms: list[str] = []
    for name in names:
        if not name:
            continue
        for piece in (name[:3], name[:5], name) if len(name) > 3 else (name,):
            if piece.strip() and piece.casefold() not in (t.casefold() for t in terms):
                terms.append(piece)
    terms.append(terr.code)
    if terr.dial_code:
        terms.append(f"+{terr.dial_code}")
    return terms


def qualified_terms(terr: Territory, lang: str | None) -> list[str]:
    """What else to type when the search may have cut suggestions off (it answered several
    letters with the same, largest number of rows: a cap) and answers only from a label's
    start: the first letters of the territory's longer names ("Rep" for "Republic of
    Kosovo") and of its parent state's ("Ser": "Serbia – Kosovo")."""
    names: list[str | None] = [*terr.typing_more]
    for parent in terr.parent_codes:
        names += [_name_in(parent, lang.split("-")[0]) if lang else None,
                  _name_in(parent, "en")]
    terms: list[str] = []
    for name in names:
        if name and name[:3].casefold() not in (t.casefold() for t in terms):
            terms.append(name[:3])
    return terms


def initial_letters(terr: Territory, lang: str | None) -> list[str]:
    """The first letters of the territory's names, of its longer names and of its parent
    state's, in the page's language and the territory's own and English ("k", "к", "r",
    "р", "s", "с"): typed before an absence can stand, whatever the other letters already
    showed. A search that matches only from a label's start shows "Republic of Kosovo" for
    "r" alone, and "Kоsovo" (a Cyrillic "о") or "Ko\u00adsovo" for "k" alone."""
    langs = [lang.split("-")[0] if lang else None, "sq", "sr", "en"]
    names: list[str | None] = [*(_name_in(terr.code, x) for x in langs if x), *terr.typing,
                               *terr.typing_more, *terr.spellings]
    for parent in terr.parent_codes:
        names += [_name_in(parent, x) for x in langs if x]
    letters: list[str] = []
    for name in names:
        first = next((ch for ch in name or "" if ch.isalpha()), "").casefold()
        if first and first not in letters:
            letters.append(first)
    return letters


def alphabet(lang: str | None, scripts: Mapping[str, int]) -> str:
    """The first letters to type: the page's alphabet, by its language or its text."""
    base = (lang or "").split("-")[0]
    if base in _CYRILLIC_LANGS and "latn" not in (lang or ""):
        return LETTERS["cyrillic"]
    if base == "el":
        return LETTERS["greek"]
    counts = {k: int(scripts.get(k) or 0) for k in LETTERS}
    best = max(counts, key=lambda k: counts[k])
    return LETTERS[best] if counts[best] else LETTERS["latin"]


def search_hint(term: str) -> str:
    """The control's hint that ``term`` showed the territory (kept for the screenshot)."""
    return "search:" + quote(term, safe="")


def search_term(control: Mapping[str, Any] | None) -> str | None:
    """What showed the territory in a control read by typing, from its hints."""
    for word in str((control or {}).get("hints") or "").split():
        if word.startswith("search:"):
            return unquote(word[7:]) or None
    return None


def _script_of(text: str) -> str | None:
    """The alphabet a word is written in (of those whose first letters are typed)."""
    for ch in text:
        if ch.isalpha():
            if "\u0400" <= ch <= "\u04ff":
                return "cyrillic"
            if "\u0370" <= ch <= "\u03ff":
                return "greek"
            return "latin" if ch.isascii() or "\u00c0" <= ch <= "\u024f" else "other"
    return None


def foreign(term: str, labels: Iterable[str], enough: int = 20) -> bool:
    """A name typed in an alphabet no suggestion seen so far is written in (at least
    ``enough`` of them): it cannot begin one. Codes ("XK", "+383") are never foreign."""
    script = _script_of(term)
    if script is None or term.isupper() or term.startswith("+"):
        return False
    seen = [s for s in (_script_of(label) for label in labels) if s]
    return len(seen) >= enough and script not in seen


def _key(row: Mapping[str, Any]) -> str:
    return f"{row.get('value')}\u0001{row.get('label')}"


def _options(rows: Iterable[Mapping[str, Any]]) -> tuple[Option, ...]:
    return tuple(Option.from_any(r) for r in rows)


def names_territory(rows: Iterable[Mapping[str, Any]], terr: Territory) -> bool:
    """Whether any of ``rows`` stands for the territory, read the way ``checks`` reads it."""
    return find_territory(read_list(_options(rows)), terr) is not None


def country_count(rows: Iterable[Mapping[str, Any]]) -> int:
    return read_list(_options(rows)).country_count


@dataclass
class Answer:
    """The rows one query showed, how long we waited, and whether the search really answered:
    its suggestions settled (nothing says it is still searching) and no request it made
    failed (an error status, a throttled, refused or aborted request)."""

    rows: list[dict[str, Any]]
    waited: float
    answered: bool = True


@dataclass
class Typed:
    """What typing found: ``rows`` (the drawn ones first), the term that showed the
    territory, whether every term was tried with a search that answers (``complete``), and
    whether it showed rows the drawn list did not have (the list was cut short)."""

    rows: list[dict[str, Any]]
    hit: str | None = None
    complete: bool = False
    answered: bool = False
    beyond_drawn: bool = False
    queries: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)  # queries the search never answered


class Typist:
    """Types one query at a time into the box marked ``data-xk-type`` and reads what the
    widget suggests, learning how long it takes to answer (its debounce and its server)."""

    def __init__(self, page: Page, frame: Frame, network: NetworkTracker | None,
                 end: float, max_rows: int = 2000) -> None:
        self.page, self.frame, self.network, self.end = page, frame, network, end
        self.max_rows = max_rows
        self.latency: float | None = None  # slowest reaction seen, in seconds

    def left(self) -> float:
        return self.end - time.monotonic()

    async def _state(self) -> dict[str, Any]:
        state: dict[str, Any] = await self.frame.evaluate(js.OPEN_STATE_JS)
        return state

    async def _select_all(self) -> None:
        box = self.frame.locator("[data-xk-type]").first
        await box.focus(timeout=1000)
        await self.page.keyboard.press("ControlOrMeta+a")

    async def clear(self) -> None:
        await self._select_all()
        await self.page.keyboard.press("Backspace")

    async def ask(self, text: str) -> Answer | None:
        """Type ``text`` over what the box holds (one change, as a person retyping); the rows
        suggested, how long we waited for them and whether the search answered. ``None``
        when the budget is spent or the box is gone."""
        if self.left() < 0.3:
            return None
        try:
            await self._select_all()
            before = await self._state()
            start = time.monotonic()
            await self.page.keyboard.type(text)
            waited, settled = await self._settle(start, str(before.get("sig")))
            answered = settled and (self.network is None
                                    or not self.network.failed_since(start))
            state = await self._state()
            if not state["count"]:
                return Answer([], waited, answered)
            found = await self.frame.evaluate(
                js.COLLECT_OPTIONS_JS,
                {"max": self.max_rows, "budgetMs": max(200.0, min(3000.0, self.left() * 500)),
                 "endWaitMs": 0})
        except PlaywrightError as exc:
            if is_closed_error(exc):
                raise
            return None
        return Answer([dict(r) for r in found["options"]], waited, answered)

    async def _settle(self, start: float, before_sig: str) -> tuple[float, bool]:
        """Wait until the suggestions for what was just typed are there and stopped changing:
        at least as long as the slowest answer so far took (the widget's debounce and its
        server), and until rows, document and the requests this query started are quiet
        and nothing says "Searching…" (a row, or ``aria-busy``). Each answer's time (its
        last change) is learned. Returns the seconds waited and whether it settled: a
        query given up at ``MAX_WAIT`` or at the budget's end has not answered."""
        least = FIRST_WAIT if self.latency is None else min(MAX_WAIT, self.latency + 0.1)
        sig, last_change = before_sig, start
        net = self.network
        while True:
            await asyncio.sleep(0.03)
            now = time.monotonic()
            state = await self._state()
            if state["sig"] != sig:
                sig, last_change = state["sig"], now
            net_quiet = net.idle_since(start) if net is not None else QUIET
            quiet = min(float(state["quietMs"]) / 1000.0, now - last_change)
            settled = quiet >= QUIET and net_quiet >= QUIET and not state.get("loading")
            if settled and now - start >= least:
                break
            if now - start >= MAX_WAIT or now >= self.end:
                break
        if net is not None and net.last_start > start:
            last_change = max(last_change, net.last_event)
        if last_change > start:
            took = last_change - start
            self.latency = took if self.latency is None else max(self.latency, took)
        return time.monotonic() - start, settled


async def search_by_typing(page: Page, frame: Frame, network: NetworkTracker | None,
                           terr: Territory, lang: str | None, scripts: Mapping[str, int],
                           drawn: list[dict[str, Any]], *, enumerate_letters: bool,
                           end: float, first_term_only: bool = False) -> Typed:
    """Type the territory's terms (and, when asked, the alphabet's first letters) into the
    marked box; the union of what was suggested. See the module's docstring.

    ``first_term_only``: a short drawn list is whole; one search for the territory's name
    only checks that no search would show it anyway (the reading is then not complete by
    typing, and the drawn list stands)."""
    typist = Typist(page, frame, network, end)
    union: dict[str, dict[str, Any]] = {_key(r): r for r in drawn}
    drawn_keys = set(union)
    out = Typed(rows=[])
    empty: list[tuple[str, float]] = []  # terms that showed nothing, and how long we waited
    shortest = 10**6  # the shortest query that got an answer: shorter ones are no proof
    terms = territory_terms(terr, lang)[:1 if first_term_only else None]
    letters = alphabet(lang, scripts)

    def merge(rows: list[dict[str, Any]]) -> None:
        for row in rows:
            union.setdefault(_key(row), row)

    counts: list[int] = []  # rows each first letter showed

    async def query(text: str) -> list[dict[str, Any]] | None:
        """The rows ``text`` showed; ``None`` when the budget is spent or the box is gone.
        A query the search never answered (still searching, a failed request) shows what
        it shows, but proves nothing absent: the reading is then not complete."""
        nonlocal shortest
        asked = await typist.ask(text)
        out.queries.append(text)
        if asked is None:
            return None
        rows = asked.rows
        merge(rows)
        if not asked.answered:
            out.unanswered.append(text)
            return rows
        if len(text) == 1:
            counts.append(len(rows))
        if rows:
            out.answered = True
            shortest = min(shortest, len(text))
        else:
            empty.append((text, asked.waited))
        return rows

    letters_done = False

    async def letters_until_world() -> bool:
        """The first letters, until together they name a world list; False: out of time.
        A world list's eight most frequent initials alone name about 150 countries: when
        they bring fewer than ``HOPELESS``, the letters cannot prove one, and stop."""
        nonlocal letters_done
        letters_done = True
        for number, letter in enumerate(alphabet(lang, scripts)):
            found = country_count(union.values())
            if found >= WORLD_WIDE or (number >= 8 and found < HOPELESS):
                return True
            rows = await query(letter)
            if rows is None:
                return False
            if rows and names_territory(rows, terr):
                out.hit = letter
                return True
        return True

    def labels() -> list[str]:
        return [str(r.get("label") or "") for r in union.values()]

    async def try_terms(candidates: Iterable[str]) -> bool:
        """Type each (chosen lazily: what earlier ones showed decides), stopping at the first
        that shows the territory (``out.hit``); False when one went unanswered."""
        for text in candidates:
            rows = await query(text)
            if rows is None:
                return False
            if rows and names_territory(rows, terr):
                out.hit = text
                return True
        return True

    tried_all = True
    for number, term in enumerate(terms):
        # "Kosov" cannot show what "Kos" did not, once the search is known to answer short
        # queries: skip the longer spellings of an empty prefix; and a name in an alphabet
        # none of the suggestions is written in.
        if any(term.casefold().startswith(e.casefold()) and len(e) >= shortest
               for e, _ in empty) or foreign(term, labels()):
            continue
        rows = await query(term)
        if rows is None:
            tried_all = False
            break
        if rows and names_territory(rows, terr):
            out.hit = term
            break
        if number == 0 and not first_term_only:
            # Not found by its first name. The first letters come next when they are needed
            # anyway (to prove a world list): they show that the search answers, how long it
            # takes and in which alphabet, so the other terms can be chosen. Otherwise one
            # drawn row's name tells whether the search answers at all.
            if enumerate_letters:
                if not await letters_until_world():
                    tried_all = False
                    break
                if out.hit is not None:
                    break
            elif not out.answered and await query(_control_query(drawn, letters)) is None:
                tried_all = False
                break
    if out.hit is None and tried_all and typist.latency is not None:
        # An empty answer given sooner than the widget turned out to need is no answer.
        latency = typist.latency
        tried_all = await try_terms(text for text, waited in list(empty)
                                    if waited < latency and text in terms)
    if out.hit is None and enumerate_letters and tried_all and not letters_done:
        await letters_until_world()
    if out.hit is None and tried_all and not first_term_only and (
            enumerate_letters or any(k not in drawn_keys for k in union)) and (
            country_count(union.values()) >= WORLD_WIDE):
        # Before an absence can stand (only a world list's can): the first letters of every
        # name the territory may be listed under, even when the other letters already named
        # a world list.
        tried_all = await try_terms(
            letter for letter in initial_letters(terr, lang)
            if letter not in (q.casefold() for q in out.queries if q not in out.unanswered)
            and not foreign(letter, labels()))
    cap = max(counts, default=0)
    if out.hit is None and tried_all and cap >= 5 and counts.count(cap) >= 2:
        tried_all = await try_terms(term for term in qualified_terms(terr, lang)
                                    if not foreign(term, labels()))
    out.rows = list(union.values())
    out.complete = out.hit is not None or (tried_all and out.answered and not first_term_only
                                           and not out.unanswered)
    out.beyond_drawn = any(k not in drawn_keys for k in union)
    try:
        await typist.clear()
    except PlaywrightError as exc:
        if is_closed_error(exc):
            raise
    return out


def _control_query(drawn: list[dict[str, Any]], letters: str) -> str:
    """A query that must answer if the search works: a drawn row's first letters, else the
    alphabet's most frequent first letter."""
    for row in drawn[len(drawn) // 2:] + drawn[:len(drawn) // 2]:
        label = str(row.get("label") or "").strip()
        if len(label) >= 3 and label[:3].isalpha():
            return label[:3]
    return letters[0]
