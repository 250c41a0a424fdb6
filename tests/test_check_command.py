"""``xktracker check`` end to end over the local demo web: real HTTP, real parsing.

Every page of the demo web states the verdict a correct checker must reach; here the
HTML path (``--browser never``) must reach it wherever the list is in the HTML, and
must never say ``missing`` where it could not see the list.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crawler.checker import CheckOptions, check_sources
from tests.conftest import LOCAL_WEB
from xktracker.cli import main
from xktracker.demoweb import DYNAMIC_EXPECTATIONS, load_expectations

STATIC_PAGES = [e for e in load_expectations() if not e.needs_browser]
SCRIPTED_PAGES = [e for e in load_expectations() if e.needs_browser]


def _check(urls: list[str], timeout: float = 5.0, **kw: object) -> list[dict]:
    options = CheckOptions(browser="never", policy=LOCAL_WEB, timeout=timeout, **kw)
    return list(check_sources(urls, options))


@pytest.fixture(scope="module")
def static_reports(demoweb) -> dict[str, dict]:
    urls = [demoweb.url(e.path) for e in STATIC_PAGES]
    return {e.path: r for e, r in zip(STATIC_PAGES, _check(urls), strict=True)}


@pytest.mark.parametrize("page", STATIC_PAGES, ids=[e.path for e in STATIC_PAGES])
def test_html_path_gives_the_right_verdict(page, static_reports) -> None:
    report = static_reports[page.path]
    assert report["method"] == "static"
    assert report["verdict"] == page.verdict, report
    if page.reason:
        assert report["reason"] == page.reason
    if page.field_verdict:
        decisive = [f for f in report["fields"] if f["verdict"] != "unknown"]
        assert decisive[0]["verdict"] == page.field_verdict


@pytest.mark.parametrize("page", SCRIPTED_PAGES, ids=[e.path for e in SCRIPTED_PAGES])
def test_html_path_never_guesses_a_list_drawn_by_script(page, demoweb) -> None:
    report = _check([demoweb.url(page.path)])[0]
    assert report["verdict"] in ("error", "no_country_field")
    assert report["notes"] or report["render_hints"]


FAULTS = {path: e for path, e in DYNAMIC_EXPECTATIONS.items()
          if path not in ("/drip",) and not path.startswith("/private/")}


@pytest.mark.parametrize("path", sorted(FAULTS), ids=sorted(FAULTS))
def test_fault_routes_end_in_their_honest_state(path, demoweb) -> None:
    expected = FAULTS[path]
    report = _check([demoweb.url(path)], timeout=expected.timeout or 5.0)[0]
    assert report["verdict"] == (expected.check_verdict or expected.verdict), report
    if expected.reason and not expected.check_verdict:
        assert report["reason"] == expected.reason
    assert report["verdict"] != "missing"


def test_check_ignores_robots_txt_and_sees_the_page(demoweb) -> None:
    assert _check([demoweb.url("/private/signup.html")])[0]["verdict"] == "listed"


def test_json_lines_in_input_order_with_the_contract_members(demoweb) -> None:
    urls = [demoweb.url("/checkout-world-missing.html"), demoweb.url("/status/503"),
            demoweb.url("/checkout-en.html")]
    result = CliRunner().invoke(main, ["check", "--json", "--browser", "never",
                                       "--allow-private-addresses", *urls])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [r["source"] for r in lines] == urls
    assert [r["verdict"] for r in lines] == ["missing", "error", "listed"]
    for r in lines:
        assert set(r) >= {"source", "final_url", "checked_at", "territory", "method", "verdict",
                          "reason", "fields", "evidence"}
        assert r["checked_at"].endswith("Z")
    field = lines[0]["fields"][0]
    assert set(field) >= {"kind", "widget", "selector", "name", "id", "label", "option_count",
                          "country_count", "verdict", "kosovo", "qualifier", "fingerprint"}
    assert lines[2]["fields"][0]["kosovo"]["value"] == "XK"
    assert len(lines[0]["evidence"]["html_sha256"]) == 64


def test_private_addresses_are_refused_by_default(demoweb) -> None:
    result = CliRunner().invoke(main, ["check", "--json", "--browser", "never",
                                       demoweb.url("/checkout-en.html")])
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert (report["verdict"], report["reason"]) == ("error", "private_address")


def test_setting_allows_private_addresses(demoweb, monkeypatch) -> None:
    monkeypatch.setenv("XKTRACKER_ALLOW_PRIVATE_ADDRESSES", "1")
    result = CliRunner().invoke(main, ["check", "--json", "--browser", "never",
                                       demoweb.url("/checkout-en.html")])
    assert json.loads(result.output)["verdict"] == "listed"


def test_unknown_setting_is_a_usage_error(monkeypatch) -> None:
    monkeypatch.setenv("XKTRACKER_BROWSR_PATH", "/x")
    result = CliRunner().invoke(main, ["check", "page.html"])
    assert result.exit_code == 2
    assert "XKTRACKER_BROWSR_PATH" in result.output


@pytest.mark.parametrize("args", [
    ["check"], ["check", "ftp://example.com/"], ["check", "no-such-file.html"],
    ["check", "--browser", "sometimes", "x.html"], ["check", "--territory", "ZZ", "x.html"],
    ["check", "--timeout", "0", "x.html"], ["check", "javascript:alert(1)"],
])
def test_bad_usage_exits_2(args, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.html").write_text("<html></html>")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output


def test_local_file_and_table_output(tmp_path) -> None:
    page = tmp_path / "signup.html"
    page.write_text('<select name="country"><option value="RS">Serbia</option>'
                    '<option value="XK">Kosovo</option><option value="AL">Albania</option>'
                    "</select>\x1b[2J", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(page)])
    assert result.exit_code == 0, result.output
    assert "listed" in result.output and "3 countries" in result.output
    assert "\x1b" not in result.output


def test_evidence_dir_keeps_the_snapshot(demoweb, tmp_path) -> None:
    report = _check([demoweb.url("/checkout-en.html")], evidence_dir=tmp_path)[0]
    kept = tmp_path / f"{report['evidence']['html_sha256']}.html"
    assert kept.exists() and "Kosovo" in kept.read_text(encoding="utf-8")


def test_other_territory(demoweb) -> None:
    report = _check([demoweb.url("/checkout-en.html")], territory="TW")[0]
    assert report["territory"] == "TW"
    assert report["verdict"] in ("listed", "listed_qualified", "missing")
