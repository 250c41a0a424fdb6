"""Pure detection logic: find country controls in a page and judge whether a territory is listed.

Imports nothing of Scrapy, Playwright, Flask or SQLAlchemy, and does no I/O on its inputs.
"""

from checks.analyze import analyze_html, analyze_page
from checks.errors import ChecksError, UnknownTerritory
from checks.model import (
    Control,
    Enumeration,
    FieldKind,
    FieldResult,
    FieldVerdict,
    Fingerprint,
    KosovoMatch,
    Option,
    PageResult,
    PageVerdict,
    Widget,
)
from checks.territory import known_territories, territory

__all__ = [
    "ChecksError", "Control", "Enumeration", "FieldKind", "FieldResult", "FieldVerdict",
    "Fingerprint", "KosovoMatch", "Option", "PageResult", "PageVerdict", "UnknownTerritory",
    "Widget", "analyze_html", "analyze_page", "known_territories", "territory",
]
