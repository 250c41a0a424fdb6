#!/usr/bin/env python3
"""Rebuild ``checks/data/platforms.json``: the default country lists of platforms and libraries.

xktracker compares the list of codes a site offers in its country drop-down with each of
these lists; a close match suggests which upstream library the site's list comes from, and
the entry's ``fix`` tells the site's developer how to add Kosovo (XK) with that library.

Output shape::

    {"generated": "YYYY-MM-DD",
     "platforms": [{"platform", "package", "version", "source", "ecosystem", "kind",
                    "codes_and_labels": [[alpha2, label], ...], "kosovo": {present, code, label},
                    "fix", "note", ("dial_codes": {alpha2: "+NNN"})}, ...]}

``codes_and_labels`` keeps the order in which the library hands the list to a page (its
data-file order, or the order its "all countries" call returns, as each note says).

How each entry was obtained
---------------------------
Entries are rebuilt from a *sources* directory (``--sources``, default
``$XK_PLATFORM_SOURCES`` or ``/tmp/xktracker-platform-sources``) laid out as::

    npm/NAME-VERSION.tgz     `npm pack NAME`           (read in place with tarfile)
    pypi/*.whl               `pip download --no-deps`  (read in place with zipfile)
    deb/*.deb                `apt-get download NAME`   (read in place: ar + tar)

``--fetch`` fills that directory with the packages named below (and only those), using the
ordinary clients. When several versions of a package are present the highest is used.

=========================  ==========================================================
entry                      where the list is read
=========================  ==========================================================
WooCommerce                woocommerce/woocommerce ``i18n/countries.php`` at a commit;
                           not on a registry we reach, so always kept from the JSON
i18n-iso-countries         npm tarball, ``langs/en.json`` (first name when an array)
countries-list             npm tarball, ``countries.min.json`` (``name``)
world-countries            npm tarball, ``countries.json`` (``cca2``, ``name.common``)
intl-tel-input             npm tarball, ``dist/js/data.js`` (code, English comment, dial)
libphonenumber-js          npm tarball, ``metadata.min.json`` (region, calling code)
phonenumbers               installed module, ``COUNTRY_CODE_TO_REGION_CODE``
django-countries           installed package or wheel, ``data.py``/``base.py`` parsed
                           with :mod:`ast` (Django is not needed)
pycountry                  installed module, ``pycountry.countries``
CLDR English (Babel)       installed module, ``Locale("en").territories``
country-list               npm tarball, ``data.json``
country-region-data        npm tarball, ``data.json`` (``countryShortCode``)
react-select-country-list  npm tarball, ``data.json``
countries-and-timezones    npm tarball, ``dist/index.js`` (its ``countries`` table)
react-phone-number-input   npm tarballs of it and of libphonenumber-js:
                           ``getCountries()`` = metadata regions, labels from
                           ``locale/en.json``, sorted as the widget does
country-state-city         npm tarball, ``lib/assets/country.json``
iso-3166-1                 npm tarball, ``dist/iso-3166.js``
Debian iso-codes           ``/usr/share/iso-codes/json/iso_3166-1.json`` (installed
                           package; version from dpkg-query) or ``deb/iso-codes_*.deb``
Symfony Intl               ``deb/php-symfony-intl_*.deb``,
                           ``Resources/data/regions/en.php`` sorted like
                           ``Countries::getNames()``
Ruby countries gem         ``deb/ruby-countries_*.deb``, ``cache/locales/en.json``
                           sorted like ``ISO3166::Country.all_names_with_codes``
=========================  ==========================================================

An entry whose source is absent is kept from the existing JSON (its ``fix``/``note`` text is
still refreshed from this file). Three lists are sorted by label the way the library sorts
them at run time: ICU collation (``Intl.Collator`` through ``node`` when it is on PATH, else
an accent-folding approximation) for Symfony and react-phone-number-input, and
django-countries' own fallback key (ASCII-folded name) for django-countries.

Usage::

    python checks/data/build_platforms.py [--sources DIR] [--fetch] [--check] [--write-docs]
                                          [--seed OLD_LIST.json]

``--check`` only validates the existing JSON (loads, codes are valid, names unique).
"""

from __future__ import annotations

import argparse
import ast
import datetime as _dt
import importlib
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "platforms.json"
DOCS = HERE.parent.parent / "docs" / "upstream-lists.md"
DEFAULT_SOURCES = Path(os.environ.get("XK_PLATFORM_SOURCES", "/tmp/xktracker-platform-sources"))

Pairs = list[list[str]]
Entry = dict[str, Any]

# Codes that are not officially assigned ISO 3166-1 alpha-2 elements but that real lists
# carry: XK (user-assigned, Kosovo) and the "exceptionally reserved" elements that CLDR and
# libphonenumber use (Ascension, Clipperton, Sark, Diego Garcia, Ceuta & Melilla, Canaries,
# Tristan da Cunha).
EXTRA_CODES = frozenset({"XK", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"})


# ----------------------------------------------------------------------------- helpers


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version))


