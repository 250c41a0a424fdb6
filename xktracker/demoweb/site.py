"""The page side of the demo web: the files of ``pages/`` as they are answered, and the few
bodies it makes itself (the index, error pages, a country page for the dynamic routes)."""

from __future__ import annotations

import codecs
import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from urllib.parse import quote

import pycountry

from xktracker.demoweb.expectations import PAGES_DIR, page_title, read_meta

MAX_WAIT = 30.0  # seconds: cap of /slow and of xk-delay
_TEXT_TYPES = {".html": "text/html", ".htm": "text/html", ".js": "text/javascript",
               ".mjs": "text/javascript", ".css": "text/css", ".json": "application/json",
               ".txt": "text/plain", ".svg": "image/svg+xml", ".xml": "application/xml"}
_BINARY_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".gif": "image/gif",
                 ".ico": "image/x-icon", ".woff2": "font/woff2"}


@dataclass(frozen=True)
class StaticFile:
    """One file of ``pages/`` as it will be answered."""

    body: bytes
    content_type: str
    status: int = 200
    delay: float = 0.0
    title: str = ""
    verdict: str = ""


def load_file(path: Path) -> StaticFile:
    """Read a page and its ``xk-*`` response options; ValueError on a bad option."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix not in (".html", ".htm"):
        if suffix in _TEXT_TYPES:
            return StaticFile(data, f"{_TEXT_TYPES[suffix]}; charset=utf-8")
        return StaticFile(data, _BINARY_TYPES.get(suffix, "application/octet-stream"))
    meta = read_meta(data)
    charset = meta.get("xk-charset") or "utf-8"
    try:
        codec = codecs.lookup(charset).name
    except LookupError:
        raise ValueError(f"{path.name}: unknown xk-charset {charset!r}") from None
    body = data
    if codec != "utf-8":
        # A page may be stored as UTF-8 and served in its charset, or stored already
        # encoded; real text in a legacy charset is practically never valid UTF-8.
        try:
            body = data.decode("utf-8").encode(charset, errors="xmlcharrefreplace")
        except UnicodeDecodeError:
            body = data
    no_header = meta.get("xk-no-header-charset", "").lower() in ("1", "true", "yes")
    content_type = "text/html" if no_header else f"text/html; charset={charset}"
    status = 200
    if meta.get("xk-status"):
        status = int(meta["xk-status"])
        if not 100 <= status <= 599:
            raise ValueError(f"{path.name}: xk-status {status} is not an HTTP status")
    delay = min(max(float(meta.get("xk-delay") or 0), 0.0), MAX_WAIT)
    return StaticFile(body, content_type, status, delay, page_title(data, meta),
                      meta.get("xk-expect", ""))


def load_site(pages_dir: Path | str | None = None) -> dict[str, StaticFile]:
    """Every regular, non-hidden file of the pages folder, by file name."""
    folder = Path(pages_dir) if pages_dir is not None else PAGES_DIR
    if not folder.is_dir():
        return {}
    return {p.name: load_file(p) for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".")}


def document(title: str, body: str, *, head: str = "") -> bytes:
    """A minimal, valid HTML document."""
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n{head}</head>\n<body>\n{body}\n"
            "</body>\n</html>\n").encode()


def country_page() -> bytes:
    """A signup page with an ISO-named world list including Kosovo (for /slow, /private)."""
    names = [(c.alpha_2, getattr(c, "common_name", None) or c.name)
             for c in pycountry.countries]
    names.append(("XK", "Kosovo"))
    names.sort(key=lambda item: item[1].casefold())
    options = "\n".join(f'    <option value="{code}">{html.escape(name)}</option>'
                        for code, name in names)
    form = ('<h1>Create your account</h1>\n<form method="post" action="#">\n'
            '  <label for="email">Email</label> <input id="email" name="email" type="email">\n'
            '  <label for="country">Country</label>\n  <select id="country" name="country">\n'
            f'    <option value="">Select a country</option>\n{options}\n  </select>\n'
            '  <button type="submit">Sign up</button>\n</form>')
    return document("Signup, ISO-named world list with Kosovo (dynamic page)", form)


NOT_FOUND = document("Not found", "<h1>Not found</h1>\n<p>There is no page here. "
                       '<a href="/">See the list of pages</a>.</p>')

def status_page(code: int) -> bytes:
    """A small error page of the kind web servers send."""
    phrase = HTTPStatus(code).phrase
    return document(f"{code} {phrase}", f"<h1>{code} {phrase}</h1>\n"
                     "<p>Sorry, something went wrong. Please try again later.</p>")


def index(files: Mapping[str, StaticFile], notes: Iterable[tuple[str, str]]) -> bytes:
    """The list of every page and route, names escaped (they come from the file system)."""
    rows = []
    for name, entry in files.items():
        href = html.escape("/" + quote(name), quote=True)
        extra = f" ({entry.status})" if entry.status != 200 else ""
        rows.append(f'<tr><td><a href="{href}">{html.escape(name)}</a></td>'
                    f"<td>{html.escape(entry.title)}</td>"
                    f"<td>{html.escape(entry.verdict)}{extra}</td></tr>")
    routes = "".join(f'<li><a href="{html.escape(path, quote=True)}">{html.escape(path)}</a>'
                     f" — {html.escape(text)}</li>" for path, text in notes)
    body = ("<h1>xktracker demo web</h1>\n<p>Local pages with country fields, for trying "
            "xktracker offline.</p>\n<table>\n<tr><th>Page</th><th>What it is</th>"
            "<th>Expected</th></tr>\n" + "\n".join(rows) + "\n</table>\n"
            f"<h2>Routes</h2>\n<ul>{routes}</ul>")
    return document("xktracker demo web", body)


