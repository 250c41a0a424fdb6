"""Find every control that could hold a country in an HTML document.

The hot path: one lxml parse and one XPath pass; no BeautifulSoup tree (a full soup
costs ~10x the parse on a 200 KB checkout page, see probe.md §4a).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from lxml import etree

from checks.custom_elements import (
    custom_select_control,
    custom_select_hosts,
    may_have_custom_selects,
)
from checks.dom import Element, text_of
from checks.model import Control, Option, Widget
from checks.script_data import script_controls
from checks.selectors import AttributeCounts, css_selector
from checks.text import MAX_LABEL
from checks.words import country_hinted, may_be_country

MAX_DOCUMENT_CHARS = 8 * 1024 * 1024
# Options read from one list. A real country list has 195-250; a list reaching this is read
# this far and marked ``truncated`` (what lies after the cut is not known, so it never makes
# an absence, and a country field is never dropped for its length).
MAX_OPTIONS = 20_000

_CONTROL_TAGS = ("select", "datalist", "input", "label", "script")
# Testing for the attribute and filtering in Python is 3x faster than matching values in XPath.
_ROLE_XPATH = etree.XPath("//*[@role or @aria-haspopup]")
_ROLES = frozenset({"listbox", "combobox", "radiogroup"})

_TEXT_INPUT_TYPES = frozenset({"", "text", "search", "tel"})
_NOT_LABEL_TAGS = frozenset({"select", "datalist", "option", "optgroup", "script", "style",
                             "textarea", "button"})


@dataclass(slots=True)
class Document:
    """A parsed page plus the few indexes extraction needs."""

    root: Element
    title: str | None
    has_roles: bool  # ARIA widgets are rare: skip the search for them when none can exist
    truncated: bool
    has_custom: bool = False  # options of web components (``<sl-option>`` …) may be there


def parse(html: str) -> Document | None:
    """Parse leniently; ``None`` for a document lxml cannot make a tree of."""
    truncated = len(html) > MAX_DOCUMENT_CHARS
    if truncated:
        html = html[:MAX_DOCUMENT_CHARS]
    if not html or html.isspace():  # isspace stops at the first letter; strip would copy
        return None
    # lxml's plain HTML parser: the same libxml2 parse as lxml.html, without the cost of
    # building HtmlElement proxies that this code never needs.
    try:
        root = etree.fromstring(html, etree.HTMLParser())
    except ValueError:
        # A str with an XML encoding declaration: hand lxml UTF-8 bytes instead.
        try:
            root = etree.fromstring(html.encode("utf-8", "replace"),
                                    etree.HTMLParser(encoding="utf-8"))
        except (etree.ParserError, ValueError):
            return None
    except etree.ParserError:
        return None
    if root is None:
        return None
    title_el = root.find(".//title")
    title = _squash(text_of(title_el))[:MAX_LABEL] if title_el is not None else None
    # Plain substring tests run in C; a regex over the whole page costs more than the parse.
    has_roles = any(word in html for word in _ROLES)
    return Document(root=root, title=title or None, has_roles=has_roles, truncated=truncated,
                    has_custom=may_have_custom_selects(html))


def _squash(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def element_text(el: Element) -> str:
    return _squash(text_of(el))[:MAX_LABEL]


def _label_text(label: Element) -> str:
    """A label's own words, without the text of the select it may wrap."""
    parts: list[str] = [label.text or ""]
    for child in label:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        if child.tag not in _NOT_LABEL_TAGS and child.tag != "input":
            parts.append(_label_text(child))
        parts.append(child.tail or "")
    return _squash(" ".join(parts))[:MAX_LABEL]


