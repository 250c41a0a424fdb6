"""Words that say what a control is about, in the languages of our users and of big sites.

Hints only: a list is judged by its options. Words decide only whether an empty or
free-text control is a country control at all.
"""

from __future__ import annotations

from checks.model import Control
from checks.text import norm, tokens

# Words that say "this control is about a country", in the languages of our users and
# of the big sites; matched as whole words of labels, names, ids and placeholders.
_COUNTRY_SPELLINGS = (
    "country", "countries", "nation", "nationality", "citizenship", "residence", "cntry",
    "land", "staat", "herkunftsland", "pays", "nationalite", "pais", "paises", "nacionalidad",
    "paese", "nazione", "nazionalita", "kraj", "zeme", "orszag", "ulke", "strana", "drzava",
    "shteti", "shtet", "vendi", "shtetesia", "shtetësia", "ciudadania", "maa", "valtio",
    "страна", "држава", "државa", "держава", "країна", "国家", "国", "国家地区", "国家或地区",
    "地区", "國家", "국가", "دولة", "البلد", "بلد", "کشور", "देश", "χώρα", "ülke", "państwo",
)
COUNTRY_WORDS = frozenset(norm(w) for w in _COUNTRY_SPELLINGS)
PHONE_WORDS = frozenset(norm(w) for w in (
    "dial", "dialcode", "calling", "prefix", "phonecode", "vorwahl", "prefisso", "indicatif",
    "prefijo", "prefiks", "telefon", "phone", "tel", "mobile", "mobil", "iti",
))


# Every spelling of those words as it may stand in raw markup (before accents are
# dropped): a cheap substring screen that lets through everything ``country_hinted``
# could accept, and almost nothing else.
COUNTRY_SCREEN = tuple(sorted(COUNTRY_WORDS | {w.casefold() for w in _COUNTRY_SPELLINGS}
                              | {"countr", "país", "nationalité", "nazionalità", "země",
                                 "ország", "država", "ciudadanía"}))


def may_be_country(raw: str) -> bool:
    """``raw``: attribute values and label text run together; ``False`` means surely not.

    A loop of substring tests (each a C search) beats one big regex alternation, which
    tries every word at every position of a long text.
    """
    low = raw.casefold()
    return any(w in low for w in COUNTRY_SCREEN)


def control_words(c: Control) -> set[str]:
    words: set[str] = set()
    for text in (c.label, c.name, c.id, c.placeholder, c.hints):
        words.update(tokens(text))
    return words


def country_hinted(c: Control) -> bool:
    ac = (c.autocomplete or "").lower().split()
    if "country" in ac or "country-name" in ac or "tel-country-code" in ac:
        return True
    return bool(control_words(c) & COUNTRY_WORDS)


def phone_hinted(c: Control) -> bool:
    if "tel-country-code" in (c.autocomplete or "").lower():
        return True
    return bool(control_words(c) & PHONE_WORDS)
