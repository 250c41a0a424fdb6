"""``xktracker crawl --discover`` and ``scrapy crawl discover``: the sites catalog health lists
are walked by the Scrapy spider (the crawler's guard, robots, pacing), and what is found is
stored as proposals with their evidence, then shown by ``xktracker catalog health`` with a
patch for the catalog file. Crawls run in subprocesses (a reactor cannot restart)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from db.models import Discovery, Proposal, Target
from db.session import Database
from db.store import finish_run, record_check, start_run
from tests.crawl_helpers import FAST, ROOT, CrawlEnv, explain
from tests.discover_fixtures import discoverweb  # noqa: F401
from tests.discoverweb.expectations import all_expectations
from xktracker.cli import main

pytestmark = pytest.mark.slow


def _catalog(web) -> list[dict]:
    return [
        {"name": "Alba", "domain": "alba.localhost", "category": "e-commerce",
         "targets": [{"url": web.url("alba", "/signup"), "kind": "signup"},
                     {"url": web.url("alba", "/checkout"), "kind": "checkout"}]},
        {"name": "Bora", "domain": "bora.localhost", "discover": web.url("bora"), "targets": []},
        {"name": "Golf", "domain": "golf.localhost", "discover": web.url("golf")},
        {"name": "India", "domain": "india.localhost",
         "targets": [{"url": web.url("india", "/finalizar-compra"), "kind": "checkout"}]},
    ]


def _stopped(env: CrawlEnv, web) -> int:
    """Two checks of alba's old signup address that answered 404."""
    with Database(env.url) as database, database.scope(write=True) as session:
        target = session.execute(select(Target).where(
            Target.url == web.url("alba", "/signup"))).scalar_one()
        for days in (2, 1):
            run = start_run(session, {"kind": "test"})
            record_check(session, run_id=run.id, target_id=target.id, report={
                "verdict": "error", "reason": "http_4xx", "method": "static", "fields": [],
                "checked_at": (datetime.now(UTC) - timedelta(days=days)).isoformat()})
            finish_run(session, run.id)
        return target.id


def _run(env: CrawlEnv, command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, env=env.environ(), capture_output=True,
                          text=True, timeout=240, check=False)


def test_crawl_discover_stores_proposals_for_the_sites_that_need_them(
        tmp_path: Path, discoverweb, monkeypatch: pytest.MonkeyPatch) -> None:
    env = CrawlEnv(tmp_path)
    env.load(_catalog(discoverweb))
    old_signup = _stopped(env, discoverweb)
    # india's target answers: the site is healthy and is not walked.
    discoverweb.take_hits()
    result = _run(env, env.xktracker("crawl", "--discover", "--browser", "never",
                                     "--allow-private-addresses"))
    assert result.returncode == 0, explain(result)
    assert "3 of 3 sites walked" in result.stdout, result.stdout
    progress = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert progress and all("/30]" in line for line in progress)
    hits = discoverweb.take_hits()
    assert {h.host for h in hits} == {"alba.localhost", "bora.localhost", "golf.localhost"}
    expect = all_expectations()
    for hit in hits:
        path = urlsplit(hit.path).path
        assert path not in expect[hit.host.split(".")[0]].disallowed
        assert not path.startswith(("/logout", "/cart/add"))

    with Database(env.url) as database, database.scope() as session:
        proposals = {(p.domain, urlsplit(p.url).path): p
                     for p in session.scalars(select(Proposal))}
        assert set(proposals) == {
            ("alba.localhost", "/account/register"),
            ("bora.localhost", "/sq/regjistrohu"), ("bora.localhost", "/sq/arka"),
            ("golf.localhost", "/en/customer/account/create")}
        signup = proposals[("alba.localhost", "/account/register")]
        assert signup.replaces_target_id == old_signup
        assert (signup.kind, signup.verdict, signup.status) == ("signup", "listed", "proposed")
        assert (env.data_dir / signup.html_sha256[:2]).is_dir()
        discoveries = session.scalars(select(Discovery).order_by(Discovery.domain)).all()
        assert [(d.domain, d.status, d.origin) for d in discoveries] == [
            ("alba.localhost", "done", "crawl"), ("bora.localhost", "done", "crawl"),
            ("golf.localhost", "done", "crawl")]
        assert "stopped answering" in discoveries[0].trigger
        assert discoveries[1].trigger == "discover: true; no active target"

    # The terminal list, with a patch that puts the proposals in the catalog file.
    catalog_file = tmp_path / "sites.yaml"
    import yaml

    catalog_file.write_text(yaml.safe_dump({"sites": _catalog(discoverweb)},
                                           sort_keys=False), encoding="utf-8")
    runner = CliRunner(env={"XKTRACKER_DATABASE_URL": env.url})
    shown = runner.invoke(main, ["catalog", "health", "--catalog", str(catalog_file)])
    assert shown.exit_code == 0, shown.output
    assert "stopped   signup" in shown.output and "proposed  signup" in shown.output
    diff = shown.output.split("Patch for ", 1)[1].splitlines()
    assert f"+  - url: {discoverweb.url('alba', '/account/register')}" in diff
    assert f"-  - url: {discoverweb.url('alba', '/signup')}" in diff
    assert sum(1 for line in diff if line.startswith("+")
               and line[1:].lstrip().startswith("- url: ")) == 4
    # The patch alone applies with git, and the file it leaves is a valid catalog.
    monkeypatch.chdir(tmp_path)
    patched = runner.invoke(main, ["catalog", "health", "--patch", "--catalog", "sites.yaml"])
    assert patched.output.startswith("--- a/sites.yaml\n+++ b/sites.yaml\n")
    (tmp_path / "heal.patch").write_text(patched.output, encoding="utf-8")
    applied = subprocess.run(["git", "apply", "heal.patch"], cwd=tmp_path,
                             capture_output=True, text=True, check=False)
    assert applied.returncode == 0, applied.stderr
    from db.catalog import load_catalog

    healed = {s.domain: s for s in load_catalog(catalog_file, allow_private=True).sites}
    assert [t.url for t in healed["alba.localhost"].targets] == [
        discoverweb.url("alba", "/account/register"), discoverweb.url("alba", "/checkout")]
    assert len(healed["bora.localhost"].targets) == 2
    rows = [json.loads(line) for line in runner.invoke(
        main, ["catalog", "health", "--json"]).output.splitlines()]
    assert {r["site"] for r in rows} == {"alba.localhost", "bora.localhost", "golf.localhost"}
    assert rows[0]["stopped"][0]["problems"] == ["http_4xx", "http_4xx"]
    assert "kind: signup" in rows[0]["paste"]


