"""One spelling per web page, so the same page given twice is recognised as one.

:func:`canonical_page_url` rewrites an http(s) URL the way a person would say "that is the
same page": scheme and host in lower case, no default port, no fragment, no trailing slash
after a path, no tracking parameters (``utm_*``, ``fbclid``, ``gclid`` …), the other
parameters in name order with their own spelling kept. Used before submissions are compared
with tracked pages and with each other; it neither resolves nor fetches anything.
"""

from __future__ import annotations

from urllib.parse import unquote_plus, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
# Parameters that only say where a visitor came from (analytics, ad clicks, mailings).
TRACKING = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
    "ttclid", "li_fat_id", "igshid", "srsltid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc",
    "_hsmi", "hsctatracking", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "rb_clickid",
    "s_cid", "ref_src", "spm", "epik",
    # Matomo (formerly Piwik) campaigns.
    "pk_campaign", "pk_kwd", "pk_keyword", "pk_source", "pk_medium", "pk_content", "pk_cid",
    "mtm_campaign", "mtm_kwd", "mtm_keyword", "mtm_source", "mtm_medium", "mtm_content",
    "mtm_cid", "mtm_group", "mtm_placement",
})
TRACKING_PREFIXES = ("utm_",)


def is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING or lowered.startswith(TRACKING_PREFIXES)


def _query(query: str) -> str:
    """The parameters that choose the page, each as it was written, in name order."""
    kept: list[tuple[str, str]] = []
    for piece in query.split("&"):
        if not piece:
            continue
        name = unquote_plus(piece.split("=", 1)[0])
        if not is_tracking(name):
            kept.append((name, piece))
    kept.sort(key=lambda pair: pair[0])  # stable: a repeated name keeps its order
    return "&".join(piece for _, piece in kept)


def canonical_page_url(url: str) -> str:
    """The canonical spelling of an http(s) URL (raises ValueError on a bad port)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or port == DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    path = parts.path or "/"
    if path != "/":
        path = path.rstrip("/") or "/"
    return urlunsplit((scheme, netloc, path, _query(parts.query), ""))
