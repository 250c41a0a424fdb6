"""Text from the web or from people, made safe for where it goes next.

Page titles, labels and URLs reach terminals, logs, headers and catalog files. Control
characters there can repaint a terminal (ANSI escapes), split a header or a log line, or hide
a word (bidirectional overrides); this module is the one place that knows which they are.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, zero-width and bidirectional formatting characters.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# In one-line fields (names, contacts): the same, tabs included.
_LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def safe(text: object, width: int | None = None) -> str:
    """``text`` for a terminal or a log: controls as spaces, cut to ``width`` with an ellipsis."""
    clean = _CONTROL.sub(" ", "" if text is None else str(text))
    if width is not None and len(clean) > width:
        return clean[: max(1, width - 1)] + "…"
    return clean


def has_controls(text: str) -> bool:
    """A one-line value (a company name, a contact) holds line breaks or other controls."""
    return _LINE_BREAKING.search(text) is not None

