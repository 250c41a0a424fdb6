"""The read model (db.history) and the report's analytics on the known history of
``tests/report_history.py``, on SQLite and PostgreSQL: wins, regressions and time to fix;
site counts by part per day and category; statuses at a moment; upstream libraries; company
timelines; what the last run changed. Every number here was worked out by hand from the
history's comments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from db import queries
from db.history import UpstreamUse, changes, share_over_time, site_statuses, upstream_users
from db.session import Database
from reports.analytics import (
    company_timelines,
    fix_times,
    headline,
    headline_by_category,
    run_changes,
    worst_excluders,
)
from tests.db_fixtures import database, db_url, postgres_base  # noqa: F401
from tests.report_history import Built, build_history

NOV = datetime(2026, 11, 1, tzinfo=UTC)
DEC = datetime(2026, 12, 1, tzinfo=UTC)


def at(month: int, day: int, minute: int) -> datetime:
    return datetime(2026, month, day, 9, minute, tzinfo=UTC)


@pytest.fixture
def built(database: Database) -> Built:  # noqa: F811
    return build_history(database)


def test_target_wins_regressions_and_time_to_fix(database: Database,  # noqa: F811
                                                 built: Built) -> None:
    with database.scope() as session:
        found = changes(session)
        every = changes(session, kinds=("first_seen", "win", "regression", "other"))
        november = changes(session, since=NOV, until=DEC)
    assert [(c.kind, c.target_url, c.before, c.after, c.at, c.previous_at, c.excluded_since,
             c.time_to_fix) for c in found] == [
        ("regression", "https://shop.acme.test/checkout", "listed", "missing", at(11, 9, 2),
         at(11, 2, 2), None, None),
        ("win", "https://shop.acme.test/register", "missing", "listed", at(11, 16, 1),
         at(11, 2, 1), at(10, 26, 1), timedelta(days=21)),
        ("win", "https://shop.acme.test/checkout", "missing", "listed", at(11, 23, 2),
         at(11, 9, 2), at(11, 9, 2), timedelta(days=14)),
        ("regression", "https://travel.acme.test/book", "listed", "missing", at(11, 23, 3),
         at(11, 16, 3), None, None),
        # first seen missing on 2 Nov, partial on 23 Nov (still excluding), listed 1 Dec
        ("win", "https://globex.test/signup", "partial", "listed", at(12, 1, 4),
         at(11, 23, 4), at(11, 2, 4), timedelta(days=29)),
    ]
    # The default kinds are the wins and regressions among every change.
    assert [(c.check_id, c.kind) for c in every if c.kind in ("win", "regression")] == [
        (c.check_id, c.kind) for c in found]
    assert found[1].company == "Acme Corp" and found[1].category == "e-commerce"
    assert [c.at for c in november] == [at(11, 9, 2), at(11, 16, 1), at(11, 23, 2),
                                        at(11, 23, 3)]
    summary = fix_times(november)
    assert (summary.count, summary.median, summary.mean, summary.shortest,
            summary.longest) == (2, timedelta(days=17.5), timedelta(days=17.5),
                                 timedelta(days=14), timedelta(days=21))
    assert fix_times([]).count == 0 and fix_times([]).median is None
    assert found[1].to_dict()["time_to_fix"] == 21 * 86400
    assert found[1].to_dict()["at"] == "2026-11-16T09:01:00Z"


def test_site_changes_are_per_run(database: Database, built: Built) -> None:  # noqa: F811
    every = ("first_seen", "win", "regression", "other")
    with database.scope() as session:
        found = changes(session, level="site", kinds=every)
        shop = changes(session, level="site", site="SHOP.acme.test")
    assert [(c.kind, c.site, c.before, c.after, c.at, c.time_to_fix) for c in found] == [
        ("first_seen", "shop.acme.test", None, "partial", at(10, 26, 2), None),
        ("first_seen", "travel.acme.test", None, "listed_qualified", at(10, 26, 3), None),
        ("first_seen", "evil.test", None, "missing", at(10, 26, 5), None),
        ("first_seen", "globex.test", None, "missing", at(11, 2, 4), None),
        ("other", "shop.acme.test", "partial", "missing", at(11, 9, 2), None),
        ("other", "travel.acme.test", "listed_qualified", "listed", at(11, 9, 3), None),
        # T1 listed while T2 is blocked: T2's missing still counts, so partial.
        ("other", "shop.acme.test", "missing", "partial", at(11, 16, 1), None),
        ("win", "shop.acme.test", "partial", "listed", at(11, 23, 2), timedelta(days=28)),
        ("regression", "travel.acme.test", "listed", "missing", at(11, 23, 3), None),
        ("other", "globex.test", "missing", "partial", at(11, 23, 4), None),
        ("win", "globex.test", "partial", "listed", at(12, 1, 4), timedelta(days=29)),
    ]
    assert all(c.target_url is None for c in found)
    assert [c.kind for c in shop] == ["win"]
    assert shop[0].excluded_since == at(10, 26, 2) and shop[0].previous_at == at(11, 16, 1)


def test_statuses_at_a_moment_and_worst_excluders(database: Database,  # noqa: F811
                                                  built: Built) -> None:
    with database.scope() as session:
        end_of_november = site_statuses(session, DEC)
        start_of_november = site_statuses(session, NOV)
        now = site_statuses(session)
        current = queries.current_status(session)
    assert {s.domain: s.status for s in end_of_november} == {
        "shop.acme.test": "listed", "travel.acme.test": "missing", "globex.test": "partial",
        "evil.test": "missing", "nocat.test": "unknown"}
    # globex.test was first checked on 2 November
    assert {s.domain: s.status for s in start_of_november} == {
        "shop.acme.test": "partial", "travel.acme.test": "listed_qualified",
        "evil.test": "missing", "nocat.test": "unknown"}
    # "now" is the dashboard's rule: the same site statuses as db.queries.current_status.
    assert {s.domain: s.status for s in now} == {s.domain: s.status for s in current.sites}
    shop = next(s for s in now if s.domain == "shop.acme.test")
    # T1's last check is an error: its status is still its last conclusive verdict.
    assert [(t.url, t.status) for t in shop.targets] == [
        ("https://shop.acme.test/checkout", "listed"),
        ("https://shop.acme.test/register", "listed")]

    h = headline(end_of_november, DEC)
    assert (h.sites, h.listed, h.qualified, h.partial, h.missing, h.neutral, h.unknown,
            h.targets) == (5, 1, 0, 1, 2, 0, 1, 6)
    assert h.share == pytest.approx(0.25)
    # At the start of November the only site with Kosovo listed it under another state: it
    # is its own part, never counted as listing.
    start = headline(start_of_november)
    assert (start.listed, start.qualified, start.share) == (0, 1, 0.0)
    assert headline(now).share == pytest.approx(0.5)
    assert headline([]).share is None
    assert h.to_dict()["listed_qualified"] == 0 and h.to_dict()["judged"] == 4
    categories = headline_by_category(end_of_november)
    assert {name: (c.listed, c.excluding, c.unknown) for name, c in categories.items()} == {
        "e-commerce": (1, 1, 0), "fintech": (0, 1, 0), "travel": (0, 1, 0),
        "uncategorised": (0, 0, 1)}

    worst = worst_excluders(end_of_november)
    assert [(s.domain, s.excluded_since) for s in worst] == [
        ("evil.test", at(10, 26, 5)), ("globex.test", at(11, 2, 4)),
        ("travel.acme.test", at(11, 23, 3))]
    assert [s.domain for s in worst_excluders(end_of_november, 1)] == ["evil.test"]


def test_share_over_time_per_day_and_category(database: Database,  # noqa: F811
                                              built: Built) -> None:
    with database.scope() as session:
        series = share_over_time(session, "day")
        now = headline(site_statuses(session))
        weekly = share_over_time(session, "week", since=date(2026, 11, 2),
                                 until=date(2026, 11, 30))
    by_day = {p.date: (p.present, p.excluding, p.neutral, p.unknown) for p in series.overall}
    assert len(series.overall) == 37  # 26 Oct to 1 Dec
    assert by_day[date(2026, 10, 26)] == (1, 2, 0, 1)
    assert by_day[date(2026, 11, 1)] == (1, 2, 0, 1)
    assert by_day[date(2026, 11, 2)] == (1, 3, 0, 1)
    assert by_day[date(2026, 11, 30)] == (1, 3, 0, 1)
    assert by_day[date(2026, 12, 1)] == (2, 2, 0, 1)
    assert series.overall[-1].share == pytest.approx(0.5)
    # The parts of the first day: travel under another state, shop partly, evil wholly out.
    first = series.overall[0]
    assert (first.listed, first.qualified, first.wrong_code, first.partial, first.missing) == (
        0, 1, 0, 1, 1)
    # The last point equals the statuses now (the cards), part by part.
    assert series.overall[-1].counts == now.counts

    assert list(series.by_category) == ["e-commerce", "fintech", "travel", "uncategorised"]
    for points in series.by_category.values():
        assert [p.date for p in points] == [p.date for p in series.overall]

    def on(category: str, day: date) -> tuple[int, int, int, int]:
        point = next(p for p in series.by_category[category] if p.date == day)
        return point.present, point.excluding, point.neutral, point.unknown

    assert on("e-commerce", date(2026, 10, 26)) == (0, 2, 0, 0)
    assert on("e-commerce", date(2026, 11, 30)) == (1, 1, 0, 0)
    assert on("fintech", date(2026, 10, 26)) == (0, 0, 0, 0)  # not tracked yet
    assert on("fintech", date(2026, 12, 1)) == (1, 0, 0, 0)
    assert on("travel", date(2026, 11, 16)) == (1, 0, 0, 0)
    assert on("travel", date(2026, 11, 23)) == (0, 1, 0, 0)
    assert on("uncategorised", date(2026, 11, 30)) == (0, 0, 0, 1)

    assert [(p.date, p.present, p.excluding) for p in weekly.overall] == [
        (date(2026, 11, 2), 1, 3), (date(2026, 11, 9), 1, 3), (date(2026, 11, 16), 1, 3),
        (date(2026, 11, 23), 1, 3), (date(2026, 11, 30), 2, 2)]
    with pytest.raises(ValueError):
        share_over_time(session, "year")  # type: ignore[arg-type]


def test_upstream_libraries_of_the_current_lists(database: Database,  # noqa: F811
                                                built: Built) -> None:
    with database.scope() as session:
        november = upstream_users(session, DEC, unidentified=True)
        now = upstream_users(session)
        before_anything = upstream_users(session, datetime(2026, 1, 1, tzinfo=UTC))
    # T4's partial page and T5 match i18n-iso-countries; T3 django-countries; T5's dial-code
    # list matches nothing known; T2's old-style attribution is not vouched for.
    assert [(u.source, u.sites_without, u.sites_with) for u in november] == [
        ("i18n-iso-countries", ("evil.test", "globex.test"), ()),
        ("django-countries", ("travel.acme.test",), ()),
        ("unidentified", ("evil.test",), ())]
    assert november[0].name == "i18n-iso-countries"
    # T4 was fixed on 1 December; its list with Kosovo matches i18n-iso-countries too, and
    # counts as a site listing Kosovo, never as one without it.
    assert [(u.source, u.sites_without, u.sites_with) for u in now] == [
        ("i18n-iso-countries", ("evil.test",), ("globex.test",)),
        ("django-countries", ("travel.acme.test",), ())]
    assert isinstance(now[0], UpstreamUse) and before_anything == []


def test_company_timelines(database: Database, built: Built) -> None:  # noqa: F811
    with database.scope() as session:
        timelines = company_timelines(session)
        globex = company_timelines(session, "Globex")
    assert [t.company for t in timelines] == ["Acme Corp", "Evil & Co", "Globex"]
    acme = timelines[0]
    assert [(s.domain, s.status) for s in acme.sites] == [("shop.acme.test", "listed"),
                                                          ("travel.acme.test", "missing")]
    assert [(e.site, e.kind) for e in acme.events] == [
        ("shop.acme.test", "first_seen"), ("travel.acme.test", "first_seen"),
        ("shop.acme.test", "other"), ("travel.acme.test", "other"),
        ("shop.acme.test", "other"), ("shop.acme.test", "win"),
        ("travel.acme.test", "regression")]
    assert [(e.kind, e.after) for e in timelines[1].events] == [("first_seen", "missing")]
    assert len(globex) == 1
    assert [(e.kind, e.at) for e in globex[0].events] == [
        ("first_seen", at(11, 2, 4)), ("other", at(11, 23, 4)), ("win", at(12, 1, 4))]
    assert globex[0].to_dict()["events"][2]["time_to_fix"] == 29 * 86400


def test_what_changed_since_the_previous_run(database: Database,  # noqa: F811
                                             built: Built) -> None:
    with database.scope() as session:
        last = run_changes(session)
        fifth = run_changes(session, built.runs[5])
        second = run_changes(session, built.runs[2])
        first = run_changes(session, built.runs[1])
        with pytest.raises(LookupError):
            run_changes(session, 10_000)
    assert last is not None and fifth is not None and second is not None and first is not None
    assert (last.run_id, last.previous_run_id, last.checks, last.previous_checks) == (
        built.runs[6], built.runs[5], 6, 5)
    assert [(c.kind, c.target_url, c.before, c.after) for c in last.changes] == [
        ("win", "https://globex.test/signup", "partial", "listed")]
    assert last.first_seen == []
    # Errors keep the last conclusive status in place.
    assert [(u.target_url, u.verdict, u.reason, u.status_kept) for u in last.unseen] == [
        ("https://nocat.test/join", "error", "timeout", "unknown"),
        ("https://shop.acme.test/register", "error", "http_5xx", "listed")]
    assert last.not_checked == []

    # Run 5 against run 4: T2's "before" is its missing of run 3 (run 4 was blocked).
    assert [(c.kind, c.target_url, c.before) for c in fifth.changes] == [
        ("win", "https://shop.acme.test/checkout", "missing"),
        ("regression", "https://travel.acme.test/book", "listed"),
        ("other", "https://globex.test/signup", "missing")]
    assert fifth.unseen == [] and fifth.not_checked == ["https://nocat.test/join"]

    assert [(c.kind, c.target_url) for c in second.first_seen] == [
        ("first_seen", "https://globex.test/signup")]
    assert [(u.target_url, u.verdict, u.status_kept) for u in second.unseen] == [
        ("https://nocat.test/join", "error", "unknown"),
        ("https://travel.acme.test/book", "no_country_field", "listed_qualified")]
    assert first.previous_run_id is None and len(first.first_seen) == 4


def test_empty_database(database: Database) -> None:  # noqa: F811
    with database.scope() as session:
        assert changes(session) == []
        assert site_statuses(session) == []
        assert share_over_time(session).overall == []
        assert upstream_users(session) == []
        assert run_changes(session) is None
        assert company_timelines(session) == []
