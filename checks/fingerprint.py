"""Which library a site's country list probably comes from, and its releases: right or silent.

Many sites ship a library's default list unchanged, so a match tells the activist which
one-line change adds Kosovo. ``data/platforms.json`` (built by ``python -m
xktracker.upstream build`` from the registries) holds every distinct list each library has
shipped, with the releases that ship it.

A list is compared with each of those lists by the mean of two Jaccard indexes (region
codes; label spellings). Libraries derived from ISO 3166 agree on most of both, so a high
score alone names nothing. A library is named only when

* its best list scores at least :data:`REPORT_AT`, and
* against every other library within :data:`NEAR` of it, the site's list carries at least
  :data:`EVIDENCE` codes or spellings that only the named library has and none that only
  the other has.

Otherwise, when the close libraries ship lists that agree on Kosovo (all with it, or all
without), the match is that *family*, named with all its members and a fix for the
family, never one member; when they disagree, nothing is said.

The fix depends on the field's problem: a list without Kosovo gets "update to X or later"
(when a later release has it), the library's own way to add it, or "the site removes it"
(when the library ships it); a qualified label or a wrong dial code gets a fix only when
the library's own entry is right, so the site changed it. A list that includes Kosovo
correctly gets no fix.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from checks.model import FieldKind, FieldVerdict, Fingerprint
from checks.recognize import ListReading
from checks.territory import Territory
from checks.text import clean_label, norm

MIN_COUNTRIES = 100
REPORT_AT = 0.97
FAMILY_AT = 0.99
NEAR = 0.03
EVIDENCE = 2
MAX_MEMBERS = 5
# The data speaks of Kosovo; for another territory a match is named without a fix.
DATA_TERRITORY = "XK"
PROBLEMS = {FieldVerdict.MISSING: "missing", FieldVerdict.LISTED_QUALIFIED: "qualified",
            FieldVerdict.WRONG_CODE: "wrong_code"}


@dataclass(frozen=True, slots=True)
class Library:
    id: str
    name: str
    kind: str
    fixes: dict[str, str]
    since: str | None
    code_since: str | None
    declared_since: str | None
    newest: str | None
    copies: str | None  # the public list it ships verbatim: never named alone


@dataclass(frozen=True, slots=True)
class Variant:
    library: Library
    versions: str
    codes: frozenset[str]
    labels: frozenset[str]
    family: str | None  # "iso3166-1", "iso3166-1+xk" or None
    kosovo_label: str | None
    kosovo_dial: str | None

    @property
    def has_kosovo(self) -> bool:
        return self.kosovo_label is not None


def _ranges(segments: Iterable[Iterable[str]], newest: str | None) -> str:
    parts = []
    for first, last in segments:
        text = first if first == last else f"{first} to {last}"
        parts.append(text)
    return ", ".join(parts)


def label_key(label: str) -> str:
    """A label as compared: without flags, dial codes and footnote marks, normalised."""
    return norm(clean_label(label))


@cache
def database() -> tuple[tuple[Variant, ...], dict[str, str]]:
    """Every known list and the family fixes, loaded once (empty when the file is absent)."""
    ref = resources.files("checks") / "data" / "platforms.json"
    try:
        raw: Any = json.loads(ref.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return (), {}
    lists = raw.get("lists", {})
    variants: list[Variant] = []
    for entry in raw.get("libraries", []):
        kosovo = entry.get("kosovo") or {}
        library = Library(
            id=entry["id"], name=entry["name"], kind=entry.get("kind", "country"),
            fixes=dict(entry.get("fixes") or {}), since=kosovo.get("since"),
            code_since=kosovo.get("code_since"), declared_since=kosovo.get("declared_since"),
            newest=(entry.get("releases") or {}).get("newest"), copies=entry.get("copies"))
        for variant in entry.get("variants", []):
            data = lists[variant["list"]]
            pairs = data["pairs"]
            found = variant.get("kosovo") or None
            variants.append(Variant(
                library=library, versions=_ranges(variant["segments"], library.newest),
                codes=frozenset(code for code, _ in pairs),
                labels=frozenset(label_key(label) for _, label in pairs),
                family=data.get("family"),
                kosovo_label=found["label"] if found else None,
                kosovo_dial=found.get("dial") if found else None))
    return tuple(variants), dict(raw.get("family") or {})


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


@dataclass(frozen=True, slots=True)
class _Scored:
    library: Library
    score: float
    variants: tuple[Variant, ...]  # the library's lists that score best (ties)


def _by_library(codes: frozenset[str], labels: frozenset[str]) -> list[_Scored]:
    best: dict[str, _Scored] = {}
    # Every list, whatever its kind: a dial-code picker labelled with country names (once the
    # dial codes are set aside) may copy a country list, and must be weighed against it.
    for variant in database()[0]:
        score = (_jaccard(codes, variant.codes) + _jaccard(labels, variant.labels)) / 2
        held = best.get(variant.library.id)
        if held is None or score > held.score + 1e-9:
            best[variant.library.id] = _Scored(variant.library, score, (variant,))
        elif abs(score - held.score) <= 1e-9:
            best[variant.library.id] = _Scored(variant.library, score,
                                               held.variants + (variant,))
    return sorted(best.values(), key=lambda s: (-s.score, s.library.id))


def _evidence(codes: frozenset[str], labels: frozenset[str], mine: Variant,
              theirs: Variant) -> int:
    """How many of the site's codes and spellings only ``mine`` has, not ``theirs``."""
    return len(codes & (mine.codes - theirs.codes)) + len(labels & (mine.labels - theirs.labels))


