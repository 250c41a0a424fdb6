"""Country lists carried as data: in the page's scripts (``__NEXT_DATA__``, JSON blobs,
arrays) and in widgets' ``data-*`` attributes (``data-options='[…]'``).

Single-page apps often ship their country list as data and draw the drop-down later, and
a virtual list draws only the rows in view of the whole list its element carries: reading
that data spares a browser, and completes what a browser could read only in part. Sources
are skipped cheaply unless they look like they hold countries, and every parse is bounded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from checks.dom import Element
from checks.model import Control, Option, Widget
from checks.selectors import css_string
from checks.text import MAX_LABEL

MAX_SCRIPT_CHARS = 4 * 1024 * 1024
MIN_ITEMS = 20
# A list in a script longer than this is no country list (there are about 250 regions); it
# is not read at all rather than read in part, so nothing after a cut can be missed.
MAX_ITEMS = 5000
MAX_CANDIDATES = 20
_SENTINELS = ('"AF"', '"ZW"', "'AF'", "'ZW'", '"af"', '"zw"', "Afghanistan", "Zimbabwe",
              '"AFG"', '"ZWE"', "Albania", "Zambia", '"DZ"', "'DZ'")
_JSON_TYPES = frozenset({"application/json", "application/ld+json"})
_VALUE_KEYS = ("code", "iso2", "iso", "alpha2", "alpha_2", "alpha2Code", "cca2", "countryCode",
               "country_code", "isoCode", "iso_code", "value", "id", "key", "abbr", "short")
_LABEL_KEYS = ("name", "label", "title", "text", "countryName", "country_name", "displayName",
               "display_name", "common", "nameEn", "en")
_DIAL_KEYS = ("dialCode", "dial_code", "phoneCode", "phone_code", "callingCode", "calling_code",
              "phone", "dial", "idd")
_STRING = r"(?:\"[^\"\\\n]{1,60}\"|'[^'\\\n]{1,60}')"
_ARRAY_OF_STRINGS = re.compile(
    rf"\[(?:\s*{_STRING}\s*,){{{MIN_ITEMS - 1},}}\s*{_STRING}\s*,?\s*\]")
_ARRAY_OF_OBJECTS = re.compile(r"\[\s*\{")
_JS_KEY = re.compile(r"([{,]\s*)([A-Za-z_$][\w$]*)\s*:")


def _looks_like_countries(text: str) -> bool:
    hits = 0
    for sentinel in _SENTINELS:
        if sentinel in text:
            hits += 1
            if hits == 2:
                return True
    return False


def script_controls(el: Element, root: Element) -> Iterator[Control]:
    text = el.text or ""
    if len(text) < 200 or len(text) > MAX_SCRIPT_CHARS or not _looks_like_countries(text):
        return
    stype = (el.get("type") or "").lower()
    selector = _script_selector(el, root)
    lists: list[tuple[str, tuple[Option, ...]]] = []
    if stype in _JSON_TYPES or text.lstrip()[:1] in "{[":
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if data is not None:
            lists.extend(_walk(data, "", 0))
    if not lists and stype not in _JSON_TYPES:
        lists.extend(_from_javascript(text))
    for key, options in lists[:MAX_CANDIDATES]:
        yield Control(widget=Widget.SCRIPT_DATA, selector=selector, options=options,
                      name=key or None, label=None, hints=f"script data {key}"[:MAX_LABEL])


_DATA_ATTRIBUTES = etree.XPath(
    "//*[@*[starts-with(name(), 'data-') and string-length(.) > 200"
    " and (starts-with(normalize-space(.), '[') or starts-with(normalize-space(.), '{'))]]")


_DATA_JSON = re.compile(r"""data-[\w-]+\s*=\s*["']\s*[\[{]""")


def may_have_data_attributes(html: str) -> bool:
    """``False`` when no ``data-*`` attribute can hold a country list (most pages)."""
    return ("=\"[" in html or "='[" in html or "=\"{" in html or "='{" in html) \
        and _DATA_JSON.search(html) is not None and _looks_like_countries(html)


def attribute_controls(root: Element) -> Iterator[Control]:
    """Lists in ``data-*`` attributes (JSON), judged like script data: evidence where no
    drawn list of their kind could be read whole."""
    found = 0
    for el in _DATA_ATTRIBUTES(root)[:MAX_CANDIDATES]:
        for name, value in el.attrib.items():
            if not name.startswith("data-") or len(value) > MAX_SCRIPT_CHARS \
                    or value.lstrip()[:1] not in "[{" or not _looks_like_countries(value):
                continue
            try:
                data = json.loads(value)
            except ValueError:
                continue
            ident = el.get("id")
            selector = (f"#{ident}" if ident and re.fullmatch(r"[A-Za-z][\w-]*", ident)
                        else f"{el.tag}[{name}]")
            for key, options in _walk(data, "", 0):
                yield Control(widget=Widget.SCRIPT_DATA, selector=selector, options=options,
                              name=el.get("name") or key or None, id=ident or None,
                              hints=f"data attribute {name} {key}".strip()[:MAX_LABEL])
                found += 1
                if found >= MAX_CANDIDATES:
                    return


