"""The one lxml element type and text accessor the extraction code uses."""

from __future__ import annotations

from typing import TypeAlias

from lxml import etree

Element: TypeAlias = etree._Element  # noqa: SLF001 - lxml's public element type

_STRING = etree.XPath("string()")


def text_of(el: Element) -> str:
    """All text below ``el`` (what ``HtmlElement.text_content`` gives), computed in C."""
    return str(_STRING(el))
