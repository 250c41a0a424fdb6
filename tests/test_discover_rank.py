"""Ranking links: what their words mean in the project's languages, what is never followed,
and which URLs belong to a site. Tables, one row per real-world variant."""

from __future__ import annotations

import pytest

from crawler.discover.links import Place, page_links, url_segments
from crawler.discover.rank import MIN_SCORE, judge
from crawler.discover.site import (
    language_neutral,
    normalise,
    registrable_domain,
    same_site,
)
from crawler.discover.words import slug_intents
from db.health import is_home

# (language, link text, the intent it must be read as)
TEXTS = [
    ("en", "Sign up", "signup"), ("en", "Create an account", "signup"),
    ("en", "New customer? Start here: create account", "signup"),
    ("en", "Log in", "login"), ("en", "My account", "profile"), ("en", "Checkout", "checkout"),
    ("en", "Shopping bag", "cart"), ("en", "Verify your phone number", "phone"),
    ("en", "Add a new address", "shipping"),
    ("sq", "Regjistrohu", "signup"), ("sq", "Krijo një llogari", "signup"),
    ("sq", "Hyr", "login"), ("sq", "Llogaria ime", "profile"), ("sq", "Shporta", "cart"),
    ("sq", "Vazhdo në arkë", "checkout"),
    ("sr-Latn", "Registrujte se", "signup"), ("sr-Latn", "Prijava", "login"),
    ("sr-Latn", "Moj nalog", "profile"), ("sr-Latn", "Korpa", "cart"),
    ("sr-Cyrl", "Региструјте се", "signup"), ("sr-Cyrl", "Пријава", "login"),
    ("sr-Cyrl", "Мој налог", "profile"), ("sr-Cyrl", "Корпа", "cart"),
    ("sr-Cyrl", "Потврди број телефона", "phone"),
    ("de", "Registrieren", "signup"), ("de", "Neukunde? Kundenkonto anlegen", "signup"),
    ("de", "Anmelden", "login"), ("de", "Mein Konto", "profile"), ("de", "Zur Kasse", "checkout"),
    ("de", "Warenkorb", "cart"),
    ("fr", "S’inscrire", "signup"), ("fr", "Créer un compte", "signup"),
    ("fr", "Se connecter", "login"), ("fr", "Mon compte", "profile"), ("fr", "Panier", "cart"),
    ("it", "Registrati", "signup"), ("it", "Accedi", "login"), ("it", "Carrello", "cart"),
    ("it", "Procedi al checkout", "checkout"),
    ("es", "Regístrate", "signup"), ("es", "Iniciar sesión", "login"),
    ("es", "Mi cuenta", "profile"), ("es", "Finalizar compra", "checkout"),
    ("pt", "Cadastre-se", "signup"), ("pt", "Criar conta", "signup"), ("pt", "Entrar", "login"),
    ("pt", "Carrinho", "cart"),
    ("tr", "Kayıt ol", "signup"), ("tr", "Üye ol", "signup"), ("tr", "Giriş yap", "login"),
    ("tr", "Sepetim", "cart"), ("tr", "Ödemeye geç", "checkout"),
    ("nl", "Account aanmaken", "signup"), ("nl", "Inloggen", "login"),
    ("nl", "Winkelwagen", "cart"), ("nl", "Afrekenen", "checkout"),
    ("sv", "Skapa konto", "signup"), ("sv", "Logga in", "login"), ("sv", "Varukorg", "cart"),
    ("sv", "Till kassan", "checkout"),
    ("pl", "Załóż konto", "signup"), ("pl", "Zaloguj się", "login"), ("pl", "Koszyk", "cart"),
    ("pl", "Przejdź do kasy", "checkout"),
    ("ru", "Регистрация", "signup"), ("ru", "Войти", "login"), ("ru", "Корзина", "cart"),
    ("ru", "Оформить заказ", "checkout"), ("ru", "Личный кабинет", "profile"),
]


@pytest.mark.parametrize(("lang", "text", "intent"), TEXTS, ids=[f"{r[0]}:{r[1]}" for r in TEXTS])
def test_link_words_mean_the_same_in_every_language(lang: str, text: str, intent: str) -> None:
    verdict = judge(text)
    assert verdict.intent == intent
    assert verdict.score >= MIN_SCORE


DECOYS = [
    "Sign up for our newsletter", "Join our team", "Careers", "Contact us", "Privacy policy",
    "Forgot your password?", "Newsletter abonnieren", "Karriere", "Datenschutz",
    "Abonohu në buletin", "Karriera", "Каријера", "Trabalhe conosco", "Fale conosco",
    "S'abonner à la newsletter", "Rejoignez-nous", "Lavora con noi", "Подписаться на рассылку",
    "Terms and conditions", "Cookie settings",
]


@pytest.mark.parametrize("text", DECOYS)
def test_decoys_score_below_the_fetch_threshold(text: str) -> None:
    assert judge(text).score < MIN_SCORE


NEVER = ["Log out", "Sign out", "Buy now", "Add to cart", "Place order", "Pay now",
         "Delete account", "Unsubscribe", "Confirm order", "Abmelden", "Jetzt kaufen",
         "Se déconnecter", "Acheter", "Çıkış yap", "Satın al", "Wyloguj się", "Выйти",
         "Купить", "Одјава", "Odjava", "Paguaj", "Bli tani", "Accept all cookies"]


