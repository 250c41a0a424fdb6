"""One row per real-world variant: what a list says, and the verdict it must get."""

from __future__ import annotations

import pytest

from checks import FieldVerdict, PageVerdict, analyze_html
from tests.lists import ISO, page, select_html, world

US_STATES = [("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"),
             ("CA", "California"), ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"),
             ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"), ("ID", "Idaho"),
             ("IL", "Illinois"), ("IN", "Indiana"), ("IA", "Iowa"), ("KS", "Kansas"),
             ("KY", "Kentucky"), ("LA", "Louisiana"), ("ME", "Maine"), ("MD", "Maryland"),
             ("MA", "Massachusetts"), ("MN", "Minnesota"), ("MS", "Mississippi"),
             ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"), ("PA", "Pennsylvania"),
             ("SC", "South Carolina"), ("SD", "South Dakota"), ("TN", "Tennessee"),
             ("VA", "Virginia"), ("WA", "Washington")]

ROWS = [
    # (id, html, page verdict, kosovo label or None)
    ("english", page(select_html(world())), "listed", "Kosovo"),
    ("albanian-kosova", page(select_html(world("sq", kosovo="Kosova"))), "listed", "Kosova"),
    ("albanian-cldr", page(select_html(world("sq", kosovo="Kosovë"))), "listed", "Kosovë"),
    ("serbian-cyrillic", page(select_html(world("sr", kosovo="Косово"))), "listed", "Косово"),
    ("chinese", page(select_html(world("zh", kosovo="科索沃"))), "listed", "科索沃"),
    ("arabic", page(select_html(world("ar", kosovo="كوسوفو"))), "listed", "كوسوفو"),
    ("hindi", page(select_html(world("hi", kosovo="कोसोवो"))), "listed", "कोसोवो"),
    ("republic-of", page(select_html(world(kosovo="Republic of Kosovo"))), "listed",
     "Republic of Kosovo"),
    ("eu-footnote", page(select_html(world(kosovo="Kosovo*"))), "listed", "Kosovo*"),
    ("odd-value-cs", page(select_html(world(kosovo="Kosovo", kosovo_value="CS"))), "listed",
     "Kosovo"),
    ("odd-value-xkv", page(select_html(world(kosovo="Kosovo", kosovo_value="XKV"))), "listed",
     "Kosovo"),
    ("code-only", page(select_html([(c, c) for c in [*ISO, "XK"]])), "listed", "XK"),
    ("flag-only", page(select_html(
        [(c, "".join(chr(0x1F1E6 + ord(x) - 65) for x in c)) for c in [*ISO, "XK"]])),
     "listed", "🇽🇰"),
    ("alpha3", page(select_html(world(values="alpha3", kosovo_value="XKX"))), "listed", "Kosovo"),
    ("qualified-serbia", page(select_html(world(kosovo="Kosovo (Serbia)"))), "listed_qualified",
     "Kosovo (Serbia)"),
    ("qualified-dash", page(select_html(world(kosovo="Serbia – Kosovo"))), "listed_qualified",
     "Serbia – Kosovo"),
    ("qualified-metohija", page(select_html(world(kosovo="Kosovo and Metohija"))),
     "listed_qualified", "Kosovo and Metohija"),
    ("qualified-1244", page(select_html(world(kosovo="Kosovo (UNSCR 1244)"))), "listed_qualified",
     "Kosovo (UNSCR 1244)"),
    ("missing", page(select_html(world(kosovo=None))), "missing", None),
    ("missing-german", page(select_html(world("de", kosovo=None))), "missing", None),
    ("serbia-including-kosovo", page(select_html(
        [(v, "Serbia (including Kosovo)" if v == "RS" else lbl) for v, lbl in world(kosovo=None)])),
     "missing", None),
    ("shipping-12", page(select_html([(c, c) for c in ("AT", "BE", "DE", "DK", "ES", "FR", "GB",
                                                       "IE", "IT", "NL", "SE", "US")])),
     "restricted", None),
    ("one-country", page(select_html([("US", "United States")])), "restricted", None),
    ("phone-listed", page(select_html(world(dial=True), name="phone_country", label="Code")),
     "listed", "Kosovo (+383)"),
    ("phone-monaco-code", page(select_html(world(dial=True, kosovo_dial="377"),
                                           name="phone_country", label="Code")),
     "wrong_code", "Kosovo (+377)"),
    ("phone-serbia-code", page(select_html(world(dial=True, kosovo_dial="381"),
                                           name="phone_country", label="Code")),
     "wrong_code", "Kosovo (+381)"),
    ("phone-missing", page(select_html(world(dial=True, kosovo=None), name="phone_country",
                                       label="Code")), "missing", None),
    ("state-list-only", page(select_html(US_STATES, name="state", label="State")),
     "no_country_field", None),
    ("state-codes-only", page(select_html([(c, c) for c, _ in US_STATES], name="state",
                                          label="State")), "no_country_field", None),
    ("serbian-districts", page(select_html(
        [("1", "Beograd"), ("2", "Nišavski okrug"), ("3", "Kosovski okrug"),
         ("4", "Kosovska Mitrovica"), ("5", "Pećki okrug"), ("6", "Prizrenski okrug"),
         ("7", "Raški okrug"), ("8", "Zlatiborski okrug"), ("9", "Južnobački okrug")],
        name="okrug", label="Okrug")), "no_country_field", None),
    ("language-picker", page(select_html(
        [("sq-XK", "Albanian (Kosovo)"), ("sq-AL", "Albanian (Albania)"),
         ("en-US", "English (United States)"), ("en-GB", "English (United Kingdom)"),
         ("de-DE", "German (Germany)"), ("sr-RS", "Serbian (Serbia)"),
         ("fr-FR", "French (France)")], name="lang", label="Language")),
     "no_country_field", None),
    ("months", page(select_html([(str(i), m) for i, m in enumerate(
        ["January", "February", "March", "April", "May", "June", "July", "August",
         "September", "October", "November", "December"], 1)], name="month", label="Month")),
     "no_country_field", None),
    ("currencies", page(select_html([("EUR", "EUR Euro"), ("USD", "USD US Dollar"),
                                     ("GBP", "GBP British Pound"), ("CHF", "CHF Swiss Franc"),
                                     ("ALL", "ALL Albanian Lek"), ("RSD", "RSD Serbian Dinar")],
                                    name="currency", label="Currency")), "no_country_field", None),
    ("free-text", page('<label for="c">Country</label><input id="c" name="country">'),
     "free_text", None),
    ("empty-select", page('<label for="c">Country</label><select id="c" name="country">'
                          '<option value="">Loading…</option></select>'), "error", None),
    ("nothing", page('<input name="email" type="email">'), "no_country_field", None),
]


