"""The history queries and the read model on a history built here: current status (an error
never overwrites the last conclusive verdict), site status, wins and regressions with their
dates, site counts over time by part, timelines, and a constant number of statements."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, insert

from db import history as model
from db import queries
from db.models import Check, Run, Site, Target
from db.session import Database
from db.store import finish_run, record_check, start_run
from db.verdicts import site_verdict, transition_kind
from tests.db_fixtures import database, db_url, postgres_base  # noqa: F401

DAY1 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday


def day(n: int) -> datetime:
    return DAY1 + timedelta(days=n - 1)


def report(verdict: str, when: datetime, reason: str | None = None) -> dict[str, Any]:
    conclusive = verdict not in ("error", "blocked", "no_country_field")
    fields = [{"kind": "country", "widget": "select", "selector": "#c", "verdict": verdict,
               "option_count": 250, "country_count": 249,
               "kosovo": {"label": "Kosovo", "value": "XK", "dial_code": None}
               if verdict.startswith("listed") else None,
               "options": [["XK", "Kosovo"]] if verdict.startswith("listed") else [["RS", "S"]]}
              ] if conclusive else []
    return {"source": "x", "final_url": "x", "checked_at": when.isoformat(), "territory": "XK",
            "method": "static", "verdict": verdict, "reason": reason, "fields": fields,
            "evidence": {"html_sha256": None, "screenshot": None}}


# target -> {day: (verdict, reason)}
HISTORY: dict[str, dict[int, tuple[str, str | None]]] = {
    "A1": {1: ("missing", None), 2: ("missing", None), 3: ("error", "timeout"),
           4: ("listed", None), 5: ("error", "http_5xx")},
    "A2": {1: ("listed", None), 3: ("no_country_field", None), 5: ("missing", None)},
    "B1": {1: ("blocked", "bot_wall"), 2: ("blocked", "bot_wall")},
    "C1": {1: ("listed_qualified", None), 2: ("listed", None)},
    "C2": {},
    "D1": {1: ("listed", None)},
}
SITES = {"A": "shop.example.com", "B": "news.example.org", "C": "travel.example.net",
         "D": "old.example.com"}


@pytest.fixture
def history(database: Database) -> dict[str, int]:  # noqa: F811
    """Builds the history above; returns target ids by name."""
    ids: dict[str, int] = {}
    with database.scope(write=True) as session:
        sites = {key: Site(domain=domain, name=f"Site {key}", active=key != "D")
                 for key, domain in SITES.items()}
        targets = {name: Target(site=sites[name[0]], url=f"https://{SITES[name[0]]}/{name}",
                                kind="signup") for name in HISTORY}
        session.add_all([*sites.values(), *targets.values()])
        session.flush()
        ids = {name: t.id for name, t in targets.items()}
    for n in range(1, 6):
        with database.scope(write=True) as session:
            run = start_run(session, {"day": n}, started_at=day(n))
            for name, days in HISTORY.items():
                if n in days:
                    verdict, reason = days[n]
                    record_check(session, run_id=run.id, target_id=ids[name],
                                 report=report(verdict, day(n), reason))
            finish_run(session, run.id, finished_at=day(n) + timedelta(hours=1))
    return ids


def test_current_status_keeps_the_last_conclusive_verdict(database: Database,  # noqa: F811
                                                          history: dict[str, int]) -> None:
    with database.scope() as session:
        status = queries.current_status(session)
    by_url = {t.url.rsplit("/", 1)[1]: t for t in status.targets}
    assert set(by_url) == {"A1", "A2", "B1", "C1", "C2"}  # D is retired

    a1 = by_url["A1"]
    assert (a1.verdict, a1.reason, a1.checked_at, a1.method) == \
        ("error", "http_5xx", day(5), "static")
    assert a1.last_conclusive is not None
    assert (a1.last_conclusive.verdict, a1.last_conclusive.checked_at) == ("listed", day(4))
    assert a1.status == "listed" and a1.stale
    assert a1.conclusive_age(now=day(6)) == timedelta(days=2)
    assert a1.site == "shop.example.com"

    a2 = by_url["A2"]
    assert (a2.verdict, a2.status, a2.stale) == ("missing", "missing", False)

    b1 = by_url["B1"]
    assert (b1.verdict, b1.reason, b1.last_conclusive, b1.status) == \
        ("blocked", "bot_wall", None, "blocked")
    c2 = by_url["C2"]
    assert (c2.verdict, c2.checked_at, c2.last_conclusive, c2.status) == \
        (None, None, None, "unchecked")

    sites = {s.domain: s for s in status.sites}
    assert set(sites) == {"shop.example.com", "news.example.org", "travel.example.net"}
    shop = sites["shop.example.com"]
    # A1 listed (from day 4, despite the day-5 error) + A2 missing = partial.
    assert (shop.status, shop.targets, shop.conclusive_targets, shop.stale_targets) == \
        ("partial", 2, 2, 1)
    assert (shop.oldest_conclusive_at, shop.latest_conclusive_at, shop.latest_check_at) == \
        (day(4), day(5), day(5))
    assert shop.verdicts == {"listed": 1, "missing": 1}
    assert sites["news.example.org"].status == "unknown"
    assert sites["travel.example.net"].status == "listed"
    assert queries.verdict_counts(status.sites) == {"listed": 1, "partial": 1, "unknown": 1}

    as_json = a1.to_dict()
    assert as_json["checked_at"] == "2026-11-06T09:00:00Z"
    assert as_json["last_conclusive"]["verdict"] == "listed"
    assert as_json["status"] == "listed" and as_json["stale"] is True


def test_current_status_of_one_site_and_with_inactive(database: Database,  # noqa: F811
                                                      history: dict[str, int]) -> None:
    with database.scope() as session:
        one = queries.current_status(session, site="SHOP.example.com")
        everything = queries.current_status(session, include_inactive=True)
        other_territory = queries.current_status(session, territory="TW")
    assert [t.url for t in one.targets] == ["https://shop.example.com/A1",
                                           "https://shop.example.com/A2"]
    assert [s.domain for s in one.sites] == ["shop.example.com"]
    retired = [t for t in everything.targets if t.site == "old.example.com"]
    assert len(retired) == 1 and retired[0].status == "listed" and not retired[0].active
    assert all(t.verdict is None for t in other_territory.targets)


def test_wins_and_regressions_with_dates(database: Database,  # noqa: F811
                                        history: dict[str, int]) -> None:
    every = ("win", "regression", "other")
    with database.scope() as session:
        found = model.changes(session, kinds=every)
        recent = model.changes(session, kinds=every, since=day(3))
        shop = model.changes(session, kinds=every, site="shop.example.com")
    summary = [(c.target_url.rsplit("/", 1)[1], c.before, c.after, c.kind, c.at, c.previous_at)
               for c in found if c.target_url]
    assert summary == [
        ("C1", "listed_qualified", "listed", "other", day(2), day(1)),
        # The day-3 error is not a change: the win is dated day 4, last missing on day 2.
        ("A1", "missing", "listed", "win", day(4), day(2)),
        # no_country_field on day 3 is not conclusive either.
        ("A2", "listed", "missing", "regression", day(5), day(1)),
    ]
    assert [c.kind for c in recent] == ["win", "regression"]
    assert {c.site for c in shop} == {"shop.example.com"}
    assert found[1].to_dict()["at"] == "2026-11-05T09:00:00Z"


def test_site_counts_over_time_by_part(database: Database,  # noqa: F811
                                       history: dict[str, int]) -> None:
    with database.scope() as session:
        daily = model.share_over_time(session).overall
        weekly = model.share_over_time(session, "week").overall
        monthly = model.share_over_time(session, "month").overall
        later = model.share_over_time(session, since=date(2026, 11, 4),
                                        until=date(2026, 11, 8)).overall
    rows = [(r.date.day, r.listed, r.qualified, r.partial, r.missing, r.unknown) for r in daily]
    assert rows == [
        (2, 0, 1, 1, 0, 1),  # A partial (A1 missing, A2 listed), B unknown, C qualified
        (3, 1, 0, 1, 0, 1),  # C1 listed
        (4, 1, 0, 1, 0, 1),  # error / no_country_field change nothing
        (5, 2, 0, 0, 0, 1),  # A1 listed: A listed
        (6, 1, 0, 1, 0, 1),  # A2 missing: A partial again
    ]
    # The share is of the judged sites, those listing Kosovo as a country of its own.
    assert daily[3].share == 1.0 and daily[0].share == 0.0 and daily[0].sites == 3
    assert daily[1].share == 0.5 and daily[1].judged == 2
    assert [(r.date, r.present, r.excluding) for r in weekly] == [(date(2026, 11, 2), 1, 1)]
    assert [(r.date, r.present, r.excluding) for r in monthly] == [(date(2026, 11, 1), 1, 1)]
    # State before `since` is carried in; the series runs to `until` without gaps.
    assert [(r.date.day, r.listed) for r in later] == [(4, 1), (5, 2), (6, 1), (7, 1), (8, 1)]
    assert daily[0].to_dict() == {"date": "2026-11-02", "listed": 0, "listed_qualified": 1,
                                  "wrong_code": 0, "partial": 1, "missing": 0, "neutral": 0,
                                  "unknown": 1, "sites": 3, "judged": 2, "share": 0.0}
    with pytest.raises(ValueError):
        model.share_over_time(session, "year")  # type: ignore[arg-type]


def test_target_timeline_and_latest_run(database: Database,  # noqa: F811
                                        history: dict[str, int]) -> None:
    with database.scope() as session:
        timeline = queries.target_timeline(session, history["A1"])
        run = queries.latest_run(session)
    assert [(e.checked_at, e.verdict, e.conclusive) for e in timeline] == [
        (day(1), "missing", True), (day(2), "missing", True), (day(3), "error", False),
        (day(4), "listed", True), (day(5), "error", False)]
    assert timeline[3].fields[0].verdict == "listed"
    assert timeline[3].fields[0].option_list_sha256 is not None
    assert timeline[2].fields == () and timeline[2].reason == "timeout"
    assert run is not None
    assert (run.settings, run.status, run.checks, run.started_at) == \
        ({"day": 5}, "finished", 2, day(5))
    assert run.counts["verdicts"] == {"error": 1, "missing": 1}


def test_empty_database(database: Database) -> None:  # noqa: F811
    with database.scope() as session:
        assert queries.current_status(session).targets == []
        assert model.changes(session) == []
        assert model.share_over_time(session).overall == []
        assert queries.latest_run(session) is None


@contextmanager
def counted_statements(database: Database) -> Iterator[list[str]]:  # noqa: F811
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "SAVEPOINT")):
            statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", count)


def _bulk_history(database: Database, sites: int, targets_per_site: int,  # noqa: F811
                  days: int) -> None:
    """A large history written straight through Core (record_check is tested elsewhere)."""
    verdicts = ("listed", "missing", "error", "listed", "listed_qualified", "blocked")
    with database.scope(write=True) as session:
        session.execute(insert(Site), [{"domain": f"s{i}.example.com", "name": f"S{i}",
                                        "active": True} for i in range(sites)])
        site_ids = [s.id for s in session.query(Site).order_by(Site.id)]
        session.execute(insert(Target), [
            {"site_id": sid, "url": f"https://s{sid}.example.com/{k}", "kind": "signup",
             "browser": "auto", "steps": [], "active": True}
            for sid in site_ids for k in range(targets_per_site)])
        target_ids = [t.id for t in session.query(Target)]
        session.execute(insert(Run), [{"started_at": day(1) + timedelta(days=d),
                                       "status": "finished", "settings": {}, "counts": {}}
                                      for d in range(days)])
        run_ids = [r.id for r in session.query(Run).order_by(Run.id)]
        rows = []
        for d, run_id in enumerate(run_ids):
            for t in target_ids:
                verdict = verdicts[(t * 7 + d // 30) % len(verdicts)]
                rows.append({"run_id": run_id, "target_id": t, "territory": "XK",
                             "checked_at": day(1) + timedelta(days=d, seconds=t),
                             "method": "static", "verdict": verdict, "report": {},
                             "conclusive": verdict not in ("error", "blocked")})
        session.execute(insert(Check), rows)


def test_queries_use_a_fixed_number_of_statements(database: Database) -> None:  # noqa: F811
    """No N+1: the statement count does not grow with sites, targets or days."""
    _bulk_history(database, sites=100, targets_per_site=2, days=60)  # 12,000 checks
    with database.scope() as session, counted_statements(database) as statements:
        started = time.perf_counter()
        status = queries.current_status(session)
        elapsed = time.perf_counter() - started
        assert len(statements) == 1
        assert len(status.targets) == 200 and len(status.sites) == 100
        del statements[:]
        assert model.changes(session)
        assert len(statements) == 1
        del statements[:]
        share = model.share_over_time(session).overall
        assert len(statements) == 2 and len(share) == 60
        del statements[:]
        queries.target_timeline(session, status.targets[0].target_id)
        assert len(statements) == 2
    assert elapsed < 2.0


def test_verdict_rules() -> None:
    assert site_verdict([]) == "unknown"
    assert site_verdict(["error", "no_country_field"]) == "unknown"
    assert site_verdict(["listed", "missing"]) == "partial"
    assert site_verdict(["wrong_code", "missing"]) == "partial"
    assert site_verdict(["restricted", "missing"]) == "missing"
    assert site_verdict(["listed", "listed_qualified"]) == "listed_qualified"
    assert site_verdict(["listed", "restricted", "free_text"]) == "listed"
    assert site_verdict(["free_text", "restricted"]) == "restricted"
    assert transition_kind("missing", "listed") == "win"
    assert transition_kind("partial", "listed_qualified") == "win"
    assert transition_kind("listed_qualified", "missing") == "regression"
    assert transition_kind("listed", "partial") == "regression"
    assert transition_kind("missing", "wrong_code") == "other"
    assert transition_kind("listed", "restricted") == "other"
