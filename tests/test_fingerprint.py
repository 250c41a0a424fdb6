"""The upstream-list database and its matcher, on the database's own lists: every list is
named as its library (with the releases that ship it) or as a family that includes it, the
fix fits the field's problem, and every public word is plain text."""

from __future__ import annotations

import html
import json
from collections import Counter
from importlib import resources
from typing import Any

import pytest

from checks import analyze_html
from checks.fingerprint import attribute, database, describe, label_key

DATA = json.loads((resources.files("checks") / "data" / "platforms.json").read_text("utf-8"))
LISTS = DATA["lists"]


def _page(pairs: list[list[str]], kind: str = "country",
          dial: dict[str, str] | None = None) -> dict[str, Any]:
    if kind == "phone":
        pairs = [[c, f"{label} {dial.get(c, '')}" if not label.startswith("+") else label]
                 for c, label in pairs]
    options = "".join(f'<option value="{html.escape(c)}">{html.escape(label)}</option>'
                      for c, label in pairs)
    label = "Phone" if kind == "phone" else "Country"
    page = f'<form><label for="c">{label}</label><select id="c" name="c">{options}</select></form>'
    fields = analyze_html(page).to_dict()["fields"]
    assert fields
    return fields[0]


def _library(id_: str) -> dict[str, Any]:
    return next(e for e in DATA["libraries"] if e["id"] == id_)


def _newest(id_: str) -> tuple[list[list[str]], dict[str, str]]:
    entry = _library(id_)
    newest = entry["releases"]["newest"]
    variant = next(v for v in entry["variants"] if not v["rendering"]
                   and any(newest in seg for seg in v["segments"]))
    data = LISTS[variant["list"]]
    return [list(p) for p in data["pairs"]], data["dial"]


def test_every_known_list_is_named_as_its_library_or_a_family_with_it() -> None:
    outcome: Counter[str] = Counter()
    for entry in DATA["libraries"]:
        for variant in entry["variants"]:
            data = LISTS[variant["list"]]
            found = _page(data["pairs"], entry["kind"], data["dial"])["fingerprint"]
            assert found is not None, (entry["id"], variant["segments"])
            if found["source"] == "family":
                assert entry["name"] in found["name"], (entry["id"], found["name"])
                outcome["family"] += 1
            else:
                assert found["source"] == entry["id"], (entry["id"], found)
                first = variant["segments"][0][0]
                assert first in found["versions"], (entry["id"], found["versions"])
                outcome["right"] += 1
    assert outcome["right"] > outcome["family"] > 0, outcome


def test_a_missing_list_gets_update_add_or_the_site_removes_it() -> None:
    pairs, _ = _newest("i18n-iso-countries")
    dropped = _page([p for p in pairs if p[0] != "XK"])
    assert dropped["verdict"] == "missing"
    assert "includes Kosovo (XK), but this list does not" in dropped["fingerprint"]["fix"]
    old = next(v for v in _library("i18n-iso-countries")["variants"]
               if v["segments"][-1][-1] == "1.6.0")
    update = _page(LISTS[old["list"]]["pairs"])
    assert update["fingerprint"]["fix"].startswith("Update i18n-iso-countries to 1.10.0 or later")
    assert update["fingerprint"]["versions"] == "0.12.1 to 1.6.0"
    django, _ = _newest("django-countries")
    assert "COUNTRIES_OVERRIDE" in _page(django)["fingerprint"]["fix"]


def test_a_fix_per_problem_and_none_for_a_list_with_kosovo() -> None:
    pairs, _ = _newest("i18n-iso-countries")
    listed = _page(pairs)
    assert listed["verdict"] == "listed" and listed["fingerprint"]["fix"] is None
    qualified = _page([[c, "Kosovo (Serbia)" if c == "XK" else n] for c, n in pairs])
    assert qualified["verdict"] == "listed_qualified"
    assert 'labels Kosovo "Kosovo"' in qualified["fingerprint"]["fix"]
    assert 'Show the option as "Kosovo"' in qualified["fingerprint"]["fix"]
    phone, dial = _newest("intl-tel-input")
    wrong = _page(phone, "phone", {**dial, "XK": "+381"})
    assert wrong["verdict"] == "wrong_code"
    assert "its own dialling code, +383" in wrong["fingerprint"]["fix"]
    # A library without Kosovo cannot explain a label the site wrote itself.
    django, _ = _newest("django-countries")
    added = _page([*django, ["XK", "Kosovo (Serbia)"]])
    assert added["verdict"] == "listed_qualified"
    assert added["fingerprint"] is None or added["fingerprint"]["fix"] is None


def test_another_territory_gets_the_name_but_no_kosovo_fix() -> None:
    pairs, _ = _newest("django-countries")
    options = "".join(f'<option value="{c}">{html.escape(n)}</option>' for c, n in pairs
                      if c != "TW")
    result = analyze_html(f'<label for="c">Country</label><select id="c">{options}</select>',
                          territory="TW").to_dict()
    found = result["fields"][0]["fingerprint"]
    assert found["source"] == "django-countries" and found["fix"] is None


def test_public_words_are_plain_text() -> None:
    texts = [t for e in DATA["libraries"] for t in e["fixes"].values()]
    texts += list(DATA["family"].values())
    for variant in database()[0]:
        codes = frozenset(variant.codes)
        found = attribute(codes, variant.labels)
        if found is not None:
            texts.append(describe(found))
    for text in texts:
        assert "`" not in text and "**" not in text, text
        assert "unknown" not in text.lower() and "todo" not in text.lower(), text


@pytest.mark.parametrize("label, key", [("🇽🇰 Kosovo +383", "kosovo"),
                                        ("Côte d’Ivoire", "cote d ivoire")])
def test_labels_are_compared_as_the_engine_reads_them(label: str, key: str) -> None:
    assert label_key(label) == key
