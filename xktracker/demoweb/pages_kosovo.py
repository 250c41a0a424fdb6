"""Demo pages that name Kosovo each way real sites do: its own option, the EU footnote form,
under another state or a resolution (a table of variants), by code, by flag, by alpha-3, in
messy or ARIA markup, and as a select's first option."""

from __future__ import annotations

from dataclasses import dataclass

import pycountry

from xktracker.demoweb.country_data import (
    ISO_CODES,
    KOSOVO,
    alpha3,
    continent,
    flag,
    sort_key,
    territory_names,
    world,
)
from xktracker.demoweb.page_kit import (
    COUNTRIES,
    LISTED,
    Expect,
    Field,
    FormPageSpec,
    Page,
    esc,
    form_page,
    layout,
    option_tags,
    row,
    select,
    text_input,
)

EU_FOOTNOTE = ("* This designation is without prejudice to positions on status, and is in "
               "line with UNSCR 1244/1999 and the ICJ Opinion on the Kosovo declaration of "
               "independence.")


def application_kosovo_asterisk() -> Page:
    """An EU-funded programme form: "Kosovo*" with the usual footnote."""
    countries = world("en", kosovo="Kosovo*")
    form = "\n".join([
        '<section class="card">',
        "  <h1>Apply for a youth exchange</h1>",
        "  <p>EuroBridge brings together young people from programme and partner countries "
        "for two-week exchanges. Applications close on 15 March 2026.</p>",
        '  <form method="post" action="#apply">',
        row("Full name", text_input("full_name", "full-name"), "full-name"),
        row("Date of birth", text_input("dob", "dob", type_="date"), "dob"),
        row("Email", text_input("email", "email", type_="email"), "email"),
        row("Country of residence", select("residence", "residence", countries,
                                           placeholder="– Select –"), "residence"),
        row("Sending organisation", text_input("organisation", "organisation"),
            "organisation"),
        row("Motivation (max. 1,500 characters)",
            '<textarea id="motivation" name="motivation" rows="6" maxlength="1500">'
            "</textarea>", "motivation"),
        '    <button class="primary" type="submit">Submit application</button>',
        "  </form>",
        f'  <p class="hint" id="footnote">{esc(EU_FOOTNOTE)}</p>',
        "</section>",
    ])
    return Page("application-kosovo-asterisk.html", layout(
        lang="en", title="Programme application, EU footnote form Kosovo* (EuroBridge)",
        expect=LISTED, brand="EuroBridge Youth Exchange", main=form, accent="#003399"))


@dataclass(frozen=True)
class KosovoVariant:
    """A declared page whose world list names Kosovo as ``kosovo`` (a table row, below)."""

    kosovo: str
    spec: FormPageSpec

    def __call__(self) -> Page:
        return self.spec.build(world("en", kosovo=self.kosovo))


QUALIFIED = Expect("listed_qualified", field="listed_qualified")
# Kosovo under another state or a resolution: each page differs only in its words and label.
QUALIFIED_PAGES: tuple[KosovoVariant, ...] = (
    KosovoVariant("Kosovo (Serbia)", FormPageSpec(
        "booking-kosovo-serbia.html",
        title="Flight booking, Kosovo (Serbia) qualifier (Adria Skyways)",
        brand="Adria Skyways", heading="Passenger details",
        intro="Enter the names exactly as they appear in the passport. Flight JU 412 "
              "Vienna → Dubrovnik, 12 June 2026.",
        fields=(
            Field("Title", "title", "title", options=(("MR", "Mr"), ("MRS", "Mrs"),
                                                     ("MS", "Ms"))),
            Field("Given names", "given_names", "given-names"),
            Field("Surname", "surname", "surname"),
            Field("Nationality", "nationality", "nationality", options=COUNTRIES,
                  placeholder="Select nationality"),
            Field("Passport issuing country", "passport_country", "passport-country",
                  options=COUNTRIES, placeholder="Select country"),
            Field("Passport number", "passport_number", "passport-number"),
        ),
        expect=QUALIFIED, accent="#7a1f3d")),
    KosovoVariant("Kosovo (UNSCR 1244)", FormPageSpec(
        "conference-kosovo-unscr.html",
        title="Conference registration, Kosovo (UNSCR 1244) qualifier (Balkan Data Summit)",
        brand="Balkan Data Summit 2026", heading="Register to attend",
        intro="Two days of talks on open data, statistics and public-sector technology. "
              "Early-bird tickets until 1 May.",
        fields=(
            Field("Name", "name", "name"),
            Field("Organisation", "org", "org"),
            Field("Email", "email", "email", type_="email"),
            Field("Country", "country", "country", options=COUNTRIES,
                  placeholder="Please select"),
            Field("Ticket", "ticket", "ticket", options=(("std", "Standard – €180"),
                                                        ("stu", "Student – €60"),
                                                        ("ngo", "NGO – €90"))),
            Field("Dietary requirements", "diet", "diet"),
        ),
        expect=QUALIFIED, submit="Register", accent="#4b2e83")),
    KosovoVariant("Kosovo and Metohija", FormPageSpec(
        "signup-kosovo-metohija.html",
        title="Rail pass signup, Kosovo and Metohija qualifier (Balkan Rail Pass)",
        brand="Balkan Rail Pass", heading="Create your traveller profile",
        intro="Your profile holds your passes and seat reservations.",
        fields=(
            Field("Name", "name", "name"),
            Field("Email", "email", "email", type_="email"),
            Field("Country of residence", "country", "country", options=COUNTRIES,
                  placeholder="Select"),
            Field("Password", "password", "password", type_="password"),
        ),
        expect=QUALIFIED, accent="#2e5e4e")),
)


