"""The ways a fetch fails on the real web, as small routes of the demo web.

5xx and 4xx statuses, slow and dripping bodies, a 50 MiB page, a gzip bomb, redirect loops,
redirects to a private address, a bot wall, a captcha, a login redirect, a page failing its
first tries, a reset connection: each bounded in time and size so a test can never hang on it.
The page routes (files, the index, robots.txt) are the server's; these only fail.
"""

from __future__ import annotations

import socket
import struct
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from xktracker.demoweb.site import MAX_WAIT, document, status_page

if TYPE_CHECKING:
    from xktracker.demoweb.server import Handler

HUGE_BYTES = 50 * 1024 * 1024
HUGE_CHUNK = 64 * 1024
DRIP_INTERVAL = 0.5
DRIP_BODY = (b"<!DOCTYPE html><html><head><title>Drip</title></head>"
             b"<body><p>One byte at a time.</p></body></html>")
assert len(DRIP_BODY) * DRIP_INTERVAL <= 60, "the drip must end within a minute"
PRIVATE_TARGET = "http://10.0.0.1/"
ERROR_CODES = frozenset({400, 401, 403, 404, 410, 429, 500, 502, 503, 504})
FLAKY_MAX_FAILURES = 10
BOMB_BYTES = 64 * 1024 * 1024

BOTWALL = document(
    "Just a moment...",
    '<div class="main-wrapper" role="main">\n'
    '  <div class="main-content">\n'
    '    <h1 class="zone-name-title">shop.example</h1>\n'
    '    <h2 id="challenge-running">Checking if the site connection is secure</h2>\n'
    "    <noscript><p>Enable JavaScript and cookies to continue</p></noscript>\n"
    '    <div id="challenge-body-text">shop.example needs to review the security of your '
    "connection before proceeding.</div>\n"
    '    <div id="challenge-stage"></div>\n'
    "  </div>\n</div>\n"
    '<div class="footer">Ray ID: <code>8e7a1c2b3d4f5a6b</code> · Performance &amp; security '
    "by a CDN</div>",
    head='<meta name="robots" content="noindex,nofollow">\n'
         "<style>body{font-family:system-ui,sans-serif;margin:8rem auto;max-width:40rem}"
         "</style>\n")

CAPTCHA = document(
    "Please verify you are a human",
    "<h1>Please verify you are a human</h1>\n"
    "<p>We have noticed unusual activity from your network. Complete the check below to "
    "continue.</p>\n"
    '<form method="post" action="#verify">\n'
    '  <div class="g-recaptcha" data-sitekey="6LdDemoKeyNotRealAAAAAAAAAAAAAAAAAAAAAAA">'
    "</div>\n"
    '  <button type="submit">Continue</button>\n</form>')


ROUTE_NOTES = (
    ("/status/503", "503 with an error page (also /status/404, /status/500 …)"),
    ("/slow?seconds=20", "headers at once, the page after N seconds (N ≤ 30)"),
    ("/drip", "a tiny page, one byte every 0.5 s"),
    ("/huge", "a 50 MiB page"),
    ("/redirect-loop", "redirects to itself"),
    ("/redirect?to=/signup-de.html", "redirects to a local path"),
    ("/redirect-private", "redirects to a private address"),
    ("/robots.txt", "disallows /private/"),
    ("/private/signup.html", "a country page behind robots.txt"),
    ("/botwall", "a bot-protection challenge (403)"),
    ("/captcha", "a captcha page"),
    ("/login-redirect", "redirects to a login form"),
    ("/flaky?key=a&fail=2", "503 for the first N requests with this key, then the country page"),
    ("/flaky?key=b&fail=1&status=429&retry_after=1", "the same with 429 and Retry-After"),
    ("/reset", "a third of the country page, then a TCP reset"),
    ("/gzip-bomb", "64 KiB of gzip that inflates to 64 MiB"),
)


