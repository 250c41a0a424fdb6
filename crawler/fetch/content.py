"""What a response is: its media type, whether it is a document at all, what its status means.

Shared by the static fetcher, the crawler's Scrapy responses and the re-analysis of stored
evidence, so all three read an answer the same way.
"""

from __future__ import annotations

import re

from crawler.fetch.outcome import FetchOutcome
from foundation.vocabulary import BlockReason, ErrorReason, reason_for_status

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_NEVER_HTML_PREFIXES = ("image/", "audio/", "video/", "font/", "model/")
_NEVER_HTML = frozenset({
    "application/pdf", "application/zip", "application/gzip", "application/x-gzip",
    "application/x-tar", "application/x-7z-compressed", "application/x-rar-compressed",
    "application/wasm", "application/x-shockwave-flash", "application/msword",
    "application/vnd.ms-excel", "application/font-woff", "text/css", "text/calendar",
})
_LOOKS_HTML = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|form|select|div|table|script)\b",
    re.IGNORECASE,
)


def media_type(content_type: str | None) -> str:
    """The bare media type of a Content-Type header (``text/html``), lower case."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def never_html(media: str) -> bool:
    """True for media types that are never a document (images, PDFs, archives, CSS …)."""
    return media.startswith(_NEVER_HTML_PREFIXES) or media in _NEVER_HTML


def looks_like_html(body: bytes) -> bool:
    """Sniff a body served with a vague type (none, text/plain, JSON, octet-stream)."""
    head = body[:4096]
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            if bom != b"\xef\xbb\xbf":
                head = head[len(bom):].decode("utf-16-le" if bom == b"\xff\xfe" else "utf-16-be",
                                              errors="ignore").encode("utf-8")
            else:
                head = head[len(bom):]
            break
    head = head.lstrip()
    return head.startswith(b"<") and _LOOKS_HTML.search(head) is not None


def judge_status(out: FetchOutcome, status: int, retry_after: str | None = None) -> bool:
    """Record what a non-2xx final status means in ``out``; False for a 2xx.

    Shared with the crawler, so a Scrapy response and an httpx one end in the same reason
    (:func:`foundation.vocabulary.reason_for_status`, which the browser path uses too); the
    caller may still read a 401/403 page to name a bot wall.
    """
    reason = reason_for_status(status)
    if isinstance(reason, BlockReason):
        out.blocked, out.detail = reason, f"HTTP {status}"
    elif reason is ErrorReason.RATE_LIMITED:
        out.error, out.detail = reason, retry_after
    elif reason is not None:
        out.error, out.detail = reason, f"HTTP {status}"
    elif not 200 <= status < 300:
        out.error = ErrorReason.BAD_CONTENT
        out.detail = f"HTTP {status} without a usable Location"
    else:
        return False
    return True




def is_html_type(media: str) -> bool:
    return media in _HTML_TYPES
