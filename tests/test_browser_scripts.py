"""The in-page JavaScript: plain files a linter and a browser can load, assembled once."""

from __future__ import annotations

import shutil
import subprocess
from importlib import resources
from pathlib import Path

import pytest

from crawler.errors import BrowserUnavailable
from crawler.fetch.browser import scripts
from crawler.fetch.chromium import find_chromium

JS_DIR = Path(str(resources.files("crawler.fetch.browser") / "js"))
FILES = sorted(p.name for p in JS_DIR.glob("*.js"))
SCRIPTS = sorted(p.stem for p in JS_DIR.glob("*.js") if "helpers" not in p.stem)


@pytest.mark.parametrize("name", FILES)
def test_every_script_file_is_valid_javascript(name: str) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the syntax check needs it")
    done = subprocess.run([node, "--check", str(JS_DIR / name)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("name", SCRIPTS)
def test_every_script_is_assembled_without_markers(name: str) -> None:
    text = scripts.load(name)
    assert "/*@" not in text
    assert not text.startswith("//")
    assert "const XK = " in text


@pytest.mark.browser
def test_every_script_is_a_function_in_chromium() -> None:
    from playwright.sync_api import sync_playwright

    try:
        options = find_chromium().launch_options()
    except BrowserUnavailable as exc:
        pytest.skip(f"no Chromium for the browser tests: {exc}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**options)
        try:
            page = browser.new_page()
            page.set_content("<form><select name=country><option>Kosovo</option></select></form>")
            for name in SCRIPTS:
                assert page.evaluate(f"typeof ({scripts.load(name)})") == "function", name
            state = page.evaluate(scripts.SETTLE_STATE_JS)
            assert set(state) >= {"ready", "waiting", "sig"}
        finally:
            browser.close()
