"""Committed, generated files are exactly what their generators write from the locked packages.

A generator's output depends on the data of the packages it reads (Babel's CLDR names,
pycountry's ISO lists, phonenumbers' dial codes). Those packages are pinned in
``requirements/generator-sources.txt`` and the lock; these tests catch both a file that was
edited by hand and an install that drifted from the pins, and say which one it is.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import pytest

from checks.countries import index
from checks.data import build_names
from xktracker.demoweb import make_pages, make_widget_pages
from xktracker.upstream.__main__ import main as upstream_main

ROOT = Path(__file__).resolve().parents[1]
PINS = ROOT / "requirements" / "generator-sources.txt"
LOCK = ROOT / "requirements" / "dev.txt"


def _pins() -> dict[str, str]:
    pins = {}
    for line in PINS.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line)
        if m:
            pins[m.group(1).lower()] = m.group(2)
    return pins


def test_the_generator_sources_are_pinned_and_installed_at_their_pins() -> None:
    pins = _pins()
    assert set(pins) == {"babel", "pycountry", "phonenumbers"}
    for name, version in pins.items():
        installed = metadata.version(name)
        assert installed == version, (
            f"{name} {installed} is installed but generated files were built with {version}: "
            "install from the lock (`make setup`) or regenerate (`make generate`)")


def test_the_lock_agrees_with_the_pins() -> None:
    lock = LOCK.read_text(encoding="utf-8")
    for name, version in _pins().items():
        assert re.search(rf"^{re.escape(name)}=={re.escape(version)} ", lock, re.M), name


def test_the_name_index_records_the_pinned_sources() -> None:
    assert index().sources == _pins()


@pytest.mark.parametrize("generator", [build_names, make_pages, make_widget_pages],
                         ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_generated_file_is_up_to_date(generator: object,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert generator.main(["--check"]) == 0, capsys.readouterr()  # type: ignore[attr-defined]


def test_the_upstream_lists_are_valid_and_documented(capsys: pytest.CaptureFixture[str]) -> None:
    assert upstream_main(["check"]) == 0, capsys.readouterr()
