"""Turning a document's bytes into text the way a browser would, without crashing on lies.

Kosovo's names ("Kosovë", "Косово", "科索沃") only match if the page is decoded in the
encoding it was written in, so the order follows the HTML standard's: byte order mark,
then the HTTP header, then a ``<meta>`` declaration in the first bytes, then detection.
"""

from __future__ import annotations

import codecs
import re
import warnings
from email.message import Message

from bs4 import UnicodeDammit

PRESCAN_BYTES = 4096

# Labels whose browser meaning differs from Python's codec of the same name (WHATWG
# Encoding Standard): browsers decode them with a superset, and so must we.
_LABEL_OVERRIDES = {
    **dict.fromkeys(
        ("latin-1", "latin1", "iso-8859-1", "iso8859-1", "iso_8859-1", "l1", "cp819",
         "ibm819", "iso-ir-100", "csisolatin1", "ascii", "us-ascii", "ansi_x3.4-1968",
         "x-user-defined"),
        "cp1252",
    ),
    **dict.fromkeys(
        ("gb2312", "gbk", "x-gbk", "cp936", "chinese", "csgb2312", "iso-ir-58", "gb_2312-80"),
        "gb18030",
    ),
    **dict.fromkeys(
        ("shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "ms932", "windows-31j",
         "csshiftjis"),
        "cp932",
    ),
    **dict.fromkeys(("euc-kr", "ks_c_5601-1987", "korean", "windows-949", "cseuckr"), "cp949"),
    **dict.fromkeys(("iso-8859-9", "iso8859-9", "latin5", "l5"), "cp1254"),
    **dict.fromkeys(("tis-620", "iso-8859-11", "iso8859-11"), "cp874"),
    **dict.fromkeys(("big5", "big5-hkscs", "cn-big5", "x-x-big5"), "big5hkscs"),
    **dict.fromkeys(("macintosh", "mac", "x-mac-roman", "csmacintosh"), "mac-roman"),
    **dict.fromkeys(("unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"),
                    "utf-8"),
}
# Codecs Python knows that are not document encodings (or are an injection risk: UTF-7).
_REFUSED_CODECS = frozenset({
    "utf-7", "idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape",
    "unicode_escape", "raw_unicode_escape", "mbcs", "oem", "charmap",
})
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_COMMENT = re.compile(rb"<!--.*?(?:-->|$)", re.DOTALL)
_META = re.compile(rb"<meta\b[^>]*?>", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:()+-]+)""", re.IGNORECASE)


def normalize_charset(label: str | None) -> str | None:
    """Map a charset label to a Python codec name, or None when it names no usable text codec."""
    if not label:
        return None
    key = label.strip().strip("\"'").strip().lower()
    if not key or len(key) > 40:
        return None
    key = _LABEL_OVERRIDES.get(key, key)
    try:
        info = codecs.lookup(key)
    except (LookupError, ValueError):
        return None
    if info.name in _REFUSED_CODECS or not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def charset_from_content_type(content_type: str | None) -> str | None:
    """The raw ``charset`` parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    message = Message()
    message["content-type"] = content_type
    value = message.get_param("charset")
    if isinstance(value, tuple):  # RFC 2231 form
        value = value[2]
    return str(value) if value else None


def charset_from_meta(body: bytes) -> str | None:
    """The charset a ``<meta>`` tag declares within the first 4 KB (comments skipped)."""
    head = _COMMENT.sub(b"", body[:PRESCAN_BYTES])
    for tag in _META.finditer(head):
        found = _META_CHARSET.search(tag.group(0))
        if found:
            return found.group(1).decode("ascii")
    return None


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf8_beats(body: bytes, declared: str) -> str | None:
    """UTF-8 text mislabelled with a legacy charset (a stale server default) is decoded as UTF-8.

    Non-ASCII text in a legacy encoding is practically never valid UTF-8 by chance, while a
    header saying ISO-8859-1 over a UTF-8 page is common and would garble "Kosovë".
    """
    if declared.startswith(("utf-8", "utf-16", "utf-32")) or body.isascii():
        return None
    return _strict(body, "utf-8")


def decode_html(body: bytes, content_type: str | None) -> tuple[str, str]:
    """Decode an HTML document; returns (text, Python codec name used)."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(codec, errors="replace"), codec

    header = normalize_charset(charset_from_content_type(content_type))
    meta = normalize_charset(charset_from_meta(body))
    if meta is not None and meta.startswith(("utf-16", "utf-32")):
        meta = "utf-8"  # an ASCII-readable <meta> cannot be in UTF-16: the standard says UTF-8
    for declared in (header, meta):
        if declared is None:
            continue
        text = _utf8_beats(body, declared)
        if text is not None:
            return text, "utf-8"
        text = _strict(body, declared)
        if text is not None:
            return text, declared
    # A legacy declaration with a stray undecodable byte is still the best guess (browsers
    # keep it too); a failing UTF-8 declaration is more likely wrong, so detection decides.
    for declared in (header, meta):
        if declared is not None and not declared.startswith("utf-"):
            return body.decode(declared, errors="replace"), declared

    text = _strict(body, "utf-8")
    if text is not None:
        return text, "utf-8"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dammit = UnicodeDammit(body, is_html=True)
    detected = normalize_charset(dammit.original_encoding)
    if dammit.unicode_markup is not None and detected is not None:
        return dammit.unicode_markup, detected

    return body.decode("utf-8", errors="replace"), "utf-8"
