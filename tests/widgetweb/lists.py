"""The country lists the widget web's pages draw, generated from the pinned generator sources.

Names come from CLDR (Babel) over ISO 3166 (pycountry), dial codes from phonenumbers, the way
``xktracker/demoweb/make_widget_pages.py`` builds the demo web's data; pycountry has no
Kosovo, so it is added here. Pages whose library ships its own list (intl-tel-input,
react-phone-input-2, react-phone-number-input) use that list instead: the realistic case.

Each list is a *variant* of one page:

``xk``      the world (249 ISO countries) with Kosovo: 250 rows;
``noxk``    the world without Kosovo;
``short``   twelve EU shipping countries, no Kosovo;
``xkrs``    the world, Kosovo labelled "Kosovo (Serbia)";
``xk381``   the world with dial codes in the labels, Kosovo at +381 (an old code).

A row is ``[alpha-2, label, dial code]``; ``lang`` picks the CLDR locale of the labels.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import phonenumbers
import pycountry
from babel import Locale

KOSOVO = "XK"
SHORT = ("AT", "BE", "DE", "DK", "ES", "FI", "FR", "IE", "IT", "NL", "PT", "SE")
VARIANTS = ("xk", "noxk", "short", "xkrs", "xk381")
LANGS = ("en", "sr", "de")

Row = tuple[str, str, int]


def _sort_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@cache
def country_list(variant: str, lang: str = "en") -> tuple[Row, ...]:
    """The rows of one variant in one language, sorted as a site shows them."""
    if variant not in VARIANTS or lang not in LANGS:
        raise KeyError(f"{variant}/{lang}")
    names = Locale.parse(lang).territories
    codes = [c.alpha_2 for c in pycountry.countries]
    if variant in ("xk", "xkrs", "xk381"):
        codes.append(KOSOVO)
    if variant == "short":
        codes = list(SHORT)
    rows: list[Row] = []
    for code in codes:
        name = str(names[code])
        dial = phonenumbers.country_code_for_region(code)
        if code == KOSOVO and variant == "xkrs":
            name = f"{name} (Serbia)"
        if code == KOSOVO and variant == "xk381":
            dial = 381
        if variant == "xk381":
            name = f"{name} (+{dial})"
        rows.append((code, name, dial))
    return tuple(sorted(rows, key=lambda row: (_sort_key(row[1]), row[0])))


def fold(text: str) -> str:
    """Case- and accent-insensitive form, for the search endpoint."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search(variant: str, lang: str, query: str, limit: int) -> list[Row]:
    """What a typeahead's server answers: rows with a word starting with ``query`` (or whose
    code is ``query``), in list order, at most ``limit``; nothing for an empty query."""
    q = fold(query.strip())
    if not q:
        return []
    found: list[Row] = []
    for row in country_list(variant, lang):
        words = fold(row[1]).replace("(", " ").replace("-", " ").split()
        if row[0].casefold() == q or fold(row[1]).startswith(q) or any(
                w.startswith(q) for w in words):
            found.append(row)
            if len(found) >= limit:
                break
    return found