def billing_codes_only() -> Page:
    """A developer console whose country options are bare ISO codes, XK among them."""
    codes = [(c, c) for c in sorted((*ISO_CODES, KOSOVO))]
    return form_page(
        "billing-codes-only.html",
        title="Billing settings, code-only country list with XK (Stackforge)",
        brand="Stackforge", heading="Billing details",
        intro="Used on invoices. Tax is calculated from the billing country.",
        rows=[
            row("Company name", text_input("company", "company"), "company"),
            row("VAT / tax ID", text_input("tax_id", "tax-id"), "tax-id"),
            row("Billing country (ISO)", select("billing_country", "billing-country", codes,
                                                selected="US"), "billing-country"),
            row("Billing email", text_input("billing_email", "billing-email", type_="email"),
                "billing-email"),
        ],
        expect=LISTED, submit="Save", accent="#24292f")


def profile_flags_only() -> Page:
    """A chat profile: the country is picked by flag alone (🇽🇰 for Kosovo)."""
    ordered = world("en")
    flags = [(str(i + 1), flag(code)) for i, (code, _name) in enumerate(ordered)]
    return form_page(
        "profile-flags-only.html",
        title="Profile, flag-emoji-only country list with 🇽🇰 (Mingle)",
        brand="Mingle", heading="Edit profile",
        intro="Tell people a bit about yourself.",
        rows=[
            row("Display name", text_input("display_name", "display-name"), "display-name"),
            row("Bio", '<textarea id="bio" name="bio" rows="3"></textarea>', "bio"),
            row("Where are you from?", select("from_flag", "from-flag", flags,
                                              placeholder="🏳️"), "from-flag"),
        ],
        expect=LISTED, submit="Save profile", accent="#7b3fe4")


def quote_alpha3() -> Page:
    """Freight quote with ISO alpha-3 values; Kosovo is XKX."""
    pairs = [(alpha3(code), name) for code, name in world("en")]
    return form_page(
        "quote-alpha3.html",
        title="Freight quote, alpha-3 values with XKX (CargoLine)",
        brand="CargoLine Freight", heading="Get a freight quote",
        intro="Door-to-door road and sea freight. We answer within one working day.",
        rows=[
            row("Origin country", select("origin", "origin", pairs, placeholder="Origin"),
                "origin"),
            row("Destination country", select("destination", "destination", pairs,
                                              placeholder="Destination"), "destination"),
            row("Weight (kg)", text_input("weight", "weight", type_="number"), "weight"),
            row("Pallets", text_input("pallets", "pallets", type_="number"), "pallets"),
            row("Email", text_input("email", "email", type_="email"), "email"),
        ],
        expect=LISTED, submit="Request quote", accent="#005f73")


def signup_messy_select() -> Page:
    """Popular countries first, a disabled separator, continents as optgroups, stray
    whitespace, ``&nbsp;`` and footnote marks; Kosovo sits in the Europe group."""
    en = territory_names("en")
    marks = {"TW": " †", "PS": " †", "EH": " ‡"}
    quirks = {"BA": "Bosnia&nbsp;&amp;&nbsp;Herzegovina",
              "XK": "\n          Kosovo\n        ",
              "AE": "United  Arab  Emirates",
              "GB": "United Kingdom ",
              "CI": " Côte d’Ivoire"}

    def label(code: str) -> str:
        raw = quirks.get(code, esc(en[code]))
        return raw + esc(marks.get(code, ""))

    lines = ['        <option value="">Select your country</option>']
    for code in ("US", "GB", "DE", "FR", "CA"):
        lines.append(f'        <option value="{code}">{label(code)}</option>')
    lines.append('        <option disabled>──────────────</option>')
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, name in world("en"):
        groups.setdefault(continent(code), []).append((code, name))
    for group in sorted(groups):
        lines.append(f'        <optgroup label="{esc(group)}">')
        for code, _name in groups[group]:
            lines.append(f'          <option value="{code}">{label(code)}</option>')
        lines.append("        </optgroup>")
    control = ('<select id="country" name="country">\n' + "\n".join(lines)
               + "\n      </select>")
    legend = ('<p class="hint">† Listed as the territory is commonly known; no political '
              "position implied. ‡ Non-self-governing territory.</p>")
    return form_page(
        "signup-messy-select.html",
        title="Club signup, messy grouped select with Kosovo (Globetrotter Club)",
        brand="Globetrotter Club", heading="Join the club",
        intro="Members swap travel tips, trip reports and spare rooms.",
        rows=[
            row("Nickname", text_input("nick", "nick"), "nick"),
            row("Email", text_input("email", "email", type_="email"), "email"),
            row("Home country", control, "country"),
            legend,
        ],
        expect=LISTED, submit="Join", accent="#e07a1f")


