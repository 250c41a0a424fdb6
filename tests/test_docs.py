"""The docs keep up with the code: every setting documented, the quick start real."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crawler.config import CRAWL_SETTINGS
from foundation import settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=[s.name for s in settings.SETTINGS])
def test_every_setting_is_documented(setting) -> None:
    name = settings.PREFIX + setting.name
    assert f"`{name}`" in (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert name in (ROOT / ".env.example").read_text(encoding="utf-8")


def test_quick_start_is_two_make_targets_that_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make demo", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("demo", "test"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE)


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_settings_reject_unknown_and_parse_booleans() -> None:
    assert settings.load({"XKTRACKER_ALLOW_PRIVATE_ADDRESSES": "yes"}).allow_private_addresses
    assert not settings.load({}).allow_private_addresses
    with pytest.raises(settings.SettingsError):
        settings.load({"XKTRACKER_ALLOW_PRIVATE_ADDRESSES": "maybe"})
    with pytest.raises(settings.SettingsError):
        settings.load({"XKTRACKER_NOPE": "1"})


@pytest.mark.parametrize("setting", CRAWL_SETTINGS, ids=[s.name for s in CRAWL_SETTINGS])
def test_every_crawl_setting_is_documented(setting) -> None:
    assert f"`{setting.name}`" in (ROOT / "docs" / "crawling.md").read_text(encoding="utf-8")


def test_an_unknown_crawl_setting_is_refused() -> None:
    from scrapy.settings import Settings

    from crawler.config import CrawlConfig
    from crawler.errors import CrawlConfigError, SettingOverrideError
    from crawler.run import parse_overrides

    with pytest.raises(SettingOverrideError, match="unknown setting XK_TYPO; known XK_ settings"):
        parse_overrides(["XK_TYPO=1"])
    assert parse_overrides(["XK_BROWSER=never", "DOWNLOAD_DELAY=2"]) == {
        "XK_BROWSER": "never", "DOWNLOAD_DELAY": "2"}
    settings = Settings()
    settings.setmodule("crawler.settings")
    assert CrawlConfig.from_settings(settings).browser == "auto"
    settings.set("XK_BROWSR", "always")
    with pytest.raises(CrawlConfigError, match="XK_BROWSR"):
        CrawlConfig.from_settings(settings)


def test_the_crawl_config_round_trips_through_scrapy_settings() -> None:
    from pathlib import Path

    from crawler.config import CrawlConfig
    from crawler.run import scrapy_settings

    config = CrawlConfig(database_url="sqlite:///x.db", data_dir=Path("evidence"),
                         sites=("a.example",), browser="never", allowed_ports=(80, 443, 8443),
                         record_dir=Path("tape"), discover_max_pages=7, progress=True)
    again = CrawlConfig.from_settings(scrapy_settings(config))
    assert again == config
