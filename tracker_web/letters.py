"""Letters to companies, built from the facts: pure functions, nothing stored.

:func:`compose` fills a letter in the writer's language from the facts of a check and the
writer's own sentence, with the words of the ``letters`` message catalogue
(:mod:`tracker_web.letter_texts` is its English source). A letter names only evidence that
exists for that check: a screenshot only when one was kept, the whole list only when it was
stored, the date and how the page was read. :func:`links` turns it into a ``mailto:`` link
(RFC 6068) and Gmail and Outlook web compose links. Every value is percent-encoded and no raw
CR or LF reaches a link, so a company name such as ``ACME&bcc=x@evil.example`` or one carrying
a line break cannot add a recipient or a header. A ``mailto:`` link longer than
:data:`MAILTO_MAX` characters (some mail programs cut it) carries the letter's short version
(without the reasons and the hint for developers); only when even that is too long is it not
offered, and the page falls back to copying.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from urllib.parse import quote

from babel.dates import format_date
from babel.support import Translations

from tracker_web import letter_texts as T
from tracker_web.catalogues import TRANSLATIONS, compile_translations
from tracker_web.errors import LetterError
from tracker_web.letter_texts import UPSTREAM_MESSAGE

LETTER_LANGUAGES: dict[str, str] = {
    "en": "English", "sq": "Shqip", "sr_Latn": "Srpski", "de": "Deutsch",
    "fr": "Français", "it": "Italiano", "sv": "Svenska",
}
VARIANTS = ("polite", "customer", "brief")
MAILTO_MAX = 2000
POST_MAX = 280
PERSONAL_MIN = 10
PERSONAL_MAX = 400
# A deliberately plain address: anything a mail program might read as a second address or
# a header (spaces, commas, angle brackets, quotes) is refused rather than encoded.
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class LetterFacts:
    """What a letter says, from the stored check (never from the writer)."""

    company: str
    site: str
    verdict: str  # missing | partial | listed_qualified | wrong_code
    form_kind: str
    form_url: str
    checked_on: date
    evidence_url: str
    country_count: int | None = None
    before: str | None = None  # the options around where Kosovo would stand (missing)
    after: str | None = None
    qualifier: str | None = None  # "Kosovo (Serbia)" (listed_qualified)
    dial_code: str | None = None  # "+381" (wrong_code)
    fix: str | None = None  # the upstream library's fix for this problem, if attributed
    method: str = "static"  # how the page was read: static (its HTML) or browser
    screenshot: bool = False  # a screenshot of the country field was kept
    whole_list: bool = False  # the whole option list was stored (the page shows it)


@dataclass(frozen=True, slots=True)
class Letter:
    language: str
    variant: str
    subject: str
    body: str
    post: str
    short_body: str  # the same letter without reasons and hint: what a mailto: link carries


@dataclass(frozen=True, slots=True)
class Links:
    mailto: str | None  # None: too long for a mailto: link, copy the text instead
    gmail: str
    outlook: str
    mailto_short: bool = False  # the mailto: link carries the short version


def one_line(text: str | None, limit: int = 300) -> str:
    """Text safe to put in a subject or a sentence: control characters (CR, LF, NUL …) and
    runs of white space become one space; cut to ``limit`` characters."""
    if not text:
        return ""
    cleaned = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in str(text))
    return _SPACE.sub(" ", cleaned).strip()[:limit]


def clean_personal(text: str | None) -> str:
    """The writer's own sentence, on one line; :class:`LetterError` if empty or too long."""
    sentence = one_line(text, PERSONAL_MAX + 1)
    if len(sentence) < PERSONAL_MIN:
        raise LetterError("personal_too_short")
    if len(sentence) > PERSONAL_MAX:
        raise LetterError("personal_too_long")
    return sentence


def valid_email(address: str | None) -> bool:
    return bool(address) and _EMAIL.fullmatch(address or "") is not None


def _request_kind(verdict: str) -> str:
    return {"listed_qualified": "rename", "wrong_code": "code"}.get(verdict, "add")


def _date(day: date, language: str) -> str:
    if language == "sr_Latn":
        return f"{day.day}. {day.month}. {day.year}."
    return format_date(day, format="long", locale=language)


@cache
def catalogue(language: str) -> Callable[[tuple[str, str]], str]:
    """The letters' words in ``language``: message → translation (English: the message)."""
    if language == "en":
        return lambda message: message[1]
    folder = compile_translations(TRANSLATIONS, domain="letters")
    found = Translations.load(str(folder), [language], domain="letters")
    if not isinstance(found, gettext.GNUTranslations):
        raise LetterError("language")
    return lambda message: str(found.pgettext(*message))


