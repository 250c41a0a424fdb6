"""Full-page screenshots of the dashboard's main pages, in English and Albanian, on a desktop
(1280 px) and a phone (360 px) screen, into ``docs/screenshots/`` (or the folder given).

The history is the demo's (``xktracker.demorun``): the demo catalog crawled twice with a real
browser where a list needs one, one site fixing its list and one breaking it in between, so
the pages show real evidence (screenshots, whole lists, attributions), a win side by side, a
regression and a timeline. Needs a Chromium (``make browser``). Every screenshot is also
checked: no sideways scrolling, and no table cell narrower than its longest word.

Run: ``.venv/bin/python scripts/screenshots.py [OUTPUT_DIR]``
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WIDTHS = {"desktop": 1280, "phone": 360}
HEIGHT = {"desktop": 900, "phone": 780}
LANGUAGES = ("en", "sq")
LETTER = "My family in Prizren could not order from you."
# Pages shot in every language, then pages shot in English only.
PAGES = ("scoreboard", "site-win", "site-evidence", "letter", "upstream", "data", "about")
ENGLISH_ONLY = ("submit", "admin")

def _shrink(file: Path) -> None:
    """A 256-colour palette: a page of text and flat colours looks the same at a quarter of
    the size (these files are committed)."""
    from PIL import Image

    with Image.open(file) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(file, optimize=True)


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright
    from sqlalchemy import select
    from werkzeug.serving import make_server

    from crawler.fetch.chromium import find_chromium
    from db.models import Site
    from db.session import Database
    from tests.layout import LAYOUT_PROBLEMS
    from tracker_web import create_app
    from tracker_web.moderation import create_admin
    from xktracker.demorun import build_history
    from xktracker.demoweb.server import DemoWebServer

    out = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="xk-shots-"))
    with DemoWebServer() as web:
        built = build_history(web, work / "instance", browser="auto",
                              say=lambda line: print(line, file=sys.stderr))
    with Database(built.database_url) as database, database.scope(write=True) as session:
        create_admin(session, "mod", "screenshots-password")
        domains = set(session.execute(select(Site.domain)).scalars())
    assert {"tickets.demo.example", "market.demo.example"} <= domains
    app = create_app({"DATABASE_URL": built.database_url, "DATA_DIR": str(built.data_dir),
                      "INSTANCE_DIR": str(work / "instance"), "START_WORKERS": False,
                      "SECRET_KEY": "screenshots-only-key-0123456789",
                      "ORGANISATION": "Demo Digital Rights (a fictional organisation)",
                      "CONTACT": "corrections@demo.example",
                      "SOURCE_URL": "https://code.demo.example/xktracker"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    paths = {"scoreboard": "/", "site-win": "/site/tickets.demo.example",
             "site-evidence": "/site/market.demo.example", "upstream": "/upstream",
             "data": "/data", "about": "/about", "submit": "/submit"}
    problems: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**find_chromium().launch_options())
            for label, width in WIDTHS.items():
                context = browser.new_context(viewport={"width": width,
                                                        "height": HEIGHT[label]},
                                              device_scale_factor=1)
                page = context.new_page()
                for language in LANGUAGES:
                    page.goto(f"{base}/lang/{language}?next=/")
                    for name in PAGES if language != "en" else PAGES + ENGLISH_ONLY:
                        if name == "letter":
                            page.goto(f"{base}/write/market.demo.example")
                            page.fill("#personal", LETTER)
                            page.click("#submit")
                        elif name == "admin":
                            page.goto(f"{base}/admin/login")
                            page.fill("#username", "mod")
                            page.fill("#password", "screenshots-password")
                            page.click("#submit")
                        else:
                            page.goto(base + paths[name])
                        if name == "site-evidence":
                            page.locator("details").first.evaluate("d => d.open = true")
                        file = out / f"{name}-{language}-{label}.png"
                        page.screenshot(path=str(file), full_page=True)
                        _shrink(file)
                        problems += [f"{file.name}: {p}" for p in page.evaluate(LAYOUT_PROBLEMS)]
                context.close()
            browser.close()
    finally:
        server.shutdown()
    for png in sorted(out.glob("*.png")):
        print(f"{png.relative_to(ROOT) if png.is_relative_to(ROOT) else png} "
              f"{png.stat().st_size // 1024} KiB")
    for problem in problems:
        print("layout:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