def test_scrapy_crawl_discover_walks_a_named_site(tmp_path: Path, discoverweb) -> None:
    env = CrawlEnv(tmp_path)
    env.load(_catalog(discoverweb))
    command = [sys.executable, "-m", "scrapy", "crawl", "discover", "-a", "site=india.localhost",
               "-a", "browser=never", "-a", "max_pages=10", "-s", "XK_ALLOW_PRIVATE=True"]
    for name, value in FAST.items():
        command += ["-s", f"{name}={value}"]
    result = _run(env, command)
    assert result.returncode == 0, explain(result)
    with Database(env.url) as database, database.scope() as session:
        [discovery] = session.scalars(select(Discovery)).all()
        assert discovery.trigger == "asked for" and discovery.pages <= 10
        # The checkout is tracked already; the signup (a text box for the country) is new.
        assert [(p.kind, p.verdict) for p in session.scalars(select(Proposal))] == [
            ("signup", "free_text")]


@pytest.mark.browser
def test_the_spider_reads_script_drawn_sites_in_the_browser(tmp_path: Path, discoverweb) -> None:
    from crawler.fetch.chromium import BrowserUnavailable, find_chromium

    try:
        find_chromium()
    except BrowserUnavailable as exc:
        pytest.skip(f"no Chromium: {exc}")
    env = CrawlEnv(tmp_path)
    env.load([{"name": "Echo", "domain": "echo.localhost", "discover": discoverweb.url("echo")},
              {"name": "Foxtrot", "domain": "foxtrot.localhost",
               "discover": discoverweb.url("foxtrot")}])
    result = _run(env, env.xktracker("crawl", "--discover", "--browser", "auto"))
    assert result.returncode == 0, explain(result)
    with Database(env.url) as database, database.scope() as session:
        found = {(p.domain, urlsplit(p.url).path, p.kind, p.verdict, p.method):
                 p for p in session.scalars(select(Proposal))}
    assert set(found) == {
        ("echo.localhost", "/signup", "signup", "listed", "browser"),
        ("foxtrot.localhost", "/", "signup", "listed", "browser"),
        ("foxtrot.localhost", "/verify-phone", "phone", "listed", "static")}
    dialog = found[("foxtrot.localhost", "/", "signup", "listed", "browser")]
    assert dialog.steps == [{"click": "#open-signup"}, {"wait_for": "#signup-country"}]
    assert dialog.screenshot_sha256  # the browser photographed the list
