"""Write the static pages of the demo web from real country data.

The pages are fixtures: a checker is judged by them, so their country lists must look
like the ones real sites ship. Hand-typing 250 names per language would drift from the
truth; this script builds every list from pycountry (ISO 3166-1), babel (CLDR names per
locale) and phonenumbers (dial codes), adds Kosovo itself where a page should list it,
and wraps the lists in pages that look like real signup, checkout and profile forms.

Run ``python -m xktracker.demoweb.make_pages`` to rewrite the pages, ``--check`` to
verify that the committed pages are what this script writes. Output is deterministic:
no clocks, no randomness. Only the files named here are written; other files in
``pages/`` (JavaScript-widget pages written by hand) are left alone.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import phonenumbers
import pycountry
from babel import Locale

PAGES_DIR = Path(__file__).with_name("pages")
KOSOVO = "XK"
KOSOVO_ALPHA3 = "XKX"
KOSOVO_DIAL = 383

ISO_CODES: tuple[str, ...] = tuple(sorted(c.alpha_2 for c in pycountry.countries))

# --------------------------------------------------------------------------- data


def territory_names(locale: str) -> dict[str, str]:
    """CLDR names of the 249 ISO countries plus Kosovo, in one locale."""
    names = Locale.parse(locale).territories
    table = {code: names[code] for code in ISO_CODES}
    table[KOSOVO] = names[KOSOVO]
    return table


# Serbian Cyrillic alphabet order (азбука); code-point order puts Ђ, Ј, Љ … last.
_SR_CYRILLIC = "АБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШ"
_SR_RANK = {letter: rank for rank, letter in enumerate(_SR_CYRILLIC)}


def sort_key(name: str, locale: str) -> tuple[object, ...]:
    """Alphabetical key as a reader of ``locale`` expects it (accents folded)."""
    if locale.split("_")[0] == "sr" and not locale.endswith("Latn"):
        return tuple(_SR_RANK.get(ch, 100 + ord(ch)) for ch in name.upper())
    decomposed = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return (folded.casefold().replace("\u00a0", " "), name)


def world(
    locale: str = "en",
    *,
    kosovo: bool | str = True,
    order: str | None = None,
    exclude: Iterable[str] = (),
    rename: dict[str, str] | None = None,
) -> list[tuple[str, str]]:
    """Every ISO country as (alpha-2, label), alphabetical, Kosovo in its place.

    ``kosovo`` is False to leave Kosovo out, or a string to label it differently
    ("Kosovo (Serbia)"). ``order`` sorts by another locale's names (Chinese sites often
    keep the English order).
    """
    table = territory_names(locale)
    if kosovo is False:
        del table[KOSOVO]
    elif isinstance(kosovo, str):
        table[KOSOVO] = kosovo
    for code in exclude:
        table.pop(code, None)
    table.update(rename or {})
    keys = territory_names(order) if order else table
    sort_locale = order or locale
    return sorted(table.items(), key=lambda item: sort_key(keys[item[0]], sort_locale))


def alpha3(code: str) -> str:
    """ISO alpha-3 code; Kosovo's user-assigned XKX is not in ISO data."""
    if code == KOSOVO:
        return KOSOVO_ALPHA3
    country = pycountry.countries.get(alpha_2=code)
    assert country is not None, code
    return str(country.alpha_3)


def dial_code(code: str) -> int:
    """International dial code of a region, 0 when it has none (Antarctica …)."""
    return int(phonenumbers.country_code_for_region(code))


def subdivisions(country: str) -> list[Any]:
    """ISO 3166-2 subdivisions of a country (pycountry's lookup is untyped)."""
    return [s for s in pycountry.subdivisions if s.country_code == country]


def flag(code: str) -> str:
    """The flag emoji: two regional-indicator letters."""
    return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in code)


# ------------------------------------------------------------------------ html bits


def esc(text: str) -> str:
    """HTML-escape text for element content and attribute values."""
    return html.escape(text, quote=True)


def option_tags(
    pairs: Iterable[tuple[str, str]],
    *,
    placeholder: str | None = None,
    selected: str | None = None,
    indent: str = "        ",
) -> str:
    """``<option>`` lines for (value, label) pairs."""
    lines = []
    if placeholder is not None:
        lines.append(f'{indent}<option value="">{esc(placeholder)}</option>')
    for value, label in pairs:
        sel = " selected" if value == selected else ""
        lines.append(f'{indent}<option value="{esc(value)}"{sel}>{esc(label)}</option>')
    return "\n".join(lines)


def select(
    name: str,
    id_: str,
    pairs: Iterable[tuple[str, str]],
    *,
    placeholder: str | None = None,
    selected: str | None = None,
    attrs: str = "",
) -> str:
    """A ``<select>`` element."""
    extra = f" {attrs}" if attrs else ""
    body = option_tags(pairs, placeholder=placeholder, selected=selected)
    return f'<select id="{esc(id_)}" name="{esc(name)}"{extra}>\n{body}\n      </select>'


def row(label: str, control: str, for_id: str | None, *, hint: str | None = None) -> str:
    """One labelled form row."""
    for_attr = f' for="{esc(for_id)}"' if for_id else ""
    hint_html = f'\n      <p class="hint">{esc(hint)}</p>' if hint else ""
    return (
        f'    <div class="form-row">\n      <label{for_attr}>{esc(label)}</label>\n'
        f"      {control}{hint_html}\n    </div>"
    )


def text_input(name: str, id_: str, *, type_: str = "text", extra: str = "") -> str:
    """An ``<input>``."""
    more = f" {extra}" if extra else ""
    return f'<input type="{type_}" id="{esc(id_)}" name="{esc(name)}"{more}>'


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Expect:
    """What a correct checker concludes, and how the server answers; becomes meta tags."""

    verdict: str
    reason: str | None = None
    field: str | None = None
    needs_browser: bool = False
    status: int | None = None
    charset: str | None = None
    no_header_charset: bool = False
    delay: float | None = None

    def meta_tags(self) -> str:
        """The ``xk-*`` meta tags read by the server and by ``load_expectations``."""
        tags = [("xk-expect", self.verdict)]
        if self.reason:
            tags.append(("xk-expect-reason", self.reason))
        if self.field:
            tags.append(("xk-expect-field", self.field))
        tags.append(("xk-needs-browser", "1" if self.needs_browser else "0"))
        if self.status:
            tags.append(("xk-status", str(self.status)))
        if self.charset:
            tags.append(("xk-charset", self.charset))
        if self.no_header_charset:
            tags.append(("xk-no-header-charset", "1"))
        if self.delay:
            tags.append(("xk-delay", f"{self.delay:g}"))
        return "\n".join(f'<meta name="{n}" content="{esc(v)}">' for n, v in tags)


