"""How likely a link leads to a form with a country control: one number per link.

``score = strongest intent + strongest decoy + where it stands``:

* the strongest *intent* of its text (sign up 10, phone verification 8, checkout 8, profile 6,
  shipping address 5, log in 5 and cart 5 as pages that link on, shipping information 3.5),
  scaled down when the phrase is a small part of a long text (a product card saying "bag");
  its URL's words count 0.7 as much, and 2 more when they agree with the text;
* the strongest *decoy* (newsletter, careers, legal -14, contact -9, blog and news -6): "Sign
  up for our newsletter" and "Join our team" fall below zero and are never fetched;
* a link in the header or an account menu gains a little, one in the footer loses a little.

A link or button whose words ask for something we never do (log out, delete, buy, pay, order,
confirm, add to cart) is excluded outright. Only candidates scoring at least ``MIN_SCORE`` are
fetched; the walk spends its page budget on the highest first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from crawler.discover.links import Place, url_segments
from crawler.discover.words import (
    INTENTS,
    fold,
    never_slug,
    never_text,
    phrase_length,
    slug_intents,
    text_intents,
)

MIN_SCORE = 3.0  # below this a link is not worth a request
REPORT_SCORE = 5.0  # a form-bound link this strong is reported even when we may not look
URL_FACTOR = 0.7
AGREEMENT = 2.0
SHORT_TEXT = 4  # words; longer texts count a phrase in proportion to its share


@dataclass(frozen=True, slots=True)
class Judgement:
    score: float
    intent: str | None  # the strongest positive intent, if any
    never: bool = False

    @property
    def kind(self) -> str:
        return INTENTS[self.intent].kind if self.intent else "other"

    @property
    def hub(self) -> bool:
        return self.intent is not None and INTENTS[self.intent].hub


NEVER = Judgement(float("-inf"), None, never=True)


def _share(text_words: int, intent: str, text: str) -> float:
    """How much of a text an intent's phrase is (1 for a short link text)."""
    if text_words <= SHORT_TEXT:
        return 1.0
    return max(0.35, min(1.0, (phrase_length(intent, text) + 1) / text_words))


def judge(text: str | Sequence[str], url: str | None = None,
          place: Place | None = None) -> Judgement:
    """Score a link (its label pieces and URL) or a button (its labels only) at its place on
    the page. Each label piece (text, aria-label, title, image alt) is read on its own: the
    best of them counts, and a decoy in any of them."""
    pieces = [text] if isinstance(text, str) else list(text) or [""]
    segments = url_segments(url) if url else ()
    if any(never_text(p) for p in pieces) or (segments and never_slug(segments)):
        return NEVER
    in_url = slug_intents(segments) if segments else frozenset()
    best, best_intent = 0.0, None
    worst = 0.0
    for name in in_url:
        weight = INTENTS[name].weight
        if weight < 0:
            worst = min(worst, weight * URL_FACTOR)
        elif weight * URL_FACTOR > best:
            best, best_intent = weight * URL_FACTOR, name
    for piece in pieces:
        words = len(fold(piece))
        for name in text_intents(piece):
            weight = INTENTS[name].weight
            if weight < 0:
                worst = min(worst, weight)
                continue
            value = weight * _share(words, name, piece) + (AGREEMENT if name in in_url else 0)
            if value > best:
                best, best_intent = value, name
    score = best + worst
    if place is not None and best > 0:
        if place.menu:
            score += 1.5
        elif place.header:
            score += 1.0
        if place.footer:
            score -= 0.5
    return Judgement(round(score, 2), best_intent)


def page_kind(texts: Iterable[str], url: str, fallback: str | None,
              phone_only: bool) -> str:
    """The target kind of a page with a country control, from its own words (title,
    headings), its URL and the intent that led to it; ``other`` when nothing says."""
    best, best_kind = 0.0, None
    for text in texts:
        verdict = judge(text)
        if verdict.intent and verdict.score > best and not verdict.hub:
            best, best_kind = verdict.score, verdict.kind
    from_url = judge("", url)
    if from_url.intent and not from_url.hub and from_url.score > best * URL_FACTOR:
        best_kind = best_kind or from_url.kind
    kind = best_kind or (INTENTS[fallback].kind if fallback else None) or "other"
    if phone_only and kind in ("other", "profile"):
        return "phone"
    return kind
