"""Rebuild ``names.json.gz``: every name of every country and territory, in every CLDR locale.

Run ``python -m checks.data.build_names`` after upgrading Babel, pycountry or
phonenumbers (their versions are pinned in ``requirements/generator-sources.txt``);
``--check`` writes nothing and exits 1 when the file differs from what would be written.
The file is generated rather than computed at start-up because reading all 1,000+ Babel
locales takes ~1.6 s, while loading this file takes ~40 ms.

Sources:
- Babel (CLDR): ``Locale.territories`` of every locale identifier Babel ships;
- pycountry: ISO 3166-1 names, official and common names, alpha-3 and numeric codes,
  historic codes (ISO 3166-3: Serbia and Montenegro, Yugoslavia, Zaire …) and
  ISO 3166-2 subdivisions (to tell a state list from a country list);
- phonenumbers: the dial code of every region;
- ``platforms.json`` beside this file: the labels real platforms use;
- a short list of English variants seen on real forms (below).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import babel
import phonenumbers
import pycountry
from babel import Locale, localedata

from checks.text import invisible_as_space, norm

HERE = Path(__file__).resolve().parent
OUT = HERE / "names.json.gz"

# CLDR region codes that are not countries or territories a person lives in.
NOT_TERRITORIES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"}

# English forms seen on real forms that neither CLDR nor ISO spells this way.
EXTRA_ENGLISH = {
    "US": ["USA", "U.S.A.", "United States of America", "U.S.", "America"],
    "GB": ["UK", "U.K.", "Great Britain", "England", "Britain", "United Kingdom (UK)"],
    "AE": ["UAE", "U.A.E."],
    "KR": ["South Korea", "Korea (South)", "Korea, South", "Republic of Korea", "Korea"],
    "KP": ["North Korea", "Korea (North)", "Korea, North", "DPRK"],
    "RU": ["Russia"],
    "CZ": ["Czech Republic", "Czechia"],
    "MK": ["Macedonia", "FYROM", "Former Yugoslav Republic of Macedonia",
           "Macedonia, the former Yugoslav Republic of", "North Macedonia, Republic of"],
    "SZ": ["Swaziland", "Eswatini"],
    "MM": ["Burma", "Myanmar (Burma)"],
    "CI": ["Ivory Coast", "Cote d'Ivoire", "Côte d’Ivoire"],
    "CV": ["Cape Verde", "Cabo Verde"],
    "VA": ["Vatican", "Vatican City", "Holy See (Vatican City State)", "Vatican City State"],
    "PS": ["Palestine", "Palestinian Territories", "Palestinian Territory, Occupied",
           "State of Palestine", "Occupied Palestinian Territory"],
    "TW": ["Taiwan", "Taiwan, Province of China", "Taiwan (Republic of China)", "Chinese Taipei"],
    "HK": ["Hong Kong", "Hong Kong SAR", "Hong Kong S.A.R., China"],
    "MO": ["Macau", "Macao", "Macau SAR"],
    "CD": ["Congo (Kinshasa)", "Congo, Democratic Republic of the", "DR Congo", "DRC",
           "Democratic Republic of Congo", "Congo, The Democratic Republic of the", "Zaire"],
    "CG": ["Congo (Brazzaville)", "Congo, Republic of the", "Republic of the Congo", "Congo"],
    "LA": ["Laos", "Lao PDR", "Lao People's Democratic Republic"],
    "VN": ["Vietnam", "Viet Nam"],
    "SY": ["Syria", "Syrian Arab Republic"],
    "IR": ["Iran", "Iran, Islamic Republic of"],
    "MD": ["Moldova", "Moldova, Republic of"],
    "TZ": ["Tanzania", "Tanzania, United Republic of"],
    "BO": ["Bolivia", "Bolivia, Plurinational State of"],
    "VE": ["Venezuela", "Venezuela, Bolivarian Republic of"],
    "FM": ["Micronesia", "Micronesia, Federated States of"],
    "PW": ["Belau", "Palau"],
    "BN": ["Brunei", "Brunei Darussalam"],
    "TL": ["East Timor", "Timor-Leste", "Timor Leste"],
    "VG": ["British Virgin Islands", "Virgin Islands, British", "Virgin Islands (British)"],
    "VI": ["US Virgin Islands", "U.S. Virgin Islands", "Virgin Islands, U.S.",
           "Virgin Islands (U.S.)"],
    "FK": ["Falkland Islands", "Falkland Islands (Malvinas)"],
    "KN": ["St Kitts and Nevis", "Saint Kitts and Nevis", "St. Kitts & Nevis"],
    "LC": ["St Lucia", "Saint Lucia"],
    "VC": ["St Vincent and the Grenadines", "Saint Vincent and the Grenadines"],
    "PM": ["St Pierre and Miquelon", "Saint Pierre and Miquelon"],
    "SH": ["St Helena", "Saint Helena", "Saint Helena, Ascension and Tristan da Cunha"],
    "BL": ["St Barthelemy", "Saint Barthélemy", "Saint Barthelemy"],
    "MF": ["St Martin", "Saint Martin (French part)", "Saint Martin"],
    "SX": ["Sint Maarten (Dutch part)", "Sint Maarten"],
    "BQ": ["Caribbean Netherlands", "Bonaire", "Bonaire, Sint Eustatius and Saba"],
    "CW": ["Curacao", "Curaçao"],
    "RE": ["Reunion", "Réunion"],
    "AX": ["Aland Islands", "Åland Islands", "Aland"],
    "TR": ["Turkey", "Türkiye", "Turkiye"],
    "NL": ["Netherlands", "Holland", "The Netherlands"],
    "GM": ["Gambia", "The Gambia", "Gambia, The"],
    "BS": ["Bahamas", "The Bahamas", "Bahamas, The"],
    "PN": ["Pitcairn", "Pitcairn Islands"],
    "SJ": ["Svalbard and Jan Mayen", "Svalbard & Jan Mayen Islands"],
    "HM": ["Heard Island and McDonald Islands", "Heard and McDonald Islands"],
    "UM": ["United States Minor Outlying Islands", "U.S. Outlying Islands",
           "US Minor Outlying Islands"],
    "WF": ["Wallis and Futuna", "Wallis & Futuna Islands"],
    "GS": ["South Georgia and the South Sandwich Islands", "South Georgia"],
    "IO": ["British Indian Ocean Territory", "Chagos Islands"],
    "XK": ["Kosovo", "Kosova", "Republic of Kosovo"],
}

# Old codes (ISO 3166-3) still found in live lists; they resolve to themselves.
HISTORIC_EXTRA = {"CS": ["Serbia and Montenegro", "Serbia & Montenegro"],
                  "YU": ["Yugoslavia"], "AN": ["Netherlands Antilles"], "ZR": ["Zaire"],
                  "TP": ["East Timor"], "SU": ["USSR", "Soviet Union"]}


def _add(index: dict[str, list[str]], name: str, code: str) -> None:
    # A name written with zero-width joiners is also typed with spaces in their place.
    for key in dict.fromkeys((norm(name), norm(invisible_as_space(name)))):
        if not key:
            continue
        codes = index.setdefault(key, [])
        if code not in codes:
            codes.append(code)


def build() -> dict[str, object]:
    names: dict[str, list[str]] = {}
    cldr_names: dict[str, set[str]] = {}
    for ident in localedata.locale_identifiers():
        try:
            locale = Locale.parse(ident)
        except Exception:  # noqa: BLE001 - a broken locale file must not stop the build
            continue
        for code, name in locale.territories.items():
            if len(code) != 2 or not code.isalpha() or code in NOT_TERRITORIES:
                continue
            _add(names, name, code)
            cldr_names.setdefault(code, set()).add(name)

    alpha3: dict[str, str] = {}
    numeric: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        alpha3[country.alpha_3] = code
        numeric[country.numeric] = code
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                _add(names, value, code)
    alpha3.update({"XKX": "XK", "XXK": "XK"})

    historic: dict[str, str] = {}
    for country in pycountry.historic_countries:
        old = country.alpha_2
        historic[old] = country.name
        if old not in alpha3.values():
            alpha3.setdefault(country.alpha_3, old)
        for value in (country.name, getattr(country, "official_name", None)):
            if value and norm(value) not in names:
                _add(names, value, old)
    for code, variants in HISTORIC_EXTRA.items():
        for value in variants:
            if norm(value) not in names:
                _add(names, value, code)

    for code, variants in EXTRA_ENGLISH.items():
        for value in variants:
            _add(names, value, code)

    for code, label in _newest_platform_labels():
        if len(code) == 2 and norm(label) not in names:
            _add(names, label, code)

    subdivision_codes: dict[str, list[str]] = {}
    subdivision_names: dict[str, str] = {}
    for sub in pycountry.subdivisions:
        country, _, local = sub.code.partition("-")
        subdivision_codes.setdefault(country, []).append(local)
        key = norm(sub.name)
        if key and key not in names:
            subdivision_names.setdefault(key, country)

    dial: dict[str, str] = {}
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        dial[region] = str(phonenumbers.country_code_for_region(region))

    return {
        "sources": {"babel": babel.__version__, "pycountry": getattr(pycountry, "__version__", "?"),
                    "phonenumbers": phonenumbers.__version__},
        "names": {k: ",".join(v) for k, v in sorted(names.items())},
        "cldr_names": {k: sorted(v) for k, v in sorted(cldr_names.items())},
        "alpha3": dict(sorted(alpha3.items())),
        "numeric": dict(sorted(numeric.items())),
        "historic": dict(sorted(historic.items())),
        "subdivision_codes": {k: sorted(v) for k, v in sorted(subdivision_codes.items())},
        "subdivision_names": dict(sorted(subdivision_names.items())),
        "dial": dial,
    }


def _newest_platform_labels() -> list[tuple[str, str]]:
    """The labels of each library's newest list in ``platforms.json`` (its default
    rendering), in file order: the spellings sites ship today."""
    platforms = HERE / "platforms.json"
    if not platforms.exists():
        return []
    data = json.loads(platforms.read_text(encoding="utf-8"))
    out: list[tuple[str, str]] = []
    for entry in data.get("libraries", []):
        newest = (entry.get("releases") or {}).get("newest")
        for variant in entry.get("variants", []):
            if variant.get("rendering") or newest not in {v for s in variant["segments"]
                                                          for v in s}:
                continue
            out.extend((code, label) for code, label in data["lists"][variant["list"]]["pairs"])
    return out


def main(argv: list[str] | None = None) -> int:
    """Write the index (or, with ``--check``, say whether the committed one is up to date)."""
    args = sys.argv[1:] if argv is None else argv
    data = build()
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    if "--check" in args:
        with gzip.open(OUT, "rb") as fh:
            committed = json.loads(fh.read().decode("utf-8"))
        if committed == data:
            return 0
        print(f"out of date: {OUT.name} (built from {committed.get('sources')}, "
              f"installed {data['sources']}): run `make generate`", file=sys.stderr)
        return 1
    with gzip.GzipFile(OUT, "wb", mtime=0) as fh:
        fh.write(raw.encode("utf-8"))
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB, {len(data['names'])} names)")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
