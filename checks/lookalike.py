"""Labels that look like the territory's name to a person but not to a string compare.

A CMS that hyphenates ("Ko&shy;sovo"), a zero-width space pasted from a word processor, a
Cyrillic "о" typed into a Latin name, a right-to-left override: each leaves a label that a
person reads as "Kosovo" while its code points spell something else. Reading such a list as
lacking Kosovo would be a false accusation, so this module finds those labels and says what
is odd about them, code point by code point, for the evidence.

Invisible characters are dropped by :func:`checks.text.norm` itself, so such labels match
directly; this module only describes them. Look-alike letters and bidirectional reordering
need a second look, which :func:`lookalike_variants` provides.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import NamedTuple

from checks.text import INVISIBLE_LETTERS

# Bidirectional controls: embeddings, overrides, isolates and marks (all category Cf).
BIDI_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")
_RTL_OVERRIDES = frozenset("\u202e\u202b\u2067")  # RLO, RLE, RLI: what follows is drawn reversed
_POP = frozenset("\u202c\u2069")  # PDF, PDI
# Spaces narrow enough to pass for none at all (a normal space is visible, and not listed here).
_THIN_SPACES = frozenset("\u2009\u200a\u202f\u205f\u2006\u2008\u3000\u1680")

# Letters of other scripts drawn like Latin ones (after case folding). A subset of Unicode's
# confusables (UTS #39) limited to Cyrillic and Greek, the scripts seen mixed into Latin labels.
_LATIN_LOOKALIKE = str.maketrans({
    "а": "a", "в": "b", "ԁ": "d", "е": "e", "ё": "e", "һ": "h", "н": "h", "і": "i", "ї": "i",
    "ј": "j", "к": "k", "ӏ": "l", "м": "m", "о": "o", "р": "p", "ԛ": "q", "ѕ": "s",
    "т": "t", "ѵ": "v", "ԝ": "w", "х": "x", "у": "y", "ү": "y",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w", "ϲ": "c", "ϳ": "j",
})


# Re-readings that depend on layout or guesswork: a list they rescue is not judged either way.
# A label read as the territory only once re-read, while the option's value names another
# region ("Kоsovo" with value "RS"): which of the two the site means is not known.
CONFLICT = "conflict"
DOUBTFUL = frozenset({"bidi", "split", CONFLICT})


class Variant(NamedTuple):
    """A reading of a label as a person would see it, and what had to change to get there."""

    text: str
    change: str  # "lookalike", "spacing" or "bidi"


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


class OddCharacter(NamedTuple):
    kind: str  # "invisible", "bidi", "space" or "lookalike"
    name: str  # "U+00AD SOFT HYPHEN"


@lru_cache(maxsize=65536)
def odd_characters(label: str) -> tuple[OddCharacter, ...]:
    """Each invisible, bidirectional, hair-space or look-alike character of ``label``.

    Look-alikes count only in a label that mixes scripts: a whole Cyrillic name is Cyrillic.
    """
    if label.isascii():
        return ()
    scripts = {_script(ch) for ch in label if ch.isalpha()}
    mixed = "LATIN" in scripts and len(scripts) > 1
    out: list[OddCharacter] = []
    for ch in dict.fromkeys(label):
        if ch in BIDI_CONTROLS:
            kind = "bidi"
        elif unicodedata.category(ch) == "Cf" or ch in INVISIBLE_LETTERS:
            kind = "invisible"
        elif ch in _THIN_SPACES:
            kind = "space"
        elif (mixed and ch.isalpha() and _script(ch) != "LATIN"
              and ch.casefold().translate(_LATIN_LOOKALIKE) != ch.casefold()):
            kind = "lookalike"
        else:
            continue
        out.append(OddCharacter(kind, f"U+{ord(ch):04X} {unicodedata.name(ch, 'UNNAMED')}"))
    return tuple(out)


_KIND_WORDS = {"invisible": "invisible characters", "bidi": "bidirectional controls",
               "space": "hair-thin spaces", "lookalike": "letters of another script drawn "
               "like Latin ones"}


def describe(odd: tuple[OddCharacter, ...]) -> str:
    """``invisible characters (U+00AD SOFT HYPHEN), letters of another script … (U+043E …)``."""
    parts = []
    for kind, words in _KIND_WORDS.items():
        names = [c.name for c in odd if c.kind == kind]
        if names:
            parts.append(f"{words} ({', '.join(names[:4])})")
    return ", ".join(parts)


def code_points(label: str) -> str:
    """The label with every non-ASCII character spelled out (``Ko<U+00AD>sovo``)."""
    return "".join(ch if ch.isascii() and ch.isprintable() else f"<U+{ord(ch):04X}>"
                   for ch in label)


def _visual_order(label: str) -> str:
    """The label as drawn when a right-to-left override reverses what follows it."""
    out: list[str] = []
    run: list[str] | None = None
    for ch in label:
        if ch in _RTL_OVERRIDES:
            if run is not None:
                out.extend(reversed(run))
            run = []
        elif ch in _POP and run is not None:
            out.extend(reversed(run))
            run = None
        elif ch not in BIDI_CONTROLS:
            (run if run is not None else out).append(ch)
    if run is not None:
        out.extend(reversed(run))
    return "".join(out)


@lru_cache(maxsize=65536)
def lookalike_variants(label: str) -> tuple[Variant, ...]:
    """Other ways a person may read ``label``, for labels with odd characters only.

    ``lookalike`` swaps letters of other scripts for the Latin letters they are drawn like;
    ``spacing`` removes hair-thin spaces; ``bidi`` applies a right-to-left override. The last
    depends on how a browser lays the label out, so a match through it is only a doubt.
    """
    if label.isascii():
        return ()
    out: list[Variant] = []
    folded = label.casefold()
    swapped = folded.translate(_LATIN_LOOKALIKE)
    if swapped != folded and odd_characters(label):
        out.append(Variant(swapped, "lookalike"))
    squeezed = "".join(ch for ch in swapped if ch not in _THIN_SPACES)
    if squeezed != swapped:
        out.append(Variant(squeezed, "spacing"))
    if any(ch in _RTL_OVERRIDES for ch in label):
        out.append(Variant(_visual_order(squeezed), "bidi"))
    return tuple(out)
