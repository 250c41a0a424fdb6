"""Fixtures for the dashboard tests: an app on a fresh SQLite history with known facts.

The history: a shop that leaves Kosovo out (with neighbours, a fingerprinted list and a
screenshot), a travel site that lists it under Serbia, a telecom with +381, a market that
won (missing → listed), and a site whose name, label and title are hostile markup. Every
form post in the tests carries a real CSRF token taken from the page, as a browser's would.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from db.evidence import EvidenceStore
from db.migrate import upgrade
from db.models import Company, Contact, Site, Target
from db.session import Database
from db.store import finish_run, record_check, start_run

HOSTILE = '<script>alert("xk")</script>'
DAY0 = datetime(2026, 10, 1, 6, 0, tzinfo=UTC)
WORLD = [["KI", "Kiribati"], ["KP", "Korea, North"], ["KR", "Korea, South"],
         ["KW", "Kuwait"], ["KG", "Kyrgyzstan"], ["LA", "Laos"]]


def tiny_png() -> bytes:
    """A valid 2×2 PNG, made here so no binary file is needed."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def field(verdict: str, *, label: str = "Country", kosovo: dict[str, Any] | None = None,
          qualifier: str | None = None, neighbours: list[list[str]] | None = None,
          fingerprint: dict[str, Any] | None = None, kind: str = "country") -> dict[str, Any]:
    return {"kind": kind, "widget": "select", "selector": "#country", "name": "country",
            "id": "country", "label": label, "option_count": 250, "country_count": 249,
            "verdict": verdict, "kosovo": kosovo, "qualifier": qualifier,
            "fingerprint": fingerprint, "neighbours": neighbours or WORLD,
            "options": [["AF", "Afghanistan"], *(neighbours or WORLD)]}


def report(url: str, verdict: str, when: datetime, fields: list[dict[str, Any]],
           reason: str | None = None, screenshot: str | None = None,
           title: str | None = None) -> dict[str, Any]:
    return {"source": url, "final_url": url, "checked_at": when.isoformat(), "territory": "XK",
            "method": "browser" if screenshot else "static", "verdict": verdict,
            "reason": reason, "fields": fields, "title": title,
            "evidence": {"html_sha256": None, "screenshot": screenshot}}


MISSING = field("missing", fingerprint={
    "source": "django-countries", "similarity": 0.99, "versions": "8.0.0 to 9.0.0",
    "name": "django-countries 8.0.0 to 9.0.0",
    "fix": "django-countries does not include Kosovo. Add it in settings.py: "
           "COUNTRIES_OVERRIDE = {\"XK\": _(\"Kosovo\")}."})
LISTED = field("listed", kosovo={"label": "Kosovo", "value": "XK", "dial_code": None},
               neighbours=[["KI", "Kiribati"], ["XK", "Kosovo"], ["KW", "Kuwait"]])
QUALIFIED = field("listed_qualified", qualifier="Kosovo (Serbia)",
                  kosovo={"label": "Kosovo (Serbia)", "value": "XK", "dial_code": None},
                  neighbours=[["KI", "Kiribati"], ["XK", "Kosovo (Serbia)"], ["KW", "Kuwait"]])
WRONG = field("wrong_code", kind="phone_country_code", label="Phone",
              kosovo={"label": "Kosovo +381", "value": "XK", "dial_code": "+381"},
              neighbours=[["KI", "Kiribati +686"], ["XK", "Kosovo +381"]])


