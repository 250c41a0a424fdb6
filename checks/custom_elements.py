"""Selects drawn by web components, read from their light DOM.

Shoelace (``<sl-select>``/``<sl-option>``), Ionic (``<ion-select>``/``<ion-select-option>``),
Material Web (``<md-outlined-select>``/``<md-select-option>``), Vaadin, Spectrum
(``<sp-picker>``/``<sp-menu-item>``), Web Awesome, Fluent, UI5, Carbon and Calcite keep their
options as children of the component, shown through a ``<slot>`` of its shadow root. The
options are the page's own complete list, whatever the component draws when opened.

Only the light DOM counts: a browser snapshot serialises each open shadow root as a
``<template shadowrootmode>`` inside its host, and the component's own parts in there are
not options of the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from checks.dom import Element, text_of
from checks.model import Control, Option, Widget
from checks.text import MAX_LABEL

MAX_OPTIONS = 5000
# A tag a custom select may end its name with, and one its options may.
_SELECT_TAG = re.compile(r"^[a-z][a-z0-9]*-[a-z0-9-]*(select|picker|combo-?box|dropdown|"
                         r"autocomplete|listbox)$")
_OPTION_TAG = re.compile(r"^([a-z][a-z0-9]*-[a-z0-9-]*(option|item)|option)$")
_CANDIDATES = etree.XPath("//*[contains(local-name(), '-')]")


_OPTION_MARKUP = re.compile(r"<[a-z][a-z0-9]*-[a-z0-9-]*(?:option|item)[\s>/]")


def may_have_custom_selects(html: str) -> bool:
    """``False`` when the markup surely holds no custom select's options (most pages): two
    substring searches in C, then one for such a tag, before any walk of the tree."""
    return ("-option" in html or "-item" in html) and _OPTION_MARKUP.search(html) is not None


def _squash(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def _light_children(el: Element) -> Iterator[Element]:
    """Descendants of ``el`` in its light DOM: shadow-root templates are not entered."""
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag in ("select", "datalist") or (
                child.tag == "template" and child.get("shadowrootmode") is not None):
            continue  # a native list is read as itself; a shadow root is the component's
        yield child
        if not _OPTION_TAG.match(child.tag) and not _SELECT_TAG.match(child.tag):
            yield from _light_children(child)


def _label_of_option(el: Element) -> str:
    label = el.get("label")
    if label and label.strip():
        return _squash(label)[:MAX_LABEL]
    # Material Web puts the visible name in a "headline" slot beside supporting text.
    for child in el:
        if isinstance(child.tag, str) and child.get("slot") == "headline":
            return _squash(text_of(child))[:MAX_LABEL]
    parts = [el.text or ""]
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "template" or child.get("slot") in ("prefix", "suffix", "start", "end",
                                                          "icon", "supporting-text"):
            parts.append(child.tail or "")
            continue
        parts.append(text_of(child))
        parts.append(child.tail or "")
    return _squash(" ".join(parts))[:MAX_LABEL]


def _options(host: Element) -> tuple[Option, ...]:
    out: list[Option] = []
    for el in _light_children(host):
        if not _OPTION_TAG.match(el.tag):
            continue
        label = _label_of_option(el)
        value = el.get("value")
        if value is None:
            value = label
        disabled = el.get("disabled") is not None or el.get("aria-disabled") == "true"
        out.append(Option(value[:MAX_LABEL], label, None, disabled))
        if len(out) >= MAX_OPTIONS:
            break  # read that far: the control is marked cut
    return tuple(out)


def _label_of_host(host: Element) -> str | None:
    for attr in ("label", "aria-label", "placeholder", "title"):
        value = host.get(attr)
        if value and value.strip():
            return _squash(value)[:MAX_LABEL]
    for child in host:
        if isinstance(child.tag, str) and child.get("slot") == "label":
            return _squash(text_of(child))[:MAX_LABEL] or None
    return None


def custom_select_hosts(root: Element) -> list[Element]:
    """Every custom select element in the document, outermost first."""
    return [el for el in _CANDIDATES(root) if _SELECT_TAG.match(el.tag)]


def custom_select_control(host: Element, selector: str,
                          label: str | None) -> Control | None:
    """The component as a list control, or ``None`` when it has no light-DOM options (its
    items are set by script: the browser's probe opens it instead)."""
    options = _options(host)
    if not options:
        return None
    return Control(
        widget=Widget.LISTBOX,
        selector=selector,
        options=options,
        name=host.get("name") or None,
        id=host.get("id") or None,
        label=label or _label_of_host(host),
        placeholder=host.get("placeholder") or None,
        hidden=host.get("hidden") is not None or host.get("aria-hidden") == "true",
        hints=f"custom-element:{host.tag} {host.get('class') or ''}".strip()[:MAX_LABEL],
        truncated=len(options) >= MAX_OPTIONS,
    )
