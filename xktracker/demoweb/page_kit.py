"""The building blocks of a demo page: escaped HTML, selects and form rows, the expectation
meta tags, the page chrome and layout, and the short one-form English page most fixtures are."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


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


LISTED = Expect("listed", field="listed")


def form_page(
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


# --------------------------------------------------------------------------- declared forms

COUNTRIES = "countries"  # a Field's options: the page's own country list


@dataclass(frozen=True)
class Field:
    """One row of a declared form: a text box (``type_``), or a select of ``options`` (pairs,
    or :data:`COUNTRIES` for the page's list)."""

    label: str
    name: str
    id: str
    type_: str = "text"
    options: Sequence[tuple[str, str]] | str | None = None
    placeholder: str | None = None
    selected: str | None = None

    def html(self, countries: Sequence[tuple[str, str]]) -> str:
        if self.options is None:
            control = text_input(self.name, self.id, type_=self.type_)
        else:
            pairs = countries if self.options == COUNTRIES else self.options
            assert not isinstance(pairs, str)
            control = select(self.name, self.id, pairs, placeholder=self.placeholder,
                             selected=self.selected)
        return row(self.label, control, self.id)


@dataclass(frozen=True)
class FormPageSpec:
    """A one-form English page declared as data: the fixtures that differ only in their
    words and in how the country list names Kosovo are rows of a table, not functions."""

    filename: str
    title: str
    brand: str
    heading: str
    intro: str
    fields: tuple[Field, ...]
    expect: Expect
    submit: str = "Continue"
    accent: str = "#1f5f4a"

    def build(self, countries: Sequence[tuple[str, str]]) -> Page:
        return form_page(self.filename, title=self.title, brand=self.brand,
                         heading=self.heading, intro=self.intro,
                         rows=[f.html(countries) for f in self.fields], expect=self.expect,
                         submit=self.submit, accent=self.accent)
