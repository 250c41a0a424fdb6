"""Letters are a pure function of the facts: every language, every variant, and no header
injection through a company name, a site name, a qualifier or the writer's sentence."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from tracker_web.errors import LetterError
from tracker_web.letters import (
    LETTER_LANGUAGES,
    MAILTO_MAX,
    VARIANTS,
    LetterFacts,
    compose,
    gmail,
    links,
    mailto,
    one_line,
    outlook,
    upstream_message,
)

FACTS = LetterFacts(company="Example Inc.", site="Example Shop", verdict="missing",
                    form_kind="checkout", form_url="https://shop.example.com/checkout",
                    checked_on=date(2026, 11, 23),
                    evidence_url="https://xk.example/site/shop.example.com#target-1",
                    country_count=249, before="Korea, South", after="Kuwait",
                    fix="Add XK with COUNTRIES_OVERRIDE.")
PERSONAL = "My parents live in Prizren and could not order."

HOSTILE_NAMES = [
    "ACME&bcc=spy@evil.example",
    "ACME?cc=spy@evil.example",
    "ACME\r\nBcc: spy@evil.example",
    "ACME%0ABcc:%20spy@evil.example",
    "ACME\nbody=replaced",
    "ACME#fragment&to=spy@evil.example",
]


def _fields(link: str) -> dict[str, list[str]]:
    """The header fields of a mailto: link, decoded as a mail program would."""
    parts = urlsplit(link)
    assert parts.scheme == "mailto"
    return parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)


@pytest.mark.parametrize("language", list(LETTER_LANGUAGES))
@pytest.mark.parametrize("variant", VARIANTS)
def test_every_language_and_variant_carries_the_facts(language: str, variant: str) -> None:
    letter = compose(FACTS, language, variant, PERSONAL)
    assert PERSONAL in letter.body
    assert "https://shop.example.com/checkout" in letter.body
    assert FACTS.evidence_url in letter.body
    assert "249" in letter.body
    assert "Kuwait" in letter.body and "Korea, South" in letter.body
    assert "COUNTRIES_OVERRIDE" in letter.body
    assert "2026" in letter.body
    assert "Example Shop" in letter.subject
    assert "\n" not in letter.subject and "\r" not in letter.subject
    assert len(letter.post) <= 280 and FACTS.evidence_url in letter.post
    assert "{" not in letter.body + letter.subject + letter.post  # every slot filled


def test_variants_differ_and_personal_sentence_makes_letters_unique() -> None:
    bodies = {compose(FACTS, "en", v, PERSONAL).body for v in VARIANTS}
    assert len(bodies) == len(VARIANTS)
    other = compose(FACTS, "en", "polite", "I could not send a parcel home to Gjakova.")
    assert other.body != compose(FACTS, "en", "polite", PERSONAL).body


@pytest.mark.parametrize(("verdict", "expected"), [
    ("listed_qualified", "Kosovo (Serbia)"),
    ("wrong_code", "+381"),
    ("partial", "not the one at"),
])
def test_the_fact_follows_the_verdict(verdict: str, expected: str) -> None:
    facts = LetterFacts(company="Example Inc.", site="Example Shop", verdict=verdict,
                        form_kind="phone", form_url="https://shop.example.com/p",
                        checked_on=date(2026, 11, 23), evidence_url="https://xk.example/s",
                        qualifier="Kosovo (Serbia)", dial_code="+381")
    assert expected in compose(facts, "en", "brief", PERSONAL).body


@pytest.mark.parametrize("personal", ["", "   ", "too short", "\r\n\r\n", "x" * 401])
def test_a_personal_sentence_is_required(personal: str) -> None:
    with pytest.raises(LetterError):
        compose(FACTS, "en", "polite", personal)


def test_unknown_language_or_variant_is_refused() -> None:
    with pytest.raises(LetterError):
        compose(FACTS, "xx", "polite", PERSONAL)
    with pytest.raises(LetterError):
        compose(FACTS, "en", "angry", PERSONAL)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_no_header_injection_through_the_company_name(name: str) -> None:
    facts = LetterFacts(company=name, site=name, verdict="listed_qualified",
                        form_kind="signup", form_url="https://x.example/?a=1&b=2",
                        checked_on=date(2026, 11, 23), evidence_url="https://xk.example/s",
                        qualifier=name)
    letter = compose(facts, "en", "polite", f"{PERSONAL} {name}")
    link = mailto("support@x.example", letter.subject, letter.body)
    assert link is not None
    assert "\r" not in link and "\n" not in link and " " not in link
    fields = _fields(link)
    assert set(fields) == {"subject", "body"}  # no bcc, cc, to or any other header
    assert urlsplit(link).path == "support@x.example"
    assert len(fields["subject"]) == 1 and len(fields["body"]) == 1
    assert "\n" not in fields["subject"][0]
    for web in (gmail("support@x.example", letter.subject, letter.body),
                outlook("support@x.example", letter.subject, letter.body)):
        query = parse_qs(urlsplit(web).query, keep_blank_values=True)
        assert query["to"] == ["support@x.example"]
        assert all(len(v) == 1 for v in query.values())
        assert not {"cc", "bcc"} & set(query)


def test_mailto_is_rfc6068_percent_encoded_with_crlf_line_breaks() -> None:
    letter = compose(FACTS, "sq", "brief", "Jetoj në Prishtinë & s'mund të porosis.")
    link = mailto("support@shop.example.com", letter.subject, letter.body)
    assert link is not None and link.startswith("mailto:support@shop.example.com?subject=")
    assert "%0D%0A" in link and "%26" in link  # the & of the sentence, encoded
    body = _fields(link)["body"][0]
    assert body == letter.body.replace("\n", "\r\n")
    assert "Prishtinë & s'mund" in body
    assert all(ord(ch) < 128 for ch in link)


@pytest.mark.parametrize("address", ["a@b.example,spy@evil.example", "a b@c.example",
                                     "x@y.example?bcc=z@evil.example", "<a@b.example>",
                                     "a@b.example\r\nBcc: z@evil.example", ""])
def test_a_doubtful_address_is_left_out_not_trusted(address: str) -> None:
    link = mailto(address, "Subject", "Body")
    assert link is not None and link.startswith("mailto:?subject=")
    assert set(_fields(link)) == {"subject", "body"}


def test_a_long_letter_gives_the_mail_link_its_short_version() -> None:
    long_fix = "Use the override. " * 80
    facts = LetterFacts(**{name: getattr(FACTS, name) for name in (
        "company", "site", "verdict", "form_kind", "form_url", "checked_on", "evidence_url",
        "country_count", "before", "after")}, fix=long_fix)
    letter = compose(facts, "de", "polite", PERSONAL)
    assert mailto("support@shop.example.com", letter.subject, letter.body) is None
    result = links(letter, "support@shop.example.com")
    assert result.mailto is not None and result.mailto_short
    body = _fields(result.mailto)["body"][0]
    assert PERSONAL in body and FACTS.evidence_url in body and "Use the override" not in body
    assert "https://shop.example.com/checkout" in body and "249" in body
    # Gmail and Outlook take the whole letter.
    assert "Use%20the%20override" in result.gmail
    short = links(compose(FACTS, "en", "brief", PERSONAL), "support@shop.example.com")
    assert short.mailto is not None and not short.mailto_short
    assert len(short.mailto) <= MAILTO_MAX and unquote(short.mailto).count(PERSONAL) == 1
    # Only a letter whose short version is too long too has no mail link: copy instead.
    huge = compose(facts, "sr_Latn", "polite", "科索沃" * 130)
    assert links(huge, "support@shop.example.com").mailto is None


# A writer's sentence in each language, about as long as people write them.
SENTENCES = {
    "en": "My parents live in Prizren and could not order anything from you last winter.",
    "sq": "Prindërit e mi jetojnë në Prizren dhe dimrin e kaluar nuk mundën të porositnin asgjë.",
    "sr_Latn": "Moji roditelji žive u Prizrenu i prošle zime nisu mogli ništa da naruče.",
    "de": "Meine Eltern leben in Prizren und konnten letzten Winter nichts bei Ihnen bestellen.",
    "fr": "Mes parents vivent à Prizren et n’ont rien pu commander chez vous l’hiver dernier.",
    "it": "I miei genitori vivono a Prizren e lo scorso inverno non hanno potuto ordinare nulla.",
    "sv": "Mina föräldrar bor i Prizren och kunde inte beställa något av er förra vintern.",
}


@pytest.mark.parametrize("language", list(LETTER_LANGUAGES))
@pytest.mark.parametrize("variant", VARIANTS)
def test_every_language_has_a_mail_link_with_the_longest_fix(language: str,
                                                             variant: str) -> None:
    from checks.fingerprint import database

    longest = max((t for v in database()[0] for t in v.library.fixes.values()), key=len)
    facts = LetterFacts(**{name: getattr(FACTS, name) for name in (
        "company", "site", "verdict", "form_kind", "form_url", "checked_on", "evidence_url",
        "country_count", "before", "after")}, fix=longest, method="browser", screenshot=True,
        whole_list=True)
    letter = compose(facts, language, variant, SENTENCES[language])
    found = links(letter, "support@shop.example.com")
    assert found.mailto is not None and len(found.mailto) <= MAILTO_MAX, language
    assert SENTENCES[language] in _fields(found.mailto)["body"][0]


@pytest.mark.parametrize("language", list(LETTER_LANGUAGES))
def test_a_letter_names_only_the_evidence_that_exists(language: str) -> None:
    def body(**evidence: object) -> str:
        facts = LetterFacts(**{name: getattr(FACTS, name) for name in (
            "company", "site", "verdict", "form_kind", "form_url", "checked_on",
            "evidence_url", "country_count", "before", "after")}, **evidence)
        return compose(facts, language, "polite", SENTENCES[language]).body

    shot = {"en": "screenshot", "sq": "pamje të ekranit", "sr_Latn": "snimak ekrana",
            "de": "Bildschirmfoto", "fr": "capture d’écran", "it": "screenshot",
            "sv": "skärmbild"}[language]
    whole = {"en": "whole list", "sq": "listën e plotë", "sr_Latn": "celu listu",
             "de": "ganze Liste", "fr": "liste complète", "it": "elenco completo",
             "sv": "hela listan"}[language]
    static = body(method="static", screenshot=False, whole_list=True)
    assert shot not in static and whole in static
    browser = body(method="browser", screenshot=True, whole_list=True)
    assert shot in browser and whole in browser
    old = body(method="static", screenshot=False, whole_list=False)
    assert shot not in old and whole not in old
    assert "2026" in static  # the date of the check


def test_one_line_removes_control_characters() -> None:
    assert one_line("a\r\nb\tc\x00d\u2028e") == "a b c d e"


def test_upstream_message_names_the_library_and_count() -> None:
    text = upstream_message("django-countries (PyPI)", 3, "COUNTRIES_OVERRIDE")
    assert "django-countries (PyPI)" in text and "3 sites" in text
    assert "COUNTRIES_OVERRIDE" in text
