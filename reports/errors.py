"""The errors ``reports`` raises: requests for an export or report that cannot be made."""

from __future__ import annotations

from foundation.errors import XKTrackerError


class ReportsError(XKTrackerError):
    """Base of every error raised by ``reports``."""


class ExportError(ReportsError, ValueError):
    """Export asked for something that cannot be done (a bad date, no output path)."""


class PeriodError(ReportsError, ValueError):
    """A period that is neither YYYY-MM nor YYYY-Www."""