@dataclass(frozen=True)
class Page:
    """One generated file; stored in the encoding it is served in."""

    filename: str
    text: str
    encoding: str = "utf-8"

    def to_bytes(self) -> bytes:
        """Encode strictly: a character the charset lacks is a bug in the page."""
        return self.text.encode(self.encoding)


BASE_CSS = """\
:root{--brand:%(accent)s;--ink:#1d232a;--muted:#5b6670;--line:#dfe3e8;--bg:#f5f6f8}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
  color:var(--ink);background:var(--bg)}
a{color:var(--brand)}
.site-header{display:flex;align-items:center;justify-content:space-between;gap:1rem;
  padding:.8rem 2rem;background:#fff;border-bottom:1px solid var(--line)}
.logo{font-weight:700;font-size:1.25rem;color:var(--brand);text-decoration:none}
.site-header nav a{margin-inline-start:1.2rem;color:var(--ink);text-decoration:none}
main{max-width:1080px;margin:2rem auto;padding:0 1.5rem}
h1{font-size:1.6rem;margin:.2rem 0 1rem}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:1.5rem;
  margin-bottom:1.5rem}
.form-row{display:flex;flex-direction:column;margin-bottom:1rem}
.form-row label{font-weight:600;margin-bottom:.3rem}
input,select,textarea{font:inherit;padding:.55rem .7rem;border:1px solid #c4ccd4;
  border-radius:6px;background:#fff;max-width:100%%}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:0 1.2rem}
.primary{background:var(--brand);color:#fff;border:0;border-radius:6px;padding:.7rem 1.4rem;
  font-weight:600;cursor:pointer}
.hint{color:var(--muted);font-size:.85rem;margin:.3rem 0 0}
.site-footer{background:#20262d;color:#c9d1d9;padding:2rem;font-size:.85rem}
.site-footer a{color:#c9d1d9;text-decoration:none;margin-inline-end:1rem}
.footer-cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:1rem}
.footer-cols ul{list-style:none;padding:0;margin:0}
.footer-cols h4{color:#fff;margin:0 0 .5rem}
table.cart{width:100%%;border-collapse:collapse}
table.cart td,table.cart th{padding:.5rem;border-bottom:1px solid var(--line);text-align:start}
.thumb{display:inline-block;width:40px;height:40px;border-radius:6px;background:#e5e9ee;
  vertical-align:middle;margin-inline-end:.6rem}
.reco{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:.8rem}
.reco article{border:1px solid var(--line);border-radius:8px;padding:.7rem;background:#fff}
.legal p{color:var(--muted);font-size:.82rem}
"""


@dataclass(frozen=True)
class Chrome:
    """Header and footer words of one language."""

    nav: tuple[str, ...]
    privacy: str
    terms: str
    help: str
    contact: str
    rights: str


CHROME: dict[str, Chrome] = {
    "en": Chrome(("Shop", "Deals", "Help", "Sign in"), "Privacy", "Terms", "Help", "Contact",
                 "All rights reserved."),
    "de": Chrome(("Sortiment", "Angebote", "Hilfe", "Anmelden"), "Datenschutz", "AGB", "Hilfe",
                 "Kontakt", "Alle Rechte vorbehalten."),
    "sq": Chrome(("Dyqani", "Oferta", "Ndihmë", "Hyr"), "Privatësia", "Kushtet", "Ndihmë",
                 "Kontakt", "Të gjitha të drejtat e rezervuara."),
    "sr": Chrome(("Књиге", "Акције", "Помоћ", "Пријава"), "Приватност", "Услови коришћења",
                 "Помоћ", "Контакт", "Сва права задржана."),
    "sr_Latn": Chrome(("Usluge", "Cenovnik", "Pomoć", "Prijava"), "Privatnost",
                      "Uslovi korišćenja", "Pomoć", "Kontakt", "Sva prava zadržana."),
    "ja": Chrome(("ホテル", "ツアー", "ヘルプ", "ログイン"), "プライバシー", "利用規約", "ヘルプ",
                 "お問い合わせ", "無断転載を禁じます。"),
    "zh": Chrome(("首页", "优惠", "帮助中心", "登录"), "隐私政策", "服务条款", "帮助中心",
                 "联系我们", "版权所有。"),
    "ar": Chrome(("المتجر", "العروض", "المساعدة", "تسجيل الدخول"), "الخصوصية", "الشروط",
                 "المساعدة", "اتصل بنا", "جميع الحقوق محفوظة."),
    "fr": Chrome(("Livres", "Nouveautés", "Aide", "Connexion"), "Confidentialité", "Conditions",
                 "Aide", "Contact", "Tous droits réservés."),
    "es": Chrome(("Libros", "Novedades", "Ayuda", "Entrar"), "Privacidad", "Términos", "Ayuda",
                 "Contacto", "Todos los derechos reservados."),
    "it": Chrome(("Negozio", "Offerte", "Assistenza", "Accedi"), "Privacy", "Termini",
                 "Assistenza", "Contatti", "Tutti i diritti riservati."),
}


def simple_footer(brand: str, lang: str) -> str:
    """A one-line footer with the usual links."""
    c = CHROME[lang]
    links = "".join(f'<a href="#{i}">{esc(t)}</a>' for i, t in
                    enumerate((c.privacy, c.terms, c.help, c.contact)))
    return f"<p>{links}</p>\n  <p>© 2026 {esc(brand)}. {esc(c.rights)}</p>"


def layout(
    *,
    lang: str,
    title: str,
    expect: Expect,
    brand: str,
    main: str,
    footer: str | None = None,
    chrome: str | None = None,
    rtl: bool = False,
    charset_meta: str | None = "utf-8",
    accent: str = "#1f5f4a",
    head_extra: str = "",
) -> str:
    """A whole page: head with expectations and CSS, header, main, footer."""
    chrome_lang = chrome or lang
    words = CHROME[chrome_lang]
    nav = "".join(f'<a href="#nav-{i}">{esc(t)}</a>' for i, t in enumerate(words.nav))
    dir_attr = ' dir="rtl"' if rtl else ""
    charset = f'<meta charset="{charset_meta}">\n' if charset_meta else ""
    foot = footer if footer is not None else simple_footer(brand, chrome_lang)
    html_lang = lang.replace("_", "-")
    return f"""<!DOCTYPE html>
<html lang="{html_lang}"{dir_attr}>
<head>
{charset}<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
{expect.meta_tags()}
<!-- Generated by xktracker/demoweb/make_pages.py from pycountry, babel and phonenumbers data. -->
<style>
{BASE_CSS % {"accent": accent}}</style>
{head_extra}</head>
<body>
<header class="site-header">
  <a class="logo" href="/">{esc(brand)}</a>
  <nav>{nav}</nav>
</header>
<main>
{main}
</main>
<footer class="site-footer">
  {foot}
</footer>
</body>
</html>
"""


