"""The demo web serves what its pages promise, and its failure routes stay bounded.

Every check reads only as much as it needs: the slow, drip and huge routes are never
read to the end.
"""

from __future__ import annotations

import http.client
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.error import HTTPError

import pytest

from xktracker.demoweb import (
    DYNAMIC_EXPECTATIONS,
    PAGES_DIR,
    DemoWebServer,
    PageExpectation,
    load_expectations,
)
from xktracker.demoweb.expectations import PAGE_VERDICTS, decode_page, read_meta
from xktracker.demoweb.faults import DRIP_BODY, HUGE_BYTES, HUGE_CHUNK, PRIVATE_TARGET


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand 3xx answers back to the test instead of following them."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


# No proxy from the environment may stand between the tests and 127.0.0.1.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Message
    body: bytes
    seconds: float


def fetch(url: str, *, method: str = "GET", limit: int | None = None,
          timeout: float = 10) -> Reply:
    """Status, headers and (the first ``limit`` bytes of) the body, errors included."""
    request = urllib.request.Request(url, method=method)
    start = time.monotonic()
    try:
        response = _OPENER.open(request, timeout=timeout)
    except HTTPError as error:
        with error:
            body = error.read()
        return Reply(error.code, error.headers, body, time.monotonic() - start)
    with response:
        body = response.read(limit) if limit is not None else response.read()
        return Reply(response.status, response.headers, body, time.monotonic() - start)


# --------------------------------------------------------------------- static pages


def _expected_response(path: Path) -> tuple[int, str, str | None, float]:
    """(status, charset of the body, charset in the header or None, delay) of a file."""
    meta = read_meta(path.read_bytes()) if path.suffix == ".html" else {}
    charset = meta.get("xk-charset") or "utf-8"
    header = None if meta.get("xk-no-header-charset") == "1" else charset
    return int(meta.get("xk-status") or 200), charset, header, float(meta.get("xk-delay") or 0)


def test_every_page_is_served_with_its_status_charset_and_delay(
        demoweb: DemoWebServer) -> None:
    files = sorted(p for p in PAGES_DIR.iterdir() if p.is_file() and not p.name.startswith("."))
    assert len(files) >= 24
    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(pool.map(lambda p: fetch(demoweb.url("/" + p.name)), files))
    for path, reply in zip(files, replies, strict=True):
        status, charset, header_charset, delay = _expected_response(path)
        content_type = reply.headers["Content-Type"]
        assert reply.status == status, path.name
        assert int(reply.headers["Content-Length"]) == len(reply.body), path.name
        assert reply.seconds >= delay * 0.9, path.name
        if path.suffix != ".html":
            assert not content_type.startswith("text/html"), path.name
            continue
        assert content_type.startswith("text/html"), path.name
        if header_charset is None:
            assert content_type == "text/html", path.name
        else:
            assert content_type == f"text/html; charset={header_charset}", path.name
        assert reply.body.decode(charset) == decode_page(path.read_bytes()), path.name


def test_content_types_of_scripts_styles_and_data(demoweb: DemoWebServer) -> None:
    wanted = {".js": "text/javascript", ".json": "application/json", ".css": "text/css"}
    for path in PAGES_DIR.iterdir():
        if path.suffix in wanted:
            reply = fetch(demoweb.url("/" + path.name))
            assert reply.headers["Content-Type"].split(";")[0] == wanted[path.suffix]


def test_windows_1251_page_declares_its_charset_only_in_the_document(
        demoweb: DemoWebServer) -> None:
    reply = fetch(demoweb.url("/signup-sr-windows-1251.html"))
    assert reply.headers["Content-Type"] == "text/html"
    assert b'<meta charset="windows-1251">' in reply.body
    with pytest.raises(UnicodeDecodeError):
        reply.body.decode("utf-8")
    assert '<option value="XK">Косово</option>' in reply.body.decode("windows-1251")


def test_latin1_page_declares_its_charset_only_in_the_header(demoweb: DemoWebServer) -> None:
    reply = fetch(demoweb.url("/signup-fr-latin1.html"))
    assert reply.headers["Content-Type"] == "text/html; charset=iso-8859-1"
    assert b"<meta charset" not in reply.body
    with pytest.raises(UnicodeDecodeError):
        reply.body.decode("utf-8")
    text = reply.body.decode("iso-8859-1")
    assert "Créer un compte" in text
    assert '<option value="XK">Kosovo</option>' in text


