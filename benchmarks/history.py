"""A synthetic history for the dashboard: N sites × D days of daily checks, in SQLite, fast.

Rows go in with ``sqlite3.executemany`` in one transaction (a year of 1,000 sites is about
365,000 checks and as many field results: seconds, not minutes). The verdicts follow a
plausible course: most sites list Kosovo, a quarter leave it out and some of those fix it
during the year (wins), a few regress, and a few percent of the daily checks fail (timeouts,
bot walls) without changing any status. Used by ``bench_dashboard`` and by
``scripts/screenshots.py``.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

CATEGORIES = ("e-commerce", "travel", "finance", "telecom", "education", "software",
              "government", "media")
KINDS = ("signup", "checkout", "shipping", "phone", "profile")
_FIRST = ("Nord", "Alba", "Blue", "Swift", "Terra", "Nova", "Peak", "Urban", "Silver", "Green",
          "Sky", "Prime", "Bright", "Metro", "Rapid", "Global", "Sun", "Iron", "Star", "Open")
_SECOND = ("mart", "ways", "pay", "link", "book", "fly", "bank", "shop", "cloud", "learn",
           "media", "go", "trip", "tel", "net", "hub", "store", "cart", "jobs", "care")
WORLD = [["KE", "Kenya"], ["KI", "Kiribati"], ["KP", "Korea, North"], ["KR", "Korea, South"],
         ["KW", "Kuwait"], ["KG", "Kyrgyzstan"], ["LA", "Laos"]]
WITH_XK = [["KI", "Kiribati"], ["KR", "Korea, South"], ["XK", "Kosovo"], ["KW", "Kuwait"],
           ["KG", "Kyrgyzstan"]]
QUALIFIED = [["KI", "Kiribati"], ["XK", "Kosovo (Serbia)"], ["KW", "Kuwait"]]
UPSTREAM_MISSING = ("django-countries (PyPI)", "country-list (npm)",
                    "react-select-country-list (npm)", "Symfony Intl (Countries::getNames, PHP)")


@dataclass(frozen=True, slots=True)
class Built:
    path: Path
    sites: int
    targets: int
    checks: int
    first_domain: str


def _stamp(moment: datetime) -> str:
    # SQLAlchemy's storage format for DateTime on SQLite: naive UTC with microseconds.
    return moment.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _field(verdict: str, rng: random.Random, fingerprint: str | None) -> dict[str, Any]:
    kosovo = None
    neighbours = WORLD
    qualifier = None
    if verdict in ("listed", "wrong_code"):
        kosovo = {"label": "Kosovo", "value": "XK",
                  "dial_code": "+381" if verdict == "wrong_code" else None}
        neighbours = WITH_XK
    elif verdict == "listed_qualified":
        kosovo = {"label": "Kosovo (Serbia)", "value": "XK", "dial_code": None}
        neighbours, qualifier = QUALIFIED, "Kosovo (Serbia)"
    fix = (f"See the {fingerprint} documentation for adding XK." if fingerprint else None)
    return {"kind": "phone_country_code" if verdict == "wrong_code" else "country",
            "widget": "select", "selector": "#country", "label": "Country",
            "option_count": 250, "country_count": 248 if verdict == "missing" else 249,
            "verdict": "missing" if verdict == "partial" else verdict, "kosovo": kosovo,
            "qualifier": qualifier, "neighbours": neighbours,
            "fingerprint": ({"source": fingerprint, "similarity": 0.99, "fix": fix}
                            if fingerprint else None)}


def _course(rng: random.Random, days: int) -> list[str]:
    """One target's conclusive verdict on each day."""
    roll = rng.random()
    if roll < 0.55:
        start = "listed"
    elif roll < 0.80:
        start = "missing"
    elif roll < 0.87:
        start = "listed_qualified"
    elif roll < 0.91:
        start = "wrong_code"
    elif roll < 0.94:
        start = "partial"
    elif roll < 0.98:
        start = "restricted"
    else:
        start = "free_text"
    course = [start] * days
    change = rng.randrange(1, days) if days > 1 else 0
    if start in ("missing", "partial") and rng.random() < 0.35:
        course[change:] = ["listed"] * (days - change)  # a win
    elif start == "listed" and rng.random() < 0.03:
        course[change:] = ["missing"] * (days - change)  # a regression
    elif start == "listed_qualified" and rng.random() < 0.2:
        course[change:] = ["listed"] * (days - change)
    return course


