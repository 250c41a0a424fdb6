"""Take a screenshot of each main page of the dashboard, on a desktop and a phone screen.

Builds a synthetic history (``benchmarks.history``: 80 sites, 200 days), adds one real
browser check of a demo-web page so the site page shows a real screenshot as evidence,
serves the app on 127.0.0.1 and saves PNGs into ``docs/screenshots/`` (or the folder
given). Needs a Chromium (``make browser``).

Run: ``.venv/bin/python scripts/screenshots.py [OUTPUT_DIR]``
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 780}


def _real_check(url: str, database_url: str, data_dir: Path, domain: str) -> None:
    """Check one demo page with the browser and record it as the site's newest check."""
    from sqlalchemy import select

    from crawler.checker import CheckOptions
    from crawler.fetch.guard import EgressPolicy
    from db.evidence import EvidenceStore
    from db.models import Site, Target
    from db.session import Database
    from db.store import finish_run, record_check, start_run
    from tracker_web.worker import EvidenceChecker

    options = CheckOptions(browser="always",
                           policy=EgressPolicy.build(allow_networks=("127.0.0.0/8",)),
                           timeout=20)
    with EvidenceChecker(options, EvidenceStore(data_dir)) as checker:
        report = checker.check(url)
    with Database(database_url) as database, database.scope(write=True) as session:
        target = session.execute(select(Target).join(Site).where(Site.domain == domain)
                                 .order_by(Target.id)).scalars().first()
        assert target is not None
        run = start_run(session, {"kind": "screenshots"})
        record_check(session, run_id=run.id, target_id=target.id, report=report)
        finish_run(session, run.id)


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from benchmarks.history import build
    from crawler.fetch.chromium import find_chromium
    from db.session import Database
    from tracker_web import create_app
    from tracker_web.moderation import create_admin
    from xktracker.demoweb.server import DemoWebServer

    out = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="xk-shots-"))
    built = build(work / "history.sqlite3", sites=80, days=200, seed=7)
    database_url = f"sqlite:///{built.path}"
    with DemoWebServer() as web:
        _real_check(web.url("/checkout-world-missing.html"), database_url, work / "data",
                    built.first_domain)
    with Database(database_url) as database, database.scope(write=True) as session:
        create_admin(session, "mod", "screenshots-password")
    app = create_app({"DATABASE_URL": database_url, "DATA_DIR": str(work / "data"),
                      "INSTANCE_DIR": str(work / "instance"), "START_WORKERS": False,
                      "SECRET_KEY": "screenshots-only-key-0123456789"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    site = built.first_domain
    pages = [("scoreboard", "/"), ("site", f"/site/{site}"), ("upstream", "/upstream"),
             ("submit", "/submit"), ("data", "/data")]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**find_chromium().launch_options())
            for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
                context = browser.new_context(viewport=size, device_scale_factor=1)
                page = context.new_page()
                for name, path in pages:
                    page.goto(base + path)
                    page.screenshot(path=str(out / f"{name}-{label}.png"), full_page=False)
                    if name == "site":
                        page.locator(".evidence-field").first.scroll_into_view_if_needed()
                        page.screenshot(path=str(out / f"site-evidence-{label}.png"))
                page.goto(f"{base}/write/{site}")
                page.fill("#personal", "My family in Prizren could not order from you.")
                page.click("#submit")
                page.locator(".letter").scroll_into_view_if_needed()
                page.screenshot(path=str(out / f"letter-{label}.png"))
                page.goto(f"{base}/lang/sq?next=/")
                page.screenshot(path=str(out / f"scoreboard-sq-{label}.png"))
                page.goto(f"{base}/lang/en?next=/admin/login")
                page.fill("#username", "mod")
                page.fill("#password", "screenshots-password")
                page.click("#submit")
                page.screenshot(path=str(out / f"admin-{label}.png"))
                context.close()
            browser.close()
    finally:
        server.shutdown()
    for png in sorted(out.glob("*.png")):
        print(f"{png.relative_to(ROOT) if png.is_relative_to(ROOT) else png} "
              f"{png.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