# --------------------------------------------------------------------------- filler

LEGAL_EN = (
    "Orders placed before 2 pm on a working day usually leave our warehouse the same day. "
    "Delivery estimates are given in good faith and depend on the carrier and on customs "
    "clearance in the destination country; duties and import taxes, where they apply, are "
    "paid by the recipient unless the checkout says otherwise.",
    "You may return unused items within 30 days of delivery. Items must be in their original "
    "packaging with all labels attached. Refunds are made to the original payment method "
    "within ten working days of the return reaching us. Gift cards, personalised items and "
    "opened hygiene products cannot be returned.",
    "We process the personal data you give us to fulfil your order, to prevent fraud and, if "
    "you agree, to send you offers. You can withdraw your consent at any time from your "
    "account settings. We keep order records for as long as tax law requires and delete "
    "marketing data as soon as you unsubscribe.",
    "Prices include VAT at the rate of the delivery country where we are registered for it. "
    "For other destinations prices are shown without VAT and local taxes may be collected "
    "by the carrier on delivery. Exchange rates for displayed currencies are indicative; you "
    "are charged in the currency shown on the payment step.",
    "Payment card details are sent directly to our payment provider over an encrypted "
    "connection and are never stored on our servers. Some banks ask you to confirm the "
    "payment in their app; the order is placed once the bank confirms it.",
    "Promotional codes cannot be combined unless stated, have no cash value and may be "
    "withdrawn at any time. If an item in your order turns out to be out of stock we will "
    "offer you a replacement or a refund for that item; the rest of the order is shipped.",
)


def legal_block(paragraphs: int = 6) -> str:
    """Small print, the kind every checkout carries below the form."""
    body = "\n".join(f"    <p>{esc(p)}</p>" for p in LEGAL_EN[:paragraphs])
    return f'<section class="card legal">\n{body}\n</section>'


ADJECTIVES = ("Alpine", "Coastal", "Merino", "Canvas", "Waxed", "Trail", "Summit", "Harbor",
              "Cedar", "Granite", "Storm", "Field", "Ridge", "Tundra", "Meadow", "Glacier")
NOUNS = ("Jacket", "Backpack", "Beanie", "Tent", "Thermos", "Headlamp", "Sleeping Bag",
         "Hiking Boots", "Rain Shell", "Camp Stove", "Water Bottle", "Trekking Poles",
         "Fleece", "Gloves", "Duffel", "Hammock")
COLOURS = ("Slate", "Moss", "Rust", "Navy", "Sand", "Charcoal", "Ochre", "Pine")
SIZES = ("XS", "S", "M", "L", "XL", "One size")


def product(i: int) -> tuple[str, str, str, str, int]:
    """A deterministic fictional product: name, SKU, colour, size, price in cents."""
    name = f"{ADJECTIVES[i % len(ADJECTIVES)]} {NOUNS[(i * 7 + i // 16) % len(NOUNS)]}"
    sku = f"SKU-{10007 + i * 37:06d}"
    colour = COLOURS[(i * 3) % len(COLOURS)]
    size = SIZES[(i * 5) % len(SIZES)]
    price = 1499 + (i * 1733) % 24000
    return name, sku, colour, size, price


CURRENCY_OF = {"$": "USD", "£": "GBP", "€": "EUR"}


def money(cents: int, symbol: str = "$") -> str:
    """Format a price."""
    return f"{symbol}{cents // 100:,}.{cents % 100:02d}"


def cart_table(count: int, symbol: str = "$") -> str:
    """A big shopping cart: the bulk of real checkout pages."""
    rows = []
    total = 0
    for i in range(count):
        name, sku, colour, size, price = product(i)
        qty = 1 + (i % 3 == 0)
        total += price * qty
        rows.append(
            f'      <tr class="cart-item" data-sku="{sku}">\n'
            f'        <td><span class="thumb" aria-hidden="true"></span>'
            f'<a href="#p-{sku}">{esc(name)}</a><br><small>Colour: {colour} · Size: {size} · '
            f"{sku}</small></td>\n"
            f'        <td><input type="number" name="qty[{sku}]" value="{qty}" min="0" '
            f'aria-label="Quantity of {esc(name)}"></td>\n'
            f"        <td>{money(price * qty, symbol)}</td>\n"
            f'        <td><button type="button" class="link">Remove</button></td>\n'
            f"      </tr>"
        )
    body = "\n".join(rows)
    return (
        '<section class="card">\n  <h2>Your bag</h2>\n  <table class="cart">\n'
        "    <thead><tr><th>Item</th><th>Qty</th><th>Price</th><th></th></tr></thead>\n"
        f"    <tbody>\n{body}\n    </tbody>\n"
        f'    <tfoot><tr><th colspan="2">Subtotal</th><th>{money(total, symbol)}</th>'
        "<th></th></tr></tfoot>\n  </table>\n</section>"
    )


def recommendations(count: int, start: int = 500, symbol: str = "$") -> str:
    """A "you may also like" grid, with its structured data."""
    cards = []
    data = []
    for i in range(start, start + count):
        name, sku, colour, _size, price = product(i)
        cards.append(
            f'    <article><span class="thumb" aria-hidden="true"></span>'
            f'<h3><a href="#p-{sku}">{esc(name)}</a></h3><p>{colour} · {money(price, symbol)}'
            f'</p><button type="button">Add to bag</button></article>'
        )
        data.append({"@type": "Product", "name": name, "sku": sku, "color": colour,
                     "offers": {"@type": "Offer", "price": f"{price / 100:.2f}",
                                "priceCurrency": CURRENCY_OF[symbol], "availability":
                                "https://schema.org/InStock"}})
    ld = json.dumps({"@context": "https://schema.org", "@type": "ItemList",
                     "itemListElement": data}, ensure_ascii=False, indent=1)
    ld = ld.replace("</", "<\\/")
    return (
        '<section class="card">\n  <h2>You may also like</h2>\n  <div class="reco">\n'
        + "\n".join(cards)
        + f'\n  </div>\n</section>\n<script type="application/ld+json">\n{ld}\n</script>'
    )


FOOTER_SECTIONS = (
    ("Customer service", ("Order status", "Shipping & delivery", "Returns & exchanges",
                          "Size guide", "Product care", "Warranty", "Gift cards",
                          "Store locator", "Accessibility")),
    ("About us", ("Our story", "Sustainability", "Careers", "Press", "Affiliates",
                  "Investor relations", "Modern slavery statement", "Supplier code")),
    ("Shop", ("New arrivals", "Jackets", "Backpacks", "Footwear", "Camping", "Climbing",
              "Kids", "Sale", "Bestsellers", "Outlet")),
    ("Community", ("Journal", "Events", "Ambassadors", "Trail reports", "Repair program",
                   "Rentals", "Clubs")),
)
REGIONS = ("United States", "Canada", "United Kingdom", "Deutschland", "France", "España",
           "Italia", "Nederland", "Sverige", "Polska", "日本", "Australia")