@pytest.mark.parametrize(("html", "verdict", "kosovo"), [r[1:] for r in ROWS],
                         ids=[r[0] for r in ROWS])
def test_verdict(html: str, verdict: str, kosovo: str | None) -> None:
    result = analyze_html(html)
    assert result.verdict.value == verdict
    decisive = [f for f in result.fields if f.kosovo is not None]
    if kosovo is None:
        assert not decisive
    else:
        assert decisive[0].kosovo.label == kosovo


def test_popular_countries_on_top_and_separators() -> None:
    rows = [("US", "United States"), ("GB", "United Kingdom"), ("", "──────────")] + world()
    html = page(select_html(rows))
    field = analyze_html(html).fields[0]
    assert field.verdict is FieldVerdict.LISTED
    assert field.country_count == 250  # duplicates at the top count once


def test_optgroups_by_continent_and_odd_whitespace() -> None:
    groups: dict[str, list[tuple[str, str]]] = {"Europe": [], "Rest of the world": []}
    for value, label in world():
        groups["Europe" if value in ("XK", "RS", "AL", "DE") else "Rest of the world"].append(
            (value, f"\u00a0 {label}\u00a0\n"))
    body = "".join(
        f'<optgroup label="{g}">'
        + "".join(f'<option value="{v}">{lbl}</option>' for v, lbl in opts)
        + "</optgroup>" for g, opts in groups.items())
    result = analyze_html(page(f'<select name="country">{body}</select>'))
    assert result.verdict is PageVerdict.LISTED
    assert result.fields[0].kosovo.label.strip() == "Kosovo"


