"""Fields in frames served by another origin: whose list it is, said in the evidence.

A checkout's card form and its billing country are often a payment provider's frame
(Stripe, Adyen, PayPal hosted fields). The country list is then the provider's: a letter to
the shop should say so, since the fix belongs to the provider.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from checks.dom import Element
from checks.model import Control

_CARD_TOKENS = ("cc-number", "cc-exp", "cc-csc", "cardnumber", "card-number", "cardnum")


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of an http(s) URL (or of an origin); ``None`` otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _is_payment_form(root: Element | None, controls: Sequence[Control]) -> bool:
    words = " ".join(f"{c.autocomplete or ''} {c.name or ''} {c.id or ''}" for c in controls)
    if root is not None:
        words += " " + " ".join(
            f"{el.get('autocomplete') or ''} {el.get('name') or ''} {el.get('id') or ''}"
            for el in root.iter("input"))
    low = words.casefold()
    return any(token in low for token in _CARD_TOKENS)


def provider_note(frame_url: str, root: Element | None, controls: Sequence[Control]) -> str:
    """How the evidence names a field's frame: "the payment form served by js.stripe.com"."""
    host = urlsplit(frame_url).netloc.lower() or frame_url[:80]
    what = "the payment form" if _is_payment_form(root, controls) else "a form"
    return (f"this field is in {what} served by {host}, another origin than the page: "
            f"the list is {host}'s, and so is the fix")
