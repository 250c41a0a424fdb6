"""The crawler's static path end to end: a fault-injection web crawled into a real database.

One crawl (a subprocess, as Scrapy's reactor cannot restart) covers every static page of the
demo web and every way for a fetch to fail: 503 twice then 200, endless 503, 429 with
Retry-After, a dripping body, a reset mid-body, a redirect loop, a 50 MB body, a gzip bomb,
wrong and missing charsets, a bot wall, a robots.txt refusal, a redirect to a private
address, DNS and refused connections. Each must end in its own recorded state, none as
``missing``. Then: the same verdicts as ``xktracker check``, ``status``, ``reanalyse``,
and a recorded crawl replayed offline.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from typing import Any

import pytest
from click.testing import CliRunner
from scrapy.http import HtmlResponse, Request, TextResponse
from twisted.internet import error as tx_error

from crawler.checker import CheckOptions, check_sources
from crawler.middlewares import FetchRefused, parse_retry_after
from crawler.responses import outcome_from_failure, outcome_from_response
from tests.conftest import LOCAL_WEB
from tests.crawl_helpers import ROOT, CrawlEnv, explain, site
from xktracker.cli import main
from xktracker.demoweb import DYNAMIC_EXPECTATIONS, load_expectations
from xktracker.demoweb.server import DemoWebServer

STATIC_PAGES = [e for e in load_expectations() if not e.needs_browser]
SCRIPTED_PAGES = [e for e in load_expectations() if e.needs_browser and not e.slow]
ROUTES = {p: e for p, e in DYNAMIC_EXPECTATIONS.items() if p != "/"}
RUN_KEY = uuid.uuid4().hex[:8]  # the flaky routes count per key, on a server shared by tests
# Faults the demo web's expectations do not list (their answer depends on retrying).
EXTRA_FAULTS: dict[str, tuple[str, str | None]] = {
    f"/flaky?key=503-{RUN_KEY}&fail=2": ("listed", None),
    f"/flaky?key=429-{RUN_KEY}&fail=1&status=429&retry_after=1": ("listed", None),
    "/status/429": ("error", "rate_limited"),  # Retry-After: 120, more than we wait
    "/status/502": ("error", "http_5xx"),  # endless, no Retry-After: retried, then given up
    "/reset": ("error", "connection"),
    "/gzip-bomb": ("error", "too_large"),
}
ELSEWHERE: dict[str, tuple[str, str | None]] = {
    "http://nothing-here.invalid/signup": ("error", "dns"),
    "http://127.0.0.1:9/signup": ("error", "connection"),  # the discard port: refused
}


NO_BROWSER = {"XK_BROWSER_PATH": "/nonexistent/chromium"}


@pytest.fixture(scope="module")
def crawled(demoweb, tmp_path_factory) -> tuple[CrawlEnv, dict[str, dict[str, Any]]]:
    """One crawl of everything in ``auto`` mode on a machine without a browser (the browser
    has its own tests): lists drawn by script stay unseen, with a note saying why."""
    env = CrawlEnv(tmp_path_factory.mktemp("crawl"))
    paths = [e.path for e in STATIC_PAGES + SCRIPTED_PAGES] + list(ROUTES) + list(EXTRA_FAULTS)
    env.load([site("pages.example", [demoweb.url(p) for p in paths]),
              site("elsewhere.example", list(ELSEWHERE)),
              site("browser.example", [demoweb.url("/react-select-like.html?always")],
                   browser="always")])
    result = env.scrapy("-a", "browser=auto", settings=NO_BROWSER)
    assert result.returncode == 0, explain(result)
    checks = env.checks()
    return env, {url: rows[0] for url, rows in checks.items()}


def test_every_target_has_exactly_one_check(crawled) -> None:
    env, by_url = crawled
    all_checks = env.checks()
    assert all(len(rows) == 1 for rows in all_checks.values())
    expected = len(STATIC_PAGES) + len(SCRIPTED_PAGES) + len(ROUTES) + len(EXTRA_FAULTS) \
        + len(ELSEWHERE) + 1
    assert len(by_url) == expected
    (run,) = env.runs()
    assert run["status"] == "finished"
    assert run["counts"]["checks"] == expected
    assert run["settings"]["browser"] == "auto"


@pytest.mark.parametrize("page", STATIC_PAGES, ids=[e.path for e in STATIC_PAGES])
def test_static_pages_get_their_verdict(page, crawled, demoweb) -> None:
    check = crawled[1][demoweb.url(page.path)]
    assert (check["verdict"], check["reason"]) == (page.verdict, page.reason), check["report"]
    assert check["method"] == "static"


@pytest.mark.parametrize("path", sorted(ROUTES), ids=sorted(ROUTES))
def test_fault_routes_end_in_their_state(path, crawled, demoweb) -> None:
    expected = ROUTES[path]
    check = crawled[1][demoweb.url(path)]
    assert (check["verdict"], check["reason"]) == (expected.verdict, expected.reason), \
        check["report"]


@pytest.mark.parametrize("path", sorted(EXTRA_FAULTS), ids=sorted(EXTRA_FAULTS))
def test_retried_and_broken_answers(path, crawled, demoweb) -> None:
    check = crawled[1][demoweb.url(path)]
    assert (check["verdict"], check["reason"]) == EXTRA_FAULTS[path], check["report"]


@pytest.mark.parametrize("url", sorted(ELSEWHERE))
def test_unreachable_hosts(url, crawled) -> None:
    check = crawled[1][url]
    assert (check["verdict"], check["reason"]) == ELSEWHERE[url], check["report"]


def test_no_failure_is_ever_missing(crawled, demoweb) -> None:
    for page in SCRIPTED_PAGES:  # lists drawn by script, read without a browser
        check = crawled[1][demoweb.url(page.path)]
        assert check["verdict"] in ("error", "no_country_field"), check["report"]
        assert check["method"] == "static"
        assert any("none is available" in n for n in check["report"]["notes"])
    always = crawled[1][demoweb.url("/react-select-like.html?always")]
    assert (always["verdict"], always["reason"]) == ("error", "browser_unavailable")
    failed = [c for c in crawled[1].values() if c["report"].get("http_status") not in (None, 200)
              or c["verdict"] in ("error", "blocked")]
    assert failed and all(c["verdict"] != "missing" for c in failed)


def test_retry_after_that_is_too_long_is_not_waited_for(crawled, demoweb) -> None:
    check = crawled[1][demoweb.url("/status/429")]
    assert check["reason"] == "rate_limited"
    assert "longer than we wait" in check["report"]["detail"]


def test_crawler_and_check_agree(crawled, demoweb) -> None:
    """The crawler concludes through the same function as `xktracker check`."""
    sample = [e for e in STATIC_PAGES][::4]
    reports = check_sources([demoweb.url(e.path) for e in sample],
                            CheckOptions(browser="never", policy=LOCAL_WEB, timeout=5))
    for page, report in zip(sample, reports, strict=True):
        stored = crawled[1][demoweb.url(page.path)]["report"]
        assert (stored["verdict"], stored["reason"]) == (report["verdict"], report["reason"])
        assert stored["evidence"]["html_sha256"] == report["evidence"]["html_sha256"]
        assert [f["verdict"] for f in stored["fields"]] == \
            [f["verdict"] for f in report["fields"]]


def test_evidence_and_option_lists_are_stored(crawled, demoweb) -> None:
    env, by_url = crawled
    check = by_url[demoweb.url("/checkout-en.html")]
    sha = check["html_sha256"]
    stored = env.data_dir / sha[:2] / sha[2:4] / f"{sha}.html"
    assert stored.is_file()
    assert all("options_sha256" in f for f in check["report"]["fields"])
    assert check["report"]["target_id"] and check["report"]["site"] == "pages.example"


def test_status_json_lines(crawled, demoweb, monkeypatch) -> None:
    env, _ = crawled
    monkeypatch.setenv("XKTRACKER_DATABASE_URL", env.url)
    result = CliRunner().invoke(main, ["status", "--json", "--site", "pages.example"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows and {"url", "site", "verdict", "reason", "checked_at", "method"} <= set(rows[0])
    by_url = {r["url"]: r for r in rows}
    assert by_url[demoweb.url("/checkout-world-missing.html")]["verdict"] == "missing"
    table = CliRunner().invoke(main, ["status"])
    assert table.exit_code == 0 and "pages.example" in table.output


def test_reanalyse_gives_the_same_verdicts_in_a_new_run(crawled, monkeypatch) -> None:
    env, by_url = crawled
    monkeypatch.setenv("XKTRACKER_DATABASE_URL", env.url)
    monkeypatch.setenv("XKTRACKER_DATA_DIR", str(env.data_dir))
    result = CliRunner().invoke(main, ["reanalyse"])
    assert result.exit_code == 0, result.output
    assert "0 verdicts changed" in result.output
    runs = env.runs()
    new = runs[-1]
    assert new["settings"]["kind"] == "reanalysis" and new["status"] == "finished"
    again = env.checks(new["id"])
    assert set(again) == set(by_url)
    for url, rows in again.items():
        (check,) = rows
        assert (check["verdict"], check["reason"]) == (by_url[url]["verdict"],
                                                     by_url[url]["reason"])
        assert check["method"] == by_url[url]["method"]
        assert any("re-analysed" in n for n in check["report"]["notes"])


def test_record_then_replay_offline(tmp_path) -> None:
    """A recorded crawl replays with the server gone: same verdicts, nothing fetched."""
    with DemoWebServer() as web:
        paths = ["/checkout-en.html", "/checkout-world-missing.html",
                 "/redirect?to=/signup-de.html", "/private/signup.html", "/gzip-bomb",
                 "/flaky?key=rec&fail=2", "/signup-sr-windows-1251.html"]
        sites = [site("rec.example", [web.url(p) for p in paths]),
                 site("gone.example", ["http://gone.invalid/signup"])]
        recorded = CrawlEnv(tmp_path / "record")
        recorded.load(sites)
        result = recorded.scrapy("-a", "browser=never", "-a", f"record={tmp_path / 'tape'}")
        assert result.returncode == 0, explain(result)
    assert list((tmp_path / "tape" / "http").glob("*.yaml"))
    replayed = CrawlEnv(tmp_path / "replay")
    replayed.load(sites)
    result = replayed.scrapy("-a", "browser=never", "-a", f"replay={tmp_path / 'tape'}")
    assert result.returncode == 0, explain(result)
    first = {u: (r[0]["verdict"], r[0]["reason"]) for u, r in recorded.checks().items()}
    second = {u: (r[0]["verdict"], r[0]["reason"]) for u, r in replayed.checks().items()}
    assert second == first
    assert first[web.url("/flaky?key=rec&fail=2")] == ("listed", None)
    assert first["http://gone.invalid/signup"] == ("error", "dns")  # from failures.jsonl
    assert replayed.runs()[0]["settings"]["replay"]


# -- parsing without a crawl -----------------------------------------------------------------


def _response(url: str, body: bytes, status: int = 200, **headers: str) -> TextResponse:
    request = Request(url, meta={"redirect_urls": ["http://a.example/start"]})
    return HtmlResponse(url, status=status, body=body, headers=headers, request=request)


def test_outcome_from_response_decodes_like_the_static_fetcher() -> None:
    body = "<html><body><select><option>Kosovë</option></select></body></html>"
    out = outcome_from_response(_response("http://a.example/x", body.encode("windows-1252"),
                                          **{"Content-Type": "text/html; charset=windows-1252"}),
                                "http://a.example/start")
    assert out.ok and "Kosovë" in (out.html or "")
    assert out.redirects == ["http://a.example/start"] and out.final_url == "http://a.example/x"


@pytest.mark.parametrize(("status", "headers", "expected"), [
    (503, {}, ("error", "http_5xx")),
    (404, {}, ("error", "http_4xx")),
    (429, {"Retry-After": "30"}, ("error", "rate_limited")),
    (403, {}, ("blocked", "forbidden")),
    (200, {"Content-Type": "application/pdf"}, ("error", "bad_content")),
])
def test_outcome_statuses(status, headers, expected) -> None:
    out = outcome_from_response(_response("http://a.example/", b"<html></html>", status,
                                          **headers), "http://a.example/")
    assert ("blocked", out.blocked) == expected if out.blocked else ("error", out.error) \
        == expected


@pytest.mark.parametrize(("exc", "reason"), [
    (FetchRefused("robots", blocked=True), "robots"),
    (FetchRefused("private_address"), "private_address"),
    (tx_error.DNSLookupError("x"), "dns"),
    (tx_error.TimeoutError(), "timeout"),
    (tx_error.ConnectionRefusedError(), "connection"),
])
def test_failures_become_reasons(exc, reason) -> None:
    out = outcome_from_failure(exc, "http://a.example/", "static")
    assert (out.blocked or out.error) == reason
    assert out.html is None


def test_retry_after_parsing() -> None:
    assert parse_retry_after(b"120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480.0) == 0.0
    assert parse_retry_after("soon") is None


def test_demo_crawls_the_demo_web_and_prints_the_status(tmp_path) -> None:
    """`make demo`: a fresh database, the demo catalog crawled (twice the first time), the
    stored status shown."""
    env = CrawlEnv(tmp_path)
    result = subprocess.run([sys.executable, "-m", "xktracker.cli", "demo", "--no-serve",
                             "--browser", "never", "--instance", str(tmp_path / "demo"),
                             "--port", "0"],
                            env=env.environ(),
                            capture_output=True, text=True, timeout=240, check=False)
    assert result.returncode == 0, explain(result)
    rows = [line for line in result.stdout.splitlines() if ".demo.example" in line]
    assert len(rows) == 15
    # Without a browser only the list drawn by script differs from what its page was made for.
    assert [r for r in rows if "≠" in r] == [r for r in rows if "react-select" in r]
    assert result.stderr.count("[15/15]") == 2
    assert (tmp_path / "demo" / "xktracker.sqlite3").is_file()


def test_crawl_usage_errors(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XKTRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'none.sqlite3'}")
    result = CliRunner().invoke(main, ["crawl"])
    assert result.exit_code == 1 and "xktracker init" in result.output
    env = CrawlEnv(tmp_path)
    env.load([site("one.example", ["http://127.0.0.1:9/x"])])
    monkeypatch.setenv("XKTRACKER_DATABASE_URL", env.url)
    result = CliRunner().invoke(main, ["crawl", "--site", "nope.example"])
    assert result.exit_code == 2 and "nope.example" in result.output
    result = CliRunner().invoke(main, ["crawl", "--record", str(tmp_path / "a"),
                                       "--replay", str(tmp_path)])
    assert result.exit_code == 2
    result = CliRunner().invoke(main, ["crawl", "--set", "lowercase=1"])
    assert result.exit_code == 2 and "NAME=VALUE" in result.output


def test_a_store_that_fails_is_summed_up_without_pages_in_the_log(demoweb, tmp_path) -> None:
    """Evidence cannot be written (its folder is a file: a full or broken disk): the crawl
    says how many checks were not stored and why, the run is left to resume, and the log
    names each failed item by its key, never by its page."""
    env = CrawlEnv(tmp_path)
    env.load([site("fail.example", [demoweb.url("/checkout-en.html"),
                                    demoweb.url("/signup-de.html")], browser="never")])
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    environ = {**env.environ(), "XKTRACKER_DATA_DIR": str(blocker / "data")}
    result = subprocess.run(env.xktracker("crawl", "--allow-private-addresses", "--quiet"),
                            env=environ, capture_output=True, text=True, timeout=120,
                            check=False, cwd=ROOT)
    assert result.returncode == 1, result.stderr[-3000:]
    assert "2 checks could not be stored" in result.stderr
    assert "targets unchecked" in result.stderr
    assert "<option" not in result.stderr and "Afghanistan" not in result.stderr
    assert "CheckItem(run=" in result.stderr
