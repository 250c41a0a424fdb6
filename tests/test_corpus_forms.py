"""Table tests over real captured signup and checkout forms (tests/data/forms-dev.json).

The truth per field is two browser vendors' autofill engines' output. Where that truth
is the engine's own mistake, the row is listed in FIELD_EXCEPTIONS with its reason
rather than bending our engine to it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checks import FieldVerdict, analyze_html
from tests.corpus_html import form_html

PAGES = json.loads((Path(__file__).parent / "data" / "forms-dev.json").read_text("utf-8"))

# Our page verdict for each captured page, checked by hand against its options.
PAGE_VERDICTS = {
    "CostCo_ShippingAddress": "restricted",  # a one-option "United States" select
    "Euronics_Payment": "missing",  # a 242-entry dial-code picker with no +383 (see below)
    "NewEgg_ShippingInfo": "restricted",
    "001_i18n_de2": "free_text",
    "018_checkout_ae.com": "restricted",  # 77 countries: not world-wide
    "021_checkout_cduniverse.com": "listed",
    "023_checkout_gamestop.com": "missing",
    "030_checkout_lowes.com": "free_text",
    "037_checkout_qvc.com": "restricted",  # US + Canada
    "043_register_adobe.com": "missing",
    "049_register_ebay.com": "missing",  # numeric ids as values, names as labels
    "054_register_hotels.com": "missing",
    "060_register_mcphee.com": "restricted",
    "069_register_signup.clicksor.com": "missing",  # GeoIP-style list with CS/YU, no Kosovo
    "075_register_trueblue.jetblue.com": "missing",  # alpha-3 values
    "079_crbug_52198": "missing",
    "089_crbug_224601": "missing",
    "106_checkout_m_amazon.com": "missing",  # no label: the prompt option says "Country:"
    "110_checkout_harryanddavid.com": "restricted",  # 58 countries
    "151_ticketmaster.com": "free_text",
    "162_i18n_tr2": "free_text",
    "087_crbug_98286": "no_country_field",
    "136_bug_497850": "no_country_field",  # card types AX/DC/CA/VI look like codes
}

# (page id, field name or id) → (our kind, why the recorded truth is not ours)
FIELD_EXCEPTIONS = {
    ("Euronics_Payment", "billingCountry"): (
        "country", "the engine skips a display:none select; hidden selects often back a "
                   "custom widget, so we read them (a one-country list: restricted)"),
    ("Euronics_Payment", "billingPrefix"): (
        "phone_country_code", "the engine does not type dial-code selects; this one offers 242 "
                              "world dial codes and not +383, so Kosovars cannot give a phone"),
    ("018_checkout_ae.com", "countryTypeShipAddField"): (
        "other", "its options are address types (US, Canadian, military, international)"),
    ("018_checkout_ae.com", "countryTypeBillAddField"): (
        "other", "its options are address types (US, Canadian, military, international)"),
}


def _field_rows():
    for page in PAGES:
        for i, field in enumerate(page["fields"]):
            yield pytest.param(page, i, id=f"{page['id']}:{field['id'] or field['name'] or i}")


@pytest.fixture(scope="module")
def results():
    return {page["id"]: analyze_html(form_html(page)) for page in PAGES}


def test_every_page_has_a_verdict_in_the_table():
    assert {p["id"] for p in PAGES} == set(PAGE_VERDICTS)


@pytest.mark.parametrize("page", PAGES, ids=[p["id"] for p in PAGES])
def test_page_verdict(page, results):
    result = results[page["id"]]
    assert result.verdict.value == PAGE_VERDICTS[page["id"]]
    expected = page["expected"]
    listed = [f for f in result.fields if f.verdict is FieldVerdict.LISTED]
    if expected["kosovo_listed"] is True:
        assert listed
        assert listed[0].kosovo.label == expected["kosovo_label"]
        assert listed[0].kosovo.value == expected["kosovo_value"]
    elif expected["kosovo_listed"] is False:
        assert not listed
    assert (result.verdict.value != "no_country_field") == expected["has_country_field"]


@pytest.mark.parametrize(("page", "index"), list(_field_rows()))
def test_field_kind(page, index, results):
    field = page["fields"][index]
    ident = field["id"] or None
    found = [f for f in results[page["id"]].fields
             if (ident and f.control.id == ident) or (not ident and f.control.name == field["name"]
                                                      and field["name"])]
    ours = found[0].kind.value if found else "other"
    key = field["id"] or field["name"]
    expected, _why = FIELD_EXCEPTIONS.get((page["id"], key), (field["truth"], None))
    assert ours == expected


def test_no_world_list_without_kosovo_is_called_anything_but_missing(results):
    for page in PAGES:
        for f in results[page["id"]].fields:
            if f.country_count >= 150 and f.kosovo is None:
                assert f.verdict is FieldVerdict.MISSING
            if f.verdict is FieldVerdict.MISSING:
                assert f.country_count >= 150
