"""Knowledge of the territory being looked for: Kosovo by default, any other by configuration.

A territory is data (``data/territories.json``) plus every CLDR name of its code, so
adding Taiwan or Western Sahara is a configuration change, not new code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from functools import cache
from importlib import resources
from typing import Any

from checks.countries import index
from checks.errors import UnknownTerritory
from checks.text import invisible_as_space, norm


class Naming(Enum):
    OWN = "own"  # the territory as an option of its own
    QUALIFIED = "qualified"  # named, but under another state or a resolution
    INSIDE_PARENT = "inside_parent"  # "Serbia (including Kosovo)": the parent's option


Seq = tuple[str, ...]


def _seqs(names: set[str]) -> tuple[Seq, ...]:
    return tuple(sorted({tuple(n.split()) for n in names if n}, key=len, reverse=True))


def _find(tokens: list[str], seqs: tuple[Seq, ...]) -> tuple[int, int] | None:
    """Where the longest of ``seqs`` first occurs in ``tokens``, as a slice."""
    for seq in seqs:
        n = len(seq)
        head = seq[0]
        for i, tok in enumerate(tokens[:len(tokens) - n + 1]):
            if tok == head and tuple(tokens[i:i + n]) == seq:
                return i, i + n
    return None


@dataclass(frozen=True, slots=True)
class Territory:
    code: str
    name: str
    names: frozenset[str]
    name_seqs: tuple[Seq, ...]
    strong_codes: frozenset[str]
    weak_codes: frozenset[str]
    dial_code: str | None
    old_dial_codes: frozenset[str]
    parent_codes: tuple[str, ...]
    parent_seqs: tuple[Seq, ...]
    qualifier_seqs: tuple[Seq, ...]
    including_words: frozenset[str]
    # Every word that starts one of the territory's names: most labels share none, and
    # are dismissed with one set test instead of a scan of every name.
    first_words: frozenset[str]
    # The names with their spaces taken out, to notice "Ko sovo".
    squeezed_names: frozenset[str]
    # Names a browser types into a search box after the page's own language's (its own
    # languages' spellings: "Kosova", "Косово"), to find the territory in a typeahead.
    typing: tuple[str, ...] = ()
    # Longer names that do not start with the territory's own name ("Republic of Kosovo"):
    # typed when a search that answers only from a label's start may have cut them off.
    typing_more: tuple[str, ...] = ()
    # The configured spellings as written ("Република Косово"): where a typeahead that
    # answers only from a label's start could show the territory under another first letter.
    spellings: tuple[str, ...] = ()

    def naming(self, label: str) -> Naming | None:
        """How an option label names the territory, if it does (label already cleaned)."""
        key = norm(label)
        if not key:
            return None
        if key in self.names:
            return Naming.OWN
        toks = key.split()
        if self.first_words.isdisjoint(toks):
            return None
        found = _find(toks, self.name_seqs)
        if found is None:
            return None
        start, end = found
        before, after = toks[:start], toks[end:]
        parent_before = _find(before, self.parent_seqs)
        if parent_before is not None:
            between = before[parent_before[1]:]
            if any(w in self.including_words for w in between):
                return Naming.INSIDE_PARENT
            return Naming.QUALIFIED
        rest = before + after
        if _find(rest, self.parent_seqs) or _find(rest, self.qualifier_seqs):
            return Naming.QUALIFIED
        return Naming.OWN

    def is_name_split(self, label: str) -> bool:
        """The label is one of the names with a space put inside a word (and is not a name)."""
        key = norm(label)
        return " " in key and key.replace(" ", "") in self.squeezed_names

    def is_code(self, value: str, *, strong_only: bool = False) -> bool:
        v = value.strip().upper()
        return v in self.strong_codes or (not strong_only and v in self.weak_codes)


def _territory_data() -> dict[str, Any]:
    ref = resources.files("checks") / "data" / "territories.json"
    data: dict[str, Any] = json.loads(ref.read_text(encoding="utf-8"))
    return data


def known_territories() -> tuple[str, ...]:
    return tuple(_territory_data())


@cache
def territory(code: str = "XK") -> Territory:
    data = _territory_data()
    entry = data.get(code.upper())
    if entry is None:
        raise UnknownTerritory(
            f"unknown territory {code!r}; configured: {', '.join(sorted(data))}")
    idx = index()
    code = code.upper()
    spellings = [*idx.cldr_names.get(code, ()), *entry["aliases"]]
    names = {norm(n) for n in spellings} | {norm(invisible_as_space(n)) for n in spellings}
    names.discard("")
    parents: set[str] = set()
    for parent in entry["parents"]:
        parents |= {norm(n) for n in idx.cldr_names.get(parent, ())}
    return Territory(
        code=code,
        name=entry["name"],
        names=frozenset(names),
        name_seqs=_seqs(names),
        strong_codes=frozenset(c.upper() for c in entry["strong_codes"]),
        weak_codes=frozenset(c.upper() for c in entry["weak_codes"]),
        dial_code=entry.get("dial_code"),
        old_dial_codes=frozenset(entry.get("old_dial_codes", ())),
        parent_codes=tuple(entry["parents"]),
        parent_seqs=_seqs(parents),
        qualifier_seqs=_seqs({norm(q) for q in entry["qualifiers"]}),
        including_words=frozenset(norm(w) for w in entry["including_words"]),
        first_words=frozenset(n.split()[0] for n in names),
        squeezed_names=frozenset(n.replace(" ", "") for n in names),
        typing=tuple(entry.get("typing", ())),
        typing_more=tuple(entry.get("typing_more", ())),
        spellings=tuple(entry["aliases"]),
    )