def _prevails(codes: frozenset[str], labels: frozenset[str], winner: _Scored,
              other: _Scored) -> bool:
    """The site's list agrees with ``winner`` wherever the two libraries' lists differ."""
    for mine in winner.variants:
        for theirs in other.variants:
            if _evidence(codes, labels, mine, theirs) < EVIDENCE \
                    or _evidence(codes, labels, theirs, mine) > 0:
                return False
    return True


@dataclass(frozen=True, slots=True)
class Attribution:
    """A match: one library, or (``family``) every library that ships the list alike."""

    scored: tuple[_Scored, ...]
    similarity: float
    family: bool

    @property
    def variants(self) -> tuple[Variant, ...]:
        return tuple(v for s in self.scored for v in s.variants)

    @property
    def copies(self) -> str | None:
        return next((s.library.copies for s in self.scored if s.library.copies), None)


@lru_cache(maxsize=4096)
def attribute(codes: frozenset[str], labels: frozenset[str]) -> Attribution | None:
    """The library (or family) a list of ``codes`` and label keys comes from, or ``None``."""
    ranked = _by_library(codes, labels)
    if not ranked or ranked[0].score < REPORT_AT:
        return None
    top = ranked[0]
    close = [s for s in ranked[1:] if s.score >= top.score - NEAR]
    if top.library.copies is None and all(_prevails(codes, labels, top, s) for s in close):
        return Attribution((top,), top.score, family=False)
    group = (top, *[s for s in close if not _prevails(codes, labels, top, s)])
    # A family is named only for a near-exact copy whose members all agree with the site's
    # list about Kosovo ("an ISO 3166-1 list without Kosovo" must lack it); else silence.
    site_has_kosovo = DATA_TERRITORY in codes
    if top.score < FAMILY_AT or {v.has_kosovo for s in group for v in s.variants} != {
            site_has_kosovo}:
        return None
    return Attribution(group, top.score, family=True)


# -- words ---------------------------------------------------------------------------------------

def _member(scored: _Scored) -> str:
    versions = ", ".join(dict.fromkeys(v.versions for v in scored.variants))
    return f"{scored.library.name} {versions}"


def describe(found: Attribution) -> str:
    """Plain words for a page or a letter."""
    if not found.family:
        return _member(found.scored[0])
    with_kosovo = found.variants[0].has_kosovo
    members = [_member(s) for s in found.scored]
    shown = members[:MAX_MEMBERS]
    more = len(members) - len(shown)
    tail = f" and {more} more" if more else ""
    if found.copies:
        kosovo = "with Kosovo" if with_kosovo else "without Kosovo"
        return (f"a copy of {found.copies} ({kosovo}), as shipped by {', '.join(shown)}{tail} "
                "and other packages")
    families = {v.family for v in found.variants}
    if families == {"iso3166-1"}:
        kind = "an ISO 3166-1 list (without Kosovo)"
    elif families == {"iso3166-1+xk"}:
        kind = "an ISO 3166-1 list with Kosovo (XK)"
    else:
        kind = "a list " + ("with Kosovo" if with_kosovo else "without Kosovo")
    return f"{kind} as shipped by {', '.join(shown)}{tail}"


