"""A CSS selector that finds a control again, in a browser or in a stored snapshot.

Prefer what survives page changes (a unique id, a unique name); fall back to a path.
Shadow-root ``<template>`` wrappers (from a flattened browser snapshot) are skipped:
Playwright's CSS engine pierces open shadow roots with the descendant combinator.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from checks.dom import Element

_SIMPLE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,99}$")


def css_string(value: str) -> str:
    """Quote a value for a CSS attribute selector."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'


class AttributeCounts:
    """How often each id and name occurs among a document's form controls.

    Counting over the controls rather than the whole tree costs nothing on a big page;
    a clash with a non-control element (invalid HTML anyway) is the accepted blind spot.
    """

    __slots__ = ("_ids", "_names")

    def __init__(self, elements: Iterable[Element]) -> None:
        self._ids: Counter[str] = Counter()
        self._names: Counter[str] = Counter()
        for el in elements:
            ident, name = el.get("id"), el.get("name")
            if ident:
                self._ids[ident] += 1
            if name:
                self._names[name] += 1

    def ids(self) -> Counter[str]:
        return self._ids

    def names(self) -> Counter[str]:
        return self._names


def css_selector(el: Element, counts: AttributeCounts) -> str:
    tag = el.tag if isinstance(el.tag, str) else "*"
    ident = el.get("id")
    if ident and len(ident) <= 200 and counts.ids()[ident] == 1:
        return f"#{ident}" if _SIMPLE_ID.match(ident) else f"[id={css_string(ident)}]"
    name = el.get("name")
    if name and len(name) <= 200 and counts.names()[name] == 1:
        return f"{tag}[name={css_string(name)}]"
    return _path(el)


def _path(el: Element) -> str:
    """``body > form:nth-of-type(2) > select``; a shadow boundary becomes a descendant step."""
    steps: list[str] = []
    node: Element | None = el
    while node is not None and isinstance(node.tag, str) and node.tag != "html":
        parent = node.getparent()
        if node.tag == "template":
            steps.append(" ")  # crossed a shadow root: ">" cannot, a descendant step can
            node = parent
            continue
        ident = node.get("id")
        if ident and _SIMPLE_ID.match(ident) and node is not el:
            steps.append(f"#{ident}")
            break
        if parent is None:
            steps.append(node.tag)
            break
        same = [s for s in parent if s.tag == node.tag]
        steps.append(node.tag if len(same) == 1
                     else f"{node.tag}:nth-of-type({same.index(node) + 1})")
        node = parent
    out = ""
    for step in reversed(steps):
        if step == " ":
            out += " "
        elif not out or out.endswith(" "):
            out += step
        else:
            out += " > " + step
    return out.strip()
