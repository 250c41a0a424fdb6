"""The browser path against real Chromium and the local demo web.

Every widget page imitates one way sites draw a country list with script; the fetcher
must hand the list over (in ``html``, ``frames`` or ``extra_controls``). Failures must be
outcomes: timeouts, refused addresses, HTTP errors and a browser killed mid-fetch.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import pytest

from checks.model import Control
from crawler.errors import BrowserUnavailable
from crawler.fetch.chromium import find_chromium
from crawler.fetch.guard import EgressPolicy
from crawler.fetch.outcome import FetchOutcome
from xktracker.demoweb import make_widget_pages
from xktracker.demoweb.expectations import PAGES_DIR, read_meta
from xktracker.demoweb.server import DemoWebServer

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data.startswith(PNG)
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
WIDGET_PAGES = (
    "js-injected-select.html", "xhr-select.html", "react-select-like.html",
    "intl-tel-like.html", "shadow-dom.html", "iframe-form.html", "late-dropdown.html",
    "virtual-list.html",
)


def _browser_or_skip() -> str:
    try:
        return find_chromium(os.environ.get("XKTRACKER_BROWSER_PATH")).path
    except BrowserUnavailable as exc:
        pytest.skip(f"no Chromium for the browser tests: {exc}")


@pytest.fixture(scope="module")
def chromium_path() -> str:
    return _browser_or_skip()


@pytest.fixture(scope="module")
def fetcher(chromium_path: str) -> Iterator[Any]:
    from crawler.fetch.browser import BrowserFetcher

    # Only 127.0.0.1 is let through: every other non-public address stays refused.
    with BrowserFetcher(executable_path=chromium_path,
                        policy=EgressPolicy.build(allow_networks=["127.0.0.1/32"]),
                        timeout=20.0) as browser:
        yield browser


def _options(outcome: FetchOutcome, pattern: str) -> list[str]:
    """Labels of the <option>s of the select whose name matches ``pattern``, from html."""
    assert outcome.html is not None
    select = re.search(rf'<select[^>]*name="{pattern}"[^>]*>(.*?)</select>', outcome.html, re.S)
    assert select, f"no select named {pattern}"
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))


def _combobox(outcome: FetchOutcome) -> dict[str, Any]:
    assert len(outcome.extra_controls) == 1, outcome.extra_controls
    control = outcome.extra_controls[0]
    assert Control.from_dict(control).to_dict() == control  # the shape checks/ expects
    return control


# ------------------------------------------------------------------ the widget pages


def test_widget_pages_are_generated_and_declare_expectations() -> None:
    assert make_widget_pages.main(["--check"]) == 0
    for name in WIDGET_PAGES:
        meta = read_meta((PAGES_DIR / name).read_bytes())
        assert meta.get("xk-expect") in ("listed", "missing"), name
        assert meta.get("xk-needs-browser") == "1", name
    assert read_meta((PAGES_DIR / "iframe-inner.html").read_bytes())["xk-needs-browser"] == "0"
    assert read_meta((PAGES_DIR / "late-dropdown.html").read_bytes()).get("xk-slow") == "1"


def test_js_injected_select(fetcher: Any, demoweb: DemoWebServer) -> None:
    out = fetcher.fetch(demoweb.url("/js-injected-select.html"))
    assert out.ok and out.method == "browser" and out.status == 200
    labels = _options(out, "country")
    assert len(labels) == 251 and "Kosovo" in labels
    assert out.body_sha256 and len(out.body_sha256) == 64


def test_xhr_select_lacks_kosovo(fetcher: Any, demoweb: DemoWebServer) -> None:
    out = fetcher.fetch(demoweb.url("/xhr-select.html"))
    labels = _options(out, "shipping_country")
    assert len(labels) == 250 and "Kosovo" not in labels and "Serbia" in labels


def test_react_select_like_is_opened_and_read(fetcher: Any, demoweb: DemoWebServer) -> None:
    out = fetcher.fetch(
        demoweb.url("/react-select-like.html"),
        choose_control=lambda out: out.extra_controls[0]["selector"],
    )
    assert out.ok
    control = _combobox(out)
    labels = [o["label"] for o in control["options"]]
    assert control["widget"] == "combobox"
    assert len(labels) >= 240 and "Kosovo" in labels
    assert control["label"] == "Country of residence"
    assert control["name"] == "country"
    assert "country-picker__control" in control["hints"]
    # The options exist only while the menu is open: the html has none of them.
    assert 'role="option"' not in (out.html or "")
    assert out.screenshot_png and out.screenshot_png.startswith(PNG)
    assert out.screenshot_selector == control["selector"]


def test_intl_tel_like_dial_codes(fetcher: Any, demoweb: DemoWebServer) -> None:
    out = fetcher.fetch(demoweb.url("/intl-tel-like.html"))
    control = _combobox(out)
    by_value = {o["value"]: o["label"] for o in control["options"]}
    assert len(by_value) >= 240
    assert by_value["xk"] == "Kosovo +383"
    assert by_value["de"] == "Germany +49"
    assert "intl-tel-input" in control["hints"]
    assert control["name"] == "phone"


def test_shadow_dom_is_flattened_into_html(fetcher: Any, demoweb: DemoWebServer) -> None:
    out = fetcher.fetch(demoweb.url("/shadow-dom.html"))
    assert out.ok
    assert '<template shadowrootmode="open">' in (out.html or "")
    labels = _options(out, "billing_country")
    assert len(labels) == 250 and "Kosovo" not in labels


def test_same_origin_iframe_is_read(fetcher: Any, demoweb: DemoWebServer) -> None:
    out = fetcher.fetch(demoweb.url("/iframe-form.html"),
                        choose_control=lambda *_: "#billing-country")
    assert out.ok
    assert len(out.frames) == 1
    url, html = out.frames[0]
    assert url.endswith("/iframe-inner.html")
    assert '<option value="XK">Kosovo</option>' in html
    assert out.screenshot_selector == "#billing-country"  # found inside the frame
    # The control's box, moved by the frame's offset: a clip, not the viewport.
    width, height = png_size(out.screenshot_png or b"")
    assert 40 < width < 1280 and 40 < height < 900


def test_virtual_list_is_scrolled_to_the_end(fetcher: Any, demoweb: DemoWebServer) -> None:
    out = fetcher.fetch(demoweb.url("/virtual-list.html"))
    control = _combobox(out)
    values = [o["value"] for o in control["options"]]
    assert len(values) == 249 and len(set(values)) == 249
    assert "XK" not in values and values[0] == "AF" and "ZW" in values
    assert "virtualized" in control["hints"]
    assert control["label"] == "Country / region"


@pytest.mark.slow
def test_late_dropdown_is_waited_for(fetcher: Any, demoweb: DemoWebServer) -> None:
    out = fetcher.fetch(demoweb.url("/late-dropdown.html"))
    assert out.ok and out.elapsed_ms >= 10_000
    labels = _options(out, "country")
    assert "Kosovo" in labels and len(labels) == 251


# ------------------------------------------------------------------ steps, screenshots


def test_steps_run_before_reading(fetcher: Any, demoweb: DemoWebServer) -> None:
    out = fetcher.fetch(
        demoweb.url("/react-select-like.html"),
        steps=[{"fill": ["#email", "someone@example.org"]},
               {"click": ".country-picker__control"},
               {"wait_for": ".country-picker__option"},
               {"scroll": "bottom"}],
    )
    assert out.ok
    # The menu was left open by the steps, so its options are part of the document.
    assert ">Kosovo</div>" in (out.html or "")


def test_failing_step_is_an_outcome(
    fetcher: Any, demoweb: DemoWebServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetcher, "timeout", 1.0)
    out = fetcher.fetch(demoweb.url("/shadow-dom.html"),
                        steps=[{"wait_for": "#no-such-thing"}])
    assert out.error == "step_failed" and out.html is None
    assert out.detail and "#no-such-thing" in out.detail
    bad = fetcher.fetch(demoweb.url("/shadow-dom.html"), steps=[{"dance": "now"}])
    assert bad.error == "step_failed" and "unknown action" in (bad.detail or "")


def test_viewport_screenshot_without_a_choice(fetcher: Any, demoweb: DemoWebServer) -> None:
    out = fetcher.fetch(demoweb.url("/xhr-select.html"), choose_control=lambda *_: None)
    assert out.screenshot_png and out.screenshot_png.startswith(PNG)
    assert out.screenshot_selector is None
    shown = fetcher.fetch(demoweb.url("/xhr-select.html"),
                          choose_control=lambda *_: "#shipping-country")
    assert shown.screenshot_selector == "#shipping-country"
    assert shown.screenshot_png and shown.screenshot_png.startswith(PNG)
    assert png_size(out.screenshot_png) == (1280, 900)  # the viewport
    # The select shown as an open list box of 12 rows (plus room for its label).
    width, height = png_size(shown.screenshot_png)
    assert 40 < width < 1280 and 150 < height < 900


def test_handover_read_is_answered_once(chromium_path: str, demoweb: DemoWebServer) -> None:
    """scrapy-playwright's read right after navigating gets an empty body; every later
    ``content()`` is the real document, also when the override was never used."""
    import asyncio

    from playwright.async_api import async_playwright

    from crawler.browser_page import restore_content, skip_handover_read

    async def run() -> list[str]:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                **find_chromium(chromium_path).launch_options())
            page = await browser.new_page()
            await page.goto(demoweb.url("/checkout-en.html"))
            skip_handover_read(page)
            seen = [await page.content(), await page.content()]
            skip_handover_read(page)
            restore_content(page)
            seen.append(await page.content())
            await browser.close()
            return seen

    handover, after, restored = asyncio.run(run())
    assert handover == ""
    assert "<select" in after and "<select" in restored


# ------------------------------------------------------------------ failures as outcomes


def test_http_errors_map_like_the_static_path(fetcher: Any, demoweb: DemoWebServer) -> None:
    missing = fetcher.fetch(demoweb.url("/no-such-page.html"))
    assert (missing.status, missing.error, missing.html) == (404, "http_4xx", None)
    assert fetcher.fetch(demoweb.url("/status/503")).error == "http_5xx"
    assert fetcher.fetch(demoweb.url("/status/429")).error == "rate_limited"
    wall = fetcher.fetch(demoweb.url("/botwall"))
    assert wall.blocked == "forbidden" and wall.error is None
    assert wall.html  # kept, so the analysis can name the wall


def test_redirects_are_followed_and_recorded(fetcher: Any, demoweb: DemoWebServer) -> None:
    out = fetcher.fetch(demoweb.url("/redirect?to=/js-injected-select.html"))
    assert out.ok and out.final_url == demoweb.url("/js-injected-select.html")
    assert out.redirects == [demoweb.url("/redirect?to=/js-injected-select.html")]
    assert fetcher.fetch(demoweb.url("/redirect-loop")).error == "redirect_loop"


def test_private_addresses_are_refused(fetcher: Any, demoweb: DemoWebServer) -> None:
    direct = fetcher.fetch("http://10.0.0.1/")
    assert direct.error == "private_address" and direct.elapsed_ms < 1000
    loopback = fetcher.fetch(f"http://127.0.0.2:{demoweb.port}/js-injected-select.html")
    assert loopback.error == "private_address"
    # A redirect to a private address is refused before the browser follows it.
    hop = fetcher.fetch(demoweb.url("/redirect-private"))
    assert hop.error == "private_address" and "10.0.0.1" in (hop.detail or "")


class _Counter(BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        body = b"document.title = 'reached';"
        self.send_response(200)
        self.send_header("Content-Type", "text/javascript")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _V6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6
    daemon_threads = True


def test_subresources_to_refused_addresses_are_aborted(
    fetcher: Any, tmp_path: Path
) -> None:
    server = _V6Server(("::1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        target = f"http://[::1]:{port}"
        with urlopen(f"{target}/probe.js", timeout=5) as reply:  # reachable when asked
            assert reply.status == 200
        _Counter.hits = 0
        (tmp_path / "page.html").write_text(
            "<!DOCTYPE html><html><head><title>untouched</title>"
            f'<script src="{target}/probe.js"></script></head><body>'
            '<form><label for="c">Country</label><select id="c" name="country">'
            '<option value="">-</option><option value="XK">Kosovo</option></select></form>'
            f'<iframe src="{target}/frame.html"></iframe>'
            f"<script>fetch('{target}/api').catch(() => null);</script>"
            "</body></html>"
        )
        with DemoWebServer(pages_dir=tmp_path) as web:
            out = fetcher.fetch(web.url("/page.html"))
        assert out.ok, out
        assert _Counter.hits == 0
        assert "<title>untouched</title>" in (out.html or "")
        assert out.detail and "refused" in out.detail and "private_address" in out.detail
    finally:
        server.shutdown()
        server.server_close()


def test_navigation_timeout(
    fetcher: Any, demoweb: DemoWebServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetcher, "timeout", 2.0)
    started = time.monotonic()
    out = fetcher.fetch(demoweb.url("/slow?seconds=30"))
    assert out.error == "timeout" and out.html is None
    assert time.monotonic() - started < 6


def test_connection_refused(fetcher: Any) -> None:
    with socket.socket() as sock:  # a port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert fetcher.fetch(f"http://127.0.0.1:{port}/").error == "connection"


def _parent(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    return int(stat.rsplit(")", 1)[1].split()[1])


def _descends_from_us(pid: int) -> bool:
    """Started by this test process (through Playwright's driver), not by anyone else's
    tests or tools sharing the machine."""
    seen = 0
    while pid > 1 and seen < 64:
        if pid == os.getpid():
            return True
        pid, seen = _parent(pid), seen + 1
    return False


def _browser_pids(executable: str) -> set[int]:
    """Main Chromium processes (not renderers/helpers) started from ``executable`` by this
    test process."""
    pids: set[int] = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            argv = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv and argv[0].decode(errors="replace") == executable and not any(
            a.startswith(b"--type=") for a in argv
        ) and _descends_from_us(int(entry)):
            pids.add(int(entry))
    return pids


def test_killed_browser_is_reported_and_replaced(
    chromium_path: str, demoweb: DemoWebServer
) -> None:
    from crawler.fetch.browser import BrowserFetcher

    before = _browser_pids(chromium_path)
    with BrowserFetcher(executable_path=chromium_path,
                        policy=EgressPolicy.build(allow_networks=["127.0.0.1/32"]),
                        timeout=20.0, probe=False, screenshots=False,
                        recycle_every=2, crash_retries=0) as browser:
        ours = _browser_pids(chromium_path) - before
        assert len(ours) == 1
        (pid,) = ours
        killer = threading.Timer(1.5, os.kill, (pid, signal.SIGKILL))
        killer.start()
        try:
            out = browser.fetch(demoweb.url("/late-dropdown.html"))  # waits 10 s for its list
        finally:
            killer.join()
        assert out.error == "browser_crashed", out
        assert out.elapsed_ms < 8000
        again = browser.fetch(demoweb.url("/js-injected-select.html"))
        assert again.ok and "Kosovo" in _options(again, "country")
        assert browser.launches == 2
        # Recycled after two pages to bound memory: the third page gets a fresh browser.
        assert browser.fetch(demoweb.url("/shadow-dom.html")).ok
        assert browser.launches == 2
        assert browser.fetch(demoweb.url("/xhr-select.html")).ok
        assert browser.launches == 3


def test_a_crash_is_retried_once_with_a_fresh_browser(
    chromium_path: str, demoweb: DemoWebServer
) -> None:
    from crawler.fetch.browser import BrowserFetcher

    before = _browser_pids(chromium_path)
    with BrowserFetcher(executable_path=chromium_path,
                        policy=EgressPolicy.build(allow_networks=["127.0.0.1/32"]),
                        timeout=20.0, probe=False, screenshots=False) as browser:
        (pid,) = _browser_pids(chromium_path) - before
        killer = threading.Timer(1.5, os.kill, (pid, signal.SIGKILL))
        killer.start()
        try:
            out = browser.fetch(demoweb.url("/late-dropdown.html"))  # waits 10 s for its list
        finally:
            killer.join()
        assert out.ok and "Kosovo" in _options(out, "country"), out
        assert out.attempts == 2
        assert browser.launches == 2


class _Paths(BaseHTTPRequestHandler):
    """A form page whose script soon navigates away; every path asked is counted."""

    asked: list[str] = []
    FORM = (b"<!DOCTYPE html><html><head><title>form</title></head><body><form>"
            b'<label for="c">Country</label><select id="c" name="country">'
            b'<option value="">-</option><option value="XK">Kosovo</option></select></form>'
            b"<script>setTimeout(() => { location.href = '/elsewhere.html'; }, 30);</script>"
            b"</body></html>")

    def do_GET(self) -> None:
        type(self).asked.append(self.path)
        body = self.FORM if self.path == "/form.html" else b"<title>elsewhere</title>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_a_hop_check_sees_every_navigation_before_it_is_made(fetcher: Any) -> None:
    from crawler.fetch.static import HopRefused

    def only_the_form(url: str) -> None:
        if url.endswith("/elsewhere.html"):
            raise HopRefused("off_site", f"{url} is outside the site")
        if url.endswith("/secret.html"):
            raise HopRefused("robots", "robots.txt disallows this URL", blocked=True)

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Paths)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        _Paths.asked = []
        out = fetcher.fetch(f"{base}/form.html", hop_check=only_the_form)
        assert out.ok and "<title>form</title>" in (out.html or ""), out
        assert "a navigation was not followed" in (out.detail or "")
        # The page's own navigation was stopped before Chromium asked for it.
        assert _Paths.asked == ["/form.html"]
        refused = fetcher.fetch(f"{base}/secret.html", hop_check=only_the_form)
        assert refused.blocked == "robots" and refused.error is None
        assert _Paths.asked == ["/form.html"]
    finally:
        server.shutdown()
        server.server_close()
