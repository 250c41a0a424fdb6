"""The errors the dashboard's own logic raises; views turn each into a plain, translated
message (never echoing input)."""

from __future__ import annotations

from foundation.errors import XKTrackerError


class WebError(XKTrackerError):
    """Base of every error raised by ``tracker_web``."""


class ModerationError(WebError, ValueError):
    """A decision that cannot be carried out (already moderated, URL already tracked …)."""


class LetterError(WebError, ValueError):
    """The writer's input cannot make a letter; ``code`` says why (for a translated message)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
