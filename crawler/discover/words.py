"""What a link's words mean, in the languages of the project's users and of the sites they need.

Each *intent* is a list of phrases per language (en, sq, sr in Latin and Cyrillic, de, fr, it,
es, pt, tr, nl, sv, pl, ru). Phrases and link texts both go through ``checks.text.norm``
(case, accents and punctuation dropped), and a phrase matches only as whole words, so "join"
never matches "joint". URL slugs are matched against the same phrases, also written together
("createaccount", "myaccount").

Three kinds of words:

* **intents** that lead towards a form (sign up, check out, shipping, profile, phone
  verification) or towards a page that links to one (log in, cart);
* **decoys**: newsletter, contact, careers, legal pages. A decoy phrase outweighs an intent
  phrase in the same text ("Sign up for our newsletter", "Join our team");
* **never**: what logs out, deletes, unsubscribes, buys, pays, orders or confirms. A link or
  a button saying so is never followed or clicked, whatever else it says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from checks.text import norm

FORM_KINDS = ("signup", "checkout", "shipping", "phone", "profile", "other")


@dataclass(frozen=True, slots=True)
class Intent:
    """A meaning a link can have: the form kind it leads to, and how much it is worth."""

    name: str
    kind: str  # the target kind a page reached this way most likely is (FORM_KINDS)
    weight: float  # positive: worth a fetch; negative: a decoy
    hub: bool = False  # leads to a page that links to the form (log in, cart), not the form


INTENTS: Mapping[str, Intent] = MappingProxyType({i.name: i for i in (
    Intent("signup", "signup", 10.0),
    Intent("phone", "phone", 8.0),
    Intent("checkout", "checkout", 8.0),
    Intent("profile", "profile", 6.0),
    Intent("shipping", "shipping", 5.0),
    Intent("shipping_info", "shipping", 3.5),
    Intent("login", "signup", 5.0, hub=True),
    Intent("cart", "checkout", 5.0, hub=True),
    Intent("newsletter", "other", -14.0),
    Intent("careers", "other", -14.0),
    Intent("legal", "other", -14.0),
    Intent("contact", "other", -9.0),
    Intent("recovery", "other", -9.0),
    Intent("content", "other", -6.0),
)})

_PHRASES: dict[str, tuple[str, ...]] = {
    "signup": (
        # en
        "sign up", "signup", "register", "registration", "create account", "create an account",
        "create your account", "create my account", "join", "join now", "join free",
        "new customer", "new customers", "new user", "open an account", "open account",
        "get started", "don't have an account", "no account yet", "enroll", "enrol",
        # sq
        "regjistrohu", "regjistrohuni", "regjistrim", "regjistrimi", "krijo llogari",
        "krijo nje llogari", "krijoni llogari", "hap llogari", "klient i ri", "perdorues i ri",
        "anetaresohu", "bashkohu",
        # sr (Latin)
        "registracija", "registruj se", "registrujte se", "napravi nalog", "napravite nalog",
        "kreiraj nalog", "kreirajte nalog", "otvori nalog", "novi kupac", "novi korisnik",
        "pridruzi se",
        # sr (Cyrillic)
        "регистрација", "региструј се", "региструјте се", "направи налог", "направите налог",
        "креирај налог", "креирајте налог", "нови купац", "нови корисник", "придружи се",
        # de
        "registrieren", "registrierung", "jetzt registrieren", "konto erstellen",
        "konto anlegen", "kundenkonto anlegen", "kundenkonto erstellen", "neukunde",
        "neuer kunde", "mitglied werden",
        # fr
        "s'inscrire", "inscrivez-vous", "inscription", "creer un compte", "creer mon compte",
        "nouveau client", "ouvrir un compte",
        # it
        "registrati", "registrazione", "crea account", "crea un account", "nuovo cliente",
        "iscriviti", "crea il tuo account",
        # es
        "registrate", "registrarse", "registro", "crear cuenta", "crear una cuenta",
        "nuevo cliente", "unete", "abrir cuenta",
        # pt
        "cadastre-se", "cadastro", "cadastrar", "registar", "registe-se", "registrar",
        "criar conta", "criar uma conta", "novo cliente", "inscreva-se",
        # tr
        "kayit ol", "uye ol", "hesap olustur", "yeni musteri", "kaydol", "uyelik",
        # nl
        "registreren", "registreer", "account aanmaken", "maak een account", "nieuwe klant",
        # sv
        "registrera", "registrera dig", "skapa konto", "bli medlem", "ny kund",
        # pl
        "zarejestruj", "zarejestruj sie", "rejestracja", "zaloz konto", "utworz konto",
        "nowy klient",
        # ru
        "регистрация", "зарегистрироваться", "создать аккаунт", "создать учетную запись",
        "новый покупатель", "новый клиент",
    ),
    "login": (
        "log in", "login", "sign in", "signin", "log on",
        "hyr", "kycu", "identifikohu",
        "prijava", "prijavi se", "prijavite se", "пријава", "пријави се", "пријавите се",
        "anmelden", "einloggen",
        "connexion", "se connecter", "identifiez-vous",
        "accedi", "accesso",
        "iniciar sesion", "acceder", "entrar",
        "iniciar sessao", "fazer login",
        "giris", "giris yap", "oturum ac",
        "inloggen", "aanmelden",
        "logga in",
        "zaloguj", "zaloguj sie", "logowanie",
        "войти", "вход",
    ),
    "profile": (
        "my account", "account", "your account", "profile", "my profile", "account settings",
        "address book", "personal details", "personal information",
        "llogaria ime", "llogaria", "profili",
        "moj nalog", "nalog", "profil", "мој налог", "налог", "профил",
        "mein konto", "konto", "kundenkonto", "mein profil",
        "mon compte", "compte", "mon profil",
        "il mio account", "profilo",
        "mi cuenta", "cuenta", "perfil",
        "minha conta", "conta",
        "hesabim", "hesap",
        "mijn account", "profiel",
        "mitt konto",
        "moje konto",
        "мой аккаунт", "личный кабинет", "профиль", "аккаунт",
    ),
    "checkout": (
        "checkout", "check out", "proceed to checkout", "go to checkout", "secure checkout",
        "guest checkout", "continue to checkout",
        "arka", "shko ne arke", "vazhdo ne arke",
        "kasa", "idi na kasu", "каса",
        "kasse", "zur kasse", "zur kasse gehen",
        "passer a la caisse", "caisse", "valider mon panier", "finaliser ma commande",
        "cassa", "procedi al checkout", "vai alla cassa",
        "finalizar compra", "tramitar pedido", "finalizar pedido",
        "ir para o checkout",
        "odeme", "odemeye gec", "alisverisi tamamla",
        "afrekenen", "naar de kassa",
        "kassan", "till kassan", "ga till kassan",
        "do kasy", "przejdz do kasy",
        "оформить заказ", "оформление заказа", "касса",
    ),
    "cart": (
        "cart", "basket", "bag", "shopping bag", "shopping cart", "view cart", "my cart",
        "shporta", "karroca",
        "korpa", "корпа",
        "warenkorb", "einkaufswagen",
        "panier", "mon panier",
        "carrello",
        "carrito", "cesta",
        "carrinho", "cesto",
        "sepet", "sepetim",
        "winkelwagen", "winkelmand", "mandje",
        "varukorg", "kundvagn",
        "koszyk",
        "корзина",
    ),
    "shipping": (
        "shipping address", "delivery address", "addresses", "my addresses",
        "shipping details", "delivery details", "add address", "add an address",
        "add a new address", "new address", "manage addresses", "delivery addresses",
        "adresa e dergeses", "adresat",
        "adresa za dostavu", "adrese", "адреса за доставу",
        "lieferadresse", "adressbuch", "adressen",
        "adresse de livraison", "mes adresses",
        "indirizzo di spedizione", "indirizzi",
        "direccion de envio", "direcciones",
        "morada de entrega", "endereco de entrega", "enderecos",
        "teslimat adresi", "adreslerim",
        "afleveradres", "bezorgadres", "adressen",
        "leveransadress", "adresser",
        "adres dostawy", "adresy",
        "адрес доставки", "адреса",
    ),
    "shipping_info": (
        "shipping", "delivery", "shipping information", "international shipping",
        "where we ship", "delivery options", "shipping rates",
        "transporti", "dergesa", "dergesat",
        "dostava", "isporuka", "достава", "испорука",
        "versand", "lieferung", "versandkosten",
        "livraison", "expedition",
        "spedizione", "spedizioni", "consegna",
        "envio", "envios", "entrega", "portes",
        "kargo", "teslimat",
        "verzending", "levering", "bezorging",
        "leverans", "frakt",
        "dostawa", "wysylka",
        "доставка",
    ),
    "phone": (
        "verify phone", "verify your phone", "verify phone number", "verify your phone number",
        "phone verification", "add phone number", "add a phone number", "mobile number",
        "verifiko numrin", "verifiko telefonin", "numri i telefonit",
        "potvrdi broj telefona", "verifikacija telefona", "verifikuj telefon",
        "потврди број телефона", "верификација телефона",
        "telefonnummer bestatigen", "telefonnummer verifizieren", "handynummer",
        "verifier le numero", "verifier votre numero", "numero de mobile",
        "verifica il numero", "numero di cellulare",
        "verificar telefono", "verificar numero", "numero de movil",
        "verificar telemovel", "numero de celular", "verificar celular",
        "telefon dogrulama", "telefonu dogrula", "cep telefonu",
        "telefoonnummer verifieren", "mobiel nummer",
        "verifiera telefonnummer", "mobilnummer",
        "weryfikacja telefonu", "zweryfikuj numer", "numer telefonu",
        "подтвердить номер", "подтверждение телефона", "номер телефона",
    ),
    "newsletter": (
        "newsletter", "newsletters", "subscribe", "subscription", "email updates",
        "get our emails", "sign up for our newsletter", "sign up for emails",
        "sign up for email", "mailing list",
        "abonohu", "buletin", "buletini",
        "bilten", "pretplati se", "пријави се на билтен", "билтен", "претплати се",
        "abonnieren",
        "lettre d'information", "s'abonner", "infolettre",
        "iscriviti alla newsletter",
        "boletin", "suscribete", "suscribirse",
        "boletim", "subscrever", "assinar",
        "bulten", "abone ol",
        "nieuwsbrief", "abonneren",
        "nyhetsbrev", "prenumerera",
        "subskrybuj", "zapisz sie do newslettera",
        "рассылка", "подписаться", "подписка",
    ),
    "careers": (
        "careers", "career", "jobs", "job openings", "work with us", "work for us",
        "vacancies", "join our team", "join the team", "join us", "we're hiring", "hiring",
        "karriera", "pune", "vende pune",
        "karijera", "posao", "poslovi", "каријера", "посао", "послови",
        "karriere", "stellenangebote", "offene stellen",
        "carrieres", "emplois", "recrutement", "rejoignez-nous", "rejoignez nous",
        "lavora con noi", "carriere", "offerte di lavoro",
        "empleo", "trabaja con nosotros", "carreras",
        "carreiras", "trabalhe conosco", "empregos",
        "kariyer", "is ilanlari",
        "vacatures", "werken bij",
        "karriar", "jobba hos oss", "lediga jobb",
        "kariera", "praca", "oferty pracy",
        "карьера", "вакансии",
    ),
    "legal": (
        "privacy", "privacy policy", "cookies", "cookie policy", "cookie settings", "terms",
        "terms of service", "terms of use", "terms and conditions", "legal", "imprint",
        "gdpr", "accessibility", "sitemap",
        "privatesia", "politika e privatesise", "kushtet",
        "privatnost", "politika privatnosti", "uslovi", "uslovi koriscenja",
        "приватност", "политика приватности", "услови",
        "datenschutz", "agb", "impressum", "nutzungsbedingungen",
        "confidentialite", "mentions legales", "conditions generales", "cgv",
        "informativa", "termini", "condizioni",
        "privacidad", "aviso legal", "terminos", "condiciones",
        "privacidade", "termos",
        "gizlilik", "kullanim kosullari", "kvkk",
        "voorwaarden",
        "integritet", "villkor",
        "prywatnosc", "regulamin",
        "конфиденциальность", "условия", "политика конфиденциальности",
    ),
    "contact": (
        "contact", "contact us", "get in touch", "customer service", "help", "support", "faq",
        "kontakt", "na kontaktoni", "ndihme",
        "kontaktirajte nas", "pomoc", "контакт", "помоћ",
        "hilfe", "kundenservice",
        "nous contacter", "aide",
        "contatti", "contattaci", "aiuto", "assistenza",
        "contacto", "ayuda", "contactanos",
        "contato", "ajuda", "fale conosco",
        "iletisim", "yardim",
        "klantenservice",
        "kundservice", "hjalp",
        "pomoc techniczna",
        "контакты", "помощь", "поддержка",
    ),
    "recovery": (
        "forgot password", "forgot your password", "reset password", "lost password",
        "forgotten password", "password reset", "forgot",
        "keni harruar fjalekalimin", "rivendos fjalekalimin",
        "zaboravljena lozinka", "zaboravili ste lozinku", "заборављена лозинка",
        "passwort vergessen", "mot de passe oublie", "password dimenticata",
        "olvidaste tu contrasena", "esqueceu a senha", "esqueci a senha", "sifremi unuttum",
        "wachtwoord vergeten", "glomt losenord", "nie pamietasz hasla", "zapomniales hasla",
        "забыли пароль",
    ),
    "content": (
        "blog", "news", "press", "about", "about us", "investors", "stores", "store locator",
        "find a store", "gift cards", "magazine", "stories",
        "rreth nesh", "lajme",
        "o nama", "vesti", "о нама", "вести",
        "uber uns", "presse",
        "a propos", "actualites",
        "chi siamo", "notizie",
        "sobre nosotros", "noticias",
        "sobre nos",
        "hakkimizda", "haberler",
        "over ons", "nieuws",
        "om oss", "nyheter",
        "o nas", "aktualnosci",
        "о нас", "новости",
    ),
}

# Never followed (a link) or clicked (a button), whatever else the text says.
_NEVER: tuple[str, ...] = (
    "log out", "logout", "sign out", "signout", "log off",
    "delete", "delete account", "remove", "close account", "deactivate", "unsubscribe",
    "buy", "buy now", "pay", "pay now", "place order", "order now", "submit", "confirm",
    "confirm order", "complete purchase", "complete order", "add to cart", "add to bag",
    "add to basket", "purchase", "donate", "accept",
    "dil", "fshi", "bli", "paguaj", "konfirmo", "porosit", "shto ne shporte",
    "odjava", "odjavi se", "obrisi", "kupi", "plati", "potvrdi porudzbinu", "naruci",
    "dodaj u korpu", "одјава", "одјави се", "обриши", "купи", "плати", "наручи",
    "abmelden", "ausloggen", "loschen", "kaufen", "jetzt kaufen", "bezahlen",
    "jetzt bezahlen", "zahlungspflichtig bestellen", "bestellen", "in den warenkorb",
    "deconnexion", "se deconnecter", "supprimer", "acheter", "payer", "commander",
    "ajouter au panier", "se desabonner",
    "esci", "disconnetti", "elimina", "acquista", "paga", "ordina",
    "aggiungi al carrello",
    "cerrar sesion", "eliminar", "comprar", "pagar", "realizar pedido",
    "anadir al carrito",
    "sair", "terminar sessao", "excluir", "apagar", "adicionar ao carrinho",
    "cikis", "cikis yap", "sil", "satin al", "ode", "sepete ekle", "siparisi tamamla",
    "uitloggen", "afmelden", "verwijderen", "kopen", "betalen", "in winkelwagen",
    "logga ut", "ta bort", "kop", "betala", "lagg i varukorgen",
    "wyloguj", "usun", "kup", "zaplac", "dodaj do koszyka",
    "выйти", "выход", "удалить", "купить", "оплатить", "в корзину",
)
_NEVER_URL: tuple[str, ...] = (
    "logout", "log out", "signout", "sign out", "log off", "logoff", "delete", "unsubscribe",
    "add to cart", "add to basket", "cart add", "basket add", "buy now", "place order",
    "pay", "payment confirm", "confirm", "remove", "abmelden", "deconnexion", "odjava",
)
# Words that make a URL a side effect wherever they stand in it (``?add-to-cart=12``).
_NEVER_SLUG_WORDS = frozenset({("logout",), ("signout",), ("unsubscribe",), ("addtocart",),
                               ("buynow",)})


# Letters ``norm`` keeps (they do not decompose) but that people type without their mark.
_FOLD = str.maketrans({"ı": "i", "ł": "l", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe"})


def fold(text: str) -> list[str]:
    """The words of a text as every phrase is kept: ``norm``, then dotless i, ł … folded."""
    return norm(text).translate(_FOLD).split()


def _phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(fold(phrase))


def _table(phrases: Iterable[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(k for k in (_phrase_key(p) for p in phrases) if k)


_TEXT: dict[str, frozenset[tuple[str, ...]]] = {
    name: _table(phrases) for name, phrases in _PHRASES.items()}
# In URLs a phrase may also be written in one piece ("createaccount", "my_account").
# How shop and account software spells its pages in URLs, beyond the phrases above
# (Magento's /customer/account/create, Rails' /users/new, Amazon's /ap/register …).
_URL_ONLY: dict[str, tuple[str, ...]] = {
    "signup": ("account create", "customer account create", "account new", "users new",
               "user new", "customer new", "accounts new", "ap register", "reg", "join"),
    "profile": ("customer account", "my account", "user account", "account edit",
                "settings", "user settings", "account settings"),
    "shipping": ("address", "address new", "addresses new", "customer address",
                 "address book", "addressbook"),
    "checkout": ("onepage", "checkout onepage", "order checkout"),
    "phone": ("phone verify", "verify phone", "phone verification", "sms verify"),
}
_SLUG: dict[str, frozenset[tuple[str, ...]]] = {
    name: table | frozenset(("".join(key),) for key in table if len(key) > 1)
    | _table(_URL_ONLY.get(name, ()))
    for name, table in _TEXT.items()}
_NEVER_TEXT = _table(_NEVER)
_NEVER_SLUG = _table(_NEVER_URL) | frozenset(("".join(k),) for k in _table(_NEVER_URL)
                                              if len(k) > 1)
_LONGEST = max(len(k) for table in (*_TEXT.values(), _NEVER_TEXT) for k in table)


def _grams(words: list[str]) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for size in range(1, _LONGEST + 1):
        for start in range(len(words) - size + 1):
            out.add(tuple(words[start:start + size]))
    return out


@lru_cache(maxsize=16384)
def text_intents(text: str) -> frozenset[str]:
    """The intents whose phrases occur, as whole words, in a piece of link text."""
    grams = _grams(fold(text)[:40])
    return frozenset(name for name, table in _TEXT.items() if grams & table)


def _slug_grams(segments: tuple[tuple[str, ...], ...]) -> set[tuple[str, ...]]:
    """Whole segments, runs of two or three segments, and each segment written in one piece:
    the only ways a phrase may stand in a URL."""
    grams: set[tuple[str, ...]] = set()
    for start in range(len(segments)):
        run: tuple[str, ...] = ()
        for seg in segments[start:start + 3]:
            run = run + seg
            grams.add(run)
        grams.add(("".join(segments[start]),))
    return grams


@lru_cache(maxsize=16384)
def slug_intents(segments: tuple[tuple[str, ...], ...]) -> frozenset[str]:
    """The intents a URL's path and query name (``/de/konto/registrieren`` → signup)."""
    grams = _slug_grams(segments)
    return frozenset(name for name, table in _SLUG.items() if grams & table)


@lru_cache(maxsize=16384)
def never_text(text: str) -> bool:
    """True when a text asks for something we never do (log out, buy, pay, confirm …)."""
    return bool(_grams(fold(text)[:40]) & _NEVER_TEXT)


def never_slug(segments: tuple[tuple[str, ...], ...]) -> bool:
    """True for a URL that logs out, deletes, adds to a cart, pays or confirms."""
    grams = _slug_grams(segments)
    words = {w for seg in segments for w in seg}
    return bool(grams & _NEVER_SLUG) or bool({(w,) for w in words} & _NEVER_SLUG_WORDS)


def phrase_length(intent: str, text: str) -> int:
    """Words in the longest phrase of ``intent`` found in ``text`` (0 when none is)."""
    grams = _grams(fold(text)[:40])
    return max((len(g) for g in grams & _TEXT.get(intent, frozenset())), default=0)
