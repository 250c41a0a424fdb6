"""Build ``checks/data/platforms.json`` from the declared libraries and their releases.

For each library of ``libraries.toml``: ask its registry for every stable release, read a
spread of them (``sample``), then bisect between any two read releases whose lists differ
until the release that changed the list is found. Releases between two read ones with the
same list are taken to carry that list (a list that changed and changed back between two
read releases would be missed; the spread keeps that unlikely, and the docs say so). Each
distinct list becomes a *variant* with the release ranges that ship it, and the first
release with Kosovo (and, for phone pickers, with Kosovo at +383) is recorded, so a match
names the library and its releases and the fix can say "update to X or later".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xktracker.upstream import readers
from xktracker.upstream.archive import Archive
from xktracker.upstream.registry import REGISTRIES, RegistryError, version_key

HERE = Path(__file__).resolve().parent
DECLARED = HERE / "libraries.toml"
KEPT = HERE / "kept"
ROOT = HERE.parent.parent
OUT = ROOT / "checks" / "data" / "platforms.json"
DOCS = ROOT / "docs" / "upstream-lists.md"
DEFAULT_CACHE = Path("/tmp/xktracker-upstream-cache")
SCHEMA = 2
# Registries the packages of some well-known lists live on, which this machine cannot reach.
NOT_REACHED = (
    "rubygems.org (the countries gem: only the release Debian packages is read)",
    "Packagist (symfony/intl, Magento, PrestaShop: Symfony only as Debian packages it; "
    "Magento and PrestaShop not at all)",
    "WordPress.org (WooCommerce: one commit of its source, kept in the repository)",
)


@dataclass(frozen=True, slots=True)
class Library:
    id: str
    name: str
    registry: str
    package: str
    ecosystem: str
    kind: str
    note: str
    fixes: dict[str, str]
    reader: str | None = None
    sample: int = 12
    min_version: str | None = None
    since: str | None = None
    copies: str | None = None
    version: str | None = None
    source: str | None = None


def load_declared(path: Path = DECLARED) -> tuple[dict[str, Any], list[Library]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    defaults = data.get("defaults", {})
    libraries = []
    for entry in data["library"]:
        fixes = {**defaults.get("fixes", {}), **entry.pop("fixes", {})}
        libraries.append(Library(fixes=fixes, **entry))
    return defaults, libraries


# -- reading releases ------------------------------------------------------------------------

Signature = tuple[tuple[str, frozenset[tuple[str, str]]], ...]


def signature(read: readers.Read) -> Signature:
    """What makes two releases' lists the same: each rendering's set of pairs (order is
    not compared: the matcher compares sets) and the dial codes."""
    parts = [(name, frozenset(pairs)) for name, pairs in sorted(read.renderings.items())]
    parts.append(("dial", frozenset(read.dial_codes.items())))
    return tuple(parts)


@dataclass
class History:
    library: Library
    listed: list[str]
    read: dict[str, readers.Read] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # release → the name shown

    def name(self, version: str) -> str:
        return self.names.get(version, version)

    def get(self, version: str, fetch: Callable[[str], readers.Read]) -> readers.Read | None:
        if version in self.read:
            return self.read[version]
        if version in self.unreadable:
            return None
        try:
            found = fetch(version)
        except (readers.Unreadable, ValueError, KeyError, TypeError, AttributeError, IndexError,
                RegistryError) as exc:
            self.unreadable[version] = f"{type(exc).__name__}: {exc}"[:200]
            return None
        self.read[version] = found
        return found


def upstream_version(debian: str) -> str:
    """``5.4.53+dfsg-0+deb12u1`` → ``5.4.53``: the upstream part of a Debian version."""
    version = debian.split(":", 1)[-1]
    if "-" in version:
        version = version.rsplit("-", 1)[0]
    return re.split(r"[+~]", version, maxsplit=1)[0]


def _spread(count: int, size: int) -> list[int]:
    if size <= count:
        return list(range(size))
    step = (size - 1) / (count - 1)
    return sorted({round(i * step) for i in range(count)})


def _bisect(history: History, low: int, high: int,
            fetch: Callable[[str], readers.Read]) -> None:
    """Read releases between ``low`` and ``high`` (both read, lists differ) until every
    change between them sits between two adjacent releases."""
    versions = history.listed
    while high - low > 1:
        middle = (low + high) // 2
        probe = None
        # An unreadable release in between: try its neighbours before giving up.
        for candidate in sorted(range(low + 1, high), key=lambda i: abs(i - middle)):
            if history.get(versions[candidate], fetch) is not None:
                probe = candidate
                break
        if probe is None:
            return
        mine = signature(history.read[versions[probe]])
        if mine == signature(history.read[versions[low]]):
            low = probe
        elif mine == signature(history.read[versions[high]]):
            high = probe
        else:
            _bisect(history, low, probe, fetch)
            low = probe


def read_history(library: Library, cache: Path, log: Callable[[str], None]) -> History:
    if library.registry == "kept":
        kept = json.loads((KEPT / f"{library.id}.json").read_text(encoding="utf-8"))
        pairs = [(c, label) for c, label in kept["codes_and_labels"]]
        version = str(kept["version"])
        history = History(library, [version])
        history.read[version] = readers._one(pairs)
        return history
    if library.registry == "installed":
        module = importlib.import_module(library.package)
        version = str(module.__version__)
        territories = module.Locale("en").territories
        pairs = [(code, territories[code]) for code in sorted(territories)
                 if len(code) == 2 and code.isalpha()
                 and code not in {"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"}]
        history = History(library, [version])
        history.read[version] = readers._one(pairs)
        return history
    registry = REGISTRIES[library.registry]
    listed = registry.versions(library.package)
    if library.min_version:
        floor = version_key(library.min_version)
        listed = [v for v in listed if version_key(v) >= floor]
    if not listed:
        raise RegistryError(f"{library.package}: no release listed")
    history = History(library, listed)
    assert library.reader is not None
    read = readers.READERS[library.reader]

    def fetch(version: str) -> readers.Read:
        return read(Archive(registry.fetch(library.package, version, cache).path))

    if library.registry == "deb":
        # Named by the upstream release ("5.4.53"), which is what a developer knows; the
        # Debian package version is fetched.
        history.names = {v: upstream_version(v) for v in listed}

    for index in _spread(library.sample, len(listed)):
        history.get(listed[index], fetch)
    known = [i for i, v in enumerate(listed) if v in history.read]
    for before, after in zip(known, known[1:], strict=False):
        if signature(history.read[listed[before]]) != signature(history.read[listed[after]]):
            _bisect(history, before, after, fetch)
    log(f"{library.id}: {len(listed)} releases, read {len(history.read)}, "
        f"unreadable {len(history.unreadable)}")
    return history


# -- the document ----------------------------------------------------------------------------

def _list_id(pairs: list[tuple[str, str]], dial: dict[str, str]) -> str:
    text = json.dumps([sorted(pairs), sorted(dial.items())], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _first_of_final_run(ordered: list[str], has: Callable[[str], bool]) -> str | None:
    """The first release of the last unbroken run of releases that have the property, when
    that run reaches the newest release read (``None`` when the newest lacks it)."""
    since = None
    for version in ordered:
        if has(version):
            since = since or version
        else:
            since = None
    return since


def library_entry(history: History, lists: dict[str, Any]) -> dict[str, Any]:
    library = history.library
    ordered = [v for v in history.listed if v in history.read]
    variants: dict[tuple[str, str], dict[str, Any]] = {}
    previous: dict[str, str] = {}
    for version in ordered:
        found = history.read[version]
        for rendering, pairs in sorted(found.renderings.items()):
            dial = {c: d for c, d in found.dial_codes.items() if c in {p[0] for p in pairs}}
            key = _list_id(pairs, dial)
            lists.setdefault(key, {"pairs": [list(p) for p in sorted(set(pairs))],
                                   "dial": dict(sorted(dial.items())),
                                   "family": family_of({c for c, _ in pairs})})
            variant = variants.setdefault((rendering, key), {
                "rendering": rendering, "list": key, "segments": [],
                "kosovo": _kosovo(pairs, dial)})
            shown = history.name(version)
            if previous.get(rendering) == key and variant["segments"]:
                variant["segments"][-1][1] = shown
            else:
                variant["segments"].append([shown, shown])
            previous[rendering] = key

    def has_xk(version: str) -> bool:
        return any(code == "XK" for pairs in history.read[version].renderings.values()
                   for code, _ in pairs)

    def has_383(version: str) -> bool:
        return history.read[version].dial_codes.get("XK") == "+383"

    since = _first_of_final_run(ordered, has_xk)
    code_since = _first_of_final_run(ordered, has_383) if library.kind == "phone" else None
    if since is not None and since == ordered[0] and library.since:
        since = None  # present in every release read, but declared to come later upstream
    entry: dict[str, Any] = {
        "id": library.id, "name": library.name, "package": library.package,
        "registry": library.registry, "ecosystem": library.ecosystem, "kind": library.kind,
        "note": library.note,
        "releases": {"listed": len(history.listed),
                     "read": [history.name(v) for v in ordered],
                     "unreadable": [history.name(v) for v in
                                    sorted(history.unreadable, key=version_key)],
                     "newest": history.name(ordered[-1]) if ordered else None},
        "kosovo": {"in_newest": bool(ordered) and has_xk(ordered[-1]),
                   "since": history.name(since) if since and since != ordered[0] else None,
                   "in_every_release_read": bool(ordered) and all(has_xk(v) for v in ordered),
                   "code_since": history.name(code_since)
                   if code_since and code_since != ordered[0] else None,
                   "declared_since": library.since},
        "fixes": library.fixes,
        "variants": list(variants.values()),
    }
    if library.source:
        entry["source"] = library.source
    if library.copies:
        entry["copies"] = library.copies
    return entry


def family_of(codes: set[str]) -> str | None:
    """``iso3166-1`` for exactly the assigned ISO 3166-1 codes, ``iso3166-1+xk`` for those
    and XK: the lists many libraries share, told apart only by their spellings."""
    import pycountry

    iso = {c.alpha_2 for c in pycountry.countries}
    if codes == iso:
        return "iso3166-1"
    if codes == iso | {"XK"}:
        return "iso3166-1+xk"
    return None


def _kosovo(pairs: list[tuple[str, str]], dial: dict[str, str]) -> dict[str, Any] | None:
    for code, label in pairs:
        if code == "XK":
            return {"label": label, "dial": dial.get("XK")}
    return None


def build(cache: Path, only: set[str] | None, log: Callable[[str], None],
          previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole document. Libraries not in ``only`` (when given) are kept from
    ``previous`` as they are."""
    defaults, libraries = load_declared()
    lists: dict[str, Any] = {}
    entries = []
    kept = {e["id"]: e for e in (previous or {}).get("libraries", [])}
    for library in libraries:
        if only is not None and library.id not in only and library.id in kept:
            entry = kept[library.id]
            entry["fixes"] = library.fixes
            for variant in entry["variants"]:
                lists[variant["list"]] = previous["lists"][variant["list"]]  # type: ignore[index]
            entries.append(entry)
            continue
        history = read_history(library, cache, log)
        entries.append(library_entry(history, lists))
    return {"generated": dt.date.today().isoformat(), "schema": SCHEMA,
            "not_reached": list(NOT_REACHED), "family": defaults.get("family", {}),
            "libraries": entries, "lists": dict(sorted(lists.items()))}