@dataclass(slots=True)
class _Labels:
    by_for: dict[str, str]
    root: Element
    counts: AttributeCounts
    ids: dict[str, Element] | None = None

    def element_by_id(self, ident: str) -> Element | None:
        if self.ids is None:
            self.ids = {}
            for el in self.root.iter():
                if isinstance(el.tag, str):
                    i = el.get("id")
                    if i and i not in self.ids:
                        self.ids[i] = el
        return self.ids.get(ident)

    def for_element(self, el: Element) -> str | None:
        ident = el.get("id")
        if ident and ident in self.by_for:
            return self.by_for[ident]
        for anc in el.iterancestors("label"):
            text = _label_text(anc)
            if text:
                return text
        labelledby = el.get("aria-labelledby")
        if labelledby:
            texts = []
            for ref in labelledby.split()[:5]:
                target = self.element_by_id(ref)
                if target is not None:
                    texts.append(element_text(target))
            if any(texts):
                return " ".join(t for t in texts if t)[:MAX_LABEL]
        for attr in ("aria-label", "title"):
            value = el.get(attr)
            if value and value.strip():
                return _squash(value)[:MAX_LABEL]
        return None


def _nearby_text(el: Element) -> str:
    """Words just before a control (a table cell, a span): a hint, not a label."""
    prev = el.getprevious()
    if prev is not None and isinstance(prev.tag, str) and prev.tag not in _NOT_LABEL_TAGS:
        return element_text(prev)[:80]
    parent = el.getparent()
    if parent is not None and parent.tag in ("td", "dd", "div", "span"):
        before = parent.getprevious()
        if before is not None and isinstance(before.tag, str) and before.tag in ("td", "th", "dt"):
            return element_text(before)[:80]
        if parent.text and parent.text.strip():
            return _squash(parent.text)[:80]
    return ""


def _is_hidden(el: Element) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return (el.get("hidden") is not None or el.get("aria-hidden") == "true"
            or "display:none" in style or "visibility:hidden" in style)


def _options_of(container: Element) -> tuple[Option, ...]:
    """The options of a select or datalist. The hot loop of extraction: kept lean."""
    out: list[Option] = []
    append = out.append
    grouped = container.find(".//optgroup") is not None
    for opt in container.iter("option"):
        attrs = opt.attrib
        label = attrs.get("label") or (opt.text if len(opt) == 0 else text_of(opt)) or ""
        if label and (label[0].isspace() or label[-1].isspace() or "  " in label
                      or "\n" in label or "\xa0" in label):
            label = _squash(label)
        value = attrs.get("value")
        if value is None:
            value = label
        elif not label:
            label = value  # a datalist shows its values
        group = None
        if grouped:
            parent = opt.getparent()
            group = parent.get("label") if parent.tag == "optgroup" else None
        append(Option(value[:MAX_LABEL], label[:MAX_LABEL], group, "disabled" in attrs))
        if len(out) >= MAX_OPTIONS:
            break
    return tuple(out)


def _option_text(el: Element) -> str:
    """An option's words, its dial-code part kept apart ("Kosovo+383" → "Kosovo +383")."""
    text = element_text(el)
    for node in el.iter():
        if node is not el and isinstance(node.tag, str) and "dial" in (
                node.get("class") or "").lower():
            dial = element_text(node)
            if dial and text.endswith(dial):
                return f"{text[:-len(dial)].rstrip()} {dial}"
            break
    return text


def _aria_options(container: Element) -> tuple[Option, ...]:
    """Options of an ARIA listbox. A dial code counts only where the row shows it: a
    ``data-dial-code`` attribute is at most the value (react-phone-input-2 writes "1" on
    every row), never a code a person reads."""
    out: list[Option] = []
    for el in container.iter():
        if not isinstance(el.tag, str) or el.get("role") != "option":
            continue
        label = el.get("aria-label") or _option_text(el)
        value = (el.get("data-value") or el.get("data-country-code") or el.get("data-code")
                 or el.get("value") or el.get("data-dial-code") or label)
        out.append(Option(value[:MAX_LABEL], label[:MAX_LABEL], None,
                          el.get("aria-disabled") == "true"))
        if len(out) >= MAX_OPTIONS:
            break
    return tuple(out)


