"""How ``checks`` judges lists that were not read all at once: typed, scrolled, cut short;
web components' light-DOM options; codes a row shows or only carries; fields in another
origin's frame; and the signs that send a page to the browser."""

from __future__ import annotations

import html

import pytest

from checks import Control, Enumeration, FieldVerdict, Option, PageVerdict, Widget, analyze_html
from checks import analyze_page as analyze
from tests.lists import page, world

XK_WORLD = world()
NO_XK_WORLD = world(kosovo=None)
SHORT = [("AT", "Austria"), ("BE", "Belgium"), ("DE", "Germany"), ("FR", "France")]


def _combo(rows: list[tuple[str, str]], how: Enumeration, *, label: str = "Country",
           ident: str = "country") -> dict[str, object]:
    return Control(Widget.COMBOBOX, f"#{ident}", tuple(Option(v, lbl) for v, lbl in rows),
                   id=ident, label=label, enumeration=how).to_dict()


def _only_field(result):  # type: ignore[no-untyped-def]
    decisive = [f for f in result.fields if f.verdict is not FieldVerdict.UNKNOWN]
    return decisive[0] if decisive else result.fields[0]


# -- web components ---------------------------------------------------------------------------


def _options(tag: str, rows: list[tuple[str, str]], *, headline: bool = False) -> str:
    def inner(label: str) -> str:
        text = html.escape(label)
        return f'<div slot="headline">{text}</div><div slot="supporting-text">x</div>' \
            if headline else text
    return "".join(f'<{tag} value="{v}">{inner(lbl)}</{tag}>' for v, lbl in rows)


@pytest.mark.parametrize(("host", "option", "headline"), [
    ("sl-select", "sl-option", False),
    ("ion-select", "ion-select-option", False),
    ("md-outlined-select", "md-select-option", True),
    ("sp-picker", "sp-menu-item", False),
])
def test_web_component_options_are_read_from_the_light_dom(host, option, headline) -> None:
    shadow = ('<template shadowrootmode="open"><div role="combobox" aria-controls="lb"></div>'
              '<div id="lb" role="listbox"><slot></slot></div>'
              '<md-menu-item>Shadow part</md-menu-item></template>')
    markup = (f'<{host} id="country" label="Country">{shadow}'
              f'{_options(option, XK_WORLD, headline=headline)}</{host}>')
    result = analyze_html(page(markup))
    assert result.verdict is PageVerdict.LISTED
    (field,) = result.fields  # the shadow parts are the same field, not another one
    assert field.control.label == "Country"
    assert field.option_count == len(XK_WORLD)
    missing = analyze_html(page(f'<{host} label="Country">'
                                f'{_options(option, NO_XK_WORLD, headline=headline)}</{host}>'))
    assert missing.verdict is PageVerdict.MISSING


def test_a_native_select_inside_a_web_component_is_read_once() -> None:
    rows = "".join(f'<option value="{v}">{html.escape(lbl)}</option>' for v, lbl in XK_WORLD)
    result = analyze_html(page(f'<my-country-select><select name="country">{rows}</select>'
                               "</my-country-select>"))
    assert [f.control.widget for f in result.fields] == [Widget.SELECT]


# -- how completely a list was read -----------------------------------------------------------


def test_a_typed_search_that_shows_the_territory_lists_it_however_few_rows() -> None:
    result = analyze(page(), [_combo([("XK", "Kosovo (Serbia)")], Enumeration.TYPED)])
    field = _only_field(result)
    assert field.verdict is FieldVerdict.LISTED_QUALIFIED
    assert "typing showed Kosovo" in field.notes[0]


def test_a_typed_world_list_without_the_territory_is_missing() -> None:
    result = analyze(page(), [_combo(NO_XK_WORLD, Enumeration.TYPED)])
    field = _only_field(result)
    assert field.verdict is FieldVerdict.MISSING
    assert "every first letter" in field.notes[0]