def test_forbidden_page_is_a_403(demoweb: DemoWebServer) -> None:
    reply = fetch(demoweb.url("/access-denied.html"))
    assert reply.status == 403
    assert b"Access Denied" in reply.body and b"<form" not in reply.body


def test_query_strings_do_not_change_a_static_page(demoweb: DemoWebServer) -> None:
    plain = fetch(demoweb.url("/newsletter.html"))
    with_query = fetch(demoweb.url("/newsletter.html?utm_source=test"))
    assert plain.body == with_query.body


def test_unknown_paths_are_404_and_never_echoed(demoweb: DemoWebServer) -> None:
    for path in ("/no-such-page-xyzzy.html", "/%3Cscript%3Exyzzy", "/private/xyzzy",
                 "/../pyproject.toml", "/status/999", "/status/abc"):
        reply = fetch(demoweb.url(path))
        assert reply.status == 404, path
        assert b"xyzzy" not in reply.body and b"<script" not in reply.body, path
        assert b"pyproject" not in reply.body and b"999" not in reply.body, path


def test_post_is_refused(demoweb: DemoWebServer) -> None:
    reply = fetch(demoweb.url("/signup-de.html"), method="POST")
    assert reply.status == 405
    assert reply.headers["Allow"] == "GET, HEAD"


def test_head_sends_headers_only(demoweb: DemoWebServer) -> None:
    reply = fetch(demoweb.url("/checkout-en.html"), method="HEAD")
    assert reply.status == 200 and reply.body == b""
    assert int(reply.headers["Content-Length"]) > 100_000


# -------------------------------------------------------------------------- the index


def test_index_links_every_page(demoweb: DemoWebServer) -> None:
    reply = fetch(demoweb.url("/"))
    assert reply.status == 200
    text = reply.body.decode()
    for name in demoweb.pages:
        assert f'href="/{name}"' in text, name
    assert 'href="/huge"' in text and 'href="/botwall"' in text


def test_index_escapes_file_names_and_titles(tmp_path: Path) -> None:
    name = 'a<b>&"c\'.html'
    (tmp_path / name).write_text(
        '<!DOCTYPE html><title>Title with <script> & "quotes"</title>'
        '<meta name="xk-expect" content="no_country_field"><p>hi</p>', encoding="utf-8")
    with DemoWebServer(pages_dir=tmp_path) as server:
        text = fetch(server.url("/")).body.decode()
        assert "a&lt;b&gt;&amp;&quot;c&#x27;.html" in text
        assert "<b>" not in text and "<script>" not in text
        assert 'href="/a%3Cb%3E%26%22c%27.html"' in text
        page = fetch(server.url("/a%3Cb%3E%26%22c%27.html"))
        assert page.status == 200 and b"<p>hi</p>" in page.body


# --------------------------------------------------------------------- dynamic routes


@pytest.mark.parametrize(("code", "reason"), [(503, b"Service Unavailable"),
                                              (500, b"Internal Server Error"),
                                              (404, b"Not Found")])
def test_status_routes(demoweb: DemoWebServer, code: int, reason: bytes) -> None:
    reply = fetch(demoweb.url(f"/status/{code}"))
    assert reply.status == code
    assert reason in reply.body
    if code == 503:
        assert reply.headers["Retry-After"] == "120"


def test_redirect_loop_points_at_itself(demoweb: DemoWebServer) -> None:
    reply = fetch(demoweb.url("/redirect-loop"))
    assert reply.status == 302
    assert reply.headers["Location"] == "/redirect-loop"


def test_redirect_private_points_at_a_private_address(demoweb: DemoWebServer) -> None:
    reply = fetch(demoweb.url("/redirect-private"))
    assert reply.status == 302
    assert reply.headers["Location"] == PRIVATE_TARGET == "http://10.0.0.1/"


def test_redirect_to_a_local_path(demoweb: DemoWebServer) -> None:
    reply = fetch(demoweb.url("/redirect?to=/signup-de.html%3Fx%3D1"))
    assert reply.status == 302
    assert reply.headers["Location"] == "/signup-de.html?x=1"


@pytest.mark.parametrize("target", [
    "http://evil.example/", "https%3A%2F%2Fevil.example%2F", "//evil.example/",
    "/%5Cevil.example", "/ok%0D%0ASet-Cookie:%20x=1", "javascript:alert(1)", "",
    "evil.example",
])
def test_redirect_refuses_anything_but_a_local_path(demoweb: DemoWebServer,
                                                    target: str) -> None:
    reply = fetch(demoweb.url(f"/redirect?to={target}"))
    assert reply.status == 400
    assert reply.headers["Location"] is None
    assert reply.headers["Set-Cookie"] is None


