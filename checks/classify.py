"""Turn controls into field verdicts, and field verdicts into a page verdict (DESIGN.md §1).

The one rule that matters most: ``missing`` is a public accusation, so it is given
only to a world-wide country list (≥ 150 countries) that lacks the territory.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from checks.fingerprint import fingerprint
from checks.lookalike import (
    CONFLICT,
    DOUBTFUL,
    OddCharacter,
    code_points,
    describe,
    odd_characters,
)
from checks.model import (
    FIELD_PRECEDENCE,
    Control,
    Enumeration,
    FieldKind,
    FieldResult,
    FieldVerdict,
    KosovoMatch,
    Option,
    PageVerdict,
    Widget,
)
from checks.recognize import ListReading, TerritoryHit, find_territory, read_list
from checks.territory import Naming, Territory
from checks.text import norm
from checks.words import COUNTRY_WORDS, PHONE_WORDS, control_words, country_hinted, phone_hinted


def classify_control(c: Control, terr: Territory) -> FieldResult | None:
    """A field verdict for one control, or ``None`` when it is not a country control."""
    if c.widget is Widget.TEXT:
        return _free_text(c)
    reading = read_list(c.options)
    hinted = country_hinted(c)
    # A search in a country field that showed the territory lists it, however few other
    # suggestions came with it ("Kos" → "Kosovo (Serbia)").
    searched = (c.enumeration in (Enumeration.TYPED, Enumeration.PARTIAL) and hinted
                and find_territory(reading, terr) is not None)
    if not reading.is_country_list(hinted) and not reading.is_dial_list and not searched:
        if hinted and reading.counted <= 1 and reading.recognised == 0:
            # A country select with nothing in it yet: filled by script or after a click.
            kind = FieldKind.PHONE if phone_hinted(c) else FieldKind.COUNTRY
            return FieldResult(kind, c, FieldVerdict.UNKNOWN, len(c.options), 0)
        if c.truncated and (hinted or reading.recognised >= 3):
            # The part we read is not a country list, but the list goes on: it may be one.
            kind = FieldKind.PHONE if phone_hinted(c) else FieldKind.COUNTRY
            return FieldResult(kind, c, FieldVerdict.UNKNOWN, len(c.options),
                               reading.country_count, notes=(_cut_note(c),))
        return None
    if reading.is_dial_list and not reading.is_country_list(hinted) and not phone_hinted(c) \
            and reading.dial_entries < 10:
        return None  # a handful of "+1 …" strings is not a picker
    kind = FieldKind.PHONE if (reading.is_dial_list or "tel-country-code" in
                               (c.autocomplete or "").lower()) else FieldKind.COUNTRY
    hit = find_territory(reading, terr)
    verdict = _field_verdict(kind, reading, hit, terr, c.enumeration)
    if hit is None and c.truncated:
        verdict = FieldVerdict.UNKNOWN  # Kosovo may come after the cut
    match = None
    notes: tuple[str, ...] = ()
    if hit is not None:
        odd = odd_characters(hit.option.label)
        match = KosovoMatch(
            label=hit.option.label, value=hit.option.value,
            dial_code=f"+{hit.dial}" if hit.dial else None,
            qualifier=hit.option.label if hit.naming is Naming.QUALIFIED else None,
            code_points=code_points(hit.option.label) if odd else None)
        notes = _odd_label_notes(hit, odd, terr)
    elif c.truncated:
        notes = (_cut_note(c),)
    notes += _reading_notes(c, kind, reading, hit, verdict, terr)
    codes = tuple(dict.fromkeys(code for code in reading.codes if code))
    return FieldResult(
        kind=kind, control=c, verdict=verdict, option_count=len(c.options),
        country_count=max(reading.country_count, reading.dial_entries if kind is FieldKind.PHONE
                          and reading.country_count == 0 else 0),
        kosovo=match, fingerprint=fingerprint(reading, kind, terr, verdict), codes=codes,
        neighbours=_neighbours(reading, hit, terr), notes=notes,
    )


def _cut_note(c: Control) -> str:
    return (f"the list was cut after {len(c.options)} options (the list or the page was too "
            "long) and read that far; what follows is not known, so an absence is not "
            "concluded")


def _odd_label_notes(hit: TerritoryHit, odd: tuple[OddCharacter, ...],
                     terr: Territory) -> tuple[str, ...]:
    """Say how a label with odd characters was read, naming each character."""
    if hit.reread == "split":
        return (f"an option reads {hit.option.label!r}, {terr.name}'s name with a space inside a "
                "word; whether it is meant as the territory is not certain, so the list is not "
                "judged",)
    if hit.reread == CONFLICT:
        how = f" once {describe(odd)} are read as a person sees them" if odd else ""
        return (f"an option reads {hit.option.label!r}, {terr.name}'s name{how}, but its value "
                f"{hit.option.value!r} names another region; which one the site means is not "
                "certain, so the list is not judged",)
    if not odd:
        return ()
    if hit.reread == "bidi":
        return (f"an option reads as {terr.name} only once its right-to-left override is "
                f"applied ({describe(odd)}); how a browser draws it is not certain, so the list "
                "is not judged",)
    return (f"{terr.name}'s label holds {describe(odd)}; read as {terr.name}",)


def _reading_notes(c: Control, kind: FieldKind, reading: ListReading, hit: TerritoryHit | None,
                   verdict: FieldVerdict, terr: Territory) -> tuple[str, ...]:
    """Say how the options were read when it was not all at once, and why that allows (or
    does not allow) the verdict; and a code the option carries but does not show."""
    notes: list[str] = []
    how = c.enumeration
    if how is Enumeration.SCROLLED:
        notes.append("the list draws only the rows in view: it was scrolled to its end and "
                     f"{len(c.options)} rows were collected")
    elif how is Enumeration.TYPED:
        if hit is not None:
            notes.append(f"the options appear only when typing: typing showed {terr.name}")
        elif verdict is FieldVerdict.MISSING:
            notes.append(f"the options appear only when typing: every first letter together "
                         f"named {reading.country_count} countries (a world list), and none of "
                         f"{terr.name}'s names or codes returned it")
        else:
            notes.append(f"the options appear only when typing: {reading.country_count} "
                         "countries were found, too few to prove a world list, so the absence "
                         "is not judged")
    elif how is Enumeration.PARTIAL and hit is None:
        notes.append(f"only part of the list could be read ({len(c.options)} options): an "
                     "absence is not judged")
    if (hit is not None and hit.dial and not hit.dial_shown and kind is FieldKind.PHONE
            and terr.dial_code and hit.dial != terr.dial_code):
        notes.append(f"{terr.name}'s option carries +{hit.dial} in its value but shows no code")
    return tuple(notes)


def _free_text(c: Control) -> FieldResult | None:
    if c.input_type not in (None, "text", "search", "tel") or not country_hinted(c):
        return None
    words = control_words(c)
    if c.input_type == "tel" and not words & COUNTRY_WORDS:
        return None
    kind = FieldKind.PHONE if "tel-country-code" in (c.autocomplete or "").lower() or (
        words & PHONE_WORDS and "code" in words) else FieldKind.COUNTRY
    return FieldResult(kind, c, FieldVerdict.FREE_TEXT, 0, 0)


def _field_verdict(kind: FieldKind, reading: ListReading, hit: TerritoryHit | None,
                   terr: Territory, how: Enumeration = Enumeration.WHOLE) -> FieldVerdict:
    if hit is not None and hit.reread in DOUBTFUL:
        return FieldVerdict.UNKNOWN  # a doubt is neither a listing nor an absence
    if hit is not None:
        # Only a code a person sees beside the territory is a wrong code.
        if (kind is FieldKind.PHONE and hit.dial and hit.dial_shown and terr.dial_code
                and hit.dial != terr.dial_code):
            return FieldVerdict.WRONG_CODE
        if hit.naming is Naming.QUALIFIED:
            return FieldVerdict.LISTED_QUALIFIED
        return FieldVerdict.LISTED
    # An absence needs the whole list: a partial reading proves nothing, and typing proves
    # only a world list (every first letter together naming >= 150 countries).
    if how is Enumeration.PARTIAL:
        return FieldVerdict.UNKNOWN
    if how is Enumeration.TYPED:
        return FieldVerdict.MISSING if reading.world_wide else FieldVerdict.UNKNOWN
    return FieldVerdict.MISSING if reading.world_wide else FieldVerdict.RESTRICTED


def _neighbours(reading: ListReading, hit: TerritoryHit | None, terr: Territory,
                span: int = 3) -> tuple[Option, ...]:
    """The options around the territory, or around where it would stand alphabetically."""
    opts = reading.options
    if not opts:
        return ()
    if hit is not None:
        at = hit.position
        return opts[max(0, at - span):at + span + 1]
    target = norm(terr.name)
    at = len(opts)
    for i, o in enumerate(opts):
        if i > 5 and norm(o.label) > target and not reading.readings[i].placeholder:
            at = i
            break
    return opts[max(0, at - span):at + span]


def page_verdict(fields: Sequence[FieldResult]) -> PageVerdict | None:
    """DESIGN.md §1 precedence; ``None`` when no field is conclusive."""
    verdicts = [f.verdict for f in fields if f.verdict is not FieldVerdict.UNKNOWN]
    if not verdicts:
        return None
    world_with = any(f.verdict in (FieldVerdict.LISTED, FieldVerdict.LISTED_QUALIFIED,
                                   FieldVerdict.WRONG_CODE) and f.country_count >= 150
                     for f in fields)
    if world_with and FieldVerdict.MISSING in verdicts:
        return PageVerdict.PARTIAL
    for fv in FIELD_PRECEDENCE:
        if fv in verdicts:
            return PageVerdict(fv.value)
    return None


def classify_controls(controls: Iterable[Control], terr: Territory) -> list[FieldResult]:
    """Classify all controls; script data counts only where no drawn list of that kind exists."""
    drawn: list[FieldResult] = []
    scripted: list[FieldResult] = []
    for c in controls:
        result = classify_control(c, terr)
        if result is None:
            continue
        (scripted if c.widget is Widget.SCRIPT_DATA else drawn).append(result)
    # A readable control of a kind (a list, or a box where the country is typed) is what the
    # person uses; a list in a script beside it may serve anything else.
    drawn_kinds = {f.kind for f in drawn if f.verdict is not FieldVerdict.UNKNOWN}
    # A list of that kind drawn and read only in part (typed, scrolled, cut, a doubtful label):
    # the person uses that one, so data beside it may show the territory listed, never absent.
    doubted_kinds = {f.kind for f in drawn if f.verdict is FieldVerdict.UNKNOWN
                     and (f.country_count > 0 or f.kosovo is not None)}
    kept: list[FieldResult] = []
    seen: set[tuple[str, ...]] = set()
    for f in scripted:
        # Data in a script is a list the page *may* draw: evidence only when nothing is drawn,
        # and never a restricted fragment (a shipping table, a feature's country set).
        if f.kind in drawn_kinds or (f.verdict is FieldVerdict.RESTRICTED):
            continue
        if f.codes in seen:
            continue
        seen.add(f.codes)
        if f.kind in doubted_kinds and f.verdict is FieldVerdict.MISSING:
            f = replace(f, verdict=FieldVerdict.UNKNOWN, notes=(*f.notes, _DATA_BESIDE_NOTE))
        kept.append(f)
    return drawn + kept


_DATA_BESIDE_NOTE = ("a list in the page's data lacks the territory, but the list a person uses "
                     "could be read only in part: the absence is not judged")