def _hints(el: Element, nearby: bool = True) -> str:
    parts = [el.get("class") or "", el.get("data-testid") or "", el.get("formcontrolname") or ""]
    if nearby:
        parts.append(_nearby_text(el))
    return " ".join(p for p in parts if p)[:MAX_LABEL]


def _control(el: Element, widget: Widget, options: tuple[Option, ...],
             labels: _Labels, *, only_if_country: bool = False) -> Control | None:
    """Build a control; with ``only_if_country``, only when its words say country.

    A checkout has dozens of text boxes (cart quantities, coupons): naming each one
    costs a selector, so they are screened by their words first.
    """
    control = Control(
        widget=widget,
        selector="",
        options=options,
        name=(el.get("name") or None),
        id=(el.get("id") or None),
        label=labels.for_element(el),
        autocomplete=(el.get("autocomplete") or None),
        placeholder=(el.get("placeholder") or el.get("data-placeholder") or None),
        input_type=(el.get("type") or "").lower() or None,
        hidden=_is_hidden(el),
        hints=_hints(el),
        truncated=len(options) >= MAX_OPTIONS,
    )
    if only_if_country and not country_hinted(control):  # _screen let it through
        return None
    return replace(control, selector=css_selector(el, labels.counts))


def extract_controls(doc: Document) -> Iterator[Control]:
    """Yield every candidate control, in document order."""
    root = doc.root
    found = list(root.iter(*_CONTROL_TAGS))
    if doc.has_roles:
        seen = {id(e) for e in found}
        extra = [e for e in _ROLE_XPATH(root) if id(e) not in seen and (
            e.get("role") in _ROLES or e.get("aria-haspopup") == "listbox")]
        if extra:
            # Source lines keep document order well enough, and cost no walk of the tree.
            found = sorted(found + extra, key=lambda e: e.sourceline or 0)
    hosts = custom_select_hosts(root) if doc.has_custom else []
    labels = _Labels(by_for={}, root=root, counts=AttributeCounts(
        [*(el for el in found if el.tag not in ("label", "script")), *hosts]))
    for el in found:
        if el.tag == "label":
            target = el.get("for")
            if target and target not in labels.by_for:
                labels.by_for[target] = _label_text(el)
    datalists = {el.get("id"): el for el in found if el.tag == "datalist" and el.get("id")}
    used_datalists: set[str] = set()
    radios: dict[str, list[Element]] = {}
    text_boxes: list[Element] = []
    # Listboxes that a combobox points to are read as part of that combobox.
    combo_targets = {ref.split()[0] for el in found if el.get("role") == "combobox"
                     for ref in (el.get("aria-controls"), el.get("aria-owns")) if ref}
    custom = list(_custom_controls(hosts, labels))
    # A web component read from its options: its shadow parts (a combobox, a listbox with a
    # <slot>) are the same field, not another one.
    read_hosts = {id(host) for host, _ in custom}

    for el in found:
        tag = el.tag
        role = el.get("role")
        if read_hosts and el.tag not in ("script", "label") and any(
                id(a) in read_hosts for a in el.iterancestors()):
            continue
        if tag == "select":
            yield _built(_control(el, Widget.SELECT, _options_of(el), labels))
        elif tag == "input":
            itype = (el.get("type") or "").lower()
            if itype == "radio":
                name = el.get("name")
                if name:
                    radios.setdefault(name, []).append(el)
                continue
            if itype not in _TEXT_INPUT_TYPES:
                continue
            list_id = el.get("list")
            if list_id and list_id in datalists:
                used_datalists.add(list_id)
                yield _built(_control(el, Widget.DATALIST, _options_of(datalists[list_id]), labels))
            elif role == "combobox" or el.get("aria-autocomplete") in ("list", "both") \
                    or el.get("aria-expanded") is not None:
                # The typing box of a custom picker (react-select, MUI): not a free-text field.
                yield _combobox(el, labels)
            else:
                text_boxes.append(el)
        elif role == "combobox" or (el.get("aria-haspopup") == "listbox" and role != "listbox"):
            yield _combobox(el, labels)
        elif role == "listbox" and tag != "select":
            if el.get("id") in combo_targets or any(
                    a.get("id") in combo_targets for a in el.iterancestors()):
                continue
            yield _built(_control(el, Widget.LISTBOX, _aria_options(el), labels))
        elif role == "radiogroup":
            continue  # its radios are grouped by name below; the group supplies the label
        elif tag == "script":
            yield from script_controls(el, root)

    for _, control in custom:
        yield control
    yield from _screened_text_boxes(text_boxes, labels)
    for list_id, dl in datalists.items():
        if list_id not in used_datalists:
            yield _built(_control(dl, Widget.DATALIST, _options_of(dl), labels))
    for name, group in radios.items():
        yield _radio_group(name, group, labels)


