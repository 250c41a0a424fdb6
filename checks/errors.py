"""The errors ``checks`` raises. Everything else it meets (a page with no country list, an
unreadable option) is a verdict or a reason, never an exception."""

from __future__ import annotations

from foundation.errors import XKTrackerError


class ChecksError(XKTrackerError):
    """Base of every error raised by ``checks``."""


class UnknownTerritory(ChecksError, ValueError):
    """A territory code that ``checks/data/territories.json`` does not configure."""
