"""Verdicts, reasons, form kinds, categories and contact kinds in plain words, in the reader's
language; the verdict sets themselves are :mod:`db.verdicts`' (one vocabulary everywhere).

Lazy strings: they are looked up when a page is rendered, in that request's language.
"""

from __future__ import annotations

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

# Short names (badges, filters) and a sentence for a page ("what we saw").
VERDICT_NAMES: dict[str, LazyString] = {
    "listed": _l("Lists Kosovo"),
    "listed_qualified": _l("Lists Kosovo under another state"),
    "wrong_code": _l("Wrong dialling code"),
    "partial": _l("Partly leaves Kosovo out"),
    "missing": _l("Leaves Kosovo out"),
    "restricted": _l("Short list without Kosovo"),
    "free_text": _l("Country typed freely"),
    "no_country_field": _l("No country field found"),
    "error": _l("Could not check"),
    "blocked": _l("Blocked our check"),
    "unknown": _l("Not known yet"),
    "unchecked": _l("Not checked yet"),
    # The part of the counts that holds restricted and free_text (db.verdicts.PARTS).
    "neutral": _l("Short list or free text"),
}

VERDICT_SENTENCES: dict[str, LazyString] = {
    "listed": _l("Kosovo is in the country list as a country of its own."),
    "listed_qualified": _l("Kosovo is in the list, but named as part of another state or "
                           "under a resolution."),
    "wrong_code": _l("Kosovo is in the dialling-code list, but with a code other than "
                     "+383."),
    "partial": _l("Some of this site's country lists have Kosovo, others leave it out."),
    "missing": _l("The country list covers the whole world but leaves Kosovo out."),
    "restricted": _l("The list offers only a few countries (for example shipping "
                     "destinations) and Kosovo is not one of them. This is not counted as "
                     "leaving Kosovo out."),
    "free_text": _l("The country is typed into a text box, so Kosovo can be entered."),
    "no_country_field": _l("The page loaded but we found no country field on it."),
    "error": _l("We could not load the page, so we say nothing about Kosovo."),
    "blocked": _l("The site blocked our check (a bot wall, a login or similar), so we say "
                  "nothing about Kosovo."),
    "unknown": _l("We have no conclusive check of this site yet."),
    "unchecked": _l("This page has not been checked yet."),
}

REASONS: dict[str, LazyString] = {
    "timeout": _l("the page took too long"),
    "dns": _l("the address could not be found"),
    "connection": _l("the connection failed"),
    "tls": _l("the secure connection failed"),
    "http_4xx": _l("the page answered with an error"),
    "http_5xx": _l("the server answered with an error"),
    "rate_limited": _l("the site asked us to slow down"),
    "too_large": _l("the page was too large"),
    "redirect_loop": _l("the page redirected in a loop"),
    "too_many_redirects": _l("the page redirected too many times"),
    "private_address": _l("the address is not on the public Internet"),
    "bad_url": _l("the address is not valid"),
    "bad_content": _l("the answer was not a web page"),
    "unrendered": _l("the country list could not be read"),
    "browser_unavailable": _l("no browser was available"),
    "browser_crashed": _l("the browser crashed"),
    "step_failed": _l("a step needed to reach the form failed"),
    "not_recorded": _l("the page was not in the recording"),
    "off_site": _l("the page led away from the site"),
    "bot_wall": _l("a bot wall"),
    "captcha": _l("a captcha"),
    "forbidden": _l("access was refused"),
    "robots": _l("the site's robots.txt asks robots to stay away"),
    "login_required": _l("a login is required"),
}

KINDS: dict[str, LazyString] = {
    "signup": _l("sign-up form"),
    "checkout": _l("checkout"),
    "shipping": _l("shipping form"),
    "phone": _l("phone number form"),
    "profile": _l("profile form"),
    "other": _l("form"),
}

# The catalog's categories (docs/catalog.md); a category outside these is shown as written.
CATEGORIES: dict[str, LazyString] = {
    "developer": _l("developer platforms"),
    "e-commerce": _l("e-commerce"),
    "education": _l("education"),
    "government": _l("government services"),
    "health": _l("health"),
    "jobs": _l("jobs"),
    "logistics": _l("logistics"),
    "other": _l("other"),
    "payments": _l("payments"),
    "social": _l("social networks"),
    "streaming": _l("streaming"),
    "telecom": _l("telecom"),
    "travel": _l("travel"),
}

CONTACT_KINDS: dict[str, LazyString] = {
    "email": _l("e-mail"),
    "form": _l("contact form"),
    "phone": _l("phone"),
    "social": _l("social media"),
    "page": _l("contact page"),
}

METHODS: dict[str, LazyString] = {
    "static": _l("read from the page's HTML"),
    "browser": _l("read in a real browser"),
}

# Badge colour families (CSS classes), so colour is never the only signal: text says it too.
TONES = {"listed": "good", "listed_qualified": "warn", "wrong_code": "warn",
         "partial": "bad", "missing": "bad", "restricted": "neutral", "free_text": "neutral",
         "neutral": "neutral", "no_country_field": "muted", "error": "muted",
         "blocked": "muted", "unknown": "muted", "unchecked": "muted"}


def _memo(table: dict[str, LazyString], key: str, default: str) -> str:
    """``str(table[key])``, remembered for the rest of the request: a page with hundreds of
    badges looks each word up once, not once per badge."""
    if not has_request_context():
        return str(table.get(key, default))
    seen: dict[tuple[int, str], str] = g.setdefault("xk_words", {})
    found = seen.get((id(table), key))
    if found is None:
        found = seen[(id(table), key)] = str(table.get(key, default))
    return found


def verdict_name(verdict: str | None) -> str:
    return _memo(VERDICT_NAMES, verdict or "unknown", verdict or "")


def verdict_sentence(verdict: str | None) -> str:
    return _memo(VERDICT_SENTENCES, verdict or "unknown", "")


def reason_words(reason: str | None) -> str:
    if not reason:
        return ""
    return _memo(REASONS, reason, reason.replace("_", " "))


def kind_name(kind: str | None) -> str:
    return _memo(KINDS, kind if kind in KINDS else "other", "")


def category_name(category: str | None) -> str:
    if not category:
        return ""
    return _memo(CATEGORIES, category, category)


def contact_kind(kind: str | None) -> str:
    return _memo(CONTACT_KINDS, kind or "", kind or "")


def method_words(method: str | None) -> str:
    return _memo(METHODS, method or "", method or "")


def tone(verdict: str | None) -> str:
    return TONES.get(verdict or "unknown", "muted")
