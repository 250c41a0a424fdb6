"""Make sure a Chromium exists for Playwright, installing one the way this machine allows.

Order: one already found (XKTRACKER_BROWSER_PATH, Playwright's own, Debian's); else
Debian's ``chromium-headless-shell`` through apt when running as root; else
``playwright install chromium`` (works where the Playwright CDN is reachable). When none
works, say so plainly and exit 0: the browser tests then skip with that reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def _found() -> str | None:
    from crawler.errors import BrowserUnavailable
    from crawler.fetch.chromium import find_chromium

    try:
        return find_chromium(os.environ.get("XKTRACKER_BROWSER_PATH") or None).path
    except BrowserUnavailable:
        return None


def _run(cmd: list[str]) -> bool:
    print("+", " ".join(cmd), flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return subprocess.run(cmd, env=env, check=False).returncode == 0


def main() -> int:
    path = _found()
    if path:
        print(f"browser: {path}")
        return 0
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        if _run(["apt-get", "update", "-qq"]) and _run(
                ["apt-get", "install", "-y", "-qq", "--no-install-recommends",
                 "chromium-headless-shell"]):
            path = _found()
    if not path and _run([sys.executable, "-m", "playwright", "install", "chromium"]):
        path = _found()
    if path:
        print(f"browser: {path}")
    else:
        print("No Chromium could be installed. Install one with `sudo apt-get install "
              "chromium-headless-shell` (Debian/Ubuntu) or `playwright install chromium`, or "
              "set XKTRACKER_BROWSER_PATH. Browser checks and tests are skipped until then.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