def test_login_redirect_leads_to_a_login_form(demoweb: DemoWebServer) -> None:
    reply = fetch(demoweb.url("/login-redirect"))
    assert reply.status == 302 and reply.headers["Location"] == "/login.html"
    login = fetch(demoweb.url("/login.html")).body
    assert b'type="password"' in login and b"<select" not in login


def test_robots_txt_disallows_private(demoweb: DemoWebServer) -> None:
    reply = fetch(demoweb.url("/robots.txt"))
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("text/plain")
    assert reply.body == b"User-agent: *\nDisallow: /private/\n"


def test_private_signup_is_a_country_page(demoweb: DemoWebServer) -> None:
    reply = fetch(demoweb.url("/private/signup.html"))
    assert reply.status == 200
    assert b'<option value="XK">Kosovo</option>' in reply.body
    assert reply.body.count(b"<option") > 240


def test_botwall_is_a_403_challenge_without_a_form(demoweb: DemoWebServer) -> None:
    reply = fetch(demoweb.url("/botwall"))
    assert reply.status == 403
    assert b"<title>Just a moment...</title>" in reply.body
    assert b"<form" not in reply.body and b"<select" not in reply.body
    assert reply.headers["Server"] == "cloudflare"
    assert reply.headers["cf-mitigated"] == "challenge"
    # The disguise is per response: the next answer names the demo web again.
    assert fetch(demoweb.url("/robots.txt")).headers["Server"] != "cloudflare"


def test_captcha_is_only_a_challenge(demoweb: DemoWebServer) -> None:
    reply = fetch(demoweb.url("/captcha"))
    assert reply.status == 200
    assert b"Please verify you are a human" in reply.body
    assert b'class="g-recaptcha"' in reply.body
    assert b"<select" not in reply.body and b"country" not in reply.body.lower()


def test_huge_announces_fifty_mebibytes_and_streams(demoweb: DemoWebServer) -> None:
    reply = fetch(demoweb.url("/huge"), limit=HUGE_CHUNK)
    assert reply.status == 200
    assert int(reply.headers["Content-Length"]) == HUGE_BYTES == 50 * 1024 * 1024
    assert reply.body.startswith(b"<!DOCTYPE html>")
    assert len(reply.body) == HUGE_CHUNK
    head = fetch(demoweb.url("/huge"), method="HEAD")
    assert head.body == b"" and int(head.headers["Content-Length"]) == HUGE_BYTES


def test_slow_sends_headers_then_stalls(demoweb: DemoWebServer) -> None:
    start = time.monotonic()
    with _OPENER.open(demoweb.url("/slow?seconds=20"), timeout=1) as response:
        assert response.status == 200
        assert time.monotonic() - start < 1
        assert int(response.headers["Content-Length"]) > 5000
        with pytest.raises(TimeoutError):
            response.read()


def test_slow_with_a_short_wait_delivers_the_page(demoweb: DemoWebServer) -> None:
    reply = fetch(demoweb.url("/slow?seconds=0.2"))
    assert reply.status == 200 and reply.seconds >= 0.2
    assert b'value="XK"' in reply.body
    assert fetch(demoweb.url("/slow?seconds=soon")).status == 400


def test_drip_sends_a_small_page_slowly(demoweb: DemoWebServer) -> None:
    assert len(DRIP_BODY) <= 120  # at 0.5 s a byte: a minute at most
    reply = fetch(demoweb.url("/drip"), limit=2, timeout=3)
    assert reply.status == 200
    assert int(reply.headers["Content-Length"]) == len(DRIP_BODY)
    assert reply.body == DRIP_BODY[:2]
    assert 0.3 < reply.seconds < 3


def test_close_is_fast_even_with_a_slow_answer_pending() -> None:
    server = DemoWebServer()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request("GET", "/slow?seconds=30")
        response = conn.getresponse()
        assert response.status == 200
        start = time.monotonic()
        server.close()
        assert time.monotonic() - start < 2
        with pytest.raises((http.client.IncompleteRead, ConnectionError)):
            response.read()
    finally:
        conn.close()
        server.close()
    with pytest.raises(OSError):
        fetch(server.url("/"), timeout=1)


# ----------------------------------------------------------------------- expectations