def signup_aria_listbox() -> Page:
    """A custom dropdown already rendered in the HTML as an ARIA listbox."""
    items = "\n".join(
        f'        <li role="option" id="country-opt-{c}" data-value="{c}" '
        f'aria-selected="false">{esc(n)}</li>' for c, n in world("en"))
    control = (
        '<div class="combo">\n'
        '        <button type="button" id="country-button" role="combobox" '
        'aria-haspopup="listbox" aria-expanded="true" aria-controls="country-listbox" '
        'aria-labelledby="country-label">Choose a country</button>\n'
        '        <ul id="country-listbox" role="listbox" aria-labelledby="country-label" '
        'tabindex="-1" style="max-height:14em;overflow:auto;list-style:none;margin:.3rem 0;'
        'padding:0;border:1px solid #c4ccd4;border-radius:6px">\n'
        f"{items}\n        </ul>\n"
        '        <input type="hidden" name="country" value="">\n      </div>'
    )
    country = ('    <div class="form-row">\n      <span id="country-label" '
               'style="font-weight:600">Country or region</span>\n'
               f"      {control}\n    </div>")
    return form_page(
        "signup-aria-listbox.html",
        title="Notes app signup, ARIA listbox of countries with Kosovo (Nimbus Notes)",
        brand="Nimbus Notes", heading="Create your Nimbus account",
        intro="Free for personal use. No credit card needed.",
        rows=[
            row("Email", text_input("email", "email", type_="email"), "email"),
            row("Password", text_input("password", "password", type_="password"),
                "password"),
            country,
        ],
        expect=LISTED, submit="Sign up", accent="#3559e0")


def register_first_option_label() -> Page:
    """An old table layout: the select's only label is its first option."""
    pairs = []
    for code, _name in world("en", kosovo=False):
        country = pycountry.countries.get(alpha_2=code)
        assert country is not None
        pairs.append((str(country.name), str(country.name)))
    pairs.sort(key=lambda p: sort_key(p[1], "en"))
    opts = option_tags(pairs, placeholder="Country:")
    table = f"""<section class="card">
  <h1>Join RetroForum</h1>
  <form method="post" action="#register">
  <table>
    <tr><td>Username:</td><td><input type="text" name="username" size="20"></td></tr>
    <tr><td>Password:</td><td><input type="password" name="pass1" size="20"></td></tr>
    <tr><td>Repeat:</td><td><input type="password" name="pass2" size="20"></td></tr>
    <tr><td>E-mail:</td><td><input type="text" name="email" size="30"></td></tr>
    <tr><td colspan="2"><select name="country">
{opts}
      </select></td></tr>
    <tr><td colspan="2"><input type="submit" value="Register"></td></tr>
  </table>
  </form>
</section>"""
    return Page("register-first-option-label.html", layout(
        lang="en", title="Forum registration, select labelled only by its first option, "
        "no Kosovo (RetroForum)", expect=Expect("missing", field="missing"),
        brand="RetroForum", main=table, accent="#336699"))


def register_wrapping_label() -> Page:
    """A ``<label>`` that wraps its select (no ``for``); lowercase codes, Kosovo listed."""
    opts = option_tags([(c.lower(), n) for c, n in world("en")], placeholder="—")
    control = (f'    <div class="form-row"><label>Country\n      <select name="country">\n'
               f"{opts}\n      </select></label></div>")
    return form_page(
        "register-wrapping-label.html",
        title="Makers signup, label wrapping the country select, Kosovo listed (Makers Guild)",
        brand="Makers Guild", heading="Become a member",
        intro="Workshops, tool library and a bench of your own.",
        rows=[
            '    <div class="form-row"><label>Name <input type="text" name="name"></label>'
            "</div>",
            '    <div class="form-row"><label>Email <input type="email" name="email">'
            "</label></div>",
            control,
        ],
        expect=LISTED, submit="Join", accent="#6d597a")
