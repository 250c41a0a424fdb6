"""The ``xktracker`` command (click): one module per group of commands, all on one group.

``xktracker.cli:main`` is the console script; ``python -m xktracker.cli`` runs it too.
"""

from __future__ import annotations

from xktracker.cli import catalog, checking, crawling, data, demo, web
from xktracker.cli.app import main

__all__ = ["catalog", "checking", "crawling", "data", "demo", "main", "web"]
