"""A known history for the open-data tests: five sites of three companies, six targets, six
weekly runs from 26 October to 1 December 2026, with wins, regressions, errors, blocks and a
page without a country field in between. Built through ``db.store.record_check``.

The expected numbers are worked out by hand in the tests; the comments here say what each
target does. Checks of target ``Tn`` are made at the run's start plus ``n`` minutes, so the
durations come out in whole days.

Hostile strings ride along: a site name with a ``<script>`` tag, field labels that a
spreadsheet would run as formulas, a control character.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from db.models import Company, Site, Target
from db.session import Database
from db.store import finish_run, record_check, start_run

RUNS = {1: datetime(2026, 10, 26, 9, 0, tzinfo=UTC), 2: datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
        3: datetime(2026, 11, 9, 9, 0, tzinfo=UTC), 4: datetime(2026, 11, 16, 9, 0, tzinfo=UTC),
        5: datetime(2026, 11, 23, 9, 0, tzinfo=UTC), 6: datetime(2026, 12, 1, 9, 0, tzinfo=UTC)}
HOSTILE_NAME = '<script>alert("x")</script> Evil Shop'

# domain: (name, company, category)
SITES: dict[str, tuple[str, str | None, str | None]] = {
    "shop.acme.test": ("Acme Shop", "Acme Corp", "e-commerce"),
    "travel.acme.test": ("Acme Travel", "Acme Corp", "travel"),
    "globex.test": ("Globex Pay", "Globex", "fintech"),
    "evil.test": (HOSTILE_NAME, "Evil & Co", "e-commerce"),
    "nocat.test": ("Nowhere", None, None),
}
# target: (site, url, kind)
TARGETS: dict[str, tuple[str, str, str]] = {
    "T1": ("shop.acme.test", "https://shop.acme.test/register", "signup"),
    "T2": ("shop.acme.test", "https://shop.acme.test/checkout", "checkout"),
    "T3": ("travel.acme.test", "https://travel.acme.test/book", "checkout"),
    "T4": ("globex.test", "https://globex.test/signup", "signup"),
    "T5": ("evil.test", "https://evil.test/account", "signup"),
    "T6": ("nocat.test", "https://nocat.test/join", "signup"),
}
Spec = str | tuple[str, str]
HISTORY: dict[str, dict[int, Spec]] = {
    # missing twice, an error, then listed: a win on 16 Nov after 21 days; an error after.
    "T1": {1: "missing", 2: "missing", 3: ("error", "timeout"), 4: "listed", 5: "listed",
           6: ("error", "http_5xx")},
    # regression on 9 Nov, blocked, then listed again: a win on 23 Nov after 14 days.
    "T2": {1: "listed", 2: "listed", 3: "missing", 4: ("blocked", "bot_wall"), 5: "listed",
           6: "listed"},
    # qualified, no field (ignored), listed (other), then a regression on 23 Nov.
    "T3": {1: "listed_qualified", 2: "no_country_field", 3: "listed", 4: "listed",
           5: "missing", 6: "missing"},
    # first seen missing on 2 Nov, partial (still excluding), listed on 1 Dec: 29 days.
    "T4": {2: "missing", 3: "missing", 4: "missing", 5: "partial", 6: "listed"},
    # excluding throughout, with two lists, one fingerprinted.
    "T5": {n: "missing" for n in range(1, 7)},
    # never seen a form.
    "T6": {1: ("blocked", "bot_wall"), 2: ("error", "dns"), 4: ("blocked", "captcha"),
           6: ("error", "timeout")},
}
COUNTRIES = [["AL", "Albania"], ["DE", "Germany"], ["RS", "Serbia"]]


def _field(verdict: str, **extra: Any) -> dict[str, Any]:
    field: dict[str, Any] = {
        "kind": "country", "widget": "select", "selector": "#country", "name": "country",
        "id": "country", "label": "Country", "option_count": 250, "country_count": 249,
        "verdict": verdict, "kosovo": None, "qualifier": None, "fingerprint": None,
        "options": COUNTRIES}
    field.update(extra)
    return field


KOSOVO = {"label": "Kosovo", "value": "XK", "dial_code": None}
# Attributions as the engine stores them (checks.fingerprint).
I18N_OLD = {"source": "i18n-iso-countries", "similarity": 0.99, "versions": "0.12.1 to 1.6.0",
            "name": "i18n-iso-countries 0.12.1 to 1.6.0",
            "fix": "Update i18n-iso-countries to 1.10.0 or later: from that release its list "
                   "includes Kosovo (XK)."}
I18N_NEW = {"source": "i18n-iso-countries", "similarity": 1.0, "versions": "7.8.0 to 7.14.0",
            "name": "i18n-iso-countries 7.8.0 to 7.14.0", "fix": None}
DJANGO = {"source": "django-countries", "similarity": 0.985, "versions": "8.0.0 to 9.0.0",
          "name": "django-countries 8.0.0 to 9.0.0",
          "fix": "django-countries does not include Kosovo. Add it in settings.py: "
                 "COUNTRIES_OVERRIDE = {\"XK\": _(\"Kosovo\")}."}


def fields_for(target: str, verdict: str) -> list[dict[str, Any]]:
    """The fields each target shows for a page verdict (none when the form was not seen)."""
    if verdict in ("error", "blocked", "no_country_field"):
        return []
    if target == "T1" and verdict == "listed":
        return [_field("listed", kind="phone_country_code", label="\tPhone",
                       kosovo={"label": "Kosovo", "value": "XK", "dial_code": "+383"},
                       options=[*COUNTRIES, ["XK", "Kosovo"]])]
    if target == "T3" and verdict == "listed_qualified":
        return [_field("listed_qualified", qualifier="Kosovo (Serbia)",
                       kosovo={"label": "Kosovo (Serbia)", "value": "XK", "dial_code": None})]
    if target == "T3" and verdict == "missing":
        return [_field("missing", label="+Country", fingerprint=DJANGO)]
    if target == "T4" and verdict == "partial":
        return [_field("listed", kosovo=KOSOVO),
                _field("missing", selector="#billing", label="Billing country",
                       fingerprint=I18N_OLD)]
    if target == "T4" and verdict == "listed":
        return [_field("listed", kosovo=KOSOVO, fingerprint=I18N_NEW)]
    if target == "T5":
        return [_field("missing", name="@country", label='=HYPERLINK("http://x.test","y")',
                       fingerprint={**I18N_OLD, "similarity": 0.991}),
                _field("missing", kind="phone_country_code", selector="#dial",
                       label="-- Select --\x01", option_count=240, country_count=236)]
    if target == "T2" and verdict == "missing":
        # An attribution stored by an earlier version: a name this database does not know.
        return [_field("missing", fingerprint={"source": "i18n-iso-countries or pycountry",
                                               "similarity": 0.99})]
    if verdict == "missing":
        return [_field("missing", fingerprint=I18N_OLD)]
    return [_field(verdict, kosovo=KOSOVO if verdict.startswith("listed") else None)]


def checked_at(target: str, run: int) -> datetime:
    return RUNS[run] + timedelta(minutes=int(target[1:]))


def report(target: str, run: int) -> dict[str, Any]:
    spec = HISTORY[target][run]
    verdict, reason = (spec, None) if isinstance(spec, str) else spec
    url = TARGETS[target][1]
    return {"source": url, "final_url": url, "checked_at": checked_at(target, run).isoformat(),
            "territory": "XK", "method": "browser" if target == "T4" else "static",
            "verdict": verdict, "reason": reason, "http_status": 200 if reason is None else None,
            "fields": fields_for(target, verdict),
            "evidence": {"html_sha256": f"{int(target[1:]):02d}{run:02d}".ljust(64, "a"),
                         "screenshot": None}}


def expected_rows() -> int:
    """Rows of the full export: one per field, one for a check without fields."""
    return sum(max(1, len(fields_for(t, (s if isinstance(s, str) else s[0]))))
               for t, runs in HISTORY.items() for s in runs.values())


@dataclass(frozen=True, slots=True)
class Built:
    targets: dict[str, int]
    runs: dict[int, int]


def build_history(database: Database) -> Built:
    """Write the catalog and the six runs into ``database``."""
    with database.scope(write=True) as session:
        companies = {name: Company(name=name)
                     for name in {c for _, c, _ in SITES.values() if c}}
        sites = {domain: Site(domain=domain, name=name, category=category,
                              company=companies[company] if company else None)
                 for domain, (name, company, category) in SITES.items()}
        targets = {key: Target(site=sites[site], url=url, kind=kind)
                   for key, (site, url, kind) in TARGETS.items()}
        session.add_all([*companies.values(), *sites.values(), *targets.values()])
        session.flush()
        target_ids = {key: t.id for key, t in targets.items()}
    run_ids: dict[int, int] = {}
    for run, started in RUNS.items():
        with database.scope(write=True) as session:
            stored = start_run(session, {"run": run}, started_at=started,
                               engine_version="0.1.0")
            run_ids[run] = stored.id
            for target in sorted(HISTORY):
                if run in HISTORY[target]:
                    record_check(session, run_id=stored.id, target_id=target_ids[target],
                                 report=report(target, run))
            finish_run(session, stored.id, finished_at=started + timedelta(hours=1))
    return Built(target_ids, run_ids)