@pytest.mark.parametrize("text", NEVER)
def test_what_logs_out_buys_pays_or_confirms_is_never_followed(text: str) -> None:
    verdict = judge(text, "https://shop.example/some/page")
    assert verdict.never
    assert verdict.score < MIN_SCORE


@pytest.mark.parametrize(("url", "never"), [
    ("https://shop.example/logout", True), ("https://shop.example/?add-to-cart=12", True),
    ("https://shop.example/cart/add?item=1", True), ("https://shop.example/account/delete", True),
    ("https://shop.example/account/register", False), ("https://shop.example/cart", False),
])
def test_side_effect_urls_are_never_followed(url: str, never: bool) -> None:
    assert judge("Continue", url).never is never


@pytest.mark.parametrize(("url", "intent"), [
    ("https://shop.example/account/register", "signup"),
    ("https://shop.example/customer/account/create/", "signup"),  # Magento
    ("https://shop.example/users/new", "signup"),  # Rails
    ("https://shop.example/de/konto/registrieren.html", "signup"),
    ("https://shop.example/%D1%80%D0%B5%D0%B3%D0%B8%D1%81%D1%82%D1%80%D0%B0%D1%86%D0%B8%D1%8F",
     "signup"),
    ("https://shop.example/checkout/onepage", "checkout"),
    ("https://shop.example/shopping-bag", "cart"),
])
def test_url_slugs_name_the_page(url: str, intent: str) -> None:
    assert intent in slug_intents(url_segments(url))


def test_a_word_inside_a_product_slug_is_not_an_intent() -> None:
    assert not slug_intents(url_segments("https://shop.example/products/leather-bag-black"))
    assert judge("Leather bag, black, the 2024 edition",
                 "https://shop.example/products/leather-bag").score < MIN_SCORE


def test_header_and_menus_outrank_the_footer() -> None:
    header = judge("My account", "https://s.example/account", Place(header=True))
    menu = judge("My account", "https://s.example/account", Place(menu=True))
    footer = judge("My account", "https://s.example/account", Place(footer=True))
    assert menu.score > header.score > footer.score >= MIN_SCORE


def test_each_label_piece_is_read_on_its_own() -> None:
    # A long title attribute must not dilute a short link text.
    assert judge(("Sign in", "Sign in to your account and see your orders")).score == \
        judge("Sign in").score
    # A decoy anywhere in the labels wins.
    assert judge(("Sign up", "newsletter")).score < MIN_SCORE


@pytest.mark.parametrize(("host", "site"), [
    ("www.amazon.de", "amazon.de"), ("amazon.co.uk", "amazon.co.uk"),
    ("a.b.amazon.co.uk", "amazon.co.uk"), ("foo.github.io", "foo.github.io"),
    ("accounts.delta.localhost", "delta.localhost"), ("intranet.kilo.test", "kilo.test"),
    ("127.0.0.1", "127.0.0.1"), ("WWW.Example.COM.", "example.com"), ("localhost", "localhost"),
])
def test_a_site_is_its_registrable_domain(host: str, site: str) -> None:
    assert registrable_domain(host) == site


def test_same_site_never_spans_sites_under_one_public_suffix() -> None:
    assert same_site("https://accounts.example.co.uk/x", "example.co.uk")
    assert not same_site("https://evil.co.uk/x", "example.co.uk")
    assert not same_site("https://bar.github.io/", "foo.github.io")
    assert not same_site("http://127.0.0.2/", "127.0.0.1")


def test_urls_are_normalised_and_language_twins_recognised() -> None:
    assert normalise("HTTP://Shop.Example:80/a?utm_source=x&b=2&a=1#top") == \
        "http://shop.example/a?a=1&b=2"
    assert language_neutral("https://www.shop.example/en/register?lang=en") == \
        language_neutral("https://shop.example/de/register")
    assert is_home("https://shop.example/") and is_home("https://shop.example/sq/")
    assert not is_home("https://shop.example/register")


def test_links_keep_their_place_and_buttons_that_open_nothing_yet_are_actions() -> None:
    html = """<html><body>
      <header><a href="/login">Log in</a>
        <details><summary>Account</summary><a href="/account/new">Create account</a></details>
        <button id="open" aria-haspopup="dialog" aria-controls="dlg">Sign up</button>
        <dialog id="dlg"></dialog>
        <button aria-controls="menu2" aria-expanded="false">Menu</button>
        <div id="menu2"><a href="/a">A</a></div></header>
      <form><button>Register</button><button type="submit">Sign up</button></form>
      <footer><a href="/privacy">Privacy</a><a href="mailto:x@y.example">Mail</a></footer>
      <link rel="alternate" hreflang="sq" href="/sq/">
    </body></html>"""
    links = page_links(html, "https://shop.example/")
    by_url = {link.url: link for link in links.links}
    assert by_url["https://shop.example/login"].place.header
    assert by_url["https://shop.example/account/new"].place.menu
    assert by_url["https://shop.example/privacy"].place.footer
    assert not any(u.startswith("mailto") for u in by_url)
    # Only the dialog button is an action: the other disclosure's menu is in the document,
    # and buttons inside a form would submit it.
    assert [a.selector for a in links.actions] == ["#open"]
    assert links.alternates == [("sq", "https://shop.example/sq/")]


def test_navigation_drawn_by_script_is_noticed() -> None:
    spa = '<html><body><div id="app"></div><script src="/app.js"></script></body></html>'
    plain = '<html><body><nav><a href="/x">X</a></nav><script>1</script></body></html>'
    assert page_links(spa, "https://a.example/").scripted
    assert not page_links(plain, "https://a.example/").scripted