def _script_selector(el: Element, root: Element) -> str:
    ident = el.get("id")
    if ident:
        return f"script[id={css_string(ident)}]"
    scripts = list(root.iter("script"))
    return f"script:nth-of-type({scripts.index(el) + 1})" if el in scripts else "script"


def _walk(data: Any, key: str, depth: int) -> Iterator[tuple[str, tuple[Option, ...]]]:
    if depth > 12:
        return
    if isinstance(data, list):
        options = _options_from_list(data)
        if options is not None:
            yield key, options
            return
        for item in data[:200]:
            yield from _walk(item, key, depth + 1)
    elif isinstance(data, dict):
        mapping = _options_from_mapping(data)
        if mapping is not None:
            yield key, mapping
            return
        for k, v in list(data.items())[:500]:
            yield from _walk(v, str(k)[:60], depth + 1)


def _options_from_list(items: list[Any]) -> tuple[Option, ...] | None:
    if not MIN_ITEMS <= len(items) <= MAX_ITEMS:
        return None
    if all(isinstance(i, str) for i in items):
        return tuple(Option(i[:MAX_LABEL], i[:MAX_LABEL]) for i in items)
    if all(isinstance(i, dict) for i in items):
        out = []
        for item in items:
            value = _first(item, _VALUE_KEYS)
            label = _first(item, _LABEL_KEYS)
            if isinstance(item.get("name"), dict):  # {"name": {"common": ...}}
                label = _first(item["name"], ("common", "official")) or label
            if value is None and label is None:
                return None
            shown = label or value or ""
            if label is None:
                # A dial-code table keyed by nothing else: keep the code in view.
                dial = _first(item, _DIAL_KEYS)
                if dial and dial.lstrip("+").isdigit():
                    shown = f"+{dial.lstrip('+')}"
            out.append(Option((value or label or "")[:MAX_LABEL], shown[:MAX_LABEL]))
        return tuple(out)
    if all(isinstance(i, list) and len(i) >= 2 and all(isinstance(x, str) for x in i[:2])
           for i in items):
        return tuple(Option(i[0][:MAX_LABEL], i[1][:MAX_LABEL]) for i in items)
    return None


def _options_from_mapping(data: dict[Any, Any]) -> tuple[Option, ...] | None:
    """``{"AF": "Afghanistan", "AL": "Albania", …}``: a code → name table."""
    if not MIN_ITEMS <= len(data) <= MAX_ITEMS:
        return None
    items = list(data.items())
    if all(isinstance(k, str) and 2 <= len(k) <= 3 and isinstance(v, str) for k, v in items):
        return tuple(Option(k, v[:MAX_LABEL]) for k, v in items)
    return None


def _first(item: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for k in keys:
        v = item.get(k)
        if isinstance(v, (str, int)) and not isinstance(v, bool) and str(v).strip():
            return str(v)[:MAX_LABEL]
    return None


def _from_javascript(text: str) -> Iterator[tuple[str, tuple[Option, ...]]]:
    found = 0
    for m in _ARRAY_OF_STRINGS.finditer(text):
        items = re.findall(r"\"([^\"\\\n]{1,60})\"|'([^'\\\n]{1,60})'", m.group(0))
        values = [a or b for a, b in items]
        if len(values) > MAX_ITEMS:
            continue
        yield "", tuple(Option(v, v) for v in values)
        found += 1
        if found >= MAX_CANDIDATES:
            return
    decoder = json.JSONDecoder()
    for m in _ARRAY_OF_OBJECTS.finditer(text):
        if found >= MAX_CANDIDATES:
            return
        chunk = text[m.start():m.start() + 400_000]
        try:
            data, _ = decoder.raw_decode(chunk)
        except ValueError:
            # A JavaScript literal: quote the keys and swap quotes, then try once more.
            end = chunk.find("]")
            while end != -1 and chunk.count("[", 0, end) > chunk.count("]", 0, end + 1):
                end = chunk.find("]", end + 1)
            if end == -1:
                continue
            literal = _JS_KEY.sub(r'\1"\2":', chunk[:end + 1]).replace("'", '"')
            try:
                data = json.loads(literal)
            except ValueError:
                continue
        if isinstance(data, list):
            options = _options_from_list(data)
            if options is not None:
                found += 1
                yield "", options
