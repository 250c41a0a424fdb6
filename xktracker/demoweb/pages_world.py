"""Demo pages whose world lists the checker must read in many languages, scripts and
encodings: the list drawn in HTML, in script data, in a datalist, on two fields at once."""

from __future__ import annotations

import json

from xktracker.demoweb.country_data import (
    dial_code,
    territory_names,
    world,
)
from xktracker.demoweb.page_kit import (
    LISTED,
    Expect,
    Page,
    esc,
    layout,
    row,
    select,
    text_input,
)
from xktracker.demoweb.shop_kit import (
    cart_table,
    country_row,
    legal_block,
    mega_footer,
    recommendations,
    signup_form,
)


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


def signup_it_slow() -> Page:
    """An Italian signup answered after 2 s: slow, but well inside any sane timeout."""
    form = signup_form(
        "it", country_row("it", world("it"), placeholder="Seleziona il paese", selected="IT"),
        heading="Registrati", intro="Spedizione gratuita in Italia per ordini sopra i 49 €.")
    return Page("signup-it-slow.html", layout(
        lang="it", title="Italian signup answered after 2 s, Kosovo listed (Bottega Verde)",
        expect=Expect("listed", field="listed", delay=2), brand="Bottega Verde", main=form,
        accent="#2d6a4f"))