def _latest(directory: Path, pattern: str) -> tuple[Path, str] | None:
    """Highest-version file in ``directory`` whose name fully matches ``pattern``.

    ``pattern`` must have one group, the version.
    """
    if not directory.is_dir():
        return None
    found: list[tuple[tuple[int, ...], Path, str]] = []
    for path in directory.iterdir():
        m = re.fullmatch(pattern, path.name)
        if m:
            found.append((_version_key(m.group(1)), path, m.group(1)))
    if not found:
        return None
    found.sort()
    return found[-1][1], found[-1][2]


class NpmTarball:
    """An ``npm pack`` tarball, read in place."""

    def __init__(self, path: Path, name: str, version: str) -> None:
        self.path, self.name, self.version = path, name, version
        self._tar = tarfile.open(path, "r:gz")

    @classmethod
    def find(cls, sources: Path, name: str) -> NpmTarball | None:
        hit = _latest(sources / "npm", re.escape(name) + r"-(\d[0-9A-Za-z.+-]*)\.tgz")
        return cls(hit[0], name, hit[1]) if hit else None

    def text(self, inner: str) -> str:
        member = self._tar.extractfile("package/" + inner)
        if member is None:
            raise FileNotFoundError(inner)
        return member.read().decode("utf-8")

    def json(self, inner: str) -> Any:
        return json.loads(self.text(inner))

    def source(self, inner: str) -> str:
        return f"npm:{self.name}@{self.version} {inner}"


