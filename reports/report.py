"""The periodic report: one self-contained HTML file (and a PDF beside it when a converter is
installed) for a month or an ISO week.

Gathering (:func:`build_report`, plain data from :mod:`reports.analytics`) is apart from
rendering (:func:`render_html`, Jinja2 with autoescape on: site names and labels are scraped or
typed by volunteers, so none of them reaches the page unescaped) and from writing files
(:func:`write_report`). The HTML has no external resource (inline CSS, inline SVG charts), so
it can be mailed, archived or printed as it is.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.history import (
    Change,
    SiteSnapshot,
    UpstreamUse,
    changes,
    share_over_time,
    site_statuses,
    upstream_users,
)
from db.models import Check, Run
from db.session import Database, session_scope
from db.verdicts import INCONCLUSIVE
from reports import charts
from reports.analytics import (
    FixTimes,
    Headline,
    fix_times,
    headline,
    headline_by_category,
    worst_excluders,
)
from reports.datapackage import LICENCE_ID, LICENCE_TITLE, LICENCE_URL, engine_version
from reports.periods import Period, Step

TEMPLATES = Path(__file__).with_name("templates")
PDF_TIMEOUT = 120


@dataclass(slots=True)
class ReportData:
    """Everything the report shows for ``period``, as at ``end``: the period's end, or the
    moment the report was made while the period is still in progress (``in_progress``)."""

    period: Period
    generated_at: datetime
    end: datetime
    version: str
    territory: str
    headline: Headline
    previous: Headline
    wins: list[Change]
    regressions: list[Change]
    site_wins: list[Change]
    site_regressions: list[Change]
    fix: FixTimes
    worst: list[SiteSnapshot]
    upstream: list[UpstreamUse]
    categories: dict[str, Headline]
    checks: dict[str, int]
    runs: int
    engine_versions: list[str]
    charts: dict[str, str] = field(default_factory=dict)

    @property
    def in_progress(self) -> bool:
        return self.end < self.period.end

    @property
    def title(self) -> str:
        return self.period.title(self.end if self.in_progress else None)

    @property
    def last_day(self) -> date:
        """The last day the numbers cover."""
        return (self.end - timedelta(microseconds=1)).date() if self.in_progress \
            else self.period.last_day

    @property
    def total_checks(self) -> int:
        return sum(self.checks.values())

    @property
    def unseen_checks(self) -> int:
        return sum(n for v, n in self.checks.items() if v in INCONCLUSIVE)


def _series_step(first: datetime | None, end: datetime) -> Step:
    if first is None or end - first <= timedelta(days=92):
        return "day"
    return "week" if end - first <= timedelta(days=3 * 365) else "month"


def build_report(session: Session, period: Period, *, territory: str = "XK",
                 now: datetime | None = None, worst_limit: int = 25) -> ReportData:
    """Gather the report's numbers and charts for ``period``, up to its end or ``now``,
    whichever comes first: nothing after that moment is counted or drawn."""
    now = now or datetime.now(UTC)
    start, end = period.start, period.cut(now)
    statuses = site_statuses(session, end, territory=territory)
    at_start = headline(site_statuses(session, start, territory=territory), start)
    in_period: dict[str, Any] = {"since": start, "until": end, "territory": territory}
    wins = changes(session, kinds=("win",), **in_period)
    regressions = changes(session, kinds=("regression",), **in_period)
    site_changes = changes(session, level="site", **in_period)
    checks = dict(session.execute(
        select(Check.verdict, func.count()).where(
            Check.checked_at >= start, Check.checked_at < end, Check.territory == territory)
        .group_by(Check.verdict)).all())
    run_rows = session.execute(
        select(Run.id, Run.engine_version).where(Run.started_at >= start, Run.started_at < end)
    ).all()
    first = session.execute(select(func.min(Check.checked_at))
                            .where(Check.territory == territory)).scalar_one_or_none()
    categories = headline_by_category(statuses, end)
    upstream = upstream_users(session, end, territory=territory, unidentified=True)
    data = ReportData(
        period=period, generated_at=now, end=end, version=engine_version(),
        territory=territory, headline=headline(statuses, end), previous=at_start,
        wins=wins, regressions=regressions,
        site_wins=[c for c in site_changes if c.kind == "win"],
        site_regressions=[c for c in site_changes if c.kind == "regression"],
        fix=fix_times(wins), worst=worst_excluders(statuses, worst_limit), upstream=upstream,
        categories=categories, checks=dict(sorted(checks.items())), runs=len(run_rows),
        engine_versions=sorted({v for _, v in run_rows if v}))
    if first is not None and first < end:
        series = share_over_time(session, _series_step(first, end), until=data.last_day,
                                 territory=territory)
        data.charts["share"] = charts.share_chart(series.overall)
    if categories:
        data.charts["categories"] = charts.category_chart(categories)
    if any(u.sites_without for u in upstream):
        data.charts["upstream"] = charts.upstream_chart(upstream)
    return data


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def _days(value: timedelta | None) -> str:
    if value is None:
        return "–"
    days = f"{value.total_seconds() / 86400:.1f}".removesuffix(".0")
    return f"{days} day" if days == "1" else f"{days} days"


def _date(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d") if value else "–"


def _signed(value: int) -> str:
    return f"+{value}" if value > 0 else ("±0" if value == 0 else str(value))


def environment() -> Environment:
    """The Jinja2 environment: autoescape on for everything, undefined names an error."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(percent=_percent, days=_days, day=_date, signed=_signed)
    return env