def build(path: Path, sites: int = 1000, days: int = 365, *, seed: int = 383,
          end: datetime | None = None, failure_rate: float = 0.04) -> Built:
    """Create a migrated SQLite file at ``path`` with the synthetic history."""
    from db.migrate import upgrade

    rng = random.Random(seed)
    url = f"sqlite:///{path}"
    upgrade(url)
    end = end or datetime.now(UTC).replace(hour=5, minute=0, second=0, microsecond=0)
    start = end - timedelta(days=days - 1)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    names = []
    for i in range(1, sites + 1):
        name = f"{_FIRST[i % len(_FIRST)]}{_SECOND[(i // len(_FIRST)) % len(_SECOND)]}"
        names.append((i, f"{name.lower()}{i}.example", f"{name} {i}"))
    conn.executemany("INSERT INTO companies (id, name) VALUES (?, ?)",
                     [(i, f"{n} Ltd." if i % 3 else f"{n} Group") for i, _, n in names])
    conn.executemany(
        "INSERT INTO sites (id, domain, name, category, company_id, active, catalog) "
        "VALUES (?, ?, ?, ?, ?, 1, 'synthetic')",
        [(i, domain, name, CATEGORIES[i % len(CATEGORIES)], i) for i, domain, name in names])
    conn.executemany(
        "INSERT INTO contacts (site_id, kind, value, unverified) VALUES (?, 'email', ?, 1)",
        [(i, f"support@{domain}") for i, domain, _ in names])
    targets: list[tuple[int, int, str, str]] = []
    for i, domain, _ in names:
        for k in range(2 if i % 5 == 0 else 1):
            kind = KINDS[(i + k) % len(KINDS)]
            targets.append((len(targets) + 1, i, f"https://{domain}/{kind}", kind))
    conn.executemany(
        "INSERT INTO targets (id, site_id, url, kind, browser, steps, active) "
        "VALUES (?, ?, ?, ?, 'auto', '[]', 1)", targets)
    conn.executemany(
        "INSERT INTO option_lists (id, sha256, option_count, options) VALUES (?, ?, ?, ?)",
        [(n, f"{n:064x}", len(opts), json.dumps(opts))
         for n, opts in ((1, WORLD), (2, WITH_XK), (3, QUALIFIED))])
    conn.executemany(
        "INSERT INTO runs (id, started_at, finished_at, status, settings, counts, "
        "engine_version) VALUES (?, ?, ?, 'finished', '{\"kind\": \"synthetic\"}', '{}', "
        "'synthetic')",
        [(d + 1, _stamp(start + timedelta(days=d)),
          _stamp(start + timedelta(days=d, hours=2))) for d in range(days)])
    courses = {t[0]: _course(rng, days) for t in targets}
    fingerprints = {t[0]: (rng.choice(UPSTREAM_MISSING) if rng.random() < 0.3 else None)
                    for t in targets}
    reports: dict[tuple[str, int], str] = {}
    list_of = {"missing": 1, "partial": 1, "listed": 2, "wrong_code": 2,
               "listed_qualified": 3, "restricted": 1, "free_text": None}

    def rows() -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...] | None]]:
        check_id = 0
        for day in range(days):
            base = start + timedelta(days=day)
            for target_id, _site_id, url_, _kind in targets:
                check_id += 1
                verdict = courses[target_id][day]
                reason = None
                if rng.random() < failure_rate:
                    verdict, reason = rng.choice((("error", "timeout"), ("blocked", "bot_wall"),
                                                  ("error", "http_5xx")))
                conclusive = verdict not in ("error", "blocked", "no_country_field")
                key = (verdict, target_id if fingerprints[target_id] else 0)
                if key not in reports:
                    fields = ([_field(verdict, rng, fingerprints[target_id])]
                              if conclusive and verdict != "free_text" else [])
                    reports[key] = json.dumps({"verdict": verdict, "reason": reason,
                                               "method": "static", "fields": fields,
                                               "evidence": {"html_sha256": None,
                                                            "screenshot": None}})
                check = (check_id, day + 1, target_id,
                         _stamp(base + timedelta(seconds=target_id)), "XK", "static",
                         verdict, reason, 1 if conclusive else 0, url_,
                         200 if conclusive else None, reports[key])
                field = None
                if conclusive and verdict != "free_text":
                    shown = "missing" if verdict == "partial" else verdict
                    listed = shown in ("listed", "wrong_code", "listed_qualified")
                    field = (check_id, 0, "country", "select", "#country", "Country", shown,
                             "Kosovo" if listed else None, "XK" if listed else None,
                             250, 249, fingerprints[target_id],
                             0.99 if fingerprints[target_id] else None, list_of[verdict])
                yield check, field

    checks: list[tuple[Any, ...]] = []
    fields: list[tuple[Any, ...]] = []
    count = 0

    def flush() -> None:
        conn.executemany(
            "INSERT INTO checks (id, run_id, target_id, checked_at, territory, method, "
            "verdict, reason, conclusive, final_url, http_status, report) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", checks)
        conn.executemany(
            "INSERT INTO field_results (check_id, position, kind, widget, selector, label, "
            "verdict, kosovo_label, kosovo_value, option_count, country_count, "
            "fingerprint_source, fingerprint_similarity, option_list_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", fields)
        checks.clear()
        fields.clear()

    for check, field in rows():
        checks.append(check)
        if field is not None:
            fields.append(field)
        count += 1
        if len(checks) >= 20_000:
            flush()
    flush()
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    return Built(path=path, sites=sites, targets=len(targets), checks=count,
                 first_domain=names[0][1])