def _read_deb(path: Path) -> dict[str, bytes]:
    """Files of a .deb's data archive, keyed by path without the leading ``./``."""
    blob = path.read_bytes()
    if not blob.startswith(b"!<arch>\n"):
        raise ValueError(f"{path} is not an ar archive")
    pos, data = 8, None
    while pos + 60 <= len(blob):
        header = blob[pos:pos + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        body = blob[pos + 60:pos + 60 + size]
        if name.startswith("data.tar"):
            data = body
            break
        pos += 60 + size + (size % 2)
    if data is None:
        raise ValueError(f"{path} has no data.tar")
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
        for member in tar.getmembers():
            if member.isfile():
                handle = tar.extractfile(member)
                if handle is not None:
                    files[member.name.removeprefix("./")] = handle.read()
    return files


def _deb(sources: Path, package: str) -> tuple[Path, str] | None:
    return _latest(sources / "deb", re.escape(package) + r"_([^_]+)_[a-z0-9]+\.deb")


def _fold(label: str) -> str:
    decomposed = unicodedata.normalize("NFKD", label)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _icu_sorted(pairs: Pairs, locale: str = "en") -> tuple[Pairs, str]:
    """Sort ``[code, label]`` pairs by label with ICU collation when node is available."""
    node = shutil.which("node")
    if node:
        script = (
            "const p=JSON.parse(require('fs').readFileSync(0,'utf8'));"
            f"const c=new Intl.Collator({json.dumps(locale)});"
            "p.sort((a,b)=>c.compare(a[1],b[1]));process.stdout.write(JSON.stringify(p));"
        )
        try:
            run = subprocess.run([node, "-e", script], input=json.dumps(pairs), text=True,
                                 capture_output=True, check=True, timeout=60)
            return [list(p) for p in json.loads(run.stdout)], "ICU collation via node Intl.Collator"
        except (OSError, subprocess.SubprocessError, ValueError):
            pass
    return sorted(pairs, key=lambda p: _fold(p[1])), "accent-folded approximation of ICU order"


def _kosovo(pairs: Pairs) -> dict[str, Any]:
    for code, label in pairs:
        if code == "XK":
            return {"present": True, "code": "XK", "label": label}
    for code, label in pairs:
        if "kosov" in label.casefold():
            return {"present": True, "code": code, "label": label}
    return {"present": False, "code": None, "label": None}


def _dpkg_version(package: str) -> str | None:
    if not shutil.which("dpkg-query"):
        return None
    run = subprocess.run(["dpkg-query", "-W", "-f=${Status} ${Version}", package],
                         capture_output=True, text=True, check=False)
    if run.returncode != 0 or "install ok installed" not in run.stdout:
        return None
    return run.stdout.rsplit(" ", 1)[-1]


# ----------------------------------------------------------------------------- extractors
# Each returns the regenerated part of an entry, or None when its source is not present.

Result = dict[str, Any] | None


def _result(package: str, version: str, source: str, pairs: Pairs, **extra: Any) -> Entry:
    return {"package": package, "version": version, "source": source,
            "codes_and_labels": pairs, **extra}


def x_i18n_iso_countries(src: Path) -> Result:
    tgz = NpmTarball.find(src, "i18n-iso-countries")
    if not tgz:
        return None
    names = tgz.json("langs/en.json")["countries"]
    pairs = [[code, name[0] if isinstance(name, list) else name] for code, name in names.items()]
    return _result(tgz.name, tgz.version, tgz.source("langs/en.json"), pairs)


def x_countries_list(src: Path) -> Result:
    tgz = NpmTarball.find(src, "countries-list")
    if not tgz:
        return None
    data = tgz.json("countries.min.json")
    pairs = [[code, rec["name"]] for code, rec in data.items()]
    return _result(tgz.name, tgz.version, tgz.source("countries.min.json"), pairs)


def x_world_countries(src: Path) -> Result:
    tgz = NpmTarball.find(src, "world-countries")
    if not tgz:
        return None
    pairs = [[rec["cca2"], rec["name"]["common"]] for rec in tgz.json("countries.json")]
    return _result(tgz.name, tgz.version, tgz.source("countries.json"), pairs)


_ITI_ROW = re.compile(r'\[\s*"([a-z]{2})",\s*//\s*([^\n]+?)\s*\n\s*"(\d+)"')


def x_intl_tel_input(src: Path) -> Result:
    tgz = NpmTarball.find(src, "intl-tel-input")
    if not tgz:
        return None
    rows = _ITI_ROW.findall(tgz.text("dist/js/data.js"))
    pairs = [[code.upper(), label] for code, label, _ in rows]
    dial = {code.upper(): "+" + dc for code, _, dc in rows}
    return _result(tgz.name, tgz.version, tgz.source("dist/js/data.js"), pairs, dial_codes=dial)


def _lpn_regions(tgz: NpmTarball) -> dict[str, str]:
    meta = tgz.json("metadata.min.json")
    return {code: "+" + rec[0] for code, rec in sorted(meta["countries"].items())}


def x_libphonenumber_js(src: Path) -> Result:
    tgz = NpmTarball.find(src, "libphonenumber-js")
    if not tgz:
        return None
    pairs = [[code, dial] for code, dial in _lpn_regions(tgz).items()]
    return _result(tgz.name, tgz.version, tgz.source("metadata.min.json"), pairs)


def x_phonenumbers(src: Path) -> Result:
    try:
        phonenumbers = importlib.import_module("phonenumbers")
    except ImportError:
        return None
    regions: dict[str, str] = {}
    for calling_code, codes in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.items():
        for code in codes:
            if code != "001":
                regions.setdefault(code, f"+{calling_code}")
    pairs = [[code, regions[code]] for code in sorted(regions)]
    return _result("phonenumbers", phonenumbers.__version__,
                   f"pypi:phonenumbers=={phonenumbers.__version__} COUNTRY_CODE_TO_REGION_CODE",
                   pairs)


def _django_countries_files(src: Path) -> tuple[str, str, str, str] | None:
    """(version, data.py text, base.py text, where) from an installed package or a wheel."""
    spec = importlib.util.find_spec("django_countries")
    if spec and spec.submodule_search_locations:
        pkg = Path(next(iter(spec.submodule_search_locations)))
        try:
            from importlib.metadata import version

            ver = version("django-countries")
        except Exception:  # noqa: BLE001 - metadata may be missing in odd installs
            ver = "unknown"
        return (ver, (pkg / "data.py").read_text("utf-8"), (pkg / "base.py").read_text("utf-8"),
                "installed")
    hit = _latest(src / "pypi", r"django_countries-(\d[^-]*)-py3-none-any\.whl")
    if not hit:
        return None
    with zipfile.ZipFile(hit[0]) as whl:
        return (hit[1], whl.read("django_countries/data.py").decode("utf-8"),
                whl.read("django_countries/base.py").decode("utf-8"), "wheel")


def _ast_dict(tree: ast.AST, name: str) -> dict[str, str]:
    """A module- or class-level ``NAME = {"XX": _("Label"), ...}`` literal."""
    for node in ast.walk(tree):
        target: ast.expr | None = None
        value: ast.expr | None = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and target.id == name:
            if isinstance(value, ast.Dict):
                out: dict[str, str] = {}
                for key, val in zip(value.keys, value.values, strict=True):
                    if isinstance(val, ast.Call):
                        val = val.args[0]
                    if isinstance(key, ast.Constant) and isinstance(val, ast.Constant):
                        out[str(key.value)] = str(val.value)
                return out
    raise KeyError(name)


def _django_sort_key(label: str) -> str:
    # django-countries' own fallback when pyuca is not installed (see its __init__.py).
    return unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii")


def x_django_countries(src: Path) -> Result:
    found = _django_countries_files(src)
    if not found:
        return None
    version, data_py, base_py, _where = found
    names = _ast_dict(ast.parse(data_py), "COUNTRIES")
    names.update(_ast_dict(ast.parse(base_py), "COMMON_NAMES"))  # COUNTRIES_COMMON_NAMES=True
    pairs = sorted(([c, n] for c, n in names.items()), key=lambda p: _django_sort_key(p[1]))
    return _result("django-countries", version,
                   f"pypi:django-countries=={version} django_countries/data.py + base.py "
                   "COMMON_NAMES, iterated order", pairs)


def x_pycountry(src: Path) -> Result:
    try:
        pycountry = importlib.import_module("pycountry")
        from importlib.metadata import version
    except ImportError:
        return None
    ver = version("pycountry")
    pairs = [[c.alpha_2, getattr(c, "common_name", None) or c.name] for c in pycountry.countries]
    return _result("pycountry", ver, f"pypi:pycountry=={ver} databases/iso3166-1.json", pairs)


_CLDR_DROP = {"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"}


def x_babel(src: Path) -> Result:
    try:
        babel = importlib.import_module("babel")
    except ImportError:
        return None
    territories = babel.Locale("en").territories
    pairs = [[code, territories[code]] for code in sorted(territories)
             if len(code) == 2 and code.isalpha() and code not in _CLDR_DROP]
    return _result("babel", babel.__version__,
                   f'pypi:babel=={babel.__version__} Locale("en").territories', pairs)


def x_country_list(src: Path) -> Result:
    tgz = NpmTarball.find(src, "country-list")
    if not tgz:
        return None
    pairs = [[rec["code"], rec["name"]] for rec in tgz.json("data.json")]
    return _result(tgz.name, tgz.version, tgz.source("data.json"), pairs)


def x_country_region_data(src: Path) -> Result:
    tgz = NpmTarball.find(src, "country-region-data")
    if not tgz:
        return None
    pairs = [[rec["countryShortCode"], rec["countryName"]] for rec in tgz.json("data.json")]
    return _result(tgz.name, tgz.version, tgz.source("data.json"), pairs)


def x_react_select_country_list(src: Path) -> Result:
    tgz = NpmTarball.find(src, "react-select-country-list")
    if not tgz:
        return None
    pairs = [[rec["value"], rec["label"]] for rec in tgz.json("data.json")]
    return _result(tgz.name, tgz.version, tgz.source("data.json"), pairs)


_CT_BLOCK = re.compile(r"countries:\s*\{(.*?)\n\s*\}", re.S)
_CT_ROW = re.compile(r'"([A-Z]{2})":\s*"((?:[^"\\]|\\.)*)"')


def x_countries_and_timezones(src: Path) -> Result:
    tgz = NpmTarball.find(src, "countries-and-timezones")
    if not tgz:
        return None
    block = _CT_BLOCK.search(tgz.text("dist/index.js"))
    if not block:
        raise ValueError("countries table not found in countries-and-timezones dist/index.js")
    pairs = [[code, json.loads(f'"{label}"')] for code, label in _CT_ROW.findall(block.group(1))]
    return _result(tgz.name, tgz.version, tgz.source("dist/index.js (countries table)"), pairs)


def x_react_phone_number_input(src: Path) -> Result:
    tgz = NpmTarball.find(src, "react-phone-number-input")
    lpn = NpmTarball.find(src, "libphonenumber-js")
    if not tgz or not lpn:
        return None
    labels = tgz.json("locale/en.json")
    regions = _lpn_regions(lpn)
    pairs, how = _icu_sorted([[code, labels.get(code, code)] for code in regions])
    return _result(tgz.name, tgz.version,
                   f"npm:{tgz.name}@{tgz.version} locale/en.json + "
                   f"npm:{lpn.name}@{lpn.version} metadata.min.json", pairs,
                   dial_codes={code: regions[code] for code, _ in pairs}, _sorting=how)


def x_country_state_city(src: Path) -> Result:
    tgz = NpmTarball.find(src, "country-state-city")
    if not tgz:
        return None
    pairs = [[rec["isoCode"], rec["name"]] for rec in tgz.json("lib/assets/country.json")]
    return _result(tgz.name, tgz.version, tgz.source("lib/assets/country.json"), pairs)


_ISO_ROW = re.compile(
    r"""country:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"),\s*alpha2:\s*'([A-Z]{2})'""")


def x_iso_3166_1(src: Path) -> Result:
    tgz = NpmTarball.find(src, "iso-3166-1")
    if not tgz:
        return None
    rows = _ISO_ROW.findall(tgz.text("dist/iso-3166.js"))
    pairs = [[code, re.sub(r"\\(.)", r"\1", single or double)] for single, double, code in rows]
    return _result(tgz.name, tgz.version, tgz.source("dist/iso-3166.js"), pairs)


def x_iso_codes(src: Path) -> Result:
    installed = Path("/usr/share/iso-codes/json/iso_3166-1.json")
    version = _dpkg_version("iso-codes")
    if installed.is_file() and version:
        raw = installed.read_text("utf-8")
        where = "/usr/share/iso-codes/json/iso_3166-1.json"
    else:
        hit = _deb(src, "iso-codes")
        if not hit:
            return None
        version = hit[1]
        raw = _read_deb(hit[0])["usr/share/iso-codes/json/iso_3166-1.json"].decode("utf-8")
        where = "usr/share/iso-codes/json/iso_3166-1.json"
    pairs = [[rec["alpha_2"], rec["name"]] for rec in json.loads(raw)["3166-1"]]
    return _result("iso-codes", version, f"debian:iso-codes={version} {where}", pairs)


_PHP_ROW = re.compile(r"'([A-Z]{2})'\s*=>\s*'((?:[^'\\]|\\.)*)'")


def x_symfony_intl(src: Path) -> Result:
    hit = _deb(src, "php-symfony-intl")
    if not hit:
        return None
    inner = "usr/share/php/Symfony/Component/Intl/Resources/data/regions/en.php"
    php = _read_deb(hit[0])[inner].decode("utf-8")
    names = php.split("'Names'", 1)[1]
    pairs = [[code, re.sub(r"\\(.)", r"\1", label)] for code, label in _PHP_ROW.findall(names)]
    pairs, how = _icu_sorted(pairs)
    upstream = hit[1].split("+", 1)[0]
    return _result("symfony/intl", upstream,
                   f"debian:php-symfony-intl={hit[1]} Resources/data/regions/en.php", pairs,
                   _sorting=how)


def x_ruby_countries(src: Path) -> Result:
    hit = _deb(src, "ruby-countries")
    if not hit:
        return None
    files = _read_deb(hit[0])
    inner = next((p for p in files if p.endswith("lib/countries/cache/locales/en.json")), None)
    if inner is None:
        return None
    names = json.loads(files[inner].decode("utf-8"))
    # all_names_with_codes: [[name, alpha2], ...].sort -> Ruby byte order on the name.
    pairs = [[code, name] for name, code in sorted((n, c) for c, n in names.items())]
    upstream = hit[1].split("-", 1)[0]
    return _result("countries (Ruby gem)", upstream,
                   f"debian:ruby-countries={hit[1]} lib/countries/cache/locales/en.json", pairs)


# ----------------------------------------------------------------------------- the entries


@dataclass(frozen=True)
class Spec:
    platform: str
    ecosystem: str
    kind: str
    fix: str
    note: str
    extract: Callable[[Path], Result] | None
    fetch: tuple[str, str] | None = None  # (client, package name) for --fetch
    package: str = ""  # package/version for an entry that is only ever kept (no extractor)
    version: str = ""


SPECS: list[Spec] = [
    Spec(
        "WooCommerce (default store country list)", "WordPress plugin", "country",
        "Kosovo (XK) is in the default list since woocommerce/woocommerce PR #61029 (merged "
        "September 2025; the first release that ships it is not verified here): update "
        "WooCommerce. On an older store add it with the `woocommerce_countries` filter "
        "(`$countries['XK'] = __( 'Kosovo', 'woocommerce' );`) and put 'XK' under 'EU' with "
        "`woocommerce_continents`.",
        "From woocommerce/woocommerce plugins/woocommerce/i18n/countries.php at the commit in "
        "`source` (copied from the project corpus; WordPress.org is not a registry we reach). "
        "HTML entities decoded; labels are the untranslated English strings passed to __(). "
        "XK sits between Kiribati and Kuwait. Older versions had no XK and listed Kosovo only "
        "as a Serbian subdivision (state).",
        None, None, "woocommerce/woocommerce", "trunk@09c02d737cf7",
    ),
    Spec(
        "i18n-iso-countries (npm)", "npm", "country",
        "XK Kosovo is in the data since i18n-iso-countries 1.8.0 (December 2016, PR #34). A "
        "site without it runs an older version (update it) or filters the list itself.",
        "Order of langs/en.json; where the package gives several English names for a code "
        "(array), the first is used.",
        x_i18n_iso_countries, ("npm", "i18n-iso-countries"),
    ),
    Spec(
        "countries-list (npm)", "npm", "country",
        "XK Kosovo is present (version that added it: unknown). It carries "
        "`userAssigned: true`: a site that drops user-assigned entries loses Kosovo, so keep "
        "XK when filtering.",
        "Key order of countries.min.json (alphabetical by code). Includes AC and TA "
        "(exceptionally reserved codes); Kosovo's phone list there is [377, 381, 383, 386].",
        x_countries_list, ("npm", "countries-list"),
    ),
    Spec(
        "world-countries / mledoze/countries (npm)", "npm", "country",
        "XK Kosovo is present (version that added it: unknown). Its record has "
        "`unMember: false`, `independent: null` and `status: \"user-assigned\"`: a site that "
        "filters on any of these drops Kosovo, so keep XK explicitly.",
        "Order of countries.json; label = name.common. Kosovo has cca2 XK and cca3 UNK.",
        x_world_countries, ("npm", "world-countries"),
    ),
    Spec(
        "intl-tel-input (phone country picker)", "npm", "phone",
        "\"xk\" (+383) is in the default list (version that added it: unknown). If a site's "
        "picker lacks it: update intl-tel-input, make sure \"xk\" is not in `excludeCountries`, "
        "and add it to `onlyCountries` when that option is used.",
        "Order of rawCountryData in dist/js/data.js; labels are the English comments next to "
        "each entry (at run time the widget localises names with Intl.DisplayNames, which "
        "gives 'Kosovo' for XK in English). No AQ, BV, GS, HM, PN, TF, UM (no phone numbering).",
        x_intl_tel_input, ("npm", "intl-tel-input"),
    ),
    Spec(
        "libphonenumber-js (npm; Google libphonenumber metadata)", "npm", "phone",
        "XK (+383) is in Google's libphonenumber metadata since its 8.8.11 release (February "
        "2018); the libphonenumber-js version that first shipped it is unknown. If "
        "`getCountries()` lacks XK, update libphonenumber-js.",
        "Metadata carries region codes and calling codes only (no names): label column = "
        "country calling code; sorted by code.",
        x_libphonenumber_js, ("npm", "libphonenumber-js"),
    ),
    Spec(
        "phonenumbers (PyPI; Python port of libphonenumber)", "PyPI", "phone",
        "XK (+383) is present since libphonenumber 8.8.11 (February 2018); phonenumbers "
        "releases carry upstream's version numbers, so phonenumbers>=8.8.11 has it.",
        "Region codes with calling code as label, sorted by code; non-geographic 001 entries "
        "dropped.",
        x_phonenumbers, None,
    ),
    Spec(
        "django-countries (PyPI)", "PyPI", "country",
        "No XK by default (ISO 3166-1 only). Add it in settings.py: "
        "`COUNTRIES_OVERRIDE = {\"XK\": _(\"Kosovo\")}` (with `from django.utils.translation "
        "import gettext_lazy as _`); COUNTRIES_OVERRIDE also adds codes that are not in the "
        "built-in list.",
        "What `django_countries.countries` yields in English with default settings: data.py "
        "names with COMMON_NAMES applied (COUNTRIES_COMMON_NAMES=True), sorted by "
        "django-countries' fallback key (ASCII-folded name; with pyuca installed the order "
        "can differ slightly). Version 7.6.1 in the project corpus had the same 249 codes.",
        x_django_countries, ("pip", "django-countries"),
    ),
    Spec(
        "pycountry (PyPI; ISO 3166-1 from Debian iso-codes)", "PyPI", "country",
        "No XK: pycountry is ISO 3166-1 only. Add it at start-up with "
        "`pycountry.countries.add_entry(alpha_2=\"XK\", alpha_3=\"XKX\", name=\"Kosovo\", "
        "numeric=\"983\")` (XKX and 983 are user-assigned too), or append (\"XK\", \"Kosovo\") "
        "to the choices built from it.",
        "Order of pycountry.countries; label = common_name if present else name. ISO 3166-2 "
        "lists Kosovo only as Serbian subdivisions: RS-25, RS-28, RS-29 (districts) and RS-KM "
        "Kosovo-Metohija (autonomous province).",
        x_pycountry, None,
    ),
    Spec(
        "Unicode CLDR English territory names (via Babel; same data family as "
        "umpirsky/country-list and Symfony Intl)", "PyPI", "country",
        "XK Kosovo is in CLDR's English territory names (Babel: "
        "`Locale(\"en\").territories[\"XK\"]`; CLDR release that added it: unknown). A "
        "CLDR-based list loses it only when the site or library filters to ISO-assigned codes "
        "(as Symfony Intl does): drop that filter or add XK back.",
        "Two-letter territory codes only, sorted by code; pseudo/aggregate codes EU, EZ, QO, "
        "UN, XA, XB, ZZ removed.",
        x_babel, None,
    ),
    Spec(
        "country-list (npm)", "npm", "country",
        "No XK (ISO 3166-1 only). `overwrite()` cannot add it: for a code not in the list it "
        "writes to index -1 and getData()/getNames() never return it. Append it where the "
        "list is built: `[...getData(), { code: 'XK', name: 'Kosovo' }]`, then sort by name.",
        "Order of data.json (alphabetical by code); labels are ISO short names (e.g. 'United "
        "Arab Emirates (the)').",
        x_country_list, ("npm", "country-list"),
    ),
    Spec(
        "country-region-data (npm; used by react-country-region-selector)", "npm", "country",
        "XK Kosovo is present, with its regions (the version that added it is unknown; the "
        "changelog first names Kosovo in a 1.7.0 data update, November 2020). A site "
        "without it runs an old copy (update it) or restricts the countries it passes to the "
        "selector: keep XK in that restriction.",
        "Order of data.json (alphabetical by name). No SJ (Svalbard and Jan Mayen). Serbia's "
        "regions still include the Kosovski, Kosovsko-Mitrovački and Kosovsko-Pomoravski "
        "districts.",
        x_country_region_data, ("npm", "country-region-data"),
    ),
    Spec(
        "react-select-country-list (npm)", "npm", "country",
        "No XK, and the API has no way to add an entry (only setLabel/setEmpty/native). "
        "Build the options yourself: `[...countryList().getData(), { value: 'XK', label: "
        "'Kosovo' }]`, sorted by label, and pass that to react-select.",
        "Order of data.json (alphabetical by label, ISO 3166-1 only).",
        x_react_select_country_list, ("npm", "react-select-country-list"),
    ),
    Spec(
        "countries-and-timezones (npm)", "npm", "country",
        "No XK: its countries come from the IANA time-zone data, which has no Kosovo entry. "
        "Add `{ id: 'XK', name: 'Kosovo', timezones: ['Europe/Belgrade'] }` to the list the "
        "site renders from `getAllCountries()`.",
        "Key order of the `countries` table in dist/index.js (= getAllCountries()). 248 "
        "entries: ISO 3166-1 less BV (Bouvet Island, which has no zone).",
        x_countries_and_timezones, ("npm", "countries-and-timezones"),
    ),
    Spec(
        "react-phone-number-input (npm; libphonenumber-js metadata)", "npm", "phone",
        "XK Kosovo is in the country select since react-phone-number-input 2.3.8 (March "
        "2019, per its CHANGELOG). If a site lacks it: update, and include 'XK' when the "
        "`countries` prop restricts the list.",
        "Default <select> options: libphonenumber-js getCountries() labelled from "
        "locale/en.json and sorted by label with String.localeCompare, as "
        "getCountrySelectOptions does; the 'International' (ZZ) option that the widget puts "
        "first by default is left out. dial_codes from the metadata.",
        x_react_phone_number_input, ("npm", "react-phone-number-input"),
    ),
    Spec(
        "country-state-city (npm)", "npm", "country",
        "XK Kosovo is present (version that added it: unknown).",
        "Order of lib/assets/country.json (= Country.getAllCountries()).",
        x_country_state_city, ("npm", "country-state-city"),
    ),
    Spec(
        "iso-3166-1 (npm)", "npm", "country",
        "No XK (strict ISO 3166-1). Append `{ country: 'Kosovo', alpha2: 'XK', alpha3: 'XKX', "
        "numeric: '' }` to the array the site builds from `iso.all()`.",
        "Order of dist/iso-3166.js (= all()); label = country. Both CG and CD are labelled "
        "'Congo' in this version.",
        x_iso_3166_1, ("npm", "iso-3166-1"),
    ),
    Spec(
        "Debian iso-codes (ISO 3166-1)", "Debian", "country",
        "No XK (ISO 3166-1 only; Kosovo appears only as Serbian subdivisions in "
        "iso_3166-2, e.g. RS-KM). A program reading iso_3166-1.json must add "
        "('XK', 'Kosovo') to its own list.",
        "Order of iso_3166-1.json; label = name (the short name; pycountry shows common_name "
        "where one exists, e.g. 'Bolivia', 'Taiwan'). Same data family as pycountry.",
        x_iso_codes, ("apt", "iso-codes"),
    ),
    Spec(
        "Symfony Intl (Countries::getNames, PHP)", "Debian (Composer symfony/intl)", "country",
        "No XK: symfony/intl removes it (DENYLIST in RegionDataGenerator). Upgrade to "
        "symfony/intl 7.4 or later and set the environment variable "
        "`SYMFONY_INTL_WITH_USER_ASSIGNED=true`, which makes the Intl component include XK "
        "(also XKK and 983). On older versions, add `'XK' => 'Kosovo'` to the choices yourself.",
        "Names from Resources/data/regions/en.php (CLDR English names), sorted the way "
        "Countries::getNames() sorts them (ICU Collator asort). Version is Debian bookworm's "
        "php-symfony-intl (Composer/Packagist is not a registry we reach); the 7.4 change "
        "comes from symfony/symfony PR #61024 and the Intl CHANGELOG.",
        x_symfony_intl, ("apt", "php-symfony-intl"),
    ),
    Spec(
        "countries Ruby gem (ISO3166, used by Rails country_select)", "Debian (RubyGems "
        "countries)", "country",
        "No XK. Register it in an initializer: `ISO3166::Data.register(alpha2: 'XK', "
        "alpha3: 'XKX', name: 'Kosovo', translations: { 'en' => 'Kosovo' })` (the "
        "maintainers' suggested workaround, countries/countries issue #793).",
        "English names from lib/countries/cache/locales/en.json, sorted the way "
        "ISO3166::Country.all_names_with_codes sorts them (byte order of the name). Version is "
        "Debian bookworm's ruby-countries (rubygems.org is not a registry we reach; newer gem "
        "versions not checked).",
        x_ruby_countries, ("apt", "ruby-countries"),
    ),
]

FIELD_ORDER = ["platform", "package", "version", "source", "ecosystem", "kind", "kosovo", "fix",
               "note", "codes_and_labels", "dial_codes"]


def build(sources: Path, existing: dict[str, Entry]) -> tuple[list[Entry], list[str]]:
    """Rebuild every entry; return (entries, log lines)."""
    out: list[Entry] = []
    log: list[str] = []
    for spec in SPECS:
        fresh = spec.extract(sources) if spec.extract else None
        old = existing.get(spec.platform)
        if fresh is None and old is None:
            log.append(f"MISSING  {spec.platform}: no source and no existing entry")
            continue
        entry: Entry = {"platform": spec.platform}
        if fresh is not None:
            entry.update(fresh)
            log.append(f"rebuilt  {spec.platform}: {fresh['package']}@{fresh['version']}")
        else:
            assert old is not None
            for key in ("package", "version", "source", "codes_and_labels", "dial_codes"):
                if key in old:
                    entry[key] = old[key]
            entry.setdefault("package", spec.package or spec.platform)
            entry.setdefault("version", spec.version or "unknown")
            log.append(f"kept     {spec.platform}: {entry.get('source')}")
        note = spec.note
        sorting = entry.pop("_sorting", None)
        if sorting:
            note += f" Sorted here with {sorting}."
        elif old and fresh is None and "sorted here with" in str(old.get("note", "")).lower():
            note += " Sorted here with" + str(old["note"]).split("Sorted here with", 1)[1]
        entry.update(ecosystem=spec.ecosystem, kind=spec.kind, fix=spec.fix, note=note)
        entry["kosovo"] = _kosovo(entry["codes_and_labels"])
        out.append({k: entry[k] for k in FIELD_ORDER if k in entry})
    return out, log


# ----------------------------------------------------------------------------- validation


def valid_codes() -> set[str]:
    try:
        pycountry = importlib.import_module("pycountry")
        iso = {c.alpha_2 for c in pycountry.countries}
    except ImportError:  # fall back to the Debian file when pycountry is absent
        path = Path("/usr/share/iso-codes/json/iso_3166-1.json")
        iso = {r["alpha_2"] for r in json.loads(path.read_text("utf-8"))["3166-1"]}
    return iso | EXTRA_CODES


def validate(doc: Any) -> list[str]:
    """Problems with a platforms document; empty when it is fine."""
    problems: list[str] = []
    if not isinstance(doc, dict) or not isinstance(doc.get("platforms"), list):
        return ["top level must be {'generated': ..., 'platforms': [...]}"]
    try:
        _dt.date.fromisoformat(str(doc.get("generated")))
    except ValueError:
        problems.append("'generated' is not an ISO date")
    codes_ok = valid_codes()
    seen: set[str] = set()
    for entry in doc["platforms"]:
        name = entry.get("platform")
        if name in seen:
            problems.append(f"duplicate platform {name!r}")
        seen.add(name)
        for key in ("source", "ecosystem", "kind", "fix", "kosovo", "codes_and_labels"):
            if not entry.get(key) and key != "kosovo":
                problems.append(f"{name}: missing {key}")
        if entry.get("kind") not in ("country", "phone"):
            problems.append(f"{name}: kind must be country or phone")
        pairs = entry.get("codes_and_labels") or []
        codes = [p[0] for p in pairs]
        bad = sorted({c for c in codes if c not in codes_ok})
        if bad:
            problems.append(f"{name}: invalid codes {bad}")
        if len(codes) != len(set(codes)):
            problems.append(f"{name}: duplicated codes")
        if any(len(p) != 2 or not p[1] for p in pairs):
            problems.append(f"{name}: every pair must be [code, non-empty label]")
        kosovo = entry.get("kosovo") or {}
        if kosovo.get("present") != ("XK" in codes or any(
                "kosov" in str(p[1]).casefold() for p in pairs)):
            problems.append(f"{name}: kosovo.present disagrees with the list")
    return problems


# ----------------------------------------------------------------------------- docs table


def render_table(doc: dict[str, Any]) -> str:
    rows = ["| Platform | Package and version | Kind | Kosovo | Entries | Fix |",
            "| --- | --- | --- | --- | --- | --- |"]
    for e in doc["platforms"]:
        k = e["kosovo"]
        kosovo = f"yes ({k['code']})" if k["present"] else "**no**"
        fix = e["fix"].replace("|", "\\|")
        rows.append(f"| {e['platform']} | {e['package']} {e['version']} | {e['kind']} | "
                    f"{kosovo} | {len(e['codes_and_labels'])} | {fix} |")
    return "\n".join(rows)


def write_docs(doc: dict[str, Any], path: Path = DOCS) -> None:
    text = path.read_text("utf-8")
    start, end = "<!-- table:start -->", "<!-- table:end -->"
    if start not in text or end not in text:
        raise SystemExit(f"{path} lacks the {start} / {end} markers")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{start}\n{render_table(doc)}\n{end}{tail}", "utf-8")


# ----------------------------------------------------------------------------- I/O


def dump(doc: dict[str, Any]) -> str:
    """Compact-ish JSON: one platform per line."""
    lines = [json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in doc["platforms"]]
    return ('{"generated":' + json.dumps(doc["generated"]) + ',"platforms":[\n'
            + ",\n".join(lines) + "\n]}\n")


def fetch(sources: Path, specs: Iterable[Spec]) -> None:
    """Download the named packages (only these) with the ordinary clients."""
    for sub in ("npm", "pypi", "deb"):
        (sources / sub).mkdir(parents=True, exist_ok=True)
    for spec in specs:
        if not spec.fetch:
            continue
        client, name = spec.fetch
        if client == "npm":
            cmd, cwd = ["npm", "pack", name], sources / "npm"
        elif client == "pip":
            cmd, cwd = [sys.executable, "-m", "pip", "download", "--no-deps", "-d", ".", name], \
                sources / "pypi"
        else:
            cmd, cwd = ["apt-get", "download", name], sources / "deb"
        print("+", " ".join(cmd), file=sys.stderr)
        subprocess.run(cmd, cwd=cwd, check=False)
    if any(s.fetch and s.fetch[1] == "react-phone-number-input" for s in specs):
        subprocess.run(["npm", "pack", "libphonenumber-js"], cwd=sources / "npm", check=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--fetch", action="store_true", help="download the named packages first")
    ap.add_argument("--check", action="store_true", help="only validate the existing JSON")
    ap.add_argument("--seed", type=Path, action="append", default=[],
                    help="a JSON list (or {platforms: [...]}) of entries to use when the output "
                         "has none of that name yet, e.g. the project corpus's "
                         "platform-lists.json")
    ap.add_argument("--write-docs", action="store_true",
                    help="refresh the table in docs/upstream-lists.md")
    args = ap.parse_args(argv)

    existing_doc: dict[str, Any] = {"platforms": []}
    if args.out.is_file():
        existing_doc = json.loads(args.out.read_text("utf-8"))
    if args.check:
        problems = validate(existing_doc)
        for p in problems:
            print("problem:", p)
        print(f"{len(existing_doc['platforms'])} platforms, {len(problems)} problems")
        return 1 if problems else 0

    if args.fetch:
        fetch(args.sources, SPECS)
    existing: dict[str, Entry] = {}
    for seed in args.seed:
        data = json.loads(seed.read_text("utf-8"))
        for e in data["platforms"] if isinstance(data, dict) else data:
            existing[e["platform"]] = e
    existing.update({e["platform"]: e for e in existing_doc["platforms"]})
    entries, log = build(args.sources, existing)
    doc = {"generated": _dt.date.today().isoformat(), "platforms": entries}
    problems = validate(doc)
    for line in log:
        print(line, file=sys.stderr)
    if problems:
        for p in problems:
            print("problem:", p, file=sys.stderr)
        return 1
    args.out.write_text(dump(doc), "utf-8")
    print(f"wrote {args.out} ({len(entries)} platforms)", file=sys.stderr)
    if args.write_docs:
        write_docs(doc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