def mega_footer(brand: str, repeat: int = 1) -> str:
    """The sitemap footer of a large shop, with region links (links, not a control)."""
    cols = []
    for r in range(repeat):
        for title, links in FOOTER_SECTIONS:
            items = "".join(f'<li><a href="#f-{r}-{i}">{esc(t)}</a></li>'
                            for i, t in enumerate(links))
            heading = title if r == 0 else f"{title} ({r + 1})"
            cols.append(f"<div><h4>{esc(heading)}</h4><ul>{items}</ul></div>")
    regions = " ".join(f'<a href="#region-{i}">{esc(t)}</a>' for i, t in enumerate(REGIONS))
    return (
        f'<div class="footer-cols">{"".join(cols)}</div>\n'
        f"  <p>Region: {regions}</p>\n"
        f"  <p>© 2026 {esc(brand)}. All rights reserved. Prices in USD.</p>"
    )


# ---------------------------------------------------------------------------- forms

EN_LABELS = {
    "first": "First name", "last": "Last name", "email": "Email address",
    "password": "Password", "street": "Street address", "city": "City",
    "zip": "Postal code", "country": "Country", "phone": "Phone", "submit": "Create account",
}

SIGNUP_LABELS: dict[str, dict[str, str]] = {
    "en": EN_LABELS,
    "de": {"first": "Vorname", "last": "Nachname", "email": "E-Mail-Adresse",
           "password": "Passwort", "street": "Straße und Hausnummer", "city": "Ort",
           "zip": "PLZ", "country": "Land", "phone": "Telefon", "submit": "Konto erstellen"},
    "sq": {"first": "Emri", "last": "Mbiemri", "email": "Adresa e email-it",
           "password": "Fjalëkalimi", "street": "Adresa", "city": "Qyteti",
           "zip": "Kodi postar", "country": "Shteti", "phone": "Telefoni",
           "submit": "Krijo llogarinë"},
    "sr": {"first": "Име", "last": "Презиме", "email": "Адреса е-поште", "password": "Лозинка",
           "street": "Улица и број", "city": "Град", "zip": "Поштански број",
           "country": "Држава", "phone": "Телефон", "submit": "Направи налог"},
    "zh": {"first": "名字", "last": "姓氏", "email": "电子邮箱", "password": "密码",
           "street": "街道地址", "city": "城市", "zip": "邮政编码", "country": "国家/地区",
           "phone": "手机号码", "submit": "立即注册"},
    "ar": {"first": "الاسم الأول", "last": "اسم العائلة", "email": "البريد الإلكتروني",
           "password": "كلمة المرور", "street": "عنوان الشارع", "city": "المدينة",
           "zip": "الرمز البريدي", "country": "الدولة", "phone": "رقم الهاتف",
           "submit": "إنشاء حساب"},
    "fr": {"first": "Prénom", "last": "Nom", "email": "Adresse e-mail",
           "password": "Mot de passe", "street": "Adresse", "city": "Ville",
           "zip": "Code postal", "country": "Pays", "phone": "Téléphone",
           "submit": "Créer mon compte"},
    "es": {"first": "Nombre", "last": "Apellidos", "email": "Correo electrónico",
           "password": "Contraseña", "street": "Dirección", "city": "Ciudad",
           "zip": "Código postal", "country": "País", "phone": "Teléfono",
           "submit": "Crear cuenta"},
    "it": {"first": "Nome", "last": "Cognome", "email": "Indirizzo email",
           "password": "Password", "street": "Indirizzo", "city": "Città", "zip": "CAP",
           "country": "Paese", "phone": "Telefono", "submit": "Crea account"},
}


def signup_form(
    lang: str,
    country_row: str,
    *,
    heading: str,
    intro: str,
    extra_rows: Sequence[str] = (),
    action: str = "#register",
) -> str:
    """A realistic account form around a given country row."""
    t = SIGNUP_LABELS[lang]
    rows = [
        '    <div class="grid">',
        row(t["first"], text_input("first_name", "first-name",
                                   extra='autocomplete="given-name" required'), "first-name"),
        row(t["last"], text_input("last_name", "last-name",
                                  extra='autocomplete="family-name" required'), "last-name"),
        "    </div>",
        row(t["email"], text_input("email", "email", type_="email",
                                   extra='autocomplete="email" required'), "email"),
        row(t["password"], text_input("password", "password", type_="password",
                                      extra='autocomplete="new-password" minlength="8"'),
            "password"),
        row(t["street"], text_input("street", "street", extra='autocomplete="address-line1"'),
            "street"),
        '    <div class="grid">',
        row(t["city"], text_input("city", "city", extra='autocomplete="address-level2"'),
            "city"),
        row(t["zip"], text_input("postcode", "postcode", extra='autocomplete="postal-code"'),
            "postcode"),
        "    </div>",
        country_row,
        *extra_rows,
        row(t["phone"], text_input("phone", "phone", type_="tel", extra='autocomplete="tel"'),
            "phone"),
    ]
    body = "\n".join(rows)
    return (
        f'<section class="card">\n  <h1>{esc(heading)}</h1>\n  <p>{esc(intro)}</p>\n'
        f'  <form method="post" action="{action}" novalidate>\n{body}\n'
        f'    <button class="primary" type="submit">{esc(t["submit"])}</button>\n'
        "  </form>\n</section>"
    )


def country_row(lang: str, pairs: Sequence[tuple[str, str]], *, placeholder: str,
                selected: str | None = None, name: str = "country", id_: str = "country",
                label: str | None = None) -> str:
    """The labelled country select of a signup form."""
    control = select(name, id_, pairs, placeholder=placeholder, selected=selected,
                     attrs='autocomplete="country" required')
    return row(label or SIGNUP_LABELS[lang]["country"], control, id_)


# ---------------------------------------------------------------------------- pages
# Each builder returns one Page. Titles say in a few words what the page tests.

LISTED = Expect("listed", field="listed")


