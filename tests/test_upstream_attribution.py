"""Attribution is right or silent, on real lists of real releases.

The lists come from releases installed at test setup (``make test-lists``: ``npm ci`` from
tests/upstream/package-lock.json, pip from tests/upstream/requirements/*.txt with hashes),
read through each library's own API, not the data files the database builder reads; some
are libraries the database does not know at all. Each becomes a page; the engine's
fingerprint must then name the right library and a release range that holds the release,
or name a family that includes it (or, for a copied standard, "and other packages"), or say
nothing. Four lists that were named wrongly before (issue 11) are pinned by name.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from checks import analyze_html
from checks.fingerprint import database
from xktracker.upstream.registry import version_key

HERE = Path(__file__).resolve().parent / "upstream"
# The package names of the releases, as the database's library ids.
IDS = {"i18n-iso-countries": "i18n-iso-countries", "country-list": "country-list",
       "countries-list": "countries-list", "world-countries": "world-countries",
       "countries-and-timezones": "countries-and-timezones",
       "country-region-data": "country-region-data",
       "react-select-country-list": "react-select-country-list", "iso-3166-1": "iso-3166-1",
       "intl-tel-input": "intl-tel-input", "libphonenumber-js": "libphonenumber-js",
       "pycountry": "pycountry", "django-countries": "django-countries"}
KNOWN_NAMES = {v.library.id: v.library.name for v in database()[0]}


@cache
def real_lists() -> dict[str, dict[str, Any]]:
    """Every installed release's list, by ``library-version``."""
    found: dict[str, dict[str, Any]] = {}
    if shutil.which("node") and (HERE / "node_modules").is_dir():
        run = subprocess.run(["node", "lists.js"], cwd=HERE, capture_output=True, text=True,
                             check=True, timeout=300)
        found.update(json.loads(run.stdout))
    for folder in sorted((HERE / "pypi").glob("*")) if (HERE / "pypi").is_dir() else []:
        library, version = folder.name.rsplit("-", 1)
        code = (f"import sys; sys.path.insert(0, {str(folder)!r}); sys.argv = ['', {library!r}];"
                f" exec(open({str(HERE / 'lists.py')!r}).read())")
        run = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True,
                             text=True, check=True, timeout=300)
        found[folder.name] = {"library": library, "version": version, "kind": "country",
                              "pairs": json.loads(run.stdout), "dial": {}}
    return found


def _need_lists() -> dict[str, dict[str, Any]]:
    found = real_lists()
    if len(found) < 20:
        pytest.skip("the real releases are not installed: run `make test-lists` (needs npm "
                    "and pip access to the registries)")
    return found


def page_for(item: dict[str, Any]) -> str:
    """The list as a site renders it: a placeholder first, then every option."""
    label = "Phone" if item["kind"] == "phone" else "Country"
    options = '<option value="">Select…</option>' + "".join(
        f'<option value="{html.escape(code)}">{html.escape(name)}</option>'
        for code, name in item["pairs"])
    return (f'<form><label for="c">{label}</label><select id="c" name="c">{options}'
            "</select></form>")


def in_ranges(version: str, ranges: str) -> bool:
    for part in ranges.split(", "):
        first, _, last = part.partition(" to ")
        if version_key(first) <= version_key(version) <= version_key(last or first):
            return True
    return False


def judge(alias: str, item: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """``right``, ``family`` or ``silent`` (the assertions say why anything else fails)."""
    fields = analyze_html(page_for(item)).to_dict()["fields"]
    assert fields, alias
    found = fields[0]["fingerprint"]
    if found is None:
        return "silent", fields[0]
    library = IDS.get(item["library"])
    if found["source"] == "family":
        members = found["name"]
        assert (library is not None and KNOWN_NAMES[library] in members) \
            or "and other packages" in members, (alias, members)
        return "family", fields[0]
    assert found["source"] == library, (alias, found)
    assert in_ranges(item["version"], found["versions"]), (alias, found["versions"])
    return "right", fields[0]


def test_every_confident_attribution_names_the_right_library_and_releases() -> None:
    lists = _need_lists()
    outcome = Counter()
    for alias, item in sorted(lists.items()):
        assert "error" not in item, (alias, item.get("error"))
        outcome[judge(alias, item)[0]] += 1
    assert outcome["right"] >= len(lists) // 2, outcome
    print(f"\nattribution over {len(lists)} real lists: {dict(outcome)}")


@pytest.mark.parametrize("alias, expected", [
    ("i18n-iso-countries-1.6.0", "right"),  # was: the countries Ruby gem
    ("django-countries-5.5", "right"),  # was: pycountry
    ("pycountry-1.20", "family"),  # was: the Ruby gem (both copy Debian iso-codes' names)
    ("country-list-1.1.1", "family"),  # was: a three-way tie without country-list
])
def test_the_lists_named_wrongly_before(alias: str, expected: str) -> None:
    item = _need_lists()[alias]
    outcome, field = judge(alias, item)
    assert outcome == expected, field["fingerprint"]
    if alias.startswith("i18n"):
        assert field["fingerprint"]["fix"].startswith(
            "Update i18n-iso-countries to 1.10.0 or later")


def test_no_fix_under_a_list_that_includes_kosovo() -> None:
    for alias, item in sorted(_need_lists().items()):
        field = analyze_html(page_for(item)).to_dict()["fields"][0]
        if field["verdict"] in ("listed",):
            assert field["fingerprint"] is None or field["fingerprint"]["fix"] is None, alias


def test_libraries_the_database_does_not_know_are_never_named() -> None:
    unknown = {a: i for a, i in _need_lists().items() if i["library"] not in IDS}
    assert len(unknown) >= 4
    for alias, item in unknown.items():
        outcome, field = judge(alias, item)
        assert outcome in ("silent", "family"), (alias, field["fingerprint"])
