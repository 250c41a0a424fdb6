"""Which library or platform a site's country list probably comes from.

Many sites ship a library's default list unchanged. When a list matches one closely,
the activist can ask for a one-line fix upstream or in the site's settings
(django-countries' ``COUNTRIES_OVERRIDE``, WooCommerce's ``woocommerce_countries`` filter …).
Similarity is the mean of two Jaccard indexes: over region codes, and over the
spelling of the English labels (which is what tells libraries apart).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from checks.model import FieldKind, Fingerprint
from checks.recognize import ListReading
from checks.territory import Territory
from checks.text import clean_label, norm

MIN_COUNTRIES = 100
# Libraries derived from ISO 3166 agree on 93–99 % of codes and spellings, so only a
# near-exact match names a source; near-ties are reported together, never guessed apart.
REPORT_AT = 0.97
TIE = 0.01


@dataclass(frozen=True, slots=True)
class PlatformList:
    platform: str
    source: str
    kind: str
    codes: frozenset[str]
    labels: frozenset[str]
    fix: str | None


@cache
def platform_lists() -> tuple[PlatformList, ...]:
    ref = resources.files("checks") / "data" / "platforms.json"
    try:
        raw: Any = json.loads(ref.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ()
    entries = raw["platforms"] if isinstance(raw, dict) else raw
    out = []
    for e in entries:
        pairs = e.get("codes_and_labels") or []
        out.append(PlatformList(
            platform=e["platform"], source=e.get("source", ""), kind=e.get("kind", "country"),
            codes=frozenset(c.upper() for c, _ in pairs),
            labels=frozenset(norm(label) for _, label in pairs),
            fix=e.get("fix"),
        ))
    return tuple(out)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


@lru_cache(maxsize=4096)
def _best(codes: frozenset[str], labels: frozenset[str]) -> tuple[str, float, str | None] | None:
    scored = []
    for p in platform_lists():
        sim = (_jaccard(codes, p.codes) + _jaccard(labels, p.labels)) / 2
        scored.append((sim, p))
    if not scored:
        return None
    scored.sort(key=lambda sp: sp[0], reverse=True)
    top_sim, top = scored[0]
    if top_sim < REPORT_AT:
        return None
    tied = [p.platform for sim, p in scored if top_sim - sim < TIE]
    return " or ".join(tied), top_sim, top.fix


def fingerprint(reading: ListReading, kind: FieldKind, terr: Territory) -> Fingerprint | None:
    if reading.country_count < MIN_COUNTRIES:
        return None
    codes = frozenset(c for c in reading.codes if c)
    labels = frozenset(norm(clean_label(o.label)) for o, c in zip(reading.options, reading.codes,
                                                                  strict=True) if c)
    best = _best(codes, labels)
    if best is None:
        return None
    source, sim, fix = best
    return Fingerprint(source=source, similarity=sim, fix=fix,
                       territory_present=terr.code in codes)
