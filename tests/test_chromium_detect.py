"""Chromium discovery: the order, and a clear message when there is nothing to launch."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crawler.errors import BrowserUnavailable
from crawler.fetch import chromium
from crawler.fetch.chromium import find_chromium


def _fake_exe(path: Path) -> str:
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return str(path)


def _nothing(_: object) -> None:
    return None


def test_explicit_path_wins(tmp_path: Path) -> None:
    exe = _fake_exe(tmp_path / "my-chrome")
    found = find_chromium(exe, playwright_lookup=_nothing)
    assert found.path == exe
    assert found.kind == "system"
    assert found.source == "explicit"


def test_explicit_bogus_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BrowserUnavailable) as info:
        find_chromium(str(tmp_path / "no-such-chrome"), playwright_lookup=_nothing)
    message = str(info.value)
    assert "no-such-chrome" in message
    assert "XKTRACKER_BROWSER_PATH" in message
    assert info.value.reason == "browser_unavailable"


def test_explicit_non_executable_is_refused(tmp_path: Path) -> None:
    plain = tmp_path / "chrome.txt"
    plain.write_text("not a program")
    with pytest.raises(BrowserUnavailable):
        find_chromium(str(plain), playwright_lookup=_nothing)


def test_playwright_browser_before_system(tmp_path: Path) -> None:
    own = _fake_exe(tmp_path / "chrome")
    system = _fake_exe(tmp_path / "chromium-headless-shell")
    found = find_chromium(playwright_lookup=lambda _: own, system_paths=[system])
    assert (found.path, found.kind) == (own, "playwright")


def test_missing_playwright_download_falls_back_to_system(tmp_path: Path) -> None:
    system = _fake_exe(tmp_path / "chromium-headless-shell")
    found = find_chromium(
        playwright_lookup=lambda _: str(tmp_path / "absent" / "chrome"), system_paths=[system]
    )
    assert (found.path, found.kind, found.source) == (system, "system", "system path")


def test_path_lookup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    exe = _fake_exe(bindir / "chromium-browser")
    monkeypatch.setenv("PATH", str(bindir))
    found = find_chromium(playwright_lookup=_nothing, system_paths=[])
    assert (found.path, found.source) == (exe, "PATH")


def test_nothing_found_says_how_to_get_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(chromium, "SYSTEM_PATHS", (str(tmp_path / "nope"),))
    monkeypatch.setattr(chromium, "playwright_executable", _nothing)
    with pytest.raises(BrowserUnavailable) as info:
        find_chromium()
    message = str(info.value)
    assert "playwright install chromium" in message
    assert "apt-get install chromium-headless-shell" in message
    assert "XKTRACKER_BROWSER_PATH" in message


def test_launch_options_carry_probe_flags(tmp_path: Path) -> None:
    exe = _fake_exe(tmp_path / "chrome")
    options = find_chromium(exe).launch_options(extra_args=["--lang=en"])
    assert options["executable_path"] == exe
    assert options["headless"] is True
    for flag in ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--lang=en"):
        assert flag in options["args"]


@pytest.mark.skipif(
    not os.access("/usr/lib/chromium/chromium-headless-shell", os.X_OK),
    reason="Debian's chromium-headless-shell is not installed",
)
def test_this_machine_finds_debian_headless_shell() -> None:
    found = find_chromium()
    assert found.path.endswith("chromium-headless-shell") or found.kind == "playwright"


def test_fetcher_without_a_browser_reports_an_outcome(tmp_path: Path) -> None:
    from crawler.fetch.browser import BrowserFetcher

    bogus = str(tmp_path / "no-chrome")
    with pytest.raises(BrowserUnavailable):
        with BrowserFetcher(executable_path=bogus):
            pass
    lazy = BrowserFetcher(executable_path=bogus)
    try:
        out = lazy.fetch("http://example.invalid/")
    finally:
        lazy.close()
    assert out.error == "browser_unavailable" and out.method == "browser"
    assert out.detail and "XKTRACKER_BROWSER_PATH" in out.detail
