"""What the world's country lists can contain: names in every language, codes, dial codes.

Loaded once from the generated ``data/names.json.gz`` (see ``data/build_names.py``).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from checks.text import norm, quick_key


@dataclass(frozen=True, slots=True)
class CountryIndex:
    names: dict[str, str]  # norm(name) → first region code
    quick: dict[str, str]  # quick_key(name) → region code, for the common exact case
    alpha2: frozenset[str]
    alpha3: dict[str, str]
    numeric: dict[str, str]
    historic: frozenset[str]
    cldr_names: dict[str, tuple[str, ...]]
    subdivision_codes: dict[str, frozenset[str]]
    subdivision_names: dict[str, str]
    dial: dict[str, str]  # region → dial code
    dial_codes: frozenset[str]
    sources: dict[str, str]

    def code_for_name(self, label: str) -> str | None:
        code = self.quick.get(quick_key(label))
        if code is None:
            code = self.names.get(norm(label))
        return code

    def code_for_code(self, text: str) -> str | None:
        """An ISO alpha-2, alpha-3 or numeric code (any case) → alpha-2."""
        t = text.strip()
        if len(t) == 2 and t.isalpha():
            up = t.upper()
            return up if up in self.alpha2 or up in self.historic else None
        if len(t) == 3:
            if t.isalpha():
                return self.alpha3.get(t.upper())
            if t.isdigit():
                return self.numeric.get(t)
        return None


def _read_data() -> dict[str, Any]:
    ref = resources.files("checks") / "data" / "names.json.gz"
    with ref.open("rb") as fh:
        data: dict[str, Any] = json.loads(gzip.decompress(fh.read()))
    return data


@cache
def index() -> CountryIndex:
    data = _read_data()
    names = {k: v.split(",", 1)[0] for k, v in data["names"].items()}
    quick: dict[str, str] = {}
    for code, variants in data["cldr_names"].items():
        for name in variants:
            quick.setdefault(quick_key(name), code)
    alpha2 = frozenset(data["alpha3"].values()) | frozenset(data["cldr_names"]) | {"XK"}
    return CountryIndex(
        names=names,
        quick=quick,
        alpha2=alpha2 - frozenset(data["historic"]),
        alpha3=dict(data["alpha3"]),
        numeric=dict(data["numeric"]),
        historic=frozenset(data["historic"]),
        cldr_names={k: tuple(v) for k, v in data["cldr_names"].items()},
        subdivision_codes={k: frozenset(v) for k, v in data["subdivision_codes"].items()},
        subdivision_names=dict(data["subdivision_names"]),
        dial=dict(data["dial"]),
        dial_codes=frozenset(data["dial"].values()),
        sources=dict(data["sources"]),
    )
