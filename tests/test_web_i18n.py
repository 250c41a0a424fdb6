"""The dashboard speaks English, Albanian and Serbian (Latin script), completely.

The catalogues must cover every message the code and templates use: the extraction is run
here and compared with the committed template, and every message must have a non-empty
translation (every plural form) in sq and sr_Latn, with the same %(placeholders)s.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.web_fixtures import app, client, history, web_db  # noqa: F401
from tracker_web.i18n import TRANSLATIONS, compile_translations

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
LOCALES = ("sq", "sr_Latn")


def _extracted() -> set[str | tuple[str, ...]]:
    method_map = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None,
                "lazy_gettext": None}
    found: set[str | tuple[str, ...]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / "tracker_web"), method_map, keywords=keywords):
        found.add(message)
    return found


def _catalog(locale: str):
    path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    return read_po(BytesIO(path.read_bytes()), locale=locale)


def test_the_template_lists_every_message_in_use() -> None:
    template = read_po(BytesIO((TRANSLATIONS / "messages.pot").read_bytes()))
    committed = {m.id for m in template if m.id}
    in_use = _extracted()
    assert in_use - committed == set(), "run pybabel extract (docs/dashboard.md)"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated(locale: str) -> None:
    catalog = _catalog(locale)
    in_use = _extracted()
    translated = {m.id: m for m in catalog if m.id}
    assert in_use - set(translated) == set()
    for message_id in in_use:
        message = translated[message_id]
        assert not message.fuzzy, message_id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(strings) == (catalog.num_plurals if isinstance(message_id, tuple) else 1)
        source = message_id[0] if isinstance(message_id, tuple) else message_id
        for text in strings:
            assert text.strip(), message_id
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(source)), (
                message_id, text)


def test_compiled_at_start_when_missing(tmp_path: Path) -> None:
    source = tmp_path / "translations"
    for locale in LOCALES:
        po = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
        (source / locale / "LC_MESSAGES").mkdir(parents=True)
        (source / locale / "LC_MESSAGES" / "messages.po").write_bytes(po.read_bytes())
    out = compile_translations(source, tmp_path / "instance")
    assert out == source
    for locale in LOCALES:
        assert (source / locale / "LC_MESSAGES" / "messages.mo").stat().st_size > 1000


@pytest.mark.parametrize(("locale", "lang", "words"), [
    ("sq", "sq", ["Cilat faqe interneti e lënë Kosovën jashtë?", "Tabela", "E lë Kosovën jashtë"]),
    ("sr_Latn", "sr-Latn", ["Koji sajtovi izostavljaju Kosovo?", "Izostavlja Kosovo"]),
    ("en", "en", ["Which websites leave Kosovo out?", "Leaves Kosovo out"]),
])
def test_pages_in_each_language(client, locale: str, lang: str, words: list[str]) -> None:
    client.get(f"/lang/{locale}")
    html = client.get("/").get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    for word in words:
        assert word in html
    site = client.get("/site/shop.example.com").get_data(as_text=True)
    assert f'<html lang="{lang}">' in site


def test_plural_forms_in_serbian(client) -> None:
    client.get("/lang/sr_Latn")
    html = client.get("/site/shop.example.com").get_data(as_text=True)
    assert "Ukupno 5 provera." in html


# --- the letters' catalogue ---------------------------------------------------------------

BRACES = re.compile(r"\{(\w+)\}")
LETTER_LOCALES = ("sq", "sr_Latn", "de", "fr", "it", "sv")


def test_the_letters_template_lists_every_letter_message() -> None:
    from tracker_web import letter_texts

    source = (ROOT / "tracker_web" / "letter_texts.py")
    found = {(context, message) for _f, _l, message, _c, context in extract_from_dir(
        str(source.parent), [("letter_texts.py", "python")], keywords={"L_": ((1, "c"), 2)})}
    template = read_po(BytesIO((TRANSLATIONS / "letters.pot").read_bytes()))
    committed = {(m.context, m.id) for m in template if m.id}
    assert found == committed, "run pybabel extract for the letters (docs/dashboard.md)"
    assert letter_texts.EVIDENCE in committed


@pytest.mark.parametrize("locale", LETTER_LOCALES)
def test_every_letter_message_is_translated_with_its_placeholders(locale: str) -> None:
    template = read_po(BytesIO((TRANSLATIONS / "letters.pot").read_bytes()))
    path = TRANSLATIONS / locale / "LC_MESSAGES" / "letters.po"
    catalog = read_po(BytesIO(path.read_bytes()), locale=locale, domain="letters")
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        assert found is not None and found.string.strip() and not found.fuzzy, message.id
        assert set(BRACES.findall(found.string)) == set(BRACES.findall(message.id)), (
            message.id, found.string)


def test_words_on_constants_follow_each_request_language(client) -> None:  # noqa: F811
    """A filter on a constant (``'unknown' | verdict_name``) is translated per request, not
    once into the first visitor's language (Jinja folds constant filters when it can)."""
    english = client.get("/").get_data(as_text=True)
    assert "Not known yet" in english.split('id="card-unknown"', 1)[1][:300]
    client.get("/lang/sq")
    albanian = client.get("/").get_data(as_text=True)
    card = albanian.split('id="card-unknown"', 1)[1][:300]
    assert "Ende e panjohur" in card and "Not known yet" not in card
    assert "Listë e shkurtër ose tekst i lirë" in albanian