def _custom_controls(hosts: list[Element],
                     labels: _Labels) -> Iterator[tuple[Element, Control]]:
    """Web components with their options in the light DOM (``checks.custom_elements``)."""
    for host in hosts:
        control = custom_select_control(host, css_selector(host, labels.counts),
                                        labels.for_element(host))
        if control is not None:
            yield host, control


_WORDY = re.compile(r"[^\W\d_]{3}")


def _raw_words(el: Element, labels: _Labels) -> str:
    """Every attribute value and the ``label[for]`` text: more than the hints need, cheaply."""
    attrs = el.attrib
    return " ".join(attrs.values()) + " " + labels.by_for.get(attrs.get("id") or "", "")


def _screened_text_boxes(boxes: list[Element], labels: _Labels) -> Iterator[Control]:
    """The text boxes that may be about a country, as controls.

    A checkout has dozens of text boxes (cart quantities, coupons). One pattern search
    over all their words usually clears them all; only the survivors, and boxes whose
    name and id say nothing (so their label may be in a wrapping label or a table cell),
    are looked at one by one.
    """
    raws = [_raw_words(el, labels) for el in boxes]
    any_hit = may_be_country("\n".join(raws))
    for el, raw in zip(boxes, raws, strict=True):
        if any_hit and may_be_country(raw):
            pass
        elif _WORDY.search(f"{el.get('name') or ''} {el.get('id') or ''}"):
            continue
        elif not (el.get("aria-labelledby") or any(
                may_be_country(_label_text(a)) for a in el.iterancestors("label"))
                or may_be_country(_nearby_text(el))):
            continue
        control = _control(el, Widget.TEXT, (), labels, only_if_country=True)
        if control is not None:
            yield control


def _built(control: Control | None) -> Control:
    assert control is not None  # only screened controls may be None
    return control


def _combobox(el: Element, labels: _Labels) -> Control:
    options: tuple[Option, ...] = ()
    for attr in ("aria-controls", "aria-owns"):
        ref = el.get(attr)
        if ref:
            target = labels.element_by_id(ref.split()[0])
            if target is not None:
                options = _aria_options(target) or _options_of(target)
                break
    if not options:
        options = _aria_options(el)
    return _built(_control(el, Widget.COMBOBOX, options, labels))


def _radio_group(name: str, group: list[Element], labels: _Labels) -> Control:
    options = []
    for radio in group[:MAX_OPTIONS]:
        label = labels.for_element(radio) or _squash(radio.tail) or radio.get("value") or ""
        options.append(Option((radio.get("value") or label)[:MAX_LABEL], label[:MAX_LABEL]))
    first = group[0]
    group_label = None
    for anc in first.iterancestors():
        if anc.tag == "fieldset":
            legend = anc.find("legend")
            if legend is not None:
                group_label = element_text(legend)
            break
        if anc.get("role") == "radiogroup":
            group_label = labels.for_element(anc)
            break
    return Control(
        widget=Widget.RADIO,
        selector=f'input[type="radio"][name="{_css_string(name)}"]',
        options=tuple(options),
        name=name,
        id=None,
        label=group_label,
        autocomplete=first.get("autocomplete") or None,
        input_type="radio",
        hidden=_is_hidden(first),
        hints=_hints(first, nearby=False),
    )


def _css_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
