"""Decoding: BOM, header, <meta>, detection, and charset names that lie or mean nothing."""

from __future__ import annotations

import pytest

from crawler.fetch.charset import (
    charset_from_content_type,
    charset_from_meta,
    decode_html,
    normalize_charset,
)

RU = "<html><body><p>Список стран: Россия, Сербия, Косово, Албания, Черногория</p></body></html>"
SQ = "<html><body><p>Shtetet: Kosovë, Shqipëri, Maqedoni e Veriut, Mal i Zi</p></body></html>"
ZH = "<html><body><p>国家列表：科索沃、塞尔维亚、阿尔巴尼亚、中国</p></body></html>"
JA = "<html><body><p>国一覧：コソボ、セルビア、アルバニア、日本</p></body></html>"
KO = "<html><body><p>국가 목록: 코소보, 세르비아, 알바니아</p></body></html>"
TW = "<html><body><p>國家列表：科索沃、塞爾維亞、阿爾巴尼亞、臺灣</p></body></html>"
EL = "<html><body><p>Χώρες: Κοσσυφοπέδιο, Σερβία, Αλβανία</p></body></html>"


@pytest.mark.parametrize(
    ("text", "codec", "label", "expected"),
    [
        (RU, "cp1251", "windows-1251", "cp1251"),
        (RU, "koi8_r", "KOI8-R", "koi8-r"),
        (SQ, "latin-1", "latin-1", "cp1252"),
        (SQ, "latin-1", "ISO-8859-1", "cp1252"),
        (ZH, "gb2312", "gb2312", "gb18030"),
        (ZH, "gbk", "GBK", "gb18030"),
        (JA, "shift_jis", "Shift_JIS", "cp932"),
        (JA, "euc_jp", "EUC-JP", "euc_jp"),
        (KO, "euc_kr", "EUC-KR", "cp949"),
        (EL, "cp1253", "windows-1253", "cp1253"),
        (TW, "big5", "big5", "big5hkscs"),
    ],
)
def test_header_charset(text: str, codec: str, label: str, expected: str) -> None:
    body = text.encode(codec)
    assert decode_html(body, f"text/html; charset={label}") == (text, expected)
    assert decode_html(body, f'text/html; charset="{label}"') == (text, expected)


@pytest.mark.parametrize(
    ("text", "codec", "label"),
    [(RU, "cp1251", "windows-1251"), (ZH, "gb18030", "gb2312"), (JA, "cp932", "shift_jis")],
)
@pytest.mark.parametrize("form", ["charset", "http-equiv"])
def test_meta_charset(text: str, codec: str, label: str, form: str) -> None:
    if form == "charset":
        meta = f'<meta charset="{label}">'
    else:
        meta = f'<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset={label}">'
    page = f"<!doctype html><html><head>{meta}</head>" + text
    decoded, used = decode_html(page.encode(codec), "text/html")
    assert decoded == page
    assert used == normalize_charset(label)


@pytest.mark.parametrize(
    ("bom_text", "codec", "expected"),
    [("utf-8-sig", "utf-8-sig", "utf-8"), ("utf-16", "utf-16-le", "utf-16-le"),
     ("utf-16-be", "utf-16-be", "utf-16-be")],
)
def test_bom_wins_over_a_lying_header(bom_text: str, codec: str, expected: str) -> None:
    if codec == "utf-8-sig":
        body = RU.encode("utf-8-sig")
    else:
        bom = b"\xff\xfe" if codec == "utf-16-le" else b"\xfe\xff"
        body = bom + RU.encode(codec)
    assert decode_html(body, "text/html; charset=iso-8859-1") == (RU, expected)


def test_header_beats_meta() -> None:
    page = '<meta charset="utf-8">' + RU
    assert decode_html(page.encode("cp1251"), "text/html; charset=windows-1251")[1] == "cp1251"


def test_utf8_mislabelled_as_latin1_is_read_as_utf8() -> None:
    assert decode_html(SQ.encode("utf-8"), "text/html; charset=ISO-8859-1") == (SQ, "utf-8")


def test_lying_utf8_header_falls_back_to_meta() -> None:
    page = '<meta charset="windows-1251">' + RU
    assert decode_html(page.encode("cp1251"), "text/html; charset=utf-8") == (page, "cp1251")


def test_meta_inside_a_comment_is_ignored() -> None:
    page = '<!-- <meta charset="koi8-r"> -->' + SQ
    assert charset_from_meta(page.encode("utf-8")) is None
    assert decode_html(page.encode("utf-8"), None) == (page, "utf-8")


def test_meta_beyond_4kb_is_not_read() -> None:
    page = "<!-- " + "x" * 5000 + " -->" + '<meta charset="windows-1251">'
    assert charset_from_meta(page.encode()) is None


@pytest.mark.parametrize(
    "label", ["nonsense", "x-unknown-9", "rot13", "base64", "zlib", "utf-7", "undefined",
              "idna", "", "\"\"", "a" * 200],
)
def test_unknown_or_unsafe_charset_names_do_not_crash(label: str) -> None:
    assert normalize_charset(label) is None
    text, used = decode_html(SQ.encode("utf-8"), f"text/html; charset={label}")
    assert (text, used) == (SQ, "utf-8")


def test_detection_without_any_declaration() -> None:
    body = (RU * 3).encode("cp1251")
    text, used = decode_html(body, "text/html")
    assert used == "cp1251"
    assert "Косово" in text


def test_undecodable_garbage_still_gives_text() -> None:
    text, used = decode_html(b"<p>\xff\xfe\xfa\x81\x00 ok", None)
    assert isinstance(text, str) and "ok" in text
    assert normalize_charset(used) == used


def test_utf8_without_declaration_and_ascii() -> None:
    assert decode_html(ZH.encode("utf-8"), None) == (ZH, "utf-8")
    assert decode_html(b"<p>plain</p>", None) == ("<p>plain</p>", "utf-8")


def test_content_type_parsing() -> None:
    assert charset_from_content_type("text/html; charset=UTF-8") == "UTF-8"
    assert charset_from_content_type('text/html;charset="koi8-r"; foo=bar') == "koi8-r"
    assert charset_from_content_type("text/html") is None
    assert charset_from_content_type(None) is None
    assert charset_from_content_type("garbage;;;=") is None
