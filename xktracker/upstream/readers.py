"""How to read each library's default country list out of one of its releases.

A reader gets an :class:`~xktracker.upstream.archive.Archive` and returns the list as the
library hands it to a page, ``[(code, English label), …]``, under one or more *renderings*
(pycountry's ``name`` and its ``common_name``; ``""`` for the only one), with the dial codes
for phone pickers. It raises :class:`Unreadable` when the release holds no list it knows
how to read (a very old layout): that release is then reported as not read, never guessed.

Readers parse data files (JSON, Python literals through :mod:`ast`, plain JavaScript
literals through :func:`js_literal`); no package code is run.
"""

from __future__ import annotations

import ast
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from xml.etree import ElementTree as ET

from xktracker.upstream.archive import Archive

Pairs = list[tuple[str, str]]


class Unreadable(ValueError):
    """This release holds no country list in a layout the reader knows."""


@dataclass(frozen=True, slots=True)
class Read:
    """A release's list: ``renderings`` maps a rendering name to its pairs."""

    renderings: dict[str, Pairs]
    dial_codes: dict[str, str] = field(default_factory=dict)


@cache
def known_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, current and withdrawn (AN, CS, YU …: old lists carry them),
    plus XK and the exceptionally reserved codes that CLDR and libphonenumber use. Entries
    with any other code (AB for Abkhazia in a widget's locale file) are not list entries."""
    import pycountry as installed

    current = {c.alpha_2 for c in installed.countries}
    withdrawn = {c.alpha_2 for c in installed.historic_countries}
    return frozenset(current | withdrawn | EXTRA_CODES)


EXTRA_CODES = frozenset({"XK", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"})


def _one(pairs: Pairs, dial: dict[str, str] | None = None) -> Read:
    known = known_codes()
    clean: Pairs = []
    seen: set[str] = set()
    for code, label in pairs:
        code = (code or "").upper()
        if code not in known and "kosov" in str(label).casefold():
            code = "XK"  # Kosovo under an odd code (KS, KV): still Kosovo, in the list
        if code in known and label and code not in seen:  # a repeated code: the first
            seen.add(code)
            clean.append((code, " ".join(str(label).split())))
    if len(clean) < 100:
        raise Unreadable(f"only {len(clean)} entries")
    return Read({"": clean}, dict(dial or {}))


# -- JavaScript literals ----------------------------------------------------------------------

_JS_TOKEN = re.compile(r"""
    (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<key>[A-Za-z_$][A-Za-z0-9_$]*)(?=\s*:)
  | (?P<comma>,)(?=\s*[\]}])
  | (?P<other>.)
""", re.S | re.X)


def js_literal(text: str) -> Any:
    """A JavaScript object or array literal (single quotes, bare keys, comments, trailing
    commas) as Python data, by rewriting it to JSON. Anything else raises ValueError."""
    out: list[str] = []
    for match in _JS_TOKEN.finditer(text):
        kind = match.lastgroup
        token = match.group()
        if kind == "comment" or kind == "comma":
            continue
        if kind == "string":
            body = token[1:-1]
            if token.startswith("'"):
                body = body.replace("\\'", "'").replace('"', '\\"')
            # JavaScript's \xHH escapes are not JSON's.
            body = re.sub(r"\\x([0-9A-Fa-f]{2})", r"\\u00\1", body)
            out.append(f'"{body}"')
        elif kind == "key":
            out.append(f'"{token}"')
        else:
            out.append(token)
    return json.loads("".join(out))


def _balanced(text: str, start: int) -> str:
    """The bracketed literal that opens at ``text[start]`` (strings and comments skipped)."""
    opening = text[start]
    closing = {"[": "]", "{": "}"}[opening]
    depth = 0
    position = start
    while position < len(text):
        char = text[position]
        if char in "\"'":
            end = position + 1
            while end < len(text) and text[end] != char:
                end += 2 if text[end] == "\\" else 1
            position = end
        elif text.startswith("//", position):
            position = text.find("\n", position)
            if position < 0:
                break
        elif char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return text[start:position + 1]
        position += 1
    raise Unreadable("unbalanced literal")


def _literal_after(text: str, pattern: str) -> Any:
    match = re.search(pattern, text)
    if not match:
        raise Unreadable(f"no {pattern!r}")
    start = match.end() - 1
    return js_literal(_balanced(text, start))


# -- npm --------------------------------------------------------------------------------------

def i18n_iso_countries(a: Archive) -> Read:
    inner = a.find("langs/en.json", "en.json")
    if inner is not None:
        data = a.json(inner)
    else:
        inner = a.find("en.js")
        if inner is None:
            raise Unreadable("no English names")
        data = _literal_after(a.text(inner), r"(?:=|exports)\s*\{")
    names = data.get("countries", data) if isinstance(data, dict) else {}
    return _one([(c, n[0] if isinstance(n, list) else str(n)) for c, n in names.items()])


def countries_list(a: Archive) -> Read:
    inner = a.find("countries.min.json", "countries.json", "dist/countries.min.json",
                   "dist/countries.json", "dist/data.json", "data/countries.json")
    if inner is None:
        raise Unreadable("no countries file")
    data = a.json(inner)
    records = data.get("countries", data) if isinstance(data, dict) else {}
    return _one([(c, r["name"] if isinstance(r, dict) else str(r)) for c, r in records.items()])


def world_countries(a: Archive) -> Read:
    inner = a.find("countries.json", "dist/countries.json")
    if inner is None:
        raise Unreadable("no countries.json")
    pairs = []
    for record in a.json(inner):
        name = record.get("name")
        label = name.get("common") if isinstance(name, dict) else name
        pairs.append((str(record.get("cca2") or ""), str(label or "")))
    return _one(pairs)


_ITI_COMMENTED = re.compile(r'\[\s*"([a-z]{2})",\s*//\s*([^\n]+?)\s*\n\s*"(\d+)"')


def intl_tel_input(a: Archive) -> Read:
    """Old releases: ``allCountries = [["Afghanistan (‫افغانستان‬‎)", "af", "93"], …]``
    inside the plugin; later ``data.js`` with the English name in a comment; the newest
    keep names in ``i18n/en/countries.js`` (what the picker shows)."""
    candidates = [n for n in a.names() if re.search(r"(^|/)(data|intlTelInput)\.js$", n)
                  and "example" not in n and "/i18n/" not in n]
    candidates.sort(key=lambda n: ("data.js" not in n, "src/" in n, n))
    names_files = [n for n in a.names()
                   if re.search(r"build/js/i18n/en/(countries|interface)\.(js|mjs)$", n)]
    names_file = names_files[0] if names_files else None

    def english() -> dict[str, str]:
        # The plugin merges both files ("xk": "Kosovo" sat in interface.js for a while).
        merged: dict[str, str] = {}
        for inner in names_files:
            try:
                merged.update(_literal_after(a.text(inner), r"(?:=|default)\s*\{"))
            except (Unreadable, ValueError):
                continue
        return merged

    for inner in candidates:
        text = a.text(inner)
        rows = _ITI_COMMENTED.findall(text)
        if len(rows) >= 100:
            pairs = [(code, label) for code, label, _ in rows]
            dial = {code.upper(): "+" + number for code, _, number in rows}
            if names_file is not None:
                named = english()
                pairs = [(code, str(named.get(code, label))) for code, label in pairs]
            return _one(pairs, dial)
        for variable in ("rawCountryData", "allCountries"):
            if variable not in text:
                continue
            try:
                data = _literal_after(text, variable + r"\s*=\s*\[")
            except (Unreadable, ValueError):
                continue
            rows = [r for r in data if isinstance(r, list) and len(r) >= 2]
            named = english() if names_file is not None else {}
            pairs, dial = [], {}
            for row in rows:
                if isinstance(row[0], str) and re.fullmatch(r"[a-z]{2}", row[0]):
                    code, number, label = row[0], str(row[1]), named.get(row[0], "")
                else:
                    label, code, number = str(row[0]), str(row[1]), str(row[2])
                pairs.append((code, label))
                dial[code.upper()] = "+" + number
            return _one(pairs, dial)
    raise Unreadable("no allCountries data")


def libphonenumber_js(a: Archive) -> Read:
    inner = a.find("metadata.min.json", "build/metadata.min.json", "metadata.full.json")
    if inner is None:
        raise Unreadable("no metadata")
    countries = a.json(inner).get("countries") or {}
    dial = {code: "+" + str(record[0]) for code, record in countries.items()
            if isinstance(record, list) and record}
    return _one([(code, number) for code, number in sorted(dial.items())], dial)


def country_list(a: Archive) -> Read:
    inner = a.find("data.json", "dist/data.json")
    if inner is None:
        raise Unreadable("no data.json")
    return _one([(r["code"], r["name"]) for r in a.json(inner)])


def country_region_data(a: Archive) -> Read:
    inner = a.find("data.json", "dist/data.json", suffix="data.json")
    if inner is None:
        raise Unreadable("no data.json")
    pairs: Pairs = []
    for record in a.json(inner):
        if isinstance(record, dict):
            pairs.append((record.get("countryShortCode", ""), record.get("countryName", "")))
        elif isinstance(record, list) and len(record) >= 2:
            pairs.append((str(record[1]), str(record[0])))
    return _one(pairs)


def react_select_country_list(a: Archive) -> Read:
    inner = a.find("data.json", "dist/data.json")
    if inner is None:
        raise Unreadable("no data.json")
    return _one([(r["value"], r["label"]) for r in a.json(inner)])


_CT_BLOCK = re.compile(r"countries\"?:\s*\{")


def countries_and_timezones(a: Archive) -> Read:
    inner = a.find("src/data.json", "data.json", "dist/data.json")
    if inner is not None:
        data = a.json(inner).get("countries") or {}
        return _one([(c, r if isinstance(r, str) else r.get("name", ""))
                     for c, r in data.items()])
    inner = a.find("dist/index.js", "esm/index.js", "dist/index.mjs")
    if inner is None:
        raise Unreadable("no countries table")
    table = _literal_after(a.text(inner), r"(?:countries\"?\s*:|countries\$1\s*=)\s*\{")
    return _one([(c, r if isinstance(r, str) else r.get("name", "")) for c, r in table.items()])


def react_phone_number_input(a: Archive) -> Read:
    """The widget's options are libphonenumber-js' regions labelled from ``locale/en.json``
    (``default.json`` in old releases); the locale's country keys are that set."""
    inner = a.find("locale/en.json", "locale/en.json.js", "locale/default.json")
    if inner is None:
        raise Unreadable("no English locale")
    labels = a.json(inner)
    pairs = [(code, str(label)) for code, label in labels.items()
             if re.fullmatch(r"[A-Z]{2}", code) and code != "ZZ"]
    return _one(pairs)


def country_state_city(a: Archive) -> Read:
    inner = next((n for n in a.names() if re.search(r"(^|/)country\.json$", n)
                  and "/esm/" not in n), None)
    if inner is None:
        raise Unreadable("no country.json")
    return _one([(r.get("isoCode") or r.get("sortname") or "", r.get("name") or "")
                 for r in a.json(inner)])


_ISO_ROW = re.compile(
    r"""country:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*,\s*alpha2:\s*'([A-Z]{2})'""")


def iso_3166_1(a: Archive) -> Read:
    inner = a.find("dist/iso-3166.js", "src/iso-3166.js", suffix="iso-3166.js")
    if inner is None:
        raise Unreadable("no iso-3166.js")
    rows = _ISO_ROW.findall(a.text(inner))
    return _one([(code, re.sub(r"\\(.)", r"\1", single or double))
                 for single, double, code in rows])


# -- PyPI -------------------------------------------------------------------------------------

def _py_member(a: Archive, module: str) -> str:
    inner = next((n for n in a.names() if n.endswith(module)
                  and "/tests/" not in n and "/test/" not in n), None)
    if inner is None:
        raise Unreadable(f"no {module}")
    return a.text(inner)


def _ast_dict(source: str, name: str) -> dict[str, str]:
    """A module- or class-level ``NAME = {"XX": _("Label"), …}`` (or a tuple of pairs)."""
    for node in ast.walk(ast.parse(source)):
        target = value = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if not (isinstance(target, ast.Name) and target.id == name) or value is None:
            continue
        out: dict[str, str] = {}
        if isinstance(value, ast.Dict):
            items = list(zip(value.keys, value.values, strict=True))
        elif isinstance(value, ast.Tuple | ast.List):
            items = [(e.elts[0], e.elts[1]) for e in value.elts
                     if isinstance(e, ast.Tuple) and len(e.elts) == 2]
        else:
            continue
        for key, val in items:
            if isinstance(val, ast.Call) and val.args:
                val = val.args[0]
            if isinstance(key, ast.Constant) and isinstance(val, ast.Constant):
                out[str(key.value)] = str(val.value)
        return out
    raise Unreadable(f"no {name}")


def django_countries(a: Archive) -> Read:
    """``COUNTRIES`` from ``data.py`` with the ``COMMON_NAMES`` the package applies by
    default (``COUNTRIES_COMMON_NAMES = True``): what a form shows."""
    names = _ast_dict(_py_member(a, "django_countries/data.py"), "COUNTRIES")
    for module in ("django_countries/base.py", "django_countries/__init__.py"):
        try:
            names.update(_ast_dict(_py_member(a, module), "COMMON_NAMES"))
            break
        except Unreadable:
            continue
    return _one(list(names.items()))


def pycountry(a: Archive) -> Read:
    """Two renderings: ``name`` (what most code shows) and ``common_name`` where there is one."""
    inner = next((n for n in a.names() if n.endswith("databases/iso3166-1.json")), None)
    records: list[dict[str, str]] = []
    if inner is not None:
        records = a.json(inner)["3166-1"]
    else:
        inner = next((n for n in a.names() if n.endswith("databases/iso3166.xml")), None)
        if inner is None:
            raise Unreadable("no ISO 3166 database")
        root = ET.fromstring(a.text(inner).encode("utf-8"))
        for entry in root.iter("iso_3166_entry"):
            if entry.get("alpha_2_code"):
                records.append({"alpha_2": entry.get("alpha_2_code", ""),
                                "name": entry.get("name", ""),
                                "common_name": entry.get("common_name", "")})
    name = [(r["alpha_2"], r["name"]) for r in records]
    common = [(r["alpha_2"], r.get("common_name") or r["name"]) for r in records]
    read = _one(name)
    if common != name:
        read.renderings["common_name"] = _one(common).renderings[""]
    return read


def phonenumbers(a: Archive) -> Read:
    source = _py_member(a, "phonenumbers/data/__init__.py")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "_COUNTRY_CODE_TO_REGION_CODE"
                for t in node.targets):
            table = ast.literal_eval(node.value)
            dial: dict[str, str] = {}
            for number, regions in table.items():
                for region in regions:
                    if region != "001":
                        dial.setdefault(region, f"+{number}")
            return _one([(code, number) for code, number in sorted(dial.items())], dial)
    raise Unreadable("no _COUNTRY_CODE_TO_REGION_CODE")


# -- Debian -----------------------------------------------------------------------------------

def iso_codes(a: Archive) -> Read:
    inner = a.find("usr/share/iso-codes/json/iso_3166-1.json")
    if inner is None:
        raise Unreadable("no iso_3166-1.json")
    return _one([(r["alpha_2"], r["name"]) for r in a.json(inner)["3166-1"]])


_PHP_ROW = re.compile(r"'([A-Z]{2})'\s*=>\s*'((?:[^'\\]|\\.)*)'")


def symfony_intl(a: Archive) -> Read:
    inner = next((n for n in a.names() if n.endswith("Intl/Resources/data/regions/en.php")),
                 None)
    if inner is None:
        raise Unreadable("no regions/en.php")
    names = a.text(inner).split("'Names'", 1)[1]
    return _one([(c, re.sub(r"\\(.)", r"\1", label)) for c, label in _PHP_ROW.findall(names)])


def ruby_countries(a: Archive) -> Read:
    inner = next((n for n in a.names() if n.endswith("countries/cache/locales/en.json")), None)
    if inner is None:
        raise Unreadable("no cache/locales/en.json")
    return _one(list(a.json(inner).items()))


def fold(label: str) -> str:
    decomposed = unicodedata.normalize("NFKD", label)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


READERS: dict[str, Callable[[Archive], Read]] = {
    f.__name__: f for f in (
        i18n_iso_countries, countries_list, world_countries, intl_tel_input,
        libphonenumber_js, country_list, country_region_data, react_select_country_list,
        countries_and_timezones, react_phone_number_input, country_state_city, iso_3166_1,
        django_countries, pycountry, phonenumbers, iso_codes, symfony_intl, ruby_countries)
}
