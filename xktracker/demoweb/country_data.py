"""Real country data for the demo web: CLDR names per locale, ISO codes, dial codes, flags.

Every list a demo page shows is built here from pycountry, Babel and phonenumbers (pinned in
requirements/generator-sources.txt), with Kosovo added where a page should list it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

import phonenumbers
import pycountry
from babel import Locale

KOSOVO = "XK"
KOSOVO_ALPHA3 = "XKX"
KOSOVO_DIAL = 383




ISO_CODES: tuple[str, ...] = tuple(sorted(c.alpha_2 for c in pycountry.countries))

# --------------------------------------------------------------------------- data


def territory_names(locale: str) -> dict[str, str]:
    """CLDR names of the 249 ISO countries plus Kosovo, in one locale."""
    names = Locale.parse(locale).territories
    table = {code: names[code] for code in ISO_CODES}
    table[KOSOVO] = names[KOSOVO]
    return table


# Serbian Cyrillic alphabet order (азбука); code-point order puts Ђ, Ј, Љ … last.
_SR_CYRILLIC = "АБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШ"
_SR_RANK = {letter: rank for rank, letter in enumerate(_SR_CYRILLIC)}


def sort_key(name: str, locale: str) -> tuple[object, ...]:
    """Alphabetical key as a reader of ``locale`` expects it (accents folded)."""
    if locale.split("_")[0] == "sr" and not locale.endswith("Latn"):
        return tuple(_SR_RANK.get(ch, 100 + ord(ch)) for ch in name.upper())
    decomposed = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return (folded.casefold().replace("\u00a0", " "), name)


def world(
    locale: str = "en",
    *,
    kosovo: bool | str = True,
    order: str | None = None,
    exclude: Iterable[str] = (),
    rename: dict[str, str] | None = None,
) -> list[tuple[str, str]]:
    """Every ISO country as (alpha-2, label), alphabetical, Kosovo in its place.

    ``kosovo`` is False to leave Kosovo out, or a string to label it differently
    ("Kosovo (Serbia)"). ``order`` sorts by another locale's names (Chinese sites often
    keep the English order).
    """
    table = territory_names(locale)
    if kosovo is False:
        del table[KOSOVO]
    elif isinstance(kosovo, str):
        table[KOSOVO] = kosovo
    for code in exclude:
        table.pop(code, None)
    table.update(rename or {})
    keys = territory_names(order) if order else table
    sort_locale = order or locale
    return sorted(table.items(), key=lambda item: sort_key(keys[item[0]], sort_locale))


def alpha3(code: str) -> str:
    """ISO alpha-3 code; Kosovo's user-assigned XKX is not in ISO data."""
    if code == KOSOVO:
        return KOSOVO_ALPHA3
    country = pycountry.countries.get(alpha_2=code)
    assert country is not None, code
    return str(country.alpha_3)


def dial_code(code: str) -> int:
    """International dial code of a region, 0 when it has none (Antarctica …)."""
    return int(phonenumbers.country_code_for_region(code))


def subdivisions(country: str) -> list[Any]:
    """ISO 3166-2 subdivisions of a country (pycountry's lookup is untyped)."""
    return [s for s in pycountry.subdivisions if s.country_code == country]


def flag(code: str) -> str:
    """The flag emoji: two regional-indicator letters."""
    return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in code)


# ------------------------------------------------------------------------ html bits


def dial_regions(*, kosovo_code: int | None) -> list[tuple[str, str, int]]:
    """(alpha-2, English name, dial code) of every region with a dial code."""
    en = territory_names("en")
    regions = [(c, en[c], dial_code(c)) for c in ISO_CODES if dial_code(c)]
    if kosovo_code is not None:
        regions.append((KOSOVO, en[KOSOVO], kosovo_code))
    return sorted(regions, key=lambda r: sort_key(r[1], "en"))


def continent(code: str) -> str:
    """Continent of a territory from its time zones (CLDR), with hand fixes for islands."""
    fixes = {"AQ": "Antarctica", "BV": "Antarctica", "HM": "Antarctica", "TF": "Antarctica",
             "GS": "Antarctica", "AU": "Oceania", "CC": "Oceania", "CX": "Oceania",
             "IO": "Asia", "MV": "Asia", "BM": "Americas", "FK": "Americas", "CV": "Africa",
             "SH": "Africa", "FO": "Europe", "IS": "Europe", "ES": "Europe", "PT": "Europe",
             "RU": "Europe", "SJ": "Europe", "XK": "Europe", "CL": "Americas",
             "EC": "Americas", "US": "Americas"}
    if code in fixes:
        return fixes[code]
    from babel.core import get_global

    zones = get_global("territory_zones").get(code, [])
    prefix = zones[0].split("/")[0] if zones else ""
    return {"America": "Americas", "Pacific": "Oceania", "Indian": "Africa",
            "Atlantic": "Europe"}.get(prefix, prefix)
