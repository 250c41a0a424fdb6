"""Find a Chromium to drive, because ``playwright install`` cannot download everywhere.

Playwright only looks for its own downloaded browsers. On machines without internet
access we fall back to the system's Chromium (Debian's ``chromium-headless-shell`` is
the fastest, see probe.md §1/§4c), and a clear error says how to get one when none is found.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from crawler.errors import BrowserUnavailable

# Launch flags that worked with Debian's Chromium (probe.md §1): no sandbox because we
# usually run as root in containers, no GPU, no background traffic of Chromium's own.
LAUNCH_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    # WebRTC may send UDP to any address it likes, past any proxy: only proxied (so guarded)
    # connections for it, as for everything else a page does.
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
)

# Fixed system locations, best first: the headless shell is 2x faster per context.
SYSTEM_PATHS: tuple[str, ...] = (
    "/usr/lib/chromium/chromium-headless-shell",
    "/usr/lib/chromium/chromium",
    "/usr/bin/chromium",
)
# Names looked up on PATH after the fixed locations.
PATH_NAMES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome")

HELP = (
    "No Chromium found for the browser check. Either run `playwright install chromium` "
    "(where downloads work), or on Debian/Ubuntu `apt-get install chromium-headless-shell` "
    "(or `chromium`), or set XKTRACKER_BROWSER_PATH to a Chromium/Chrome executable."
)


@dataclass(frozen=True, slots=True)
class BrowserBinary:
    """A Chromium executable and where it came from (for logs and ``--json`` evidence)."""

    path: str
    kind: Literal["playwright", "system"]
    source: str  # "explicit" | "playwright" | "system path" | "PATH"

    def launch_options(self, *, extra_args: Sequence[str] = ()) -> dict[str, Any]:
        """Keyword arguments for ``browser_type.launch`` (also usable as scrapy-playwright's
        ``PLAYWRIGHT_LAUNCH_OPTIONS``)."""
        return {
            "executable_path": self.path,
            "headless": True,
            "args": [*LAUNCH_ARGS, *extra_args],
        }


def _is_executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def playwright_executable(playwright: Any = None) -> str | None:
    """Ask Playwright where its own Chromium would be; ``None`` if it cannot tell.

    Starting the Playwright driver is refused inside a running asyncio loop, so when no
    ``playwright`` object is handed in we ask from a short-lived worker thread.
    """
    if playwright is not None:
        try:
            return str(playwright.chromium.executable_path)
        except Exception:  # any driver trouble means "not available"
            return None

    found: list[str | None] = [None]

    def ask() -> None:
        try:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                found[0] = str(p.chromium.executable_path)
        except Exception:
            found[0] = None

    worker = threading.Thread(target=ask, name="xk-playwright-probe", daemon=True)
    worker.start()
    worker.join(timeout=30)
    return found[0]


def find_chromium(
    explicit: str | None = None,
    *,
    playwright: Any = None,
    playwright_lookup: Callable[[Any], str | None] | None = None,
    system_paths: Sequence[str] | None = None,
    path_names: Sequence[str] | None = None,
    search_path: str | None = None,
) -> BrowserBinary:
    """Return the Chromium to launch, or raise :class:`BrowserUnavailable`.

    Order: ``explicit`` (the caller passes ``XKTRACKER_BROWSER_PATH``; a wrong explicit
    path is an error, not silently ignored), Playwright's own download, Debian's
    binaries, then ``chromium``/``chromium-browser``/``google-chrome`` on ``PATH``.
    The keyword arguments exist so tests can describe a machine without touching it.
    """
    if explicit:
        path = os.path.expanduser(explicit)
        if not os.path.isabs(path):
            path = shutil.which(path, path=search_path) or path
        if not _is_executable(path):
            raise BrowserUnavailable(
                f"The browser path {explicit!r} (XKTRACKER_BROWSER_PATH) is not an "
                f"executable file. {HELP}"
            )
        return BrowserBinary(path, "system", "explicit")

    lookup = playwright_lookup or playwright_executable
    own = lookup(playwright)
    if own and _is_executable(own):
        return BrowserBinary(own, "playwright", "playwright")

    for path in SYSTEM_PATHS if system_paths is None else system_paths:
        if _is_executable(path):
            return BrowserBinary(path, "system", "system path")

    for name in PATH_NAMES if path_names is None else path_names:
        hit = shutil.which(name, path=search_path)
        if hit:
            return BrowserBinary(hit, "system", "PATH")

    raise BrowserUnavailable(HELP)
