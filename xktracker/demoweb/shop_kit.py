"""What makes a demo page as heavy as a real shop's: legal text, products, carts,
recommendations, mega footers, and the sign-up forms in several languages."""

from __future__ import annotations

import json
from collections.abc import Sequence

from xktracker.demoweb.page_kit import esc, row, select, text_input

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
