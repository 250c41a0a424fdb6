"""Is this list of options a list of countries? Which ones? Does it name the territory?

A list is recognised by its options, never by its name: labels are looked up among
every CLDR name in every locale; values count as codes only when the list shows that
its values are codes (most labelled options agree with their value), so that a US
state list (AL, CA, DE, GA …) is never read as Albania, Canada, Germany, Gabon.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from checks.countries import CountryIndex, index
from checks.lookalike import CONFLICT, DOUBTFUL, lookalike_variants
from checks.model import Option
from checks.territory import Naming, Territory
from checks.territory import territory as load_territory
from checks.text import MAX_LABEL, clean_label, find_dial_code, find_flags, norm

_PLACEHOLDER_VALUES = frozenset({"", "0", "-1", "-", "--", "none", "null", "default", "select",
                                 "choose", "undefined", "n/a", "na", "?"})
_SEPARATOR_RE = re.compile(r"^[\s\-–—_=.*·•─━═~]*$")
_SPLIT_RE = re.compile(r"\s+[-–—|/]\s+|\s*[(\[]|[)\]]\s*|\s*,\s*|\s+/\s*|/")
_DIAL_VALUE_RE = re.compile(r"^\+?\d{1,4}$")

# A list is world-wide when it names at least this many countries/territories (DESIGN.md §1).
WORLD_WIDE = 150


@dataclass(frozen=True, slots=True)
class ReadOption:
    """What one option says, before the list as a whole is judged."""

    code: str | None  # region code from the label, a flag, or a code written as label
    value_code: str | None  # region code the value would be, if values are codes
    dial: str | None
    placeholder: bool
    label_text: bool  # the label has words that are not a code, flag or dial code
    named: bool  # ``code`` came from a name, not from a code written as the label


@lru_cache(maxsize=131072)
def read_option(value: str, label: str) -> ReadOption:
    idx = index()
    raw = label[:MAX_LABEL]
    flags = find_flags(raw)
    dial = find_dial_code(raw)
    if dial is None and _DIAL_VALUE_RE.match(value.strip()) and value.strip().startswith("+"):
        dial = value.strip().lstrip("+")
    text = clean_label(raw)
    code = _code_from_label(text, idx) if text else None
    named = code is not None
    label_text = bool(text) and code is None and idx.code_for_code(text) is None
    if code is None and text and not label_text:
        code = idx.code_for_code(text)
    if code is None and flags:
        code = flags[0] if flags[0] in idx.alpha2 else None
    value_code = idx.code_for_code(value) if value else None
    placeholder = (
        code is None and dial is None and value_code is None
        and (value.strip().casefold() in _PLACEHOLDER_VALUES
             or _SEPARATOR_RE.match(raw) is not None)
    )
    return ReadOption(code, value_code, dial, placeholder, label_text, named)


def _code_from_label(text: str, idx: CountryIndex) -> str | None:
    code = idx.code_for_name(text)
    if code is not None:
        return code
    # "AF - Afghanistan", "Afghanistan (AF)", "Deutschland / Germany": a part may name the
    # country when every other part is a code or the same country. "English (United
    # States)" names a language, so a lone country in brackets is not enough.
    parts = [p.strip() for p in _SPLIT_RE.split(text) if p and p.strip()]
    if len(parts) < 2:
        return None
    found: str | None = None
    for part in parts:
        code = idx.code_for_name(part) or idx.code_for_code(part)
        if code is None or (found is not None and code != found):
            return None
        found = code
    return found


@dataclass(frozen=True, slots=True)
class ListReading:
    """A whole option list, read."""

    options: tuple[Option, ...]
    readings: tuple[ReadOption, ...]
    codes: tuple[str | None, ...]  # per option, after deciding whether values are codes
    counted: int  # options that are not placeholders or separators
    country_count: int  # distinct regions named
    dial_share: float  # share of counted options that show a dial code
    values_are_codes: bool
    subdivision_of: str | None  # the country whose states/provinces this lists, if any
    recognised: int  # options that name a region

    @property
    def country_share(self) -> float:
        return self.recognised / self.counted if self.counted else 0.0

    def is_country_list(self, hinted: bool) -> bool:
        """Most options name countries; a single-country list needs the control to say so."""
        if self.subdivision_of is not None or self.counted == 0:
            return False
        if self.recognised >= 3 and self.country_share >= 0.6:
            return True
        return hinted and self.recognised >= 1 and self.country_share >= 0.5

    @property
    def is_dial_list(self) -> bool:
        return self.counted > 0 and self.dial_share >= 0.5

    @property
    def dial_entries(self) -> int:
        return len({r.dial for r in self.readings if r.dial})

    @property
    def world_wide(self) -> bool:
        if self.country_count >= WORLD_WIDE:
            return True
        # A picker of bare dial codes ("+93", "+355" …) names regions only through codes.
        return self.is_dial_list and self.dial_entries >= WORLD_WIDE


def read_list(options: tuple[Option, ...]) -> ListReading:
    readings = tuple(read_option(o.value, o.label) for o in options)
    # One pass for the counts (this runs for every list of every page).
    labelled_codes = agree = counted = dial_count = named = 0
    for r in readings:
        if r.code is not None and r.value_code:
            labelled_codes += 1
            agree += r.code == r.value_code
        if not r.placeholder:
            counted += 1
            dial_count += r.dial is not None
        named += r.named
    values_are_codes = labelled_codes >= 5 and agree >= 0.8 * labelled_codes
    codes: list[str | None] = []
    recognised = 0
    for r in readings:
        code = r.code
        if code is None and r.value_code and (values_are_codes or not r.label_text):
            code = r.value_code
        codes.append(code)
        recognised += code is not None and not r.placeholder
    distinct = set(codes)
    distinct.discard(None)
    # Only a list recognised mostly through codes ("AL", "CA", "DE" …) can be a state list
    # mistaken for countries; one whose labels are country names is not.
    subdivision = (_subdivision_country(options, readings, index())
                   if named < 0.5 * counted else None)
    return ListReading(
        options=options,
        readings=readings,
        codes=tuple(codes),
        counted=counted,
        country_count=len(distinct),
        dial_share=dial_count / counted if counted else 0.0,
        values_are_codes=values_are_codes,
        subdivision_of=subdivision,
        recognised=recognised,
    )


def _subdivision_country(options: tuple[Option, ...], readings: tuple[ReadOption, ...],
                         idx: CountryIndex) -> str | None:
    """The country whose subdivisions most options are (US states, Serbian districts …)."""
    counted = [(o, r) for o, r in zip(options, readings, strict=True) if not r.placeholder]
    if len(counted) < 8:
        return None
    by_name: Counter[str] = Counter()
    for o, r in counted:
        if r.code is None:
            country = idx.subdivision_names.get(norm(clean_label(o.label)))
            if country:
                by_name[country] += 1
    if by_name:
        country, hits = by_name.most_common(1)[0]
        if hits >= 0.5 * len(counted):
            return country
    # Code-only lists: "AL", "AK", "AZ" … as labels or values.
    codes = [(o.value or o.label).strip().upper().rpartition("-")[2].rpartition("_")[2]
             for o, _ in counted]
    best, best_hits = None, 0
    for country in ("US", "CA", "AU", "MX", "BR", "IN", "DE", "IT", "ES", "FR", "GB", "CN"):
        subs = idx.subdivision_codes.get(country, frozenset())
        hits = sum(1 for c in codes if c in subs)
        if hits > best_hits:
            best, best_hits = country, hits
    if best is not None and best_hits >= 0.85 * len(codes):
        # A real world list has names as labels, so this only bites code-only lists.
        named = sum(1 for _, r in counted if r.label_text or (r.code and r.code != r.value_code))
        if named < 0.5 * len(counted) or best_hits >= 0.95 * len(codes):
            return best
    return None


@dataclass(frozen=True, slots=True)
class TerritoryHit:
    position: int
    option: Option
    naming: Naming
    dial: str | None
    # How the label had to be read to name the territory: ``None`` as written (invisible
    # characters aside), else a :class:`checks.lookalike.Variant` change ("lookalike", "bidi" …).
    reread: str | None = None
    # The dial code is written in the option's label (a person sees it), not only in its value.
    dial_shown: bool = False


def find_territory(reading: ListReading, terr: Territory) -> TerritoryHit | None:
    """The option that stands for the territory; an option of its own wins over a qualified one.

    A label that a person would read as the territory's name (look-alike letters, hair spaces,
    a right-to-left override) counts too, so that a trick of encoding is never read as an
    absence; a reading that depends on bidirectional layout is only a doubt and loses to any
    other hit.
    """
    best: TerritoryHit | None = None
    for pos, (opt, r, code) in enumerate(zip(reading.options, reading.readings, reading.codes,
                                             strict=True)):
        found = _naming(terr.code, opt.value, opt.label, code, r.code, r.label_text, r.dial)
        if found is None:
            continue
        naming, reread = found
        if naming is Naming.INSIDE_PARENT:
            continue
        dial = r.dial
        if dial is None and opt.value.strip().lstrip("+").isdigit() and reading.is_dial_list:
            dial = opt.value.strip().lstrip("+")
        shown = dial is not None and find_dial_code(opt.label[:MAX_LABEL]) == dial
        hit = TerritoryHit(pos, opt, naming, dial, reread, shown)
        if naming is Naming.OWN and reread not in DOUBTFUL:
            return hit
        if best is None or (best.reread in DOUBTFUL and reread not in DOUBTFUL):
            best = hit
    return best


@lru_cache(maxsize=131072)
def _naming(terr_code: str, value: str, label: str, code: str | None, label_code: str | None,
            label_text: bool, dial: str | None) -> tuple[Naming, str | None] | None:
    """How one option names the territory, and how its label had to be re-read to see it
    (cached: the same options recur across sites).

    ``code`` is the option's region as the list is read (its label's, else its value's);
    ``label_code`` the label's alone. A label re-read as the territory's name while the value
    names another country is a conflict: a doubt, never an absence."""
    terr = load_territory(terr_code)
    text = clean_label(label[:MAX_LABEL])
    if text:
        naming = terr.naming(text)
        if naming is not None:
            return naming, None
        if not label.isascii() and label_code in (None, terr.code):
            for variant in lookalike_variants(label[:MAX_LABEL]):
                if variant.change in DOUBTFUL and code == terr.code:
                    continue  # the value already says which region this is
                naming = terr.naming(clean_label(variant.text))
                if naming is not None:
                    if code is not None and code != terr.code:
                        return naming, CONFLICT
                    return naming, variant.change
    if code == terr.code:
        return Naming.OWN, None
    if label_code is None and text and terr.is_name_split(text):
        return Naming.OWN, "split"  # "Ko sovo": a typo or a broken hyphenation, not an absence
    if code is not None:
        return None  # the label names another country: trust it over the value
    if terr.is_code(value, strong_only=label_text):
        return Naming.OWN, None
    if terr.code in find_flags(label):
        return Naming.OWN, None
    if dial and terr.dial_code and dial == terr.dial_code and not label_text:
        return Naming.OWN, None  # a bare "+383": only Kosovo has that code
    return None
