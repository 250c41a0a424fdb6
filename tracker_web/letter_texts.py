"""The words of the letters, in English: the source of the ``letters`` message catalogue.

Translators work on ``translations/<language>/LC_MESSAGES/letters.po`` (Albanian, Serbian,
German, French, Italian, Swedish) with their usual tools; the template is
``translations/letters.pot``, extracted from this file (``L_`` marks a message and its
context; docs/dashboard.md has the commands). Each message is a whole sentence with
``{placeholders}``; three variants (polite, as a customer, brief) of the subject, greeting,
reason, request and close make letters differ in more than the writer's own sentence.
``{form}`` is the checked page as the object of "we checked …", in the case that sentence
needs; ``{what}`` is the request as an infinitive phrase that fits every request.
"""

from __future__ import annotations


def L_(context: str, message: str) -> tuple[str, str]:  # noqa: N802 (a gettext-style marker)
    """Mark ``message`` (with its ``context``) for extraction; translated in letters.py."""
    return context, message


Message = tuple[str, str]

FORMS: dict[str, Message] = {
    "signup": L_("form", "the sign-up form"),
    "checkout": L_("form", "the checkout"),
    "shipping": L_("form", "the shipping form"),
    "phone": L_("form", "the phone number form"),
    "profile": L_("form", "the profile form"),
    "other": L_("form", "the form"),
}
SUBJECT: dict[str, Message] = {
    "polite": L_("subject polite", "A request about Kosovo in the country list of {site}"),
    "customer": L_("subject customer", "As a customer: Kosovo on {site}"),
    "brief": L_("subject brief", "{site}: Kosovo (XK, +383)"),
}
GREETING: dict[str, Message] = {
    "polite": L_("greeting polite", "Dear {company} team,"),
    "customer": L_("greeting customer", "Hello {company},"),
    "brief": L_("greeting brief", "Hello,"),
}
FACT: dict[str, Message] = {
    "missing": L_("fact missing", "On {date} we checked {form} at {url}: its country list "
                                  "offers {count} countries and territories, but not Kosovo."),
    "partial": L_("fact partial", "On {date} we checked {site}: some of its country lists "
                                  "include Kosovo, but not the one at {url}."),
    "listed_qualified": L_("fact listed_qualified",
                           "On {date} we checked {form} at {url}: it lists Kosovo only as "
                           "\"{qualifier}\", under another state."),
    "wrong_code": L_("fact wrong_code", "On {date} we checked {form} at {url}: it offers "
                                        "Kosovo with the dialling code {code} instead of +383."),
}
GAP: Message = L_("gap", "Kosovo would stand between {before} and {after}.")
WHY: dict[str, Message] = {
    "polite": L_("why polite",
                 "Kosovo has its own country code, XK, used by the EU, banks and the big "
                 "platforms, and since 2017 its own international dialling code, +383. When it "
                 "is missing, people who live in Kosovo, and its diaspora, cannot give their "
                 "real country: many give up, others have to pretend to live somewhere else."),
    "customer": L_("why customer",
                   "I use your services. For people from Kosovo, a country list without Kosovo "
                   "means choosing another country, or not being able to sign up or pay at "
                   "all."),
}
WHAT: dict[str, Message] = {
    "add": L_("what add", "add Kosovo (code XK) to the country list"),
    "rename": L_("what rename", "list Kosovo under its own name, simply \"Kosovo\""),
    "code": L_("what code", "give Kosovo its own dialling code, +383"),
}
ASK: dict[str, Message] = {
    "polite": L_("ask polite", "Could you please {what}?"),
    "customer": L_("ask customer", "I am asking you to {what}."),
    "brief": L_("ask brief", "Please {what}."),
}
FIX: Message = L_("fix", "A hint for your developers: {fix}")
# The evidence a letter points to: only what the check kept (a screenshot only when one was
# taken; the whole list only when it was stored), with the date and how the page was read.
EVIDENCE: Message = L_("evidence", "Our evidence from {date} ({how}) shows {what}: {url}")
HOW: dict[str, Message] = {
    "browser": L_("evidence how", "read in a real browser"),
    "static": L_("evidence how", "read from the page's HTML"),
}
EVIDENCE_WHAT: dict[tuple[bool, bool], Message] = {
    # (screenshot kept, whole list stored)
    (True, True): L_("evidence what",
                     "a screenshot of the country field and the whole list"),
    (False, True): L_("evidence what", "the whole list"),
    (True, False): L_("evidence what", "a screenshot of the country field and the options "
                                       "around Kosovo's place"),
    (False, False): L_("evidence what", "the options around Kosovo's place"),
}
EVIDENCE_SHORT: Message = L_("evidence short", "The evidence: {url}")
CLOSE: dict[str, Message] = {
    "polite": L_("close polite", "Thank you for your time.\nKind regards,"),
    "customer": L_("close customer", "Thank you,"),
    "brief": L_("close brief", "Best regards,"),
}
POST: dict[str, Message] = {
    "add": L_("post add", "{site} still leaves Kosovo out of a country list (checked {date}). "
                          "Evidence: {url} #Kosovo #XK"),
    "rename": L_("post rename", "{site} lists Kosovo only as \"{qualifier}\" (checked "
                                "{date}). Evidence: {url} #Kosovo #XK"),
    "code": L_("post code", "{site} gives Kosovo the dialling code {code} instead of +383 "
                            "(checked {date}). Evidence: {url} #Kosovo #XK"),
}

# To the maintainers of a library whose default list lacks Kosovo: in English, the working
# language of most issue trackers.
UPSTREAM_MESSAGE = (
    "Hello,\n\n"
    "the default country list of {platform} does not include Kosovo. Kosovo uses the code XK "
    "(a user-assigned ISO 3166 code that the European Commission, SWIFT, Unicode CLDR and "
    "libphonenumber use), and +383 as its dialling code since 2017. {sites} sites we track "
    "appear to ship your list unchanged, so people who live in Kosovo cannot choose their "
    "country there.\n\n"
    "Could you add Kosovo (XK) to the default list, or document how to add it?\n\n"
    "{fix}"
    "Thank you for your work on {platform}."
)
