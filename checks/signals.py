"""Page-level signs: a bot wall or captcha instead of the form, or a list drawn by script.

Only consulted when no country field was found: a real form with a reCAPTCHA box and a
country list is judged by its list.
"""

from __future__ import annotations

from lxml import etree

from checks.dom import Element, text_of
from checks.model import Control, Widget

_BOT_WALL_TITLES = ("just a moment", "attention required", "pardon our interruption",
                    "checking your browser", "ddos-guard", "security check", "request blocked",
                    "are you a human", "bot verification", "one more step")
_BOT_WALL_MARKERS = ("cf-browser-verification", "_cf_chl_opt", "cf-challenge", "challenge-platform",
                     "/_incapsula_resource", "incapsula incident", "captcha-delivery.com",
                     "px-captcha", "perimeterx", "distil_r_captcha", "kpsdk",
                     "sec-if-cpt-container", "datadome")
_CAPTCHA_MARKERS = ("g-recaptcha", "h-captcha", "hcaptcha", "cf-turnstile", "recaptcha/api",
                    "verify you are a human", "verify that you are a human", "are you a robot",
                    "i'm not a robot", "i am not a robot", "prove you're human",
                    "complete the captcha", "solve the captcha")
_FRAMEWORK_ROOTS = etree.XPath(
    "//*[@id='root' or @id='app' or @id='__next' or @id='__nuxt' or @id='svelte'"
    " or @data-reactroot or @ng-version or @data-v-app or @data-server-rendered]"
    " | //app-root"
)
_SAMPLE = 30_000


def blocked_reason(root: Element, title: str | None,
                   controls: list[Control]) -> str | None:
    """``bot_wall`` or ``captcha`` when the page is a challenge rather than the site's form."""
    head = (title or "").casefold()
    body = etree.tostring(root, encoding="unicode")[:_SAMPLE].casefold()
    inputs = sum(1 for c in controls if c.widget is Widget.TEXT and not c.hidden)
    if any(t in head for t in _BOT_WALL_TITLES) or any(m in body for m in _BOT_WALL_MARKERS):
        if inputs <= 2:
            return "bot_wall"
    if any(m in body for m in _CAPTCHA_MARKERS) and inputs <= 1:
        return "captcha"
    return None


_LOGIN_WORDS = ("log in", "login", "sign in", "signin", "anmelden", "connexion", "se connecter",
                "iniciar sesión", "accedi", "hyr", "kyçu", "identifikohu", "prijava", "пријава",
                "prijavite", "inloggen", "logga in", "zaloguj")
_SIGNUP_WORDS = ("sign up", "signup", "register", "create account", "create an account", "join",
                 "registrieren", "inscription", "regístrate", "registrati", "regjistrohu",
                 "registracija", "регистрација", "registreren", "skapa konto")
_PASSWORDS = etree.XPath("count(//input[translate(@type,'PASWORD','pasword')='password'])")


def login_wall(root: Element, title: str | None, controls: list[Control]) -> bool:
    """A sign-in form (one password box, few fields) with nothing about signing up."""
    if int(_PASSWORDS(root)) != 1:
        return False
    visible_inputs = sum(1 for c in controls if c.widget is Widget.TEXT and not c.hidden)
    if visible_inputs > 2:
        return False
    words = " ".join([(title or "")] + [t for t in root.xpath(
        "//h1//text() | //h2//text() | //button//text() | //input[@type='submit']/@value")
        if isinstance(t, str)][:40]).casefold()
    return any(w in words for w in _LOGIN_WORDS) and not any(w in words for w in _SIGNUP_WORDS)


# Class names of the containers picker libraries draw into, and the names their scripts and
# style sheets go by: an empty one of those, or a page loading one, draws its list later.
_WIDGET_CLASSES = ("select2", "choices", "tom-select", "ts-wrapper", "chosen", "slim-select",
                   "ss-main", "vscomp", "virtual-select", "selectpicker", "bootstrap-select",
                   "intl-tel", "iti", "react-select", "phoneinput", "react-tel-input",
                   "muiautocomplete", "ant-select", "v-autocomplete", "v-select", "p-dropdown",
                   "p-select", "multiselect", "country-select", "country-picker", "phone-input")
