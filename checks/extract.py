"""Find every control that could hold a country in an HTML document.

The hot path: one lxml parse and one XPath pass; no BeautifulSoup tree (a full soup
costs ~10x the parse on a 200 KB checkout page, see probe.md §4a).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from checks.model import Control, Option, Widget
from checks.script_data import script_controls
from checks.selectors import css_selector
from checks.text import MAX_LABEL

MAX_DOCUMENT_CHARS = 8 * 1024 * 1024
MAX_OPTIONS = 5000

_CONTROLS_XPATH = etree.XPath(
    "//select | //datalist | //input | //label | //script | //legend"
    " | //*[@role='listbox' or @role='combobox' or @role='radiogroup' or @aria-haspopup='listbox']"
)
_TEXT_INPUT_TYPES = frozenset({"", "text", "search", "tel"})
_NOT_LABEL_TAGS = frozenset({"select", "datalist", "option", "optgroup", "script", "style",
                             "textarea", "button"})


@dataclass(slots=True)
class Document:
    """A parsed page plus the few indexes extraction needs."""

    root: lxml_html.HtmlElement
    title: str | None
    text_sample: str
    truncated: bool


def parse(html: str) -> Document | None:
    """Parse leniently; ``None`` for a document lxml cannot make a tree of."""
    truncated = len(html) > MAX_DOCUMENT_CHARS
    if truncated:
        html = html[:MAX_DOCUMENT_CHARS]
    if not html.strip():
        return None
    try:
        root = lxml_html.document_fromstring(html)
    except ValueError:
        # A str with an XML encoding declaration: hand lxml UTF-8 bytes instead.
        parser = lxml_html.HTMLParser(encoding="utf-8")
        try:
            root = lxml_html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
        except (etree.ParserError, ValueError):
            return None
    except etree.ParserError:
        return None
    title_el = root.find(".//title")
    title = _squash(title_el.text_content())[:MAX_LABEL] if title_el is not None else None
    return Document(root=root, title=title or None, text_sample="", truncated=truncated)


def _squash(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def element_text(el: lxml_html.HtmlElement) -> str:
    return _squash(el.text_content())[:MAX_LABEL]


def _label_text(label: lxml_html.HtmlElement) -> str:
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
    root: lxml_html.HtmlElement
    ids: dict[str, lxml_html.HtmlElement] | None = None

    def element_by_id(self, ident: str) -> lxml_html.HtmlElement | None:
        if self.ids is None:
            self.ids = {}
            for el in self.root.iter():
                if isinstance(el.tag, str):
                    i = el.get("id")
                    if i and i not in self.ids:
                        self.ids[i] = el
        return self.ids.get(ident)

    def for_element(self, el: lxml_html.HtmlElement) -> str | None:
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


def _nearby_text(el: lxml_html.HtmlElement) -> str:
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


def _is_hidden(el: lxml_html.HtmlElement) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return (el.get("hidden") is not None or el.get("aria-hidden") == "true"
            or "display:none" in style or "visibility:hidden" in style)


def _options_of(container: lxml_html.HtmlElement) -> tuple[Option, ...]:
    out: list[Option] = []
    for opt in container.iter("option"):
        label = opt.get("label") or _squash(opt.text_content())
        value = opt.get("value")
        if value is None:
            value = label
        elif not label:
            label = value  # a datalist shows its values
        parent = opt.getparent()
        group = parent.get("label") if parent is not None and parent.tag == "optgroup" else None
        out.append(Option(value[:MAX_LABEL], label[:MAX_LABEL], group,
                          opt.get("disabled") is not None))
        if len(out) >= MAX_OPTIONS:
            break
    return tuple(out)


def _aria_options(container: lxml_html.HtmlElement) -> tuple[Option, ...]:
    out: list[Option] = []
    for el in container.iter():
        if not isinstance(el.tag, str) or el.get("role") != "option":
            continue
        label = el.get("aria-label") or element_text(el)
        value = (el.get("data-value") or el.get("data-country-code") or el.get("data-code")
                 or el.get("value") or label)
        dial = el.get("data-dial-code")
        if dial and dial not in label:
            label = f"{label} (+{dial.lstrip('+')})"
        out.append(Option(value[:MAX_LABEL], label[:MAX_LABEL], None,
                          el.get("aria-disabled") == "true"))
        if len(out) >= MAX_OPTIONS:
            break
    return tuple(out)


def _hints(el: lxml_html.HtmlElement, nearby: bool = True) -> str:
    parts = [el.get("class") or "", el.get("data-testid") or "", el.get("formcontrolname") or ""]
    if nearby:
        parts.append(_nearby_text(el))
    return " ".join(p for p in parts if p)[:MAX_LABEL]


def _control(el: lxml_html.HtmlElement, widget: Widget, options: tuple[Option, ...],
             labels: _Labels, root: lxml_html.HtmlElement) -> Control:
    return Control(
        widget=widget,
        selector=css_selector(el, root),
        options=options,
        name=(el.get("name") or None),
        id=(el.get("id") or None),
        label=labels.for_element(el),
        autocomplete=(el.get("autocomplete") or None),
        placeholder=(el.get("placeholder") or el.get("data-placeholder") or None),
        input_type=(el.get("type") or "").lower() or None,
        hidden=_is_hidden(el),
        hints=_hints(el),
    )


def extract_controls(doc: Document) -> Iterator[Control]:
    """Yield every candidate control, in document order."""
    root = doc.root
    found = _CONTROLS_XPATH(root)
    labels = _Labels(by_for={}, root=root)
    for el in found:
        if el.tag == "label":
            target = el.get("for")
            if target and target not in labels.by_for:
                labels.by_for[target] = _label_text(el)
    datalists = {el.get("id"): el for el in found if el.tag == "datalist" and el.get("id")}
    used_datalists: set[str] = set()
    radios: dict[str, list[lxml_html.HtmlElement]] = {}
    # Listboxes that a combobox points to are read as part of that combobox.
    combo_targets = {ref.split()[0] for el in found if el.get("role") == "combobox"
                     for ref in (el.get("aria-controls"), el.get("aria-owns")) if ref}

    for el in found:
        tag = el.tag
        role = el.get("role")
        if tag == "select":
            yield _control(el, Widget.SELECT, _options_of(el), labels, root)
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
                yield _control(el, Widget.DATALIST, _options_of(datalists[list_id]), labels, root)
            elif role == "combobox" or el.get("aria-autocomplete") in ("list", "both") \
                    or el.get("aria-expanded") is not None:
                # The typing box of a custom picker (react-select, MUI): not a free-text field.
                yield _combobox(el, labels, root)
            else:
                yield _control(el, Widget.TEXT, (), labels, root)
        elif role == "combobox" or (el.get("aria-haspopup") == "listbox" and role != "listbox"):
            yield _combobox(el, labels, root)
        elif role == "listbox" and tag != "select":
            if el.get("id") in combo_targets or any(
                    a.get("id") in combo_targets for a in el.iterancestors()):
                continue
            yield _control(el, Widget.LISTBOX, _aria_options(el), labels, root)
        elif role == "radiogroup":
            continue  # its radios are grouped by name below; the group supplies the label
        elif tag == "script":
            yield from script_controls(el, root)

    for list_id, dl in datalists.items():
        if list_id not in used_datalists:
            yield _control(dl, Widget.DATALIST, _options_of(dl), labels, root)
    for name, group in radios.items():
        yield _radio_group(name, group, labels, root)


def _combobox(el: lxml_html.HtmlElement, labels: _Labels,
              root: lxml_html.HtmlElement) -> Control:
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
    return _control(el, Widget.COMBOBOX, options, labels, root)


def _radio_group(name: str, group: list[lxml_html.HtmlElement], labels: _Labels,
                 root: lxml_html.HtmlElement) -> Control:
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
