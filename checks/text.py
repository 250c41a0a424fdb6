"""Text normalisation shared by the name index and the option reader.

Both sides of every lookup go through :func:`norm`, so "Kosovë", "KOSOVE" and
" kosove* " meet in one key. The function is cached: real lists repeat the same
few thousand labels across sites, and this is the hot path of the classifier.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_FLAG_RE = re.compile("[\U0001F1E6-\U0001F1FF]{2}")
# "+383", "(+383)", "+1-684", "00383" as a dial code inside a label or a value.
_DIAL_RE = re.compile(
    r"(?<![A-Za-z])(?:\+|\b00)\s?([1-9]\d{0,3})(?:[\s-]\d{1,4})?\b(?![:.]\d)")
_BARE_DIAL_RE = re.compile(r"^\(?\+?\s?([1-9]\d{0,3})(?:[\s-](\d{1,4}))?\)?$")
_FOOTNOTE_RE = re.compile(r"[*\u2020\u2021\u00a7\u00b9\u00b2\u00b3\u2070-\u2079]+|\(\d\)$")
_SPACE_RE = re.compile(r"\s+")
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")

MAX_LABEL = 300  # a longer "label" is prose, not an option

# Characters drawn as nothing that Unicode files as letters or symbols (Hangul fillers, the
# braille blank, Khmer inherent vowels, the combining grapheme joiner). Format characters
# (category Cf: soft hyphen, zero-width space and joiners, bidirectional controls) are
# invisible too and are recognised by their category.
INVISIBLE_LETTERS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")


def flag_to_code(flag: str) -> str:
    """Turn a regional-indicator pair (a flag emoji) into its two-letter code."""
    return "".join(chr(ord(ch) - 0x1F1E6 + ord("A")) for ch in flag)


def find_flags(text: str) -> list[str]:
    return [flag_to_code(m) for m in _FLAG_RE.findall(text)]


def strip_flags(text: str) -> str:
    return _FLAG_RE.sub(" ", text)


def find_dial_code(text: str) -> str | None:
    """The first dial code written in ``text`` ("Kosovo (+383)" → "383")."""
    m = _DIAL_RE.search(text)
    if m:
        return m.group(1)
    m = _BARE_DIAL_RE.match(text.strip())
    if m and m.group(0).lstrip("(").startswith("+"):
        return m.group(1)
    return None


def strip_dial_codes(text: str) -> str:
    text = re.sub(r"\(\s*(?:\+|00)\s?[1-9]\d{0,3}(?:[\s-]\d{1,4})?\s*\)", " ", text)
    return _DIAL_RE.sub(" ", text)


def strip_footnotes(text: str) -> str:
    return _FOOTNOTE_RE.sub(" ", text)


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Case-, accent-, punctuation- and space-insensitive key for a name.

    Accents are dropped only from Latin, Greek and Cyrillic letters: in Indic and
    other scripts the combining marks are vowels, and dropping them would make
    Togo and Tonga one word. Invisible characters are dropped, not turned into spaces:
    "Ko\u00adsovo" (a CMS's soft hyphen) is drawn as "Kosovo", so it is the same key.
    """
    if not text:
        return ""
    text = text.replace("&", " and ").replace("\u00a0", " ")
    out: list[str] = []
    base_is_alphabetic = False
    for ch in unicodedata.normalize("NFKD", text.casefold()):
        cat = unicodedata.category(ch)
        if cat == "Cf" or ch in INVISIBLE_LETTERS:
            continue
        if cat[0] == "M":
            if not base_is_alphabetic:
                out.append(ch)
            continue
        if cat[0] in "LN":
            base_is_alphabetic = ch < "\u0530"
            out.append(ch)
        else:
            base_is_alphabetic = False
            out.append(" ")
    words = unicodedata.normalize("NFC", "".join(out)).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join("saint" if w == "st" else w for w in words)


def invisible_as_space(text: str) -> str:
    """``text`` with its invisible characters written as spaces: another spelling of a name
    whose zero-width (non-)joiners some sites type as a space."""
    return "".join(" " if unicodedata.category(ch) == "Cf" or ch in INVISIBLE_LETTERS else ch
                   for ch in text)


def quick_key(text: str) -> str:
    """A cheap first-try key: the exact label, trimmed and case-folded."""
    return _SPACE_RE.sub(" ", text.replace("\u00a0", " ")).strip().casefold()


def tokens(text: str | None) -> list[str]:
    """Words of an attribute or label: ``billingCountry_id`` → ``[billing, country, id]``."""
    if not text:
        return []
    return norm(_CAMEL_RE.sub(" ", text)).split()


@lru_cache(maxsize=65536)
def clean_label(text: str) -> str:
    """An option label without flags, dial codes, footnote marks or odd spacing."""
    text = strip_footnotes(strip_dial_codes(strip_flags(text)))
    return _SPACE_RE.sub(" ", text).strip(" \t\r\n-–—:|·•,.")