_PICKER_LIBRARIES = ("select2", "choices.js", "choices.min.js", "tom-select", "chosen.jquery",
                     "slimselect", "slim-select", "virtual-select", "bootstrap-select",
                     "intltelinput", "intl-tel-input", "react-phone", "react-select",
                     "@mui/material", "antd", "headlessui", "downshift", "vuetify", "primevue",
                     "shoelace", "@ionic/core", "@material/web", "country-select",
                     "countryselect", "nice-select", "selectize")
_EMPTY_WIDGET = etree.XPath(
    "//body//*[not(*) and normalize-space(.)='' and (@class or @id or @name)]"
    "[not(self::input or self::select or self::textarea or self::option or self::br or self::img"
    " or self::script or self::style or self::link or self::meta or self::iframe)]")
_SCRIPT_NAMES = etree.XPath("//script/@src | //link[@rel='stylesheet']/@href")
_COUNTRY_WORDS = ("country", "countries", "nationality", "citizenship", "residence")


def _empty_widget(root: Element) -> bool:
    """An empty element named like a picker or a country field: something draws into it."""
    for el in _EMPTY_WIDGET(root)[:2000]:
        words = " ".join(el.get(a) or "" for a in ("class", "id", "name")).casefold()
        if any(w in words for w in _WIDGET_CLASSES) or any(w in words for w in _COUNTRY_WORDS):
            return True
    return False


def _picker_script(root: Element) -> bool:
    """The page loads (or inlines) a known country or drop-down picker library."""
    names = " ".join(str(v) for v in _SCRIPT_NAMES(root)).casefold()
    if any(lib in names for lib in _PICKER_LIBRARIES):
        return True
    for script in root.iter("script"):
        text = (script.text or "")[:_SAMPLE].casefold()
        if any(lib in text for lib in ("select2(", "new choices(", "new tomselect(",
                                       ".chosen(", "new slimselect(", "virtualselect.init(",
                                       "selectpicker(", "intltelinput(")):
            return True
    return False


def render_hints(root: Element, controls: list[Control]) -> tuple[str, ...]:
    """Signs that a country list may be drawn by script after load."""
    hints: list[str] = []
    for c in controls:
        if c.widget in (Widget.COMBOBOX, Widget.LISTBOX) and not c.options:
            hints.append("empty_combobox")
            break
    for c in controls:
        # An empty select is filled later, whatever its label says ("Where are you from?").
        if c.widget is Widget.SELECT and len(c.options) <= 1:
            hints.append("empty_select")
            break
    for el in _FRAMEWORK_ROOTS(root):
        if len(el) <= 3 and len(text_of(el).strip()) < 2000:
            hints.append("framework_root")
            break
    body = root.find("body")
    if body is not None:
        for el in body.iter():
            if isinstance(el.tag, str) and "-" in el.tag:
                hints.append("custom_element")
                break
        if body.find(".//iframe") is not None:
            hints.append("iframe")
        if body.find(".//*[@aria-busy='true']") is not None:
            hints.append("loading")  # a part of the page still being fetched
    if any(c.widget is Widget.TEXT and (c.input_type or "") == "tel" for c in controls) or \
            root.find(".//input[@type='tel']") is not None:
        hints.append("tel_input")  # a phone picker (intl-tel-input & co.) draws its own list
    if _empty_widget(root):
        hints.append("empty_widget")
    if _picker_script(root):
        hints.append("picker_script")
    has_form = root.find(".//form") is not None or any(
        c.widget is not Widget.SCRIPT_DATA for c in controls)
    if has_form:
        for script in root.iter("script"):
            text = script.text or ""
            if "fetch(" in text or "XMLHttpRequest" in text or "axios" in text:
                hints.append("script_fetch")
                break
    return tuple(dict.fromkeys(hints))