def checkout_en() -> Page:
    """A big English checkout: ISO alpha-2 values, Kosovo as XK."""
    brand = "Harbor & Pine"
    countries = world("en")
    shipping = "\n".join([
        '<section class="card">',
        "  <h1>Checkout</h1>",
        '  <form method="post" action="#place-order" id="checkout">',
        "  <h2>Contact</h2>",
        row("Email", text_input("email", "email", type_="email",
                                extra='autocomplete="email" required'), "email",
            hint="We'll send your receipt and tracking link here."),
        "  <h2>Shipping address</h2>",
        '    <div class="grid">',
        row("First name", text_input("shipping[first_name]", "ship-first"), "ship-first"),
        row("Last name", text_input("shipping[last_name]", "ship-last"), "ship-last"),
        "    </div>",
        row("Address", text_input("shipping[address1]", "ship-address1",
                                  extra='autocomplete="shipping address-line1"'),
            "ship-address1"),
        row("Apartment, suite, etc. (optional)", text_input("shipping[address2]",
                                                            "ship-address2"), "ship-address2"),
        '    <div class="grid">',
        row("City", text_input("shipping[city]", "ship-city"), "ship-city"),
        row("Postal code", text_input("shipping[zip]", "ship-zip"), "ship-zip"),
        "    </div>",
        row("Country/region", select("shipping[country]", "shipping-country", countries,
                                     placeholder="Select a country", selected="US",
                                     attrs='autocomplete="shipping country"'),
            "shipping-country"),
        row("Phone", text_input("shipping[phone]", "ship-phone", type_="tel"), "ship-phone",
            hint="In case the carrier needs to reach you."),
        "  <h2>Delivery</h2>",
        '    <div class="form-row"><label><input type="radio" name="delivery" value="std" '
        "checked> Standard (5–8 business days) · Free</label>",
        '    <label><input type="radio" name="delivery" value="exp"> Express (2–3 business '
        "days) · $14.00</label></div>",
        "  <h2>Payment</h2>",
        row("Card number", text_input("card_number", "card-number",
                                      extra='inputmode="numeric" autocomplete="cc-number"'),
            "card-number"),
        '    <div class="grid">',
        row("Expiry (MM/YY)", text_input("card_exp", "card-exp",
                                         extra='autocomplete="cc-exp"'), "card-exp"),
        row("Security code", text_input("card_cvc", "card-cvc",
                                        extra='autocomplete="cc-csc"'), "card-cvc"),
        "    </div>",
        row("Discount code", text_input("discount", "discount"), "discount"),
        '    <button class="primary" type="submit">Place order</button>',
        "  </form>",
        "</section>",
    ])
    main = "\n".join([shipping, cart_table(150), recommendations(110), legal_block()])
    return Page("checkout-en.html", layout(
        lang="en", title="English checkout, Kosovo listed as XK (Harbor & Pine)",
        expect=LISTED, brand=brand, main=main, footer=mega_footer(brand, 3)))


GERMAN_MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                 "September", "Oktober", "November", "Dezember")


def signup_de() -> Page:
    """German signup with German names and other, non-country selects (months …)."""
    birth = "\n".join([
        '    <div class="form-row">',
        "      <label>Geburtsdatum</label>",
        '      <div class="grid" style="grid-template-columns:1fr 2fr 1fr">',
        "      " + select("birth_day", "birth-day",
                          [(str(d), str(d)) for d in range(1, 32)], placeholder="Tag"),
        "      " + select("birth_month", "birth-month",
                          [(str(i + 1), m) for i, m in enumerate(GERMAN_MONTHS)],
                          placeholder="Monat"),
        "      " + select("birth_year", "birth-year",
                          [(str(y), str(y)) for y in range(2010, 1919, -1)],
                          placeholder="Jahr"),
        "      </div>",
        "    </div>",
    ])
    salutation = row("Anrede", select("salutation", "salutation",
                                      [("mr", "Herr"), ("ms", "Frau"), ("x", "Divers")],
                                      placeholder="Bitte wählen"), "salutation")
    form = signup_form(
        "de", country_row("de", world("de"), placeholder="Bitte wählen", selected="DE"),
        heading="Kundenkonto anlegen",
        intro="Mit einem Kundenkonto bestellen Sie schneller und sehen jederzeit Ihre "
              "Bestellungen und Rücksendungen.",
        extra_rows=[salutation, birth])
    info = ('<section class="card"><h2>Ihre Vorteile</h2><ul><li>Kostenloser Versand ab '
            "50 €</li><li>30 Tage Rückgaberecht</li><li>Exklusive Angebote für "
            "Mitglieder</li></ul></section>")
    return Page("signup-de.html", layout(
        lang="de", title="German signup, German names, Kosovo listed (Kaufwerk)",
        expect=LISTED, brand="Kaufwerk", main=form + "\n" + info, accent="#b3261e"))


def signup_sq() -> Page:
    """Albanian page, Kosovë at its place and preselected (a shop in Prishtina)."""
    form = signup_form(
        "sq", country_row("sq", world("sq"), placeholder="Zgjidhni shtetin", selected="XK"),
        heading="Regjistrohu",
        intro="Krijo një llogari për të porositur më shpejt dhe për të ndjekur dërgesat.")
    info = ('<section class="card"><p>Dërgesa falas në Prishtinë, Prizren dhe Pejë për '
            "porositë mbi 30 €. Pagesa me para në dorë ose me kartelë.</p></section>")
    return Page("signup-sq.html", layout(
        lang="sq", title="Albanian signup, Kosovë listed (Shitore Iliria)", expect=LISTED,
        brand="Shitore Iliria", main=form + "\n" + info, accent="#c8102e"))


def signup_sr_cyrl() -> Page:
    """Serbian Cyrillic registration, Косово in Cyrillic alphabet order."""
    form = signup_form(
        "sr", country_row("sr", world("sr"), placeholder="Изаберите државу", selected="RS"),
        heading="Регистрација",
        intro="Направите налог и пратите своје поруџбине, листу жеља и попусте за чланове.")
    return Page("signup-sr-cyrl.html", layout(
        lang="sr", title="Serbian Cyrillic signup, Косово listed (Књижара Дунав)",
        expect=LISTED, brand="Књижара Дунав", main=form, accent="#0c4076"))


PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
    "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
    "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
    "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
    "鹿児島県", "沖縄県",
)


def booking_ja() -> Page:
    """Japanese hotel booking: nationality list (コソボ) next to a prefecture list."""
    names = world("ja", exclude=("JP",))
    countries = [("JP", "日本"), *names]
    rows = "\n".join([
        '    <div class="grid">',
        row("姓（ローマ字）", text_input("last_name", "last-name"), "last-name"),
        row("名（ローマ字）", text_input("first_name", "first-name"), "first-name"),
        "    </div>",
        row("メールアドレス", text_input("email", "email", type_="email"), "email"),
        row("電話番号", text_input("tel", "tel", type_="tel"), "tel"),
        row("国籍", select("nationality", "nationality", countries,
                           placeholder="選択してください", selected="JP"), "nationality"),
        row("都道府県（日本にお住まいの方）", select(
            "prefecture", "prefecture", [(f"{i + 1:02d}", p) for i, p in enumerate(PREFECTURES)],
            placeholder="選択してください"), "prefecture"),
        row("チェックイン予定時刻", select(
            "checkin_time", "checkin-time",
            [(f"{h}:00", f"{h}:00") for h in range(15, 24)]), "checkin-time"),
        row("ご要望", '<textarea id="notes" name="notes" rows="3"></textarea>', "notes"),
    ])
    main = (
        '<section class="card">\n  <h1>宿泊者情報の入力</h1>\n'
        "  <p>京都・嵐山の旅館「月の庵」 2026年4月3日〜4月5日（2泊）・和室 2名</p>\n"
        f'  <form method="post" action="#reserve">\n{rows}\n'
        '    <button class="primary" type="submit">予約を確定する</button>\n  </form>\n'
        "</section>"
    )
    return Page("booking-ja.html", layout(
        lang="ja", title="Japanese hotel booking, コソボ listed (さくら旅行)", expect=LISTED,
        brand="さくら旅行", main=main, accent="#d0104c"))