def _library_fix(variants: tuple[Variant, ...], problem: str, present: bool) -> str | None:
    """The library's fix, when every list of it that matches tells the same story."""
    if len({(v.has_kosovo, v.kosovo_dial, label_key(v.kosovo_label or "")) for v in variants}
           ) != 1:
        return None
    variant = variants[0]
    library = variant.library
    values = {"name": library.name,
              "versions": ", ".join(dict.fromkeys(v.versions for v in variants)),
              "since": library.since or library.declared_since or "",
              "code_since": library.code_since or "", "label": variant.kosovo_label or ""}
    fixes = library.fixes
    if problem == "missing":
        if present:
            return None
        if variant.has_kosovo:
            key = "dropped"
        elif library.since or library.declared_since:
            key = "update"
        else:
            key = "add"
    elif problem == "qualified":
        key = "qualified" if variant.has_kosovo and label_key(
            variant.kosovo_label or "") == "kosovo" else ""
    elif problem == "wrong_code":
        if not variant.has_kosovo or variant.kosovo_dial is None:
            key = ""
        elif variant.kosovo_dial == "+383":
            key = "wrong_code"
        else:
            key = "code_update" if library.code_since else ""
    else:
        key = ""
    template = fixes.get(key)
    return _fill(template, values) if template else None


def _fill(template: str, values: dict[str, str]) -> str:
    """``{name}``-style placeholders filled; every other brace (code in a fix) kept."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


def _family_fix(found: Attribution, problem: str, present: bool) -> str | None:
    texts = database()[1]
    with_kosovo = found.variants[0].has_kosovo
    if problem == "missing" and not present:
        if with_kosovo:
            return texts.get("dropped")
        base = texts.get("missing")
        updates = [f"{s.library.name} from {s.library.since}" for s in found.scored
                   if s.library.since]
        if base and updates:
            base += " Of these, " + "; ".join(updates) + " include Kosovo in later releases."
        if base and len(found.scored) == 1:
            # One known package ships this copy: its own way out, for a site that uses it.
            own = _library_fix(found.scored[0].variants, problem, present)
            if own:
                base += f" If the site uses {found.scored[0].library.name}: {own}"
        return base
    if problem == "qualified" and with_kosovo:
        return texts.get("qualified")
    if problem == "wrong_code" and with_kosovo and all(
            v.kosovo_dial == "+383" for v in found.variants):
        return texts.get("wrong_code")
    return None


def fix_for(found: Attribution, problem: str, present: bool) -> str | None:
    """The fix for ``problem`` (``missing``, ``qualified``, ``wrong_code``); ``None`` for a
    list with nothing to fix or nothing the library explains."""
    if found.family:
        return _family_fix(found, problem, present)
    return _library_fix(found.scored[0].variants, problem, present)


def fingerprint(reading: ListReading, kind: FieldKind, terr: Territory,
                verdict: FieldVerdict | None = None) -> Fingerprint | None:
    """The attribution of one read list, with the fix for its ``verdict``'s problem."""
    if reading.country_count < MIN_COUNTRIES:
        return None
    codes = frozenset(c for c in reading.codes if c)
    labels = frozenset(label_key(o.label) for o, c in zip(reading.options, reading.codes,
                                                          strict=True) if c)
    found = attribute(codes, labels)
    if found is None:
        return None
    present = terr.code in codes
    problem = PROBLEMS.get(verdict) if verdict is not None else None
    fix = (fix_for(found, problem, present)
           if problem is not None and terr.code == DATA_TERRITORY else None)
    top = found.scored[0]
    return Fingerprint(
        source="family" if found.family else top.library.id,
        similarity=found.similarity, fix=fix, territory_present=present,
        name=describe(found),
        versions=None if found.family else ", ".join(
            dict.fromkeys(v.versions for v in top.variants)),
        members=tuple(_member(s) for s in found.scored) if found.family else ())
