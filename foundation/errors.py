"""The root of every exception the project raises on purpose.

Each package has its own small tree under :class:`XKTrackerError` (``checks.errors``,
``db.errors``, ``crawler.errors``, ``reports.errors``, ``tracker_web.errors``), listed in
docs/architecture.md; lower-level errors (SQLAlchemy's, Playwright's, YAML's) are translated
at the package's boundary, so a caller catches one family.
"""

from __future__ import annotations


class XKTrackerError(Exception):
    """Base of every error xktracker raises itself."""


class SettingsError(XKTrackerError, ValueError):
    """A setting (``XKTRACKER_*`` or a crawl's ``XK_*``) is unknown or has a value that
    cannot be used; the message names it and says what would do."""