def test_load_expectations_covers_every_page_with_a_valid_verdict() -> None:
    expectations = load_expectations()
    assert len(expectations) >= 24
    html_files = {f"/{p.name}" for p in PAGES_DIR.glob("*.html")}
    assert {e.path for e in expectations} == html_files
    for e in expectations:
        assert isinstance(e, PageExpectation)
        assert e.verdict in PAGE_VERDICTS, e.path
        assert e.description, e.path
    verdicts = {e.verdict for e in expectations}
    assert verdicts >= {"listed", "listed_qualified", "wrong_code", "missing", "partial",
                        "restricted", "free_text", "no_country_field", "blocked"}


def test_expectations_of_a_few_pages() -> None:
    by_path = {e.path: e for e in load_expectations()}
    assert by_path["/checkout-en.html"].verdict == "listed"
    assert by_path["/checkout-partial.html"].verdict == "partial"
    assert by_path["/checkout-partial.html"].field_verdict == "listed"
    assert by_path["/delivery-sr-districts.html"].verdict == "free_text"
    assert by_path["/phone-dial-wrong-code.html"].verdict == "wrong_code"
    nxt = by_path["/signup-next-data-missing.html"]
    assert (nxt.verdict, nxt.needs_browser) == ("missing", False)
    denied = by_path["/access-denied.html"]
    assert (denied.verdict, denied.reason) == ("blocked", "forbidden")
    assert "windows-1251" in by_path["/signup-sr-windows-1251.html"].description


def test_dynamic_expectations() -> None:
    for path in ("/status/503", "/status/500", "/status/404", "/slow?seconds=20", "/huge",
                 "/redirect-loop", "/redirect-private", "/private/signup.html", "/botwall",
                 "/captcha", "/login-redirect"):
        assert path in DYNAMIC_EXPECTATIONS, path
    assert DYNAMIC_EXPECTATIONS["/status/503"].reason == "http_5xx"
    assert DYNAMIC_EXPECTATIONS["/huge"].reason == "too_large"
    robots = DYNAMIC_EXPECTATIONS["/private/signup.html"]
    assert (robots.verdict, robots.reason, robots.check_verdict) == ("blocked", "robots",
                                                                     "listed")
    for path, e in DYNAMIC_EXPECTATIONS.items():
        assert e.path == path and e.verdict in PAGE_VERDICTS


@pytest.mark.parametrize("path", ["/status/503", "/status/500", "/status/404",
                                  "/redirect-loop", "/redirect-private", "/botwall",
                                  "/captcha", "/login-redirect", "/private/signup.html",
                                  "/redirect?to=http://evil.example/"])
def test_dynamic_routes_answer_as_their_expectation_says(demoweb: DemoWebServer,
                                                         path: str) -> None:
    e = DYNAMIC_EXPECTATIONS[path]
    status = fetch(demoweb.url(path)).status
    wanted = {"http_5xx": range(500, 600), "http_4xx": range(400, 500),
              "redirect_loop": (302,), "private_address": (302,), "bot_wall": (403,),
              "captcha": (200,), "login_required": (302,), "robots": (200,)}
    assert e.reason is not None
    assert status in wanted[e.reason]


def test_load_expectations_rejects_pages_without_or_with_bad_answers(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text("<!DOCTYPE html><title>No answer</title><p>x</p>", encoding="utf-8")
    with pytest.raises(ValueError, match="xk-expect"):
        load_expectations(tmp_path)
    page.write_text('<title>t</title><meta name="xk-expect" content="maybe">',
                    encoding="utf-8")
    with pytest.raises(ValueError, match="unknown verdict"):
        load_expectations(tmp_path)
    page.write_text('<title>t</title><meta name="xk-expect" content="error">',
                    encoding="utf-8")
    with pytest.raises(ValueError, match="error needs a reason"):
        load_expectations(tmp_path)
    page.write_text('<title>Fine</title><meta name="xk-expect" content="blocked">'
                    '<meta name="xk-expect-reason" content="captcha">', encoding="utf-8")
    (only,) = load_expectations(tmp_path)
    assert (only.path, only.verdict, only.reason, only.description) == (
        "/p.html", "blocked", "captcha", "Fine")


def test_the_changing_pages_follow_the_phase() -> None:
    from xktracker.demoweb.expectations import EVOLVING

    with DemoWebServer() as web:
        before = fetch(web.url("/evolving/tickets")).body
        assert web.phase == "before"
        web.phase = "after"
        after = fetch(web.url("/evolving/tickets")).body
        assert before != after
        assert after == (PAGES_DIR / EVOLVING["/evolving/tickets"].after).read_bytes()
        with pytest.raises(ValueError):
            web.phase = "later"
