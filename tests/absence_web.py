"""A small web of country pickers that could trick the browser into a false ``missing``.

One server on 127.0.0.1, port 0. ``/p/<name>`` serves a page of :data:`PAGES`; ``/api``
is a typeahead's JSON endpoint that matches only from a label's start
(``?set=<list>&q=<text>``), and can be told to fail or hang for one query
(``&fail=<q>:<status>``, ``&hang=<q>``); every POST is answered and counted in
:attr:`AbsenceWeb.posts`, so a test can tell whether the browser let a form send anything.
"""

from __future__ import annotations

import html
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.lists import world

HANG_SECONDS = 6.0  # longer than a search is waited for (typing.MAX_WAIT), bounded

# The typeahead's lists: a world list without Kosovo, with Kosovo under a name "Kos" does not
# begin ("Republic of Kosovo"), or spelled with a Cyrillic "о" or a soft hyphen inside, that
# only "k" shows.
SETS: dict[str, list[str]] = {
    "none": [label for _, label in world(kosovo=None)],
    "republic": [label for _, label in world(kosovo="Republic of Kosovo")],
    "cyrillic-o": [label for _, label in world(kosovo="K\u043esovo")],
    "soft-hyphen": [label for _, label in world(kosovo="Ko\u00adsovo")],
}


def _doc(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f"</head><body>{body}</body></html>")


def typeahead(query: str) -> str:
    """A combobox that asks ``/api?<query>&q=…`` after a short debounce; a failed answer
    (an error status, a refused request) shows nothing, as many widgets do."""
    return _doc("Sign up", f"""<form><label for="c">Country</label>
<input id="c" role="combobox" aria-autocomplete="list" aria-controls="l" autocomplete="off">
<ul id="l" role="listbox" hidden></ul></form>
<script>
var input = document.getElementById('c'), list = document.getElementById('l'), timer = null;
function show(rows) {{
  list.innerHTML = '';
  rows.forEach(function (label) {{
    var li = document.createElement('li'); li.setAttribute('role', 'option');
    li.textContent = label; list.appendChild(li);
  }});
  list.hidden = !rows.length;
}}
input.addEventListener('input', function () {{
  clearTimeout(timer);
  var q = input.value;
  timer = setTimeout(function () {{
    if (!q) {{ show([]); return; }}
    fetch('/api?{query}&q=' + encodeURIComponent(q))
      .then(function (r) {{ return r.ok ? r.json() : []; }})
      .then(function (rows) {{ if (input.value === q) show(rows); }})
      .catch(function () {{ if (input.value === q) show([]); }});
  }}, 120);
}});
</script>""")


def skipping_list() -> str:
    """A virtual list (36 px rows in a 200 px box) that draws only the rows whose top lies in
    the first 100 px of the view: a scroll step of most of a view passes rows no one drew.
    Kosovo is not in it, and what was not drawn cannot prove its absence."""
    rows = json.dumps([label for _, label in world(kosovo=None)])
    return _doc("Sign up", f"""<form><span id="lbl">Country</span>
<button type="button" id="pick" aria-haspopup="listbox" aria-labelledby="lbl">Choose…</button>
<div id="menu" hidden style="height:200px;overflow:auto;border:1px solid #999">
  <div id="inner" role="listbox" aria-labelledby="lbl" style="position:relative"></div>
</div></form>
<script>
var rows = {rows}, menu = document.getElementById('menu'), inner = document.getElementById('inner');
inner.style.height = (rows.length * 36) + 'px';
function draw() {{
  var top = menu.scrollTop, html = '';
  rows.forEach(function (label, i) {{
    var y = i * 36;
    if (y >= top && y < top + 100) {{
      html += '<div role="option" style="position:absolute;left:0;right:0;height:36px;top:'
        + y + 'px">' + label + '</div>';
    }}
  }});
  inner.innerHTML = html;
}}
menu.addEventListener('scroll', draw);
document.getElementById('pick').addEventListener('click', function () {{
  menu.hidden = false; draw();
}});
</script>""")


def page_scrolled_list() -> str:
    """A virtual list scrolled by the page itself (no box of its own scrolls): a spacer as
    tall as every row, and only the rows in the window drawn, placed absolutely."""
    rows = json.dumps([label for _, label in world(kosovo=None)])
    return _doc("Sign up", f"""<form><span id="lbl">Country</span>
<button type="button" id="pick" aria-haspopup="listbox" aria-labelledby="lbl">Choose…</button>
<div id="inner" role="listbox" aria-labelledby="lbl" hidden style="position:relative"></div>
</form>
<script>
var rows = {rows}, inner = document.getElementById('inner');
inner.style.height = (rows.length * 36) + 'px';
function draw() {{
  var top = window.scrollY - inner.offsetTop, html = '';
  rows.forEach(function (label, i) {{
    var y = i * 36;
    if (y + 36 > top && y < top + window.innerHeight) {{
      html += '<div role="option" style="position:absolute;left:0;right:0;height:36px;top:'
        + y + 'px">' + label + '</div>';
    }}
  }});
  inner.innerHTML = html;
}}
window.addEventListener('scroll', draw);
document.getElementById('pick').addEventListener('click', function () {{
  inner.hidden = false; draw();
}});
</script>""")


