"""Languages: English, Albanian and Serbian (Latin script), chosen by a cookie.

The catalogues are ``translations/<locale>/LC_MESSAGES/messages.po`` (committed); the
compiled ``.mo`` files are build output, made by ``make translations`` (``pybabel compile``)
or, if missing or older than their ``.po``, here at start-up (:mod:`tracker_web.catalogues`),
so a fresh checkout just works.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, Flask, redirect, request
from flask_babel import Babel, get_locale
from werkzeug.datastructures import LanguageAccept
from werkzeug.wrappers import Response

from tracker_web.catalogues import TRANSLATIONS, compile_translations

__all__ = ["LANGUAGES", "TRANSLATIONS", "compile_translations", "current_language", "init_app"]
# Locale code → its own name, in the order of the switcher.
LANGUAGES: dict[str, str] = {"en": "English", "sq": "Shqip", "sr_Latn": "Srpski (latinica)"}
COOKIE = "xk_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600

babel = Babel()
bp = Blueprint("lang", __name__)


def html_lang(locale: str) -> str:
    """The BCP 47 tag for ``<html lang>``: ``sr_Latn`` → ``sr-Latn``."""
    return locale.replace("_", "-")


def negotiate(chosen: str | None, accept: LanguageAccept) -> str:
    """The cookie's language, else the browser's preferred one we have, else English (also
    used by the page cache, before Flask, to key a rendering by its language)."""
    if chosen in LANGUAGES:
        return chosen
    best = accept.best_match(["en", "sq", "sr-Latn", "sr"])
    if best in ("sr", "sr-Latn"):
        return "sr_Latn"
    return best or "en"


def select_locale() -> str:
    return negotiate(request.cookies.get(COOKIE), request.accept_languages)


def current_language() -> str:
    return str(get_locale() or "en")


def _safe_next(target: str | None) -> str:
    """Only a path on this site: a language link must not become an open redirect."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return "/"
    return target


@bp.get("/lang/<code>")
def switch(code: str) -> Response:
    """Remember the chosen language in a cookie and go back to the page."""
    response = redirect(_safe_next(request.args.get("next")), code=303)
    if code in LANGUAGES:
        response.set_cookie(COOKIE, code, max_age=COOKIE_MAX_AGE, samesite="Lax",
                            httponly=True, secure=request.is_secure)
    return response


def init_app(app: Flask) -> None:
    folder = compile_translations(TRANSLATIONS, Path(app.instance_path) / "translations")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(folder)
    babel.init_app(app, locale_selector=select_locale)
    app.register_blueprint(bp)

    @app.context_processor
    def languages() -> dict[str, object]:
        locale = current_language()
        return {"LANGUAGES": LANGUAGES, "current_locale": locale,
                "html_lang": html_lang(locale)}
