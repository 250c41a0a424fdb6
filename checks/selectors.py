"""A CSS selector that finds a control again, in a browser or in a stored snapshot.

Prefer what survives page changes (a unique id, a unique name); fall back to a path.
Shadow-root ``<template>`` wrappers (from a flattened browser snapshot) are skipped:
Playwright's CSS engine pierces open shadow roots with the descendant combinator.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

_SIMPLE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,99}$")


def css_string(value: str) -> str:
    """Quote a value for a CSS attribute selector."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'


def _count(root: lxml_html.HtmlElement, attr: str, value: str) -> int:
    # Only a handful of controls per page reach this; an XPath count is cheap enough.
    return int(root.xpath(f"count(//*[@{attr}=$v])", v=value))


def css_selector(el: lxml_html.HtmlElement, root: lxml_html.HtmlElement) -> str:
    tag = el.tag if isinstance(el.tag, str) else "*"
    ident = el.get("id")
    if ident and len(ident) <= 200 and _count(root, "id", ident) == 1:
        return f"#{ident}" if _SIMPLE_ID.match(ident) else f"[id={css_string(ident)}]"
    name = el.get("name")
    if name and len(name) <= 200 and _count(root, "name", name) == 1:
        return f"{tag}[name={css_string(name)}]"
    return _path(el)


def _path(el: lxml_html.HtmlElement) -> str:
    """``body > form:nth-of-type(2) > select``; a shadow boundary becomes a descendant step."""
    steps: list[str] = []
    node: lxml_html.HtmlElement | None = el
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
