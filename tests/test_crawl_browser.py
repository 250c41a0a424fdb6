"""The crawler's browser path with a real Chromium (scrapy-playwright), end to end.

``--browser auto`` escalates exactly the pages whose list is drawn by script and reads them
like ``xktracker check --browser``; catalog steps run; a browser killed mid-page is tried once
more with a new browser (the check says it took two tries) and the crawl goes on; a recorded
browser crawl replays offline from its HAR files.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import uuid
from pathlib import Path

import pytest

from crawler.errors import BrowserUnavailable
from crawler.fetch.chromium import find_chromium
from tests.crawl_helpers import CrawlEnv, explain, site
from xktracker.demoweb import load_expectations
from xktracker.demoweb.server import DemoWebServer

pytestmark = pytest.mark.browser

SCRIPTED = [e for e in load_expectations() if e.needs_browser and not e.slow]
BY_PATH = {e.path: e for e in load_expectations()}
# (path, catalog target options, expected verdict, reason, method)
SPECIAL = [
    ("/checkout-en.html", {}, "listed", None, "static"),
    ("/signup-de.html", {"browser": "always"}, "listed", None, "browser"),
    ("/signup-sq.html", {"browser": "always", "steps": [{"wait_for": "select"},
                                                       {"scroll": "bottom"}]},
     "listed", None, "browser"),
    ("/signup-zh.html", {"browser": "always", "steps": [{"click": "#no-such-button"}]},
     "error", "step_failed", "browser"),
    ("/botwall", {"browser": "always"}, "blocked", "bot_wall", "browser"),
    ("/status/503", {"browser": "always"}, "error", "http_5xx", "browser"),
    ("/redirect-private", {"browser": "always"}, "error", "private_address", "browser"),
    ("/private/signup.html", {"browser": "always"}, "blocked", "robots", "browser"),
    # A 503 the browser sees is retried; the first attempt's page must be closed, or the
    # crawl would run out of browser contexts.
    (f"/flaky?key=browser-{uuid.uuid4().hex[:8]}&fail=1", {"browser": "always"}, "listed",
     None, "browser"),
]


@pytest.fixture(scope="module")
def chromium() -> str:
    try:
        return find_chromium().path
    except BrowserUnavailable as exc:
        pytest.skip(f"no Chromium: {exc}")


@pytest.fixture(scope="module")
def crawled(chromium, demoweb, tmp_path_factory) -> dict[str, dict]:
    env = CrawlEnv(tmp_path_factory.mktemp("browser"))
    sites = [site("scripted.example", [demoweb.url(e.path) for e in SCRIPTED])]
    for n, (path, options, *_) in enumerate(SPECIAL):
        sites.append(site(f"special{n}.example", [demoweb.url(path)], **options))
    env.load(sites)
    result = env.scrapy("-a", "browser=auto", settings={"XK_BROWSER_PATH": chromium})
    assert result.returncode == 0, explain(result)
    (run,) = env.runs()
    assert run["status"] == "finished", explain(result)
    return {url: rows[0] | {"env": env} for url, rows in env.checks().items()}


@pytest.mark.parametrize("page", SCRIPTED, ids=[e.path for e in SCRIPTED])
def test_auto_escalates_lists_drawn_by_script(page, crawled, demoweb) -> None:
    check = crawled[demoweb.url(page.path)]
    assert (check["verdict"], check["method"]) == (page.verdict, "browser"), check["report"]


@pytest.mark.parametrize(("path", "options", "verdict", "reason", "method"), SPECIAL,
                         ids=[s[0] for s in SPECIAL])
def test_browser_modes_steps_and_failures(path, options, verdict, reason, method, crawled,
                                          demoweb) -> None:
    check = crawled[demoweb.url(path)]
    assert (check["verdict"], check["reason"], check["method"]) == (verdict, reason, method), \
        check["report"]


def test_browser_evidence_is_stored(crawled, demoweb) -> None:
    check = crawled[demoweb.url("/react-select-like.html")]
    data: Path = check["env"].data_dir
    for sha, ext in ((check["html_sha256"], "html"), (check["screenshot_sha256"], "png")):
        assert sha and (data / sha[:2] / sha[2:4] / f"{sha}.{ext}").is_file()
    controls = check["report"]["evidence"]["controls_sha256"]
    assert (data / controls[:2] / controls[2:4] / f"{controls}.json").is_file()
    frames = crawled[demoweb.url("/iframe-form.html")]["report"]["evidence"]["frames"]
    assert frames and frames[0]["sha256"]


def test_browser_recording_replays_offline(chromium, tmp_path) -> None:
    with DemoWebServer() as web:
        urls = [web.url("/xhr-select.html")]
        recorded = CrawlEnv(tmp_path / "record")
        recorded.load([site("rec.example", urls)])
        result = recorded.scrapy("-a", f"record={tmp_path / 'tape'}",
                                 settings={"XK_BROWSER_PATH": chromium})
        assert result.returncode == 0, explain(result)
    assert len(list((tmp_path / "tape" / "browser").glob("*.har"))) == 1
    replayed = CrawlEnv(tmp_path / "replay")
    replayed.load([site("rec.example", urls)])
    result = replayed.scrapy("-a", f"replay={tmp_path / 'tape'}",
                             settings={"XK_BROWSER_PATH": chromium})
    assert result.returncode == 0, explain(result)
    first = {u: (r[0]["verdict"], r[0]["method"]) for u, r in recorded.checks().items()}
    second = {u: (r[0]["verdict"], r[0]["method"]) for u, r in replayed.checks().items()}
    assert second == first == {urls[0]: ("missing", "browser")}


def _browser_processes(root: int) -> list[int]:
    """Chromium processes descending from ``root`` (read from /proc)."""
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            names[int(entry.name)] = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])

    def descends(pid: int) -> bool:
        seen = 0
        while pid > 1 and seen < 50:
            pid, seen = parents.get(pid, 0), seen + 1
            if pid == root:
                return True
        return False

    return [p for p, cmd in names.items() if "chrom" in cmd and descends(p)]


@pytest.mark.slow
def test_browser_killed_mid_page(chromium, demoweb, tmp_path) -> None:
    """The late dropdown keeps its page open ~10 s; the browser is killed meanwhile. The
    crash says nothing about the page: it is read again by a fresh browser."""
    env = CrawlEnv(tmp_path)
    late, other = demoweb.url("/late-dropdown.html"), demoweb.url("/js-injected-select.html")
    env.load([site("late.example", [late], browser="always"),
              site("after.example", [other], browser="always")])
    command = env.xktracker("crawl", "--allow-private-addresses", settings={
        "PLAYWRIGHT_MAX_CONTEXTS": "1", "XK_BROWSER_TIMEOUT": "20", "LOG_LEVEL": "DEBUG",
        "XK_BROWSER_PATH": chromium})
    crawl = subprocess.Popen(command, env=env.environ(), stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    assert crawl.stderr is not None
    killed = threading.Event()
    output: list[str] = []

    def kill_when_the_late_page_is_open() -> None:
        assert crawl.stderr is not None
        for line in crawl.stderr:
            output.append(line)
            if not killed.is_set() and "late-dropdown" in line and "Crawled (200)" in line:
                # The page has loaded; its list arrives after 10 s: kill the browser now.
                for pid in _browser_processes(crawl.pid):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                killed.set()

    reader = threading.Thread(target=kill_when_the_late_page_is_open, daemon=True)
    reader.start()
    try:
        crawl.wait(timeout=120)
    finally:
        if crawl.poll() is None:
            crawl.kill()
        reader.join(timeout=10)
        crawl.stderr.close()
    log = "".join(output)[-6000:]
    assert killed.is_set(), log
    assert crawl.returncode == 0, log
    checks = {url: rows[0] for url, rows in env.checks().items()}
    assert checks[late]["verdict"] == "listed", log
    assert checks[late]["report"]["attempts"] == 2, log  # the crashed try, then a fresh one
    assert checks[other]["verdict"] == "listed", log  # a new browser took over
    assert checks[other]["report"]["attempts"] == 1