# -- checks and output -----------------------------------------------------------------------

_MARKUP = re.compile(r"`|\*\*|\bunknown\b|TODO", re.I)


def validate(doc: Any) -> list[str]:
    """Problems with a document; empty when it is fine."""
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        return [f"not a schema-{SCHEMA} platforms document"]
    problems: list[str] = []
    known = readers.known_codes()
    seen: set[str] = set()
    for entry in doc["libraries"]:
        name = entry.get("id")
        if name in seen:
            problems.append(f"duplicate library {name!r}")
        seen.add(name)
        if entry.get("kind") not in ("country", "phone"):
            problems.append(f"{name}: kind must be country or phone")
        if not entry.get("variants"):
            problems.append(f"{name}: no list read")
        for key, text in entry.get("fixes", {}).items():
            if _MARKUP.search(text):
                problems.append(f"{name}: fix {key!r} is not plain text")
        for variant in entry.get("variants", []):
            if variant["list"] not in doc["lists"]:
                problems.append(f"{name}: variant list {variant['list']} is missing")
    for key, data in doc["lists"].items():
        codes = [c for c, _ in data["pairs"]]
        if sorted(set(codes)) != sorted(codes):
            problems.append(f"list {key}: duplicated codes")
        odd = sorted(set(codes) - known)
        if odd:
            problems.append(f"list {key}: unknown codes {odd}")
    return problems


def dump(doc: dict[str, Any]) -> str:
    """One library and one list per line: readable diffs."""
    libraries = ",\n".join(json.dumps(e, ensure_ascii=False, separators=(",", ":"))
                           for e in doc["libraries"])
    lists = ",\n".join(f"{json.dumps(k)}:{json.dumps(v, ensure_ascii=False, separators=(',', ':'))}"
                       for k, v in doc["lists"].items())
    head = {k: v for k, v in doc.items() if k not in ("libraries", "lists")}
    return (json.dumps(head, ensure_ascii=False)[:-1] + ',\n"libraries":[\n' + libraries
            + '\n],\n"lists":{\n' + lists + "\n}}\n")
