"""The bundled demo web: a local website of country forms with known right answers.

It backs the offline demo (``xktracker demo``) and the fixture web of the test-suite.
Each page states, in ``xk-*`` meta tags, the verdict a correct checker must reach.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xktracker.demoweb.expectations import (
    DYNAMIC_EXPECTATIONS,
    EVOLVING,
    PAGES_DIR,
    PageExpectation,
    load_expectations,
)

if TYPE_CHECKING:
    from xktracker.demoweb.server import DemoWebServer

__all__ = [
    "DYNAMIC_EXPECTATIONS",
    "EVOLVING",
    "PAGES_DIR",
    "DemoWebServer",
    "PageExpectation",
    "load_expectations",
]


def __getattr__(name: str) -> Any:
    """Import the server on first use, so ``python -m xktracker.demoweb.server`` does not
    find itself already imported (runpy warns about that)."""
    if name == "DemoWebServer":
        from xktracker.demoweb.server import DemoWebServer

        return DemoWebServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