def build_history(database: Database, store: EvidenceStore, days: int = 5) -> dict[str, Any]:
    """The history described in the module docstring; returns ids and hashes tests need."""
    shot = store.put(tiny_png(), "png")
    html = store.put(b"<html><body><select id=country></select></body></html>", "html")
    out: dict[str, Any] = {"screenshot": shot, "html": html}
    with database.scope(write=True) as session:
        acme = Company(name="ACME&bcc=spy@evil.example\r\nBcc: x@evil.example")
        travel = Company(name="Demo Journeys")
        tele = Company(name="Demo Telecom")
        market = Company(name="Demo Market Group")
        evil = Company(name=HOSTILE)
        sites = {
            "shop": Site(domain="shop.example.com", name="Example Shop", category="e-commerce",
                         company=acme),
            "travel": Site(domain="travel.example.net", name="Example Travel",
                           category="travel", company=travel),
            "call": Site(domain="call.example.org", name="Example Call", category="telecom",
                         company=tele),
            "market": Site(domain="market.example.com", name="Example Market",
                           category="e-commerce", company=market),
            "evil": Site(domain="evil.example.com", name=HOSTILE, category="e-commerce",
                         company=evil),
        }
        targets = {
            "shop": Target(site=sites["shop"], url="https://shop.example.com/checkout",
                           kind="checkout"),
            "travel": Target(site=sites["travel"], url="https://travel.example.net/book",
                             kind="checkout"),
            "call": Target(site=sites["call"], url="https://call.example.org/signup",
                           kind="phone"),
            "market": Target(site=sites["market"], url="https://market.example.com/register",
                             kind="signup"),
            "evil": Target(site=sites["evil"], url="https://evil.example.com/register",
                           kind="signup"),
        }
        session.add_all([*sites.values(), *targets.values()])
        session.add_all([
            Contact(site=sites["shop"], kind="email", value="support@shop.example.com"),
            Contact(site=sites["shop"], kind="form", value="https://shop.example.com/help"),
            Contact(site=sites["evil"], kind="form", value="javascript:alert(1)"),
        ])
        session.flush()
        out["targets"] = {k: t.id for k, t in targets.items()}
    for day in range(days):
        when = DAY0 + timedelta(days=day)
        with database.scope(write=True) as session:
            run = start_run(session, {"day": day}, started_at=when)
            ids = out["targets"]
            last = day == days - 1
            stored = {
                "shop": report("https://shop.example.com/checkout", "missing", when, [MISSING],
                               screenshot=shot if day == days - 2 else None),
                "travel": report("https://travel.example.net/book", "listed_qualified", when,
                                 [QUALIFIED]),
                "call": report("https://call.example.org/signup", "wrong_code", when, [WRONG]),
                "market": report("https://market.example.com/register",
                                 "listed" if day >= 2 else "missing", when,
                                 [LISTED if day >= 2 else MISSING]),
                "evil": report("https://evil.example.com/register", "missing", when,
                               [field("missing", label=HOSTILE,
                                      neighbours=[["KI", HOSTILE], ["KW", "Kuwait"]])],
                               title=HOSTILE),
            }
            if last:  # the newest shop check could not see the list: status stays missing
                stored["shop"] = report("https://shop.example.com/checkout", "error", when,
                                        [], reason="timeout")
            for key, rep in stored.items():
                check = record_check(session, run_id=run.id, target_id=ids[key], report=rep)
                out.setdefault("checks", {})[key] = check.id
                if key == "shop" and not last:
                    out["shop_conclusive"] = check.id
            finish_run(session, run.id, finished_at=when + timedelta(minutes=5))
    # The last conclusive shop check carries the screenshot (added on its own, as evidence).
    return out


@pytest.fixture
def web_db(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    url = f"sqlite:///{tmp_path / 'web.sqlite3'}"
    upgrade(url)
    yield url, tmp_path / "evidence"


@pytest.fixture
def history(web_db: tuple[str, Path]) -> dict[str, Any]:
    url, data = web_db
    database = Database(url)
    try:
        return build_history(database, EvidenceStore(data))
    finally:
        database.dispose()


def make_app(url: str, data: Path, tmp_path: Path, **extra: Any) -> Flask:
    from tracker_web import create_app

    config = {"TESTING": True, "DATABASE_URL": url, "DATA_DIR": str(data),
              "INSTANCE_DIR": str(tmp_path / "instance"), "START_WORKERS": False,
              "SECRET_KEY": "test-secret-key-0123456789", "CHECK_BROWSER": "never",
              "SERVER_NAME": "xk.test"}
    config.update(extra)
    return create_app(config)


@pytest.fixture
def app(web_db: tuple[str, Path], history: dict[str, Any], tmp_path: Path) -> Iterator[Flask]:
    url, data = web_db
    application = make_app(url, data, tmp_path)
    yield application
    application.extensions["xktracker_db"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|'
                    r'value="([^"]+)"[^>]*name="csrf_token"|'
                    r'name="csrf-token" content="([^"]+)"')


def csrf_from(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form on ``path``, as a browser would send it back."""
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    found = _TOKEN.search(page.get_data(as_text=True))
    assert found, f"no CSRF token on {path}"
    return next(g for g in found.groups() if g)
