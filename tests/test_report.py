"""The periodic report: periods, the numbers it shows for the known history, inline SVG
charts, escaping of hostile names, the PDF beside it, and the command."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from db.migrate import upgrade
from db.session import Database
from reports import charts
from reports.analytics import Headline
from reports.errors import PeriodError
from reports.periods import default_period, parse_period, previous_month
from reports.report import build_report, render_html, which_pdf_converter, write_report
from tests.db_fixtures import database, db_url, postgres_base  # noqa: F401
from tests.report_history import HOSTILE_NAME, build_history
from xktracker.cli import main

NOW = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(("text", "label", "start", "end"), [
    ("2026-11", "2026-11", date(2026, 11, 1), date(2026, 12, 1)),
    ("2026-12", "2026-12", date(2026, 12, 1), date(2027, 1, 1)),
    ("2026-W47", "2026-W47", date(2026, 11, 16), date(2026, 11, 23)),
    ("2026-w01", "2026-W01", date(2025, 12, 29), date(2026, 1, 5)),
])
def test_periods(text: str, label: str, start: date, end: date) -> None:
    period = parse_period(text)
    assert (period.label, period.start.date(), period.end.date()) == (label, start, end)
    assert period.start.tzinfo is UTC
    assert period.last_day == end - timedelta(days=1)


@pytest.mark.parametrize("text", ["2026-13", "2026-W54", "November", "2026-11-01", ""])
def test_bad_periods(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text)


def test_default_period_is_the_last_complete_month() -> None:
    assert previous_month(date(2026, 12, 5)).label == "2026-11"
    assert previous_month(date(2027, 1, 1)).label == "2026-12"
    assert default_period(date(2026, 12, 5), date(2026, 10, 26)).label == "2026-11"
    assert default_period(date(2026, 12, 5), None).label == "2026-11"
    # A history that began this month has nothing in the last one: this month to date.
    assert default_period(date(2026, 12, 5), date(2026, 12, 1)).label == "2026-12"


def _number(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}">([^<]*)<', html)
    assert match, element_id
    return match.group(1)


def test_monthly_report_numbers_and_escaping(database: Database) -> None:  # noqa: F811
    build_history(database)
    with database.scope() as session:
        data = build_report(session, parse_period("2026-11"), now=NOW)
    h = data.headline
    assert not data.in_progress and data.end == parse_period("2026-11").end
    assert (h.sites, h.listed, h.qualified, h.excluding, h.unknown) == (5, 1, 0, 3, 1)
    assert (data.previous.sites, data.previous.listed, data.previous.qualified,
            data.previous.excluding) == (4, 0, 1, 2)
    assert [c.target_url for c in data.wins] == ["https://shop.acme.test/register",
                                                 "https://shop.acme.test/checkout"]
    assert [c.target_url for c in data.regressions] == ["https://shop.acme.test/checkout",
                                                        "https://travel.acme.test/book"]
    assert [c.site for c in data.site_wins] == ["shop.acme.test"]
    assert [c.site for c in data.site_regressions] == ["travel.acme.test"]
    assert data.fix.median == timedelta(days=17.5)
    assert [s.domain for s in data.worst] == ["evil.test", "globex.test", "travel.acme.test"]
    assert [(u.source, len(u.sites_without)) for u in data.upstream][0] == (
        "i18n-iso-countries", 2)
    assert data.runs == 4 and data.total_checks == 22 and data.unseen_checks == 5
    assert data.checks == {"blocked": 2, "error": 2, "listed": 6, "missing": 10,
                           "no_country_field": 1, "partial": 1}
    assert set(data.charts) == {"share", "categories", "upstream"}

    html = render_html(data)
    assert _number(html, "sites-tracked") == "5"
    assert _number(html, "sites-listed") == "1"
    assert _number(html, "sites-qualified") == "0"
    assert _number(html, "sites-excluding") == "3"
    assert _number(html, "share-listing") == "25.0 %"
    assert _number(html, "wins") == "2"
    assert _number(html, "regressions") == "2"
    assert _number(html, "median-fix") == "17.5 days"
    assert "was 0.0 %" in html  # its only site with Kosovo listed it under another state
    assert html.count("<svg") == 3
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html
    # Scraped and catalog text is escaped everywhere; the page itself has no script.
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Evil Shop" in html
    assert "Evil &amp; Co" in html
    assert "ODbL-1.0" in html and "Open Database License" in html
    # Self-contained: no external stylesheet, script, image or font.
    assert not re.search(r"<link|<img|\bsrc=|url\((?!#)|@import", html)
    assert 'id="chart-share"' in html


def test_weekly_report(database: Database) -> None:  # noqa: F811
    build_history(database)
    with database.scope() as session:
        data = build_report(session, parse_period("2026-W47"), now=NOW)
    assert [c.target_url for c in data.wins] == ["https://shop.acme.test/register"]
    assert data.regressions == [] and data.runs == 1
    html = render_html(data)
    assert "week 47 of 2026 (2026-11-16 to 2026-11-22)" in html
    assert "No page dropped Kosovo in this period." in html


def test_a_report_for_a_month_in_progress_stops_at_now(database: Database) -> None:  # noqa: F811
    build_history(database)
    now = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
    with database.scope() as session:
        data = build_report(session, parse_period("2026-12"), now=now)
    assert data.in_progress and data.end == now and data.last_day == date(2026, 12, 4)
    assert data.title == "December 2026, month to date (to 2026-12-04)"
    # travel.acme.test has been excluded since 23 November 09:03: 11 days by now, never the
    # 39 days to the month's end.
    travel = next(s for s in data.worst if s.domain == "travel.acme.test")
    assert data.end - travel.excluded_since == timedelta(days=11, minutes=57)
    html = render_html(data)
    assert "month to date" in html and "its numbers stop at 2026-12-04" in html
    worst = html.split('id="worst"', 1)[1].split("</table>")[0]
    # evil.test since 26 October: 39 days by now, not 67 to the month's end.
    assert "11 days" in worst and "39 days" in worst and "67" not in worst
    # The chart is drawn up to today, never into the rest of the month.
    with database.scope() as session:
        whole = build_report(session, parse_period("2026-12"), now=datetime(
            2027, 1, 5, tzinfo=UTC))
    assert not whole.in_progress and whole.last_day == date(2026, 12, 31)
    assert data.charts["share"] != whole.charts["share"]
    # A report asked for before its period began counts nothing.
    with database.scope() as session:
        early = build_report(session, parse_period("2027-01"), now=now)
    assert early.end == early.period.start and early.total_checks == 0 and not early.wins


def test_report_on_an_empty_database(database: Database) -> None:  # noqa: F811
    with database.scope() as session:
        data = build_report(session, parse_period("2026-11"), now=NOW)
    html = render_html(data)
    assert _number(html, "sites-tracked") == "0"
    assert _number(html, "share-listing") == "–"
    assert "<svg" not in html


def test_charts_escape_labels_and_never_parse_math() -> None:
    hostile = '<b>$\\frac{1}{0}$ & "co"</b>'
    svg = charts.category_chart({hostile: Headline(None, {"listed": 1, "missing": 1}, 2),
                                 "Kosovë 科索沃": Headline(None, {"listed": 1}, 1)})
    assert svg.startswith("<svg") and "<b>" not in svg
    assert '&lt;b&gt;$\\frac{1}{0}$ &amp; "co"&lt;/b&gt;' in svg


def _sqlite_history(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'history.sqlite3'}"
    upgrade(url)
    with Database(url) as db:
        build_history(db)
    return url


@pytest.mark.browser
def test_pdf_beside_the_html(tmp_path: Path) -> None:
    if which_pdf_converter() is None:
        pytest.skip("no WeasyPrint and no Chromium to print a PDF")
    url = _sqlite_history(tmp_path)
    with Database(url) as db:
        files = write_report(db, parse_period("2026-11"), tmp_path / "out", now=NOW)
    assert files.note is None, files.note
    assert files.pdf is not None and files.pdf.read_bytes().startswith(b"%PDF")
    assert files.html.name == "xktracker-report-2026-11.html"


def test_report_command(tmp_path: Path) -> None:
    url = _sqlite_history(tmp_path)
    out = tmp_path / "reports"
    runner = CliRunner()
    done = runner.invoke(main, ["report", "--period", "2026-11", "--output", str(out),
                                "--no-pdf"], env={"XKTRACKER_DATABASE_URL": url})
    assert done.exit_code == 0, done.output
    html = (out / "xktracker-report-2026-11.html").read_text(encoding="utf-8")
    assert _number(html, "sites-tracked") == "5"
    assert HOSTILE_NAME not in html
    assert not (out / "xktracker-report-2026-11.pdf").exists()
    done = runner.invoke(main, ["report", "--period", "2026-13"],
                         env={"XKTRACKER_DATABASE_URL": url})
    assert done.exit_code == 2 and "month must be 01 to 12" in done.output