def signup_zh() -> Page:
    """Simplified Chinese signup; the list keeps the English order, 中国 first."""
    countries = [("CN", "中国"), *world("zh", order="en", exclude=("CN",))]
    form = signup_form(
        "zh", country_row("zh", countries, placeholder="请选择", selected="CN"),
        heading="注册新账户", intro="注册即可享受新人专享优惠券和全球配送服务。")
    return Page("signup-zh.html", layout(
        lang="zh", title="Chinese signup, 科索沃 listed (星河商城)", expect=LISTED,
        brand="星河商城", main=form, accent="#e4393c"))


def signup_ar() -> Page:
    """Arabic right-to-left signup, كوسوفو listed."""
    form = signup_form(
        "ar", country_row("ar", world("ar"), placeholder="اختر الدولة"),
        heading="إنشاء حساب جديد",
        intro="أنشئ حسابًا لتتبع طلباتك والاستفادة من العروض الحصرية.")
    return Page("signup-ar.html", layout(
        lang="ar", title="Arabic RTL signup, كوسوفو listed (سوق الواحة)", expect=LISTED,
        brand="سوق الواحة", main=form, rtl=True, accent="#00704a"))


def checkout_world_missing() -> Page:
    """A very large checkout whose world list has Serbia but no Kosovo."""
    brand = "MegaMart Global"
    countries = world("en", kosovo=False)
    form = "\n".join([
        '<section class="card">',
        "  <h1>Secure checkout</h1>",
        '  <form method="post" action="#pay" id="checkout">',
        row("Full name", text_input("name", "name", extra='autocomplete="name"'), "name"),
        row("Address line 1", text_input("address1", "address1"), "address1"),
        row("Address line 2", text_input("address2", "address2"), "address2"),
        '    <div class="grid">',
        row("Town/City", text_input("city", "city"), "city"),
        row("ZIP / Postcode", text_input("zip", "zip"), "zip"),
        "    </div>",
        row("Country", select("country", "country", countries, placeholder="Choose country",
                              attrs='autocomplete="country"'), "country"),
        row("Mobile number", text_input("mobile", "mobile", type_="tel"), "mobile"),
        '    <button class="primary" type="submit">Continue to payment</button>',
        "  </form>",
        "</section>",
    ])
    main = "\n".join([form, cart_table(260), recommendations(200, start=900), legal_block(),
                      legal_block()])
    return Page("checkout-world-missing.html", layout(
        lang="en", title="Big checkout, world list without Kosovo (MegaMart Global)",
        expect=Expect("missing", field="missing"), brand=brand, main=main,
        footer=mega_footer(brand, 4), accent="#0b5cab"))


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


def _english_form_page(
    filename: str,
    *,
    title: str,
    brand: str,
    heading: str,
    intro: str,
    rows: Sequence[str],
    expect: Expect,
    submit: str = "Continue",
    accent: str = "#1f5f4a",
    after: str = "",
) -> Page:
    """A short English page with one form: most fixtures need nothing more."""
    body = "\n".join(rows)
    main = (
        f'<section class="card">\n  <h1>{esc(heading)}</h1>\n  <p>{esc(intro)}</p>\n'
        f'  <form method="post" action="#submit">\n{body}\n'
        f'    <button class="primary" type="submit">{esc(submit)}</button>\n  </form>\n'
        f"</section>{after}"
    )
    return Page(filename, layout(lang="en", title=title, expect=expect, brand=brand,
                                 main=main, accent=accent))


def booking_kosovo_serbia() -> Page:
    """Airline passenger form: nationality and passport lists say "Kosovo (Serbia)"."""
    countries = world("en", kosovo="Kosovo (Serbia)")
    return _english_form_page(
        "booking-kosovo-serbia.html",
        title="Flight booking, Kosovo (Serbia) qualifier (Adria Skyways)",
        brand="Adria Skyways", heading="Passenger details",
        intro="Enter the names exactly as they appear in the passport. Flight JU 412 "
              "Vienna → Dubrovnik, 12 June 2026.",
        rows=[
            row("Title", select("title", "title", [("MR", "Mr"), ("MRS", "Mrs"),
                                                   ("MS", "Ms")]), "title"),
            row("Given names", text_input("given_names", "given-names"), "given-names"),
            row("Surname", text_input("surname", "surname"), "surname"),
            row("Nationality", select("nationality", "nationality", countries,
                                      placeholder="Select nationality"), "nationality"),
            row("Passport issuing country", select("passport_country", "passport-country",
                                                   countries, placeholder="Select country"),
                "passport-country"),
            row("Passport number", text_input("passport_number", "passport-number"),
                "passport-number"),
        ],
        expect=Expect("listed_qualified", field="listed_qualified"), accent="#7a1f3d")


def conference_kosovo_unscr() -> Page:
    """Conference registration: "Kosovo (UNSCR 1244)"."""
    countries = world("en", kosovo="Kosovo (UNSCR 1244)")
    return _english_form_page(
        "conference-kosovo-unscr.html",
        title="Conference registration, Kosovo (UNSCR 1244) qualifier (Balkan Data Summit)",
        brand="Balkan Data Summit 2026", heading="Register to attend",
        intro="Two days of talks on open data, statistics and public-sector technology. "
              "Early-bird tickets until 1 May.",
        rows=[
            row("Name", text_input("name", "name"), "name"),
            row("Organisation", text_input("org", "org"), "org"),
            row("Email", text_input("email", "email", type_="email"), "email"),
            row("Country", select("country", "country", countries,
                                  placeholder="Please select"), "country"),
            row("Ticket", select("ticket", "ticket", [("std", "Standard – €180"),
                                                      ("stu", "Student – €60"),
                                                      ("ngo", "NGO – €90")]), "ticket"),
            row("Dietary requirements", text_input("diet", "diet"), "diet"),
        ],
        expect=Expect("listed_qualified", field="listed_qualified"), submit="Register",
        accent="#4b2e83")