def test_a_typed_short_list_proves_nothing() -> None:
    result = analyze(page(), [_combo(SHORT, Enumeration.TYPED)])
    assert result.verdict is PageVerdict.ERROR and result.reason == "unrendered"
    assert "too few to prove a world list" in result.fields[0].notes[0]


@pytest.mark.parametrize("rows", [NO_XK_WORLD, SHORT])
def test_a_partial_reading_is_never_an_absence(rows) -> None:
    result = analyze(page(), [_combo(rows, Enumeration.PARTIAL)])
    assert result.verdict is PageVerdict.ERROR and result.reason == "unrendered"
    assert all(f.verdict is FieldVerdict.UNKNOWN for f in result.fields)


def test_a_partial_reading_that_shows_the_territory_lists_it() -> None:
    result = analyze(page(), [_combo(XK_WORLD[:140], Enumeration.PARTIAL)])
    assert result.verdict is PageVerdict.LISTED


def test_a_list_scrolled_to_its_end_is_judged_whole() -> None:
    assert analyze(page(), [_combo(NO_XK_WORLD, Enumeration.SCROLLED)]).verdict \
        is PageVerdict.MISSING
    result = analyze(page(), [_combo(SHORT, Enumeration.SCROLLED)])
    assert result.verdict is PageVerdict.RESTRICTED
    assert "scrolled to its end" in result.fields[0].notes[0]


def test_a_widget_read_to_its_end_replaces_the_rows_its_document_showed() -> None:
    """A virtual list's document holds only the rows in view: the probe's reading wins."""
    drawn = "".join(f'<div role="option" data-value="{v}">{html.escape(lbl)}</div>'
                    for v, lbl in NO_XK_WORLD[:10])
    markup = (f'<div id="picker" role="combobox" aria-controls="rows" aria-label="Country">'
              f'</div><div id="rows" role="listbox">{drawn}</div>')
    alone = analyze(page(markup))
    assert alone.verdict is PageVerdict.RESTRICTED  # what the document alone would say
    result = analyze(page(markup), [_combo(XK_WORLD, Enumeration.SCROLLED, ident="picker")])
    assert result.verdict is PageVerdict.LISTED
    assert [f.option_count for f in result.fields] == [len(XK_WORLD)]


def test_the_enumeration_travels_with_the_control() -> None:
    control = Control.from_dict(_combo(SHORT, Enumeration.TYPED))
    assert control.enumeration is Enumeration.TYPED
    assert Control.from_dict({"widget": "select"}).enumeration is Enumeration.WHOLE
    field = _only_field(analyze(page(), [_combo(NO_XK_WORLD, Enumeration.TYPED)]))
    assert field.to_dict()["enumeration"] == "typed"


# -- dial codes a person reads ---------------------------------------------------------------


def _phone_rows(kosovo_row: str) -> str:
    rows = [f'<li role="option" data-country-code="{v.lower()}" data-dial-code="1">'
            f'<span class="country-name">{html.escape(lbl)}</span>'
            f'<span class="dial-code">+{dial}</span></li>'
            for v, lbl, dial in [("DE", "Germany", 49), ("FR", "France", 33),
                                 ("US", "United States", 1), ("AL", "Albania", 355),
                                 ("RS", "Serbia", 381)]]
    return ('<ul role="listbox" aria-label="Country code">' + "".join(rows) + kosovo_row
            + "</ul>")


def test_an_attribute_every_row_shares_is_not_a_dial_code() -> None:
    """react-phone-input-2 writes data-dial-code="1" on every row; the row shows +383."""
    row = ('<li role="option" data-country-code="xk" data-dial-code="1">'
           '<span class="country-name">Kosovo</span><span class="dial-code">+383</span></li>')
    result = analyze_html(page(_phone_rows(row)))
    field = _only_field(result)
    assert field.verdict is FieldVerdict.LISTED
    assert field.kosovo is not None and field.kosovo.dial_code == "+383"