def test_partial_when_one_world_list_has_kosovo_and_another_lacks_it() -> None:
    html = page(select_html(world(), name="billing"), select_html(world(kosovo=None), name="ship"))
    assert analyze_html(html).verdict is PageVerdict.PARTIAL


def test_restricted_list_beside_a_listed_world_list_is_listed() -> None:
    html = page(select_html(world(), name="billing"),
                select_html([(c, c) for c in ("DE", "FR", "IT")], name="ship", label="Ship to"))
    assert analyze_html(html).verdict is PageVerdict.LISTED


def test_missing_needs_a_world_wide_list() -> None:
    # 149 countries without Kosovo: long, but not world-wide, so never an accusation.
    rows = world(kosovo=None)[:149]
    result = analyze_html(page(select_html(rows)))
    assert result.verdict is PageVerdict.RESTRICTED
    rows = world(kosovo=None)[:150]
    assert analyze_html(page(select_html(rows))).verdict is PageVerdict.MISSING


def test_neighbours_show_where_kosovo_would_stand() -> None:
    field = analyze_html(page(select_html(world(kosovo=None)))).fields[0]
    labels = [o.label for o in field.neighbours]
    assert "Kenya" in labels or "Kiribati" in labels or "Kuwait" in labels


@pytest.mark.parametrize("territory", ["TW", "PS", "EH"])
def test_other_territories_are_configuration(territory: str) -> None:
    from babel import Locale

    name = Locale("en").territories[territory]
    rows = [(v, lbl) for v, lbl in world(kosovo=None) if v != territory]
    assert analyze_html(page(select_html(rows)), territory=territory).verdict is PageVerdict.MISSING
    rows.append((territory, name))
    assert analyze_html(page(select_html(rows)), territory=territory).verdict is PageVerdict.LISTED


def test_unknown_territory_is_an_error() -> None:
    from checks import UnknownTerritory

    with pytest.raises(UnknownTerritory):
        analyze_html("<html></html>", territory="ZZ")


def test_script_data_beside_a_free_text_box_is_not_an_accusation() -> None:
    import json

    data = {"props": {"shipping": [{"code": c, "name": n} for c, n in world(kosovo=None)]}}
    html = page('<label for="c">Country</label><input id="c" name="country">',
                f'<script type="application/json" id="__NEXT_DATA__">{json.dumps(data)}</script>')
    assert analyze_html(html).verdict is PageVerdict.FREE_TEXT


def test_script_data_alone_is_read() -> None:
    import json

    data = {"props": {"countries": [{"code": c, "name": n} for c, n in world(kosovo=None)]}}
    html = page('<div id="__next"></div>',
                f'<script type="application/json" id="__NEXT_DATA__">{json.dumps(data)}</script>')
    result = analyze_html(html)
    assert result.verdict is PageVerdict.MISSING
    assert result.fields[0].control.widget.value == "script_data"


def test_an_empty_select_with_no_country_words_still_asks_for_the_browser() -> None:
    html = page('<label for="f">Where are you from?</label><select id="f" name="from_flag">'
                '<option value="">…</option></select>')
    result = analyze_html(html)
    assert result.verdict is PageVerdict.NO_COUNTRY_FIELD
    assert "empty_select" in result.render_hints and result.needs_browser


def test_script_data_beside_a_list_read_in_part_never_accuses() -> None:
    # The list a person uses is cut (read only in part); a list in the page's data without
    # Kosovo may belong to anything else: it may show Kosovo listed, never absent.
    import json

    from checks.extract import MAX_OPTIONS

    data = {"props": {"countries": [{"code": c, "name": n} for c, n in world(kosovo=None)]}}
    rows = world(kosovo=None) + [(f"t{i}", f"Town {i}") for i in range(MAX_OPTIONS)]
    html = page(select_html(rows),
                f'<script type="application/json" id="__NEXT_DATA__">{json.dumps(data)}</script>')
    result = analyze_html(html)
    assert result.verdict is not PageVerdict.MISSING
    assert all(f.verdict is not FieldVerdict.MISSING for f in result.fields)
    scripted = [f for f in result.fields if f.control.widget.value == "script_data"]
    assert scripted and "not judged" in scripted[0].notes[-1]
