"""Generate the demo web's script-drawn widget pages, so their country data is reproducible.

The pages imitate what real sites do to a country list (fill it late, fetch it, draw it
in a custom dropdown, a shadow root, an iframe, a virtualised list); the browser path is
tested against them. Country names come from CLDR (babel) over ISO 3166 (pycountry),
which has no Kosovo, so Kosovo is added here with its dial code from phonenumbers.

Run ``python -m xktracker.demoweb.make_widget_pages`` after changing anything below;
``--check`` exits 1 when the files on disk differ from what would be written.
"""

from __future__ import annotations

import sys
from pathlib import Path

from xktracker.demoweb.widget_kit import js_data, xhr_json
from xktracker.demoweb.widget_pages_custom import intl_tel_like, react_select_like, virtual_list
from xktracker.demoweb.widget_pages_filled import (
    iframe_form,
    iframe_inner,
    js_injected_select,
    late_dropdown,
    shadow_dom,
    xhr_select,
)

PAGES_DIR = Path(__file__).resolve().parent / "pages"


def render_all() -> dict[str, str]:
    """Every generated file name and its exact text."""
    return {
        "widget-countries.js": js_data(),
        "xhr-countries.json": xhr_json(),
        "js-injected-select.html": js_injected_select(),
        "xhr-select.html": xhr_select(),
        "react-select-like.html": react_select_like(),
        "intl-tel-like.html": intl_tel_like(),
        "shadow-dom.html": shadow_dom(),
        "iframe-form.html": iframe_form(),
        "iframe-inner.html": iframe_inner(),
        "late-dropdown.html": late_dropdown(),
        "virtual-list.html": virtual_list(),
    }


def main(argv: list[str] | None = None) -> int:
    """Write the pages (or, with ``--check``, report whether they are up to date)."""
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    stale = []
    for name, text in render_all().items():
        path = PAGES_DIR / name
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if not check:
            PAGES_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    verb = "out of date" if check else "written"
    for name in stale:
        print(f"{verb}: {name}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