def compose(facts: LetterFacts, language: str, variant: str, personal: str) -> Letter:
    """The letter in ``language`` (one of :data:`LETTER_LANGUAGES`), ``variant`` (one of
    :data:`VARIANTS`), with the writer's ``personal`` sentence as its own paragraph."""
    if language not in LETTER_LANGUAGES:
        raise LetterError("language")
    if variant not in VARIANTS:
        raise LetterError("variant")
    sentence = clean_personal(personal)
    say = catalogue(language)
    request = _request_kind(facts.verdict)
    verdict = facts.verdict if facts.verdict in T.FACT else "missing"
    values = {
        "company": one_line(facts.company, 120) or one_line(facts.site, 120),
        "site": one_line(facts.site, 120),
        "form": say(T.FORMS.get(facts.form_kind, T.FORMS["other"])),
        "url": one_line(facts.form_url, 500),
        "date": _date(facts.checked_on, language),
        "count": str(facts.country_count) if facts.country_count else "150+",
        "qualifier": one_line(facts.qualifier, 120),
        "code": one_line(facts.dial_code, 12),
    }
    evidence_url = one_line(facts.evidence_url, 500)
    fact = say(T.FACT[verdict]).format(**values)
    full_fact = fact
    if verdict == "missing" and facts.before and facts.after:
        full_fact += " " + say(T.GAP).format(before=one_line(facts.before, 80),
                                             after=one_line(facts.after, 80))
    greeting = say(T.GREETING[variant]).format(**values)
    ask = say(T.ASK[variant]).format(what=say(T.WHAT[request]))
    close = say(T.CLOSE[variant])
    how = say(T.HOW["browser" if facts.method == "browser" else "static"])
    shown = say(T.EVIDENCE_WHAT[(facts.screenshot, facts.whole_list)])
    evidence = say(T.EVIDENCE).format(date=values["date"], how=how, what=shown,
                                      url=evidence_url)
    paragraphs = [greeting, full_fact]
    if variant in T.WHY:
        paragraphs.append(say(T.WHY[variant]))
    paragraphs += [sentence, ask]
    if facts.fix:
        paragraphs.append(say(T.FIX).format(fix=one_line(facts.fix, 600)))
    paragraphs += [evidence, close]
    short = [greeting, fact, sentence, ask, say(T.EVIDENCE_SHORT).format(url=evidence_url),
             close]
    subject = one_line(say(T.SUBJECT[variant]).format(**values), 200)
    post_template = say(T.POST[request])
    post = post_template.format(**{**values, "url": evidence_url})
    if len(post) > POST_MAX:
        post = post_template.format(**{**values, "url": evidence_url, "qualifier": "…",
                                       "site": values["site"][:40]})
    return Letter(language=language, variant=variant, subject=subject,
                  body="\n\n".join(paragraphs), post=post, short_body="\n\n".join(short))


def _encode(value: str) -> str:
    """Percent-encode every byte that is not unreserved (RFC 3986), ``&``, ``=``, ``?``,
    ``#`` and ``%`` included, so a value can never end its field or start another."""
    return quote(value, safe="")


def _body_crlf(body: str) -> str:
    # RFC 6068 §5: line breaks in a body are written as %0D%0A.
    return body.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def mailto(to: str | None, subject: str, body: str) -> str | None:
    """``mailto:to?subject=…&body=…``, or ``None`` when it would be longer than
    :data:`MAILTO_MAX` characters. An address that is not a plain e-mail address is left out
    (the writer fills it in) rather than trusted."""
    address = quote(to, safe="@") if to and valid_email(to) else ""
    link = (f"mailto:{address}?subject={_encode(one_line(subject, 300))}"
            f"&body={_encode(_body_crlf(body))}")
    return link if len(link) <= MAILTO_MAX else None


def gmail(to: str | None, subject: str, body: str) -> str:
    address = to if to and valid_email(to) else ""
    return ("https://mail.google.com/mail/?view=cm&fs=1"
            f"&to={_encode(address)}&su={_encode(one_line(subject, 300))}"
            f"&body={_encode(body)}")


def outlook(to: str | None, subject: str, body: str) -> str:
    address = to if to and valid_email(to) else ""
    return ("https://outlook.live.com/mail/0/deeplink/compose"
            f"?to={_encode(address)}&subject={_encode(one_line(subject, 300))}"
            f"&body={_encode(body)}")


def links(letter: Letter, to: str | None) -> Links:
    """Compose links for the whole letter; the ``mailto:`` link carries the short version
    when the whole one is too long for it."""
    whole = mailto(to, letter.subject, letter.body)
    short = None if whole else mailto(to, letter.subject, letter.short_body)
    return Links(mailto=whole or short, gmail=gmail(to, letter.subject, letter.body),
                 outlook=outlook(to, letter.subject, letter.body),
                 mailto_short=whole is None and short is not None)


def upstream_message(platform: str, sites: int, fix: str | None) -> str:
    """The note to a library's maintainers (English), with the known fix if there is one."""
    hint = f"A known workaround: {one_line(fix, 600)}\n\n" if fix else ""
    return UPSTREAM_MESSAGE.format(platform=one_line(platform, 200), sites=sites, fix=hint)