def render_html(data: ReportData) -> str:
    """The report as one HTML document."""
    # The SVGs come from matplotlib (text escaped by its writer), not from page content.
    svgs = {name: Markup(svg) for name, svg in data.charts.items()}
    return environment().get_template("report.html.j2").render(
        data=data, charts=svgs, licence_id=LICENCE_ID, licence_title=LICENCE_TITLE,
        licence_url=LICENCE_URL)


# -- PDF ---------------------------------------------------------------------------------------

def html_to_pdf(html_path: Path, pdf_path: Path, *,
                browser_path: str | None = None) -> str | None:
    """Print ``html_path`` to ``pdf_path``; return ``None`` on success, else why not.

    WeasyPrint when it is importable (no browser needed), else a Chromium found the way
    ``xktracker check`` finds one (``--print-to-pdf``), else no PDF.
    """
    try:
        import weasyprint  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        pass
    else:
        weasyprint.HTML(filename=str(html_path)).write_pdf(str(pdf_path))
        return None
    from crawler.errors import BrowserUnavailable
    from crawler.fetch.chromium import find_chromium

    try:
        binary = find_chromium(browser_path)
    except BrowserUnavailable as exc:
        return f"no PDF: neither WeasyPrint nor a Chromium is installed ({exc})"
    with tempfile.TemporaryDirectory(prefix="xktracker-pdf-") as profile:
        command = [binary.path, "--headless", "--disable-gpu", "--disable-dev-shm-usage",
                   "--no-first-run", "--no-pdf-header-footer", f"--user-data-dir={profile}",
                   f"--print-to-pdf={pdf_path.resolve()}", html_path.resolve().as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            # Chromium refuses to run as root with its sandbox; the page is our own file.
            command.insert(1, "--no-sandbox")
        try:
            done = subprocess.run(command, capture_output=True, timeout=PDF_TIMEOUT,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"no PDF: {binary.path} failed ({exc})"
    if done.returncode != 0 or not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        return f"no PDF: {binary.path} exited {done.returncode} {detail[0]}".strip()
    return None


def first_check_day(source: Database | Engine, territory: str = "XK") -> date | None:
    """The day of the first stored check (for the default period), ``None`` when empty."""
    sessions = source.sessions if isinstance(source, Database) else source
    with session_scope(sessions) as session:
        first = session.execute(select(func.min(Check.checked_at))
                                .where(Check.territory == territory)).scalar_one_or_none()
    return first.date() if first is not None else None


@dataclass(frozen=True, slots=True)
class ReportFiles:
    html: Path
    pdf: Path | None
    note: str | None  # why there is no PDF


def write_report(source: Database | Engine, period: Period, output: Path, *,
                 pdf: bool = True, browser_path: str | None = None, territory: str = "XK",
                 now: datetime | None = None) -> ReportFiles:
    """Write ``xktracker-report-<period>.html`` (and ``.pdf``) into the folder ``output``."""
    sessions = source.sessions if isinstance(source, Database) else source
    with session_scope(sessions) as session:
        data = build_report(session, period, territory=territory, now=now)
    output.mkdir(parents=True, exist_ok=True)
    html_path = output / f"xktracker-report-{period.label}.html"
    temp = html_path.with_name(f".{html_path.name}.tmp")
    temp.write_text(render_html(data), encoding="utf-8")
    temp.replace(html_path)
    if not pdf:
        return ReportFiles(html_path, None, "no PDF: not asked for")
    pdf_path = html_path.with_suffix(".pdf")
    note = html_to_pdf(html_path, pdf_path, browser_path=browser_path)
    return ReportFiles(html_path, None if note else pdf_path, note)


def which_pdf_converter(browser_path: str | None = None) -> str | None:
    """Name of the converter :func:`html_to_pdf` would use (``None``: none)."""
    try:
        import weasyprint  # type: ignore[import-not-found,unused-ignore]  # noqa: F401
    except ImportError:
        pass
    else:
        return "weasyprint"
    from crawler.errors import BrowserUnavailable
    from crawler.fetch.chromium import find_chromium

    try:
        return find_chromium(browser_path).path
    except BrowserUnavailable:
        return None
