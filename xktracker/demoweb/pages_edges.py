"""Demo pages at the edges of the rules: short lists (restricted), lists that are not
countries (districts, states, languages), dial-code pickers, and pages with no country field
at all (newsletter, blog, login, a bot wall)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from babel import Locale

from xktracker.demoweb.country_data import (
    KOSOVO_DIAL,
    dial_regions,
    flag,
    sort_key,
    subdivisions,
    territory_names,
    world,
)
from xktracker.demoweb.page_kit import (
    LISTED,
    Expect,
    Page,
    esc,
    form_page,
    layout,
    row,
    select,
    text_input,
)
from xktracker.demoweb.shop_kit import country_row, signup_form

SHIPPING_12 = ("BE", "DK", "DE", "FR", "IT", "LU", "NL", "AT", "PL", "SE", "GB", "US")


def shipping_restricted_eu() -> Page:
    """German shop that delivers to 12 countries only: restricted, not missing."""
    de = Locale.parse("de").territories
    pairs = sorted(((c, de[c]) for c in SHIPPING_12), key=lambda p: sort_key(p[1], "de"))
    form = signup_form(
        "de", country_row("de", pairs, placeholder="Lieferland wählen", selected="DE",
                          name="delivery_country", id_="delivery-country", label="Lieferland"),
        heading="Lieferadresse",
        intro="Wir liefern derzeit in die folgenden Länder. Weitere Länder folgen.")
    return Page("shipping-restricted-eu.html", layout(
        lang="de", title="German shop, 12-country delivery list (Nordlicht Home)",
        expect=Expect("restricted", field="restricted"), brand="Nordlicht Home", main=form,
        accent="#3d5a80"))


def delivery_sr_districts() -> Page:
    """Serbian courier form: a district select (not countries) and a text country box."""
    districts = []
    for sub in sorted(subdivisions("RS"), key=lambda s: s.code):
        if sub.code in ("RS-KM", "RS-VO"):
            continue
        label = "Grad Beograd" if sub.code == "RS-00" else str(sub.name)
        if sub.code == "RS-28":
            label = "Kosovsko-mitrovački okrug (Kosovska Mitrovica)"
        elif sub.code == "RS-29":
            label = "Kosovsko-pomoravski okrug"
        districts.append((str(sub.code), label))
    rows = "\n".join([
        row("Ime i prezime", text_input("ime", "ime"), "ime"),
        row("Ulica i broj", text_input("ulica", "ulica"), "ulica"),
        '    <div class="grid">',
        row("Mesto", text_input("mesto", "mesto"), "mesto"),
        row("Poštanski broj", text_input("pb", "pb"), "pb"),
        "    </div>",
        row("Okrug", select("okrug", "okrug", districts, placeholder="Izaberite okrug"),
            "okrug"),
        row("Država", text_input("drzava", "drzava", extra='value="Srbija" '
                                 'autocomplete="country-name"'), "drzava",
            hint="Upišite naziv države primaoca."),
        row("Telefon primaoca", text_input("telefon", "telefon", type_="tel"), "telefon"),
        row("Napomena za kurira", '<textarea id="napomena" name="napomena" rows="2">'
            "</textarea>", "napomena"),
    ])
    main = (
        '<section class="card">\n  <h1>Zakažite preuzimanje pošiljke</h1>\n'
        "  <p>Kurir dolazi na adresu u roku od 24 sata. Cena zavisi od težine pošiljke.</p>\n"
        f'  <form method="post" action="#zakazi">\n{rows}\n'
        '    <button class="primary" type="submit">Pošalji</button>\n  </form>\n</section>'
    )
    return Page("delivery-sr-districts.html", layout(
        lang="sr_Latn", title="Serbian courier form, district list and text country box "
        "(Brza pošta Morava)", expect=Expect("free_text", field="free_text"),
        brand="Brza pošta Morava", main=main, accent="#c6363c"))


LANGUAGE_LOCALES = ("en_US", "en_GB", "de_DE", "de_AT", "fr_FR", "fr_CA", "es_ES", "es_MX",
                    "it_IT", "pt_BR", "nl_NL", "pl_PL", "sv_SE", "tr_TR", "el_GR", "sq_AL",
                    "sq_XK", "sq_MK", "sr_Cyrl_RS", "sr_Latn_RS", "sr_Latn_XK", "bs_BA",
                    "hr_HR", "sl_SI", "mk_MK", "ro_RO", "bg_BG", "uk_UA", "ru_RU", "ar_EG",
                    "he_IL", "hi_IN", "ja_JP", "ko_KR", "zh_Hans_CN", "zh_Hant_TW")
CURRENCIES = ("EUR", "USD", "GBP", "CHF", "ALL", "RSD", "MKD", "BAM", "TRY", "SEK", "NOK",
              "PLN", "JPY", "CNY", "CAD", "AUD")
TIME_ZONES = (
    ("-08:00", "Pacific Time (US & Canada)"), ("-05:00", "Eastern Time (US & Canada)"),
    ("+00:00", "Dublin, Edinburgh, Lisbon, London"),
    ("+01:00", "Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"),
    ("+01:00", "Belgrade, Bratislava, Budapest, Ljubljana, Prague"),
    ("+01:00", "Sarajevo, Skopje, Warsaw, Zagreb, Pristina"),
    ("+02:00", "Athens, Bucharest"), ("+02:00", "Helsinki, Kyiv, Riga, Sofia, Tallinn"),
    ("+03:00", "Istanbul"), ("+03:00", "Moscow, St. Petersburg"), ("+05:30", "New Delhi"),
    ("+08:00", "Beijing, Hong Kong"), ("+09:00", "Osaka, Sapporo, Tokyo"),
    ("+10:00", "Canberra, Melbourne, Sydney"),
)


def settings_language_picker() -> Page:
    """Account settings: language (with "shqip (Kosovë)"), currency, time zone; no country."""
    langs = []
    for tag in LANGUAGE_LOCALES:
        loc = Locale.parse(tag)
        native = str(loc.display_name)
        english = str(loc.get_display_name("en"))
        langs.append((tag.replace("_", "-"), f"{native[:1].upper()}{native[1:]} — {english}"))
    en_cur = Locale.parse("en").currencies
    currencies = [(c, f"{c} – {en_cur[c]}") for c in CURRENCIES]
    zones = [(f"{i}", f"(UTC{off}) {cities}") for i, (off, cities) in enumerate(TIME_ZONES)]
    return form_page(
        "settings-language-picker.html",
        title="Account settings, language picker with Albanian (Kosovo), no country field "
              "(Writely)",
        brand="Writely", heading="Language & region",
        intro="Choose how Writely shows dates, numbers and prices.",
        rows=[
            row("Display language", select("language", "language", langs, selected="en-US"),
                "language"),
            row("Currency", select("currency", "currency", currencies, selected="EUR"),
                "currency"),
            row("Time zone", select("time_zone", "time-zone", zones), "time-zone"),
            row("Date format", select("date_format", "date-format",
                                      [("dmy", "31/12/2026"), ("mdy", "12/31/2026"),
                                       ("ymd", "2026-12-31")]), "date-format"),
        ],
        expect=Expect("no_country_field"), submit="Save changes", accent="#5f4b8b")


def address_us_states_missing() -> Page:
    """A US address form: a state select (AL, CA, DE …) and a world list without Kosovo."""
    states = sorted(
        (s for s in subdivisions("US")
         if s.type in ("State", "District")),
        key=lambda s: str(s.name))
    state_pairs = [(str(s.code).split("-")[1], str(s.name)) for s in states]
    return form_page(
        "address-us-states-missing.html",
        title="US address form, state list plus world list without Kosovo (Liberty Supply)",
        brand="Liberty Supply Co.", heading="Add a shipping address",
        intro="We ship worldwide from our warehouse in Columbus, Ohio.",
        rows=[
            row("Full name", text_input("full_name", "full-name"), "full-name"),
            row("Street address", text_input("address", "address"), "address"),
            row("City", text_input("city", "city"), "city"),
            row("State", select("state", "state", state_pairs, placeholder="Select state"),
                "state", hint="US addresses only."),
            row("ZIP code", text_input("zip", "zip"), "zip"),
            row("Country", select("country", "country", world("en", kosovo=False),
                                  selected="US"), "country"),
        ],
        expect=Expect("missing", field="missing"), submit="Save address", accent="#b22234")


@dataclass(frozen=True)
class PhoneVariant:
    """A phone verification step whose dial-code picker is declared by a table row: Kosovo's
    code (or none), how each option is written, the truth and the style."""

    filename: str
    title: str
    brand: str
    kosovo_code: int | None
    option: Callable[[str, str, int], tuple[str, str]]  # (alpha-2, name, dial) -> (value, label)
    expect: Expect
    selected: str
    accent: str

    def __call__(self) -> Page:
        pairs = [self.option(c, n, d) for c, n, d in dial_regions(kosovo_code=self.kosovo_code)]
        picker = select("phone_country", "phone-country", pairs, selected=self.selected,
                        attrs='aria-label="Country code" autocomplete="tel-country-code"')
        number = text_input("phone", "phone", type_="tel", extra='autocomplete="tel-national"')
        control = f'<div style="display:flex;gap:.5rem">{picker}\n      {number}</div>'
        return form_page(
            self.filename, title=self.title, brand=self.brand,
            heading="Verify your phone number",
            intro="We'll text you a 6-digit code. Standard message rates may apply.",
            rows=[row("Mobile number", control, "phone")], expect=self.expect,
            submit="Send code", accent=self.accent)


PHONE_PAGES: tuple[PhoneVariant, ...] = (
    PhoneVariant("phone-dial-listed.html",
                 "Phone verification, dial codes with Kosovo (+383) (Pingly)", "Pingly",
                 KOSOVO_DIAL, lambda c, n, d: (c, f"{n} (+{d})"), LISTED, "US", "#0a7cff"),
    # An old list that still gives Kosovo Monaco's +377.
    PhoneVariant("phone-dial-wrong-code.html",
                 "SMS signup, dial codes with Kosovo (+377) (OldTel)", "OldTel SMS", 377,
                 lambda c, n, d: (f"+{d}", f"{n} (+{d})"),
                 Expect("wrong_code", field="wrong_code"), "+44", "#6b6b6b"),
    # Flags and every region except Kosovo.
    PhoneVariant("phone-dial-missing.html",
                 "Phone verification, dial codes without Kosovo (QuickVerify)", "QuickVerify",
                 None, lambda c, n, d: (c, f"{flag(c)} {n} +{d}"),
                 Expect("missing", field="missing"), "GB", "#00897b"),
)


def shipping_radio_nordic() -> Page:
    """Five radio buttons for the Nordic countries: restricted."""
    en = territory_names("en")
    radios = "\n".join(
        f'      <label><input type="radio" name="ship_to" value="{c}"> {esc(en[c])}</label>'
        for c in ("DK", "FI", "IS", "NO", "SE"))
    fieldset = (f'    <fieldset class="form-row">\n      <legend>Ship to</legend>\n{radios}\n'
                "    </fieldset>")
    return form_page(
        "shipping-radio-nordic.html",
        title="Shipping, radio group of five Nordic countries (Fjord & Fell)",
        brand="Fjord & Fell", heading="Where should we deliver?",
        intro="We deliver within the Nordic countries only.",
        rows=[fieldset, row("Postcode", text_input("postcode", "postcode"), "postcode")],
        expect=Expect("restricted", field="restricted"), accent="#2a6f97")


def newsletter() -> Page:
    """A newsletter form: name and e-mail, no country."""
    return form_page(
        "newsletter.html", title="Newsletter signup, no country field (The Daily Brief)",
        brand="The Daily Brief", heading="Get the morning briefing",
        intro="Five stories, five minutes, every weekday at 6 am.",
        rows=[
            row("First name", text_input("first_name", "first-name"), "first-name"),
            row("Email", text_input("email", "email", type_="email"), "email"),
            row("Frequency", select("frequency", "frequency",
                                    [("daily", "Every weekday"), ("weekly", "Weekly digest")]),
                "frequency"),
            '    <p><label><input type="checkbox" name="consent" value="1" required> I agree '
            "to receive e-mails and can unsubscribe at any time.</label></p>",
        ],
        expect=Expect("no_country_field"), submit="Subscribe", accent="#222")


BLOG_TEXT = (
    "Prishtina is not a city that tries to impress you on the first day. It grows on you: "
    "the cafés on Mother Teresa Boulevard are full from morning to midnight, the coffee is "
    "the best macchiato I have had outside Italy, and everyone seems to be under thirty.",
    "We arrived by bus from Skopje, which takes about an hour and a half, and checked into "
    "a small guesthouse near the National Library, whose concrete domes and metal lattice "
    "divide opinion but are impossible to forget.",
    "On the second day we drove to the Gadime marble cave and then on to Prizren, with its "
    "Ottoman bridge and the fortress above the old town. The light at sunset from the "
    "fortress walls is worth the steep climb.",
    "Kosovo uses the euro, card payments are accepted almost everywhere in the cities, and "
    "the country code for phone numbers is +383. Buses between the main towns are frequent "
    "and cheap; for the mountains around Peja and the Rugova gorge, rent a car.",
    "The third day was for the Newborn monument, the Ethnographic Museum in an old Ottoman "
    "house, and a long lunch of flija, a layered pancake that takes hours to bake.",
)


def blog_prishtina() -> Page:
    """A travel article about Kosovo with a comment form: words, but no country field."""
    paragraphs = "\n".join(f"  <p>{esc(p)}</p>" for p in BLOG_TEXT * 2)
    comment = "\n".join([
        '  <h2 id="comments">Leave a comment</h2>',
        '  <form method="post" action="#comment">',
        row("Name", text_input("author", "author"), "author"),
        row("Email (not published)", text_input("email", "email", type_="email"), "email"),
        row("Comment", '<textarea id="comment" name="comment" rows="5"></textarea>',
            "comment"),
        '    <button class="primary" type="submit">Post comment</button>',
        "  </form>",
    ])
    main = (f'<article class="card">\n  <h1>Three days in Prishtina</h1>\n'
            f'  <p class="hint">By Mara Lind · 14 min read</p>\n{paragraphs}\n{comment}\n'
            "</article>")
    return Page("blog-prishtina.html", layout(
        lang="en", title="Travel blog post about Kosovo with comment form, no country field",
        expect=Expect("no_country_field"), brand="Slow Roads", main=main, accent="#6a994e"))


def access_denied() -> Page:
    """What a CDN's web application firewall sends: 403 and no form."""
    text = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Access Denied (403 firewall page, no form)</title>
{Expect("blocked", reason="forbidden", status=403).meta_tags()}
<!-- Generated by xktracker/demoweb/make_pages.py. -->
</head>
<body>
<h1>Access Denied</h1>
<p>You don't have permission to access "/account/register" on this server.</p>
<p>Reference #18.3c7f1d17.1763900000.2a9e4b1</p>
</body>
</html>
"""
    return Page("access-denied.html", text)


def login() -> Page:
    """The sign-in page ``/login-redirect`` sends to: e-mail and password only."""
    return form_page(
        "login.html", title="Sign in page, e-mail and password only (Harbor & Pine)",
        brand="Harbor & Pine", heading="Sign in to continue",
        intro="Please sign in to see this page.",
        rows=[
            row("Email", text_input("email", "email", type_="email",
                                    extra='autocomplete="username"'), "email"),
            row("Password", text_input("password", "password", type_="password",
                                       extra='autocomplete="current-password"'), "password"),
            '    <p><a href="#forgot">Forgot your password?</a></p>',
        ],
        expect=Expect("blocked", reason="login_required"), submit="Sign in")