def is_local_path(target: str) -> bool:
    """True for "/path?query": no scheme, no host, nothing that could be a header break."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(not 33 <= ord(ch) < 127 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def gzip_bomb_body() -> bytes:
    """64 MiB of zeros in a gzip stream of 64 KiB (a quarter of a second to build)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    parts = [packer.compress(b"<!DOCTYPE html><html><body>")]
    parts += [packer.compress(zeros) for _ in range(BOMB_BYTES // len(zeros))]
    parts.append(packer.flush())
    return b"".join(parts)


def status(h: Handler, code_text: str) -> None:
    """``/status/<code>``: that status, with the error page a server would send."""
    code = int(code_text) if code_text.isdigit() else 0
    if code not in ERROR_CODES:
        h.respond(404, status_page(404))
        return
    headers = [("Retry-After", "120")] if code in (429, 503) else []
    h.respond(code, status_page(code), headers=headers)


def slow(h: Handler, query: dict[str, list[str]]) -> None:
    try:
        seconds = float(query.get("seconds", ["5"])[0])
    except ValueError:
        h.respond(400, status_page(400))
        return
    seconds = min(max(seconds, 0.0), MAX_WAIT)
    body = h.server.country_page
    h.send_headers(200, len(body), "text/html; charset=utf-8")
    if h.is_head or not h.wait(seconds):
        return
    h.wfile.write(body)


def drip(h: Handler, _query: dict[str, list[str]]) -> None:
    h.send_headers(200, len(DRIP_BODY), "text/html; charset=utf-8")
    if h.is_head:
        return
    for i in range(len(DRIP_BODY)):
        h.wfile.write(DRIP_BODY[i:i + 1])
        if i + 1 < len(DRIP_BODY) and not h.wait(DRIP_INTERVAL):
            return


def huge(h: Handler, _query: dict[str, list[str]]) -> None:
    head = document("Huge page", "<h1>A very large page</h1>").split(b"</body>")[0]
    tail = b"</body>\n</html>\n"
    line = b"<p>Filler row: this page is fifty mebibytes of nothing in particular.</p>\n"
    chunk = line * (HUGE_CHUNK // len(line))
    h.send_headers(200, HUGE_BYTES, "text/html; charset=utf-8")
    if h.is_head:
        return
    h.wfile.write(head)
    remaining = HUGE_BYTES - len(head) - len(tail)
    while remaining > 0:
        if h.server.stop_event.is_set():
            h.close_connection = True
            return
        piece = chunk[:remaining]
        h.wfile.write(piece)
        remaining -= len(piece)
    h.wfile.write(tail)


def redirect_loop(h: Handler, _query: dict[str, list[str]]) -> None:
    h.redirect("/redirect-loop")


def redirect(h: Handler, query: dict[str, list[str]]) -> None:
    target = query.get("to", [""])[0]
    if not is_local_path(target):
        h.respond(400, document("Bad request", "<h1>Bad request</h1>\n"
                                     "<p>Only local paths can be redirected to.</p>"))
        return
    h.redirect(target)


def redirect_private(h: Handler, _query: dict[str, list[str]]) -> None:
    h.redirect(PRIVATE_TARGET)


def login_redirect(h: Handler, _query: dict[str, list[str]]) -> None:
    h.redirect("/login.html")


def botwall(h: Handler, _query: dict[str, list[str]]) -> None:
    h.server_name_override = "cloudflare"
    h.respond(403, BOTWALL, headers=[("cf-mitigated", "challenge"),
                                          ("cf-ray", "8e7a1c2b3d4f5a6b-VIE")])
    h.server_name_override = None


def captcha(h: Handler, _query: dict[str, list[str]]) -> None:
    h.respond(200, CAPTCHA)


def flaky(h: Handler, query: dict[str, list[str]]) -> None:
    """Fail the first ``fail`` requests for ``key`` (503, or ``status``), then answer:
    what a retrying crawler must get through. The count lives in the server."""
    try:
        key = query.get("key", [""])[0][:64]
        fail = min(max(int(query.get("fail", ["2"])[0]), 0), FLAKY_MAX_FAILURES)
        status = int(query.get("status", ["503"])[0])
        retry_after = query.get("retry_after", [""])[0]
    except ValueError:
        h.respond(400, status_page(400))
        return
    if status not in ERROR_CODES or (retry_after and not retry_after.isdigit()):
        h.respond(400, status_page(400))
        return
    with h.server.counts_lock:
        seen = h.server.flaky_counts.get(key, 0)
        h.server.flaky_counts[key] = seen + 1
    if seen < fail:
        headers = [("Retry-After", retry_after)] if retry_after else []
        h.respond(status, status_page(status), headers=headers)
        return
    h.respond(200, h.server.country_page)


def reset(h: Handler, _query: dict[str, list[str]]) -> None:
    """Promise the whole country page, send a third of it, then reset the connection."""
    body = h.server.country_page
    h.send_headers(200, len(body), "text/html; charset=utf-8")
    if h.is_head:
        return
    h.wfile.write(body[: len(body) // 3])
    h.wfile.flush()
    # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()
    h.close_connection = True


def gzip_bomb(h: Handler, _query: dict[str, list[str]]) -> None:
    """A small gzip body that inflates a thousandfold: a size cap must apply after
    decompression, not to the bytes on the wire."""
    h.respond(200, h.server.gzip_bomb(), "text/html; charset=utf-8",
                  headers=[("Content-Encoding", "gzip")])


Route = Callable[["Handler", dict[str, list[str]]], None]
FAULTS: dict[str, Route] = {
    "/slow": slow,
    "/drip": drip,
    "/huge": huge,
    "/redirect-loop": redirect_loop,
    "/redirect": redirect,
    "/redirect-private": redirect_private,
    "/login-redirect": login_redirect,
    "/botwall": botwall,
    "/captcha": captcha,
    "/flaky": flaky,
    "/reset": reset,
    "/gzip-bomb": gzip_bomb,
}