def phone_picker() -> str:
    """A dial-code picker whose Kosovo row shows "+383" and carries a hidden "+381" span
    (left over from an old template): only what a person sees is its code."""
    import phonenumbers

    items = []
    for code, label in world(kosovo=None):
        dial = phonenumbers.country_code_for_region(code)
        items.append(f'<li class="iti__country" role="option" data-country-code="{code.lower()}">'
                     f'<span class="iti__country-name">{html.escape(label)}</span> '
                     f'<span class="iti__dial-code">+{dial}</span></li>')
    items.append('<li class="iti__country" role="option" data-country-code="xk">'
                 '<span class="iti__country-name">Kosovo</span> '
                 '<span class="dial-code legacy" style="display:none">+381</span>'
                 '<span class="iti__dial-code">+383</span></li>')
    return _doc("Sign up", f"""<form><label for="tel">Phone</label>
<div class="iti"><button type="button" class="iti__selected-country" aria-label="Country code"
  aria-haspopup="listbox" aria-expanded="false" id="flag">+1</button>
<ul id="codes" class="iti__country-list" role="listbox" hidden
  style="max-height:200px;overflow:auto"></ul>
<input id="tel" type="tel" name="phone"></div></form>
<script>
document.getElementById('flag').addEventListener('click', function () {{
  var codes = document.getElementById('codes');
  codes.innerHTML = {json.dumps("".join(items))};
  codes.hidden = false;
  this.setAttribute('aria-expanded', 'true');
}});
</script>""")


def posting_step(how: str) -> str:
    """A sign-up whose "Next" (a ``type=button``) sends the typed email by script before it
    shows step two's country list: with ``fetch``, a beacon, or ``form.submit()``."""
    options = "".join(f'<option value="{v}">{html.escape(lbl)}</option>'
                      for v, lbl in world(kosovo=None))
    send = {
        "fetch": "fetch('/collect', {method: 'POST', body: mail}).catch(function () {});",
        "beacon": "navigator.sendBeacon('/beacon', mail);",
        "submit": "form.submit();",
    }[how]
    return _doc("Sign up", f"""<form id="f" action="/signup" method="post">
<div id="one"><label for="mail">Email</label>
<input id="mail" type="email" name="email" required>
<button type="button" id="go">Next</button></div>
<div id="two" hidden><label for="country">Country</label>
<select id="country" name="country"></select></div></form>
<script>
var form = document.getElementById('f');
document.getElementById('go').addEventListener('click', function () {{
  var mail = document.getElementById('mail').value;
  if (!mail) return;
  {send}
  document.getElementById('country').innerHTML = {json.dumps(options)};
  document.getElementById('one').hidden = true;
  document.getElementById('two').hidden = false;
}});
</script>""")


PAGES: dict[str, str] = {
    "typeahead-none": typeahead("set=none"),
    "typeahead-republic": typeahead("set=republic"),
    "typeahead-cyrillic-o": typeahead("set=cyrillic-o"),
    "typeahead-soft-hyphen": typeahead("set=soft-hyphen"),
    "typeahead-429": typeahead("set=none&fail=k:429"),
    "typeahead-500": typeahead("set=none&fail=m:500"),
    "typeahead-hang": typeahead("set=none&hang=k"),
    "skipping-list": skipping_list(),
    "page-scrolled-list": page_scrolled_list(),
    "phone-picker": phone_picker(),
    "post-fetch": posting_step("fetch"),
    "post-beacon": posting_step("beacon"),
    "post-submit": posting_step("submit"),
}


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
        """Quiet."""

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - stdlib's name
        parts = urlsplit(self.path)
        if parts.path.startswith("/p/") and parts.path[3:] in PAGES:
            self._send(200, PAGES[parts.path[3:]].encode(), "text/html; charset=utf-8")
        elif parts.path == "/api":
            self._api(parse_qs(parts.query))
        else:
            self._send(404, b"not found", "text/plain")

    def _api(self, query: dict[str, list[str]]) -> None:
        q = (query.get("q") or [""])[0]
        for rule in query.get("fail", []):
            text, _, status = rule.partition(":")
            if q == text:
                self._send(int(status), b"[]", "application/json")
                return
        if q in query.get("hang", []) and self.server.stop.wait(HANG_SECONDS):
            self.close_connection = True
            return
        labels = SETS.get((query.get("set") or [""])[0], [])
        found = [label for label in labels if label.casefold().startswith(q.casefold())]
        self._send(200, json.dumps(found).encode(), "application/json")

    def do_POST(self) -> None:  # noqa: N802 - stdlib's name
        length = min(int(self.headers.get("Content-Length") or 0), 10_000)
        body = self.rfile.read(length)
        with self.server.lock:
            self.server.posts.append((self.path, body))
        self._send(200, b"ok", "text/plain")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.posts: list[tuple[str, bytes]] = []


class AbsenceWeb:
    """The server, run on a thread for the length of a ``with`` block."""

    def __init__(self) -> None:
        self._server = _Server()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def posts(self) -> list[tuple[str, bytes]]:
        with self._server.lock:
            return list(self._server.posts)

    def url(self, page: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/p/{page}"

    def __enter__(self) -> AbsenceWeb:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._server.stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