def signup_kosovo_metohija() -> Page:
    """Rail-pass signup listing "Kosovo and Metohija"."""
    countries = world("en", kosovo="Kosovo and Metohija")
    return _english_form_page(
        "signup-kosovo-metohija.html",
        title="Rail pass signup, Kosovo and Metohija qualifier (Balkan Rail Pass)",
        brand="Balkan Rail Pass", heading="Create your traveller profile",
        intro="Your profile holds your passes and seat reservations.",
        rows=[
            row("Name", text_input("name", "name"), "name"),
            row("Email", text_input("email", "email", type_="email"), "email"),
            row("Country of residence", select("country", "country", countries,
                                               placeholder="Select"), "country"),
            row("Password", text_input("password", "password", type_="password"),
                "password"),
        ],
        expect=Expect("listed_qualified", field="listed_qualified"), accent="#2e5e4e")


def billing_codes_only() -> Page:
    """A developer console whose country options are bare ISO codes, XK among them."""
    codes = [(c, c) for c in sorted((*ISO_CODES, KOSOVO))]
    return _english_form_page(
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
    return _english_form_page(
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
    return _english_form_page(
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
    return _english_form_page(
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
    return _english_form_page(
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


def dial_regions(*, kosovo_code: int | None) -> list[tuple[str, str, int]]:
    """(alpha-2, English name, dial code) of every region with a dial code."""
    en = territory_names("en")
    regions = [(c, en[c], dial_code(c)) for c in ISO_CODES if dial_code(c)]
    if kosovo_code is not None:
        regions.append((KOSOVO, en[KOSOVO], kosovo_code))
    return sorted(regions, key=lambda r: sort_key(r[1], "en"))


def _phone_page(filename: str, *, title: str, brand: str, pairs: Sequence[tuple[str, str]],
                expect: Expect, selected: str | None, accent: str) -> Page:
    """Phone verification step with a dial-code picker next to the number."""
    picker = select("phone_country", "phone-country", pairs, selected=selected,
                    attrs='aria-label="Country code" autocomplete="tel-country-code"')
    number = text_input("phone", "phone", type_="tel", extra='autocomplete="tel-national"')
    control = f'<div style="display:flex;gap:.5rem">{picker}\n      {number}</div>'
    return _english_form_page(
        filename, title=title, brand=brand, heading="Verify your phone number",
        intro="We'll text you a 6-digit code. Standard message rates may apply.",
        rows=[row("Mobile number", control, "phone")], expect=expect, submit="Send code",
        accent=accent)


def phone_dial_listed() -> Page:
    """Dial-code picker with "Kosovo (+383)"."""
    pairs = [(c, f"{n} (+{d})") for c, n, d in dial_regions(kosovo_code=KOSOVO_DIAL)]
    return _phone_page("phone-dial-listed.html",
                       title="Phone verification, dial codes with Kosovo (+383) (Pingly)",
                       brand="Pingly", pairs=pairs, expect=LISTED, selected="US",
                       accent="#0a7cff")


def phone_dial_wrong_code() -> Page:
    """An old dial-code list that still gives Kosovo Monaco's +377."""
    pairs = [(f"+{d}", f"{n} (+{d})") for _c, n, d in dial_regions(kosovo_code=377)]
    return _phone_page("phone-dial-wrong-code.html",
                       title="SMS signup, dial codes with Kosovo (+377) (OldTel)",
                       brand="OldTel SMS", pairs=pairs,
                       expect=Expect("wrong_code", field="wrong_code"), selected="+44",
                       accent="#6b6b6b")


def phone_dial_missing() -> Page:
    """A dial-code picker with flags and every region except Kosovo."""
    pairs = [(c, f"{flag(c)} {n} +{d}") for c, n, d in dial_regions(kosovo_code=None)]
    return _phone_page("phone-dial-missing.html",
                       title="Phone verification, dial codes without Kosovo (QuickVerify)",
                       brand="QuickVerify", pairs=pairs,
                       expect=Expect("missing", field="missing"), selected="GB",
                       accent="#00897b")


def checkout_partial() -> Page:
    """Billing list has Kosovo, the shipping list (another data source) does not."""
    brand = "Bazaar Lane"
    form = "\n".join([
        '<section class="card">',
        "  <h1>Checkout</h1>",
        '  <form method="post" action="#pay">',
        "  <h2>Billing address</h2>",
        row("Name on card", text_input("billing_name", "billing-name"), "billing-name"),
        row("Address", text_input("billing_address", "billing-address"), "billing-address"),
        row("City", text_input("billing_city", "billing-city"), "billing-city"),
        row("Country", select("billing_country", "billing-country", world("en"),
                              placeholder="Select…"), "billing-country"),
        '  <p><label><input type="checkbox" name="ship_same" value="1"> Ship to my billing '
        "address</label></p>",
        "  <h2>Shipping address</h2>",
        row("Recipient", text_input("shipping_name", "shipping-name"), "shipping-name"),
        row("Address", text_input("shipping_address", "shipping-address"),
            "shipping-address"),
        row("City", text_input("shipping_city", "shipping-city"), "shipping-city"),
        row("Country", select("shipping_country", "shipping-country",
                              world("en", kosovo=False), placeholder="Select…"),
            "shipping-country"),
        '    <button class="primary" type="submit">Review order</button>',
        "  </form>",
        "</section>",
    ])
    main = "\n".join([form, cart_table(200, "£"), recommendations(60, symbol="£"),
                      legal_block()])
    return Page("checkout-partial.html", layout(
        lang="en", title="Checkout, billing list with Kosovo, shipping list without "
        "(Bazaar Lane)", expect=Expect("partial", field="listed"), brand=brand, main=main,
        footer=mega_footer(brand, 2), accent="#8c4b2f"))


def signup_datalist_es() -> Page:
    """Spanish bookshop: country typed into an input backed by a full ``<datalist>``."""
    names = world("es")
    datalist = "\n".join(f'        <option value="{esc(n)}"></option>' for _c, n in names)
    control = (
        '<input id="pais" name="pais" list="paises" autocomplete="country-name" '
        'placeholder="Empieza a escribir…">\n'
        f'      <datalist id="paises">\n{datalist}\n      </datalist>'
    )
    form = signup_form("es", row("País", control, "pais"), heading="Crea tu cuenta",
                       intro="Envíos a todo el mundo desde Sevilla.")
    return Page("signup-datalist-es.html", layout(
        lang="es", title="Spanish signup, datalist country input with Kosovo "
        "(Librería Alameda)", expect=LISTED, brand="Librería Alameda", main=form,
        accent="#a4451f"))


def shipping_radio_nordic() -> Page:
    """Five radio buttons for the Nordic countries: restricted."""
    en = territory_names("en")
    radios = "\n".join(
        f'      <label><input type="radio" name="ship_to" value="{c}"> {esc(en[c])}</label>'
        for c in ("DK", "FI", "IS", "NO", "SE"))
    fieldset = (f'    <fieldset class="form-row">\n      <legend>Ship to</legend>\n{radios}\n'
                "    </fieldset>")
    return _english_form_page(
        "shipping-radio-nordic.html",
        title="Shipping, radio group of five Nordic countries (Fjord & Fell)",
        brand="Fjord & Fell", heading="Where should we deliver?",
        intro="We deliver within the Nordic countries only.",
        rows=[fieldset, row("Postcode", text_input("postcode", "postcode"), "postcode")],
        expect=Expect("restricted", field="restricted"), accent="#2a6f97")


def continent(code: str) -> str:
    """Continent of a territory from its time zones (CLDR), with hand fixes for islands."""
    fixes = {"AQ": "Antarctica", "BV": "Antarctica", "HM": "Antarctica", "TF": "Antarctica",
             "GS": "Antarctica", "AU": "Oceania", "CC": "Oceania", "CX": "Oceania",
             "IO": "Asia", "MV": "Asia", "BM": "Americas", "FK": "Americas", "CV": "Africa",
             "SH": "Africa", "FO": "Europe", "IS": "Europe", "ES": "Europe", "PT": "Europe",
             "RU": "Europe", "SJ": "Europe", "XK": "Europe", "CL": "Americas",
             "EC": "Americas", "US": "Americas"}
    if code in fixes:
        return fixes[code]
    from babel.core import get_global

    zones = get_global("territory_zones").get(code, [])
    prefix = zones[0].split("/")[0] if zones else ""
    return {"America": "Americas", "Pacific": "Oceania", "Indian": "Africa",
            "Atlantic": "Europe"}.get(prefix, prefix)


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
    return _english_form_page(
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
    return _english_form_page(
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


def signup_next_data_missing() -> Page:
    """A Next.js-style page: empty root, countries only in ``__NEXT_DATA__`` JSON."""
    countries = [{"code": c, "name": n, "dialCode": f"+{dial_code(c)}" if dial_code(c)
                  else None} for c, n in world("en", kosovo=False)]
    data = {"props": {"pageProps": {"locale": "en", "countries": countries,
                                    "defaultCountry": "US"}, "__N_SSG": True},
            "page": "/signup", "query": {}, "buildId": "k3Jd8sPq1xA0", "isFallback": False,
            "gsp": True, "scriptLoader": []}
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    text = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width">
<title>Shop signup, countries only in __NEXT_DATA__ JSON, no Kosovo (Vercelle)</title>
{Expect("missing", field="missing").meta_tags()}
<!-- Generated by xktracker/demoweb/make_pages.py from pycountry, babel and phonenumbers data. -->
<style>body{{margin:0;font-family:system-ui,sans-serif}}#__next{{min-height:100vh}}</style>
</head>
<body>
<div id="__next"></div>
<script id="__NEXT_DATA__" type="application/json">{payload}</script>
<noscript>You need to enable JavaScript to run this app.</noscript>
</body>
</html>
"""
    return Page("signup-next-data-missing.html", text)


def signup_sr_windows_1251() -> Page:
    """Serbian Cyrillic page encoded as windows-1251; only ``<meta charset>`` says so."""
    form = signup_form(
        "sr", country_row("sr", world("sr"), placeholder="Изаберите државу"),
        heading="Учлањење у клуб",
        intro="Радио клуб окупља љубитеље радио-технике из целог региона.")
    return Page("signup-sr-windows-1251.html", layout(
        lang="sr", title="Serbian Cyrillic signup served as windows-1251, Косово listed "
        "(Радио клуб Авала)",
        expect=Expect("listed", field="listed", charset="windows-1251",
                      no_header_charset=True),
        brand="Радио клуб Авала", main=form, charset_meta="windows-1251", accent="#37474f"),
        encoding="cp1251")


def signup_fr_latin1() -> Page:
    """French page in ISO-8859-1 with the charset only in the HTTP header."""
    names = world("fr", rename={c: n.replace("\u2019", "'")
                                for c, n in territory_names("fr").items()})
    form = signup_form(
        "fr", country_row("fr", names, placeholder="Choisissez un pays", selected="FR"),
        heading="Créer un compte", intro="Livraison offerte dès 35 euros d'achat en France "
        "métropolitaine.")
    return Page("signup-fr-latin1.html", layout(
        lang="fr", title="French signup served as ISO-8859-1 (header only), Kosovo listed "
        "(Librairie des Quais)", expect=Expect("listed", field="listed", charset="iso-8859-1"),
        brand="Librairie des Quais", main=form, charset_meta=None, accent="#1d3557"),
        encoding="iso-8859-1")


def newsletter() -> Page:
    """A newsletter form: name and e-mail, no country."""
    return _english_form_page(
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
    return _english_form_page(
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
    return _english_form_page(
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


def signup_it_slow() -> Page:
    """An Italian signup answered after 2 s: slow, but well inside any sane timeout."""
    form = signup_form(
        "it", country_row("it", world("it"), placeholder="Seleziona il paese", selected="IT"),
        heading="Registrati", intro="Spedizione gratuita in Italia per ordini sopra i 49 €.")
    return Page("signup-it-slow.html", layout(
        lang="it", title="Italian signup answered after 2 s, Kosovo listed (Bottega Verde)",
        expect=Expect("listed", field="listed", delay=2), brand="Bottega Verde", main=form,
        accent="#2d6a4f"))


BUILDERS: tuple[Callable[[], Page], ...] = (
    checkout_en, signup_de, signup_sq, signup_sr_cyrl, booking_ja, signup_zh, signup_ar,
    checkout_world_missing, application_kosovo_asterisk, booking_kosovo_serbia,
    conference_kosovo_unscr, signup_kosovo_metohija, billing_codes_only, profile_flags_only,
    quote_alpha3, shipping_restricted_eu, delivery_sr_districts, settings_language_picker,
    address_us_states_missing, phone_dial_listed, phone_dial_wrong_code, phone_dial_missing,
    checkout_partial, signup_datalist_es, shipping_radio_nordic, signup_messy_select,
    signup_aria_listbox, signup_next_data_missing, signup_sr_windows_1251, signup_fr_latin1,
    newsletter, blog_prishtina, register_first_option_label, register_wrapping_label,
    access_denied, login, signup_it_slow,
)


def build_pages() -> list[Page]:
    """Every generated page, in a fixed order."""
    return [build() for build in BUILDERS]


def main(argv: Sequence[str] | None = None) -> int:
    """Write the pages (or, with ``--check``, report the ones that differ)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PAGES_DIR, help="output folder")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when a page on disk differs")
    args = parser.parse_args(argv)
    stale = []
    for page in build_pages():
        data = page.to_bytes()
        path = args.out / page.filename
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(page.filename)
            continue
        args.out.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"{page.filename:42} {len(data) / 1024:7.1f} KB")
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
