"""Extension objects, created unbound and wired in :func:`tracker_web.create_app`."""

from __future__ import annotations

from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