def test_a_code_shown_for_the_territory_is_a_wrong_code() -> None:
    row = ('<li role="option" data-country-code="xk">'
           '<span class="country-name">Kosovo</span><span class="dial-code">+381</span></li>')
    assert analyze_html(page(_phone_rows(row))).verdict is PageVerdict.WRONG_CODE


def test_a_code_only_in_the_value_is_not_a_wrong_code() -> None:
    rows = [(f"+{d}", f"{n} (+{d})") for n, d in [("Germany", 49), ("France", 33),
                                                  ("Albania", 355), ("Serbia", 381)]]
    rows.append(("+381", "Kosovo"))
    options = "".join(f'<option value="{v}">{lbl}</option>' for v, lbl in rows)
    result = analyze_html(page(f'<select name="phone_code">{options}</select>'))
    field = _only_field(result)
    assert field.verdict is FieldVerdict.LISTED
    assert any("+381 in its value but shows no code" in n for n in field.notes)


# -- frames of other origins -----------------------------------------------------------------


def test_a_field_in_another_origins_payment_frame_names_the_provider() -> None:
    options = "".join(f'<option value="{v}">{html.escape(lbl)}</option>'
                      for v, lbl in NO_XK_WORLD)
    frame = ('<html><body><input name="cardnumber" autocomplete="cc-number">'
             f'<select name="country">{options}</select></body></html>')
    result = analyze(page("<p>Checkout</p>"), frames=[("https://js.pay.example/f#x", frame)],
                     url="https://shop.example/checkout")
    field = _only_field(result)
    assert result.verdict is PageVerdict.MISSING
    assert field.control.frame == "https://js.pay.example"
    assert field.to_dict()["frame"] == "https://js.pay.example"
    assert any("the payment form served by js.pay.example" in n for n in field.notes)
    same = analyze(page("<p>Checkout</p>"), frames=[("https://shop.example/f", frame)],
                   url="https://shop.example/checkout")
    assert not any("served by" in n for n in _only_field(same).notes)


# -- signs that the list is drawn by script -----------------------------------------------------


@pytest.mark.parametrize(("markup", "hint"), [
    ('<label for="p">Phone</label><input type="tel" id="p" name="phone">', "tel_input"),
    ('<div id="country" name="country"></div>', "empty_widget"),
    ('<div class="vscomp-ele"></div>', "empty_widget"),
    ('<p>x</p><script src="/assets/intlTelInput.min.js"></script>', "picker_script"),
    ('<p>x</p><script>$("#c").select2({});</script>', "picker_script"),
    ('<section aria-busy="true">Loading the address form…</section>', "loading"),
])
def test_new_signs_send_the_page_to_the_browser(markup: str, hint: str) -> None:
    result = analyze_html(page(markup))
    assert result.verdict is PageVerdict.NO_COUNTRY_FIELD
    assert hint in result.render_hints
    assert result.needs_browser


def test_a_plain_page_keeps_no_sign() -> None:
    result = analyze_html(page('<label for="e">Email</label><input type="email" id="e">'
                               '<div class="note"></div>'))
    assert result.render_hints == ()


def test_a_widgets_data_attribute_completes_what_it_draws() -> None:
    """A virtual list draws ten rows of the world list its element carries as data."""
    import json

    data = html.escape(json.dumps([{"value": v, "label": lbl} for v, lbl in NO_XK_WORLD]))
    markup = (f'<div id="country" class="vscomp-ele" data-options="{data}">'
              '<div role="combobox" aria-label="Country"></div></div>')
    result = analyze_html(page(markup))
    assert result.verdict is PageVerdict.MISSING
    field = _only_field(result)
    assert field.control.widget is Widget.SCRIPT_DATA
    assert "data attribute data-options" in field.control.hints
    listed = analyze_html(page(markup.replace(
        html.escape('"label": "Kuwait"'), html.escape('"label": "Kuwait"}, {"value": "XK", '
                                                      '"label": "Kosovo"'))))
    assert listed.verdict is PageVerdict.LISTED
