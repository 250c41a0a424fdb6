"""Jinja filters and globals: verdict words, dates in the reader's language, pagination."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from babel import Locale
from babel import dates as babel_dates
from flask import Flask, g, request
from flask_babel import format_timedelta, get_locale
from jinja2 import pass_context

from tracker_web import words

PAGE_SIZE = 50


def _locale() -> Locale:
    """The request's Babel locale, looked up once (Flask-Babel's own lookup per call is the
    larger part of rendering a long table of dates)."""
    found: Locale | None = g.get("xk_locale")
    if found is None:
        found = g.xk_locale = get_locale() or Locale("en")
    return found


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(UTC).date()
    return babel_dates.format_date(value, format="medium", locale=_locale())


def fmt_datetime(value: datetime | None) -> str:
    """Times are shown in UTC (the pages say so), as they are stored."""
    if value is None:
        return ""
    return babel_dates.format_datetime(value.astimezone(UTC), format="medium", tzinfo=UTC,
                                       locale=_locale())


def ago(value: datetime | None) -> str:
    if value is None:
        return ""
    return str(format_timedelta(datetime.now(UTC) - value, add_direction=True))


def iso(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)} %"


@dataclass(frozen=True, slots=True)
class Page:
    number: int
    pages: int
    total: int
    size: int

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size

    @property
    def end(self) -> int:
        return self.start + self.size


def page_of(total: int, size: int = PAGE_SIZE) -> Page:
    """The page asked for by ``?page=`` (clamped to what exists)."""
    pages = max(1, math.ceil(total / size))
    try:
        number = int(request.args.get("page", "1"))
    except ValueError:
        number = 1
    return Page(min(max(number, 1), pages), pages, total, size)


def _per_request(translate: Callable[[Any], str]) -> Callable[..., str]:
    """A filter that Jinja never folds at compile time: ``{{ 'unknown' | verdict_name }}``
    on a constant would otherwise be translated once, into the language of the first page
    rendered, and kept in the compiled template for every later visitor."""
    @pass_context
    def filter_(_context: Any, value: Any) -> str:
        return translate(value)
    return filter_


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        verdict_name=_per_request(words.verdict_name),
        verdict_sentence=_per_request(words.verdict_sentence),
        reason_words=_per_request(words.reason_words), kind_name=_per_request(words.kind_name),
        method_words=_per_request(words.method_words), tone=words.tone,
        category=_per_request(words.category_name),
        contact_kind=_per_request(words.contact_kind), fmt_date=fmt_date,
        fmt_datetime=fmt_datetime, ago=ago, iso=iso, percent=percent)
    # Autoescape is on for .html by default; make it explicit for every template we load.
    app.jinja_env.autoescape = True

    @app.context_processor
    def operator() -> dict[str, object]:
        """Who stands behind the instance, for the footer and the About page."""
        config = app.config
        contact = config.get("CONTACT") or None
        return {"operator": {
            "organisation": config.get("ORGANISATION") or None,
            "contact": contact,
            "contact_href": (f"mailto:{contact}" if contact and "@" in contact
                             and not contact.startswith("https://") else contact),
            "source_url": config.get("SOURCE_URL") or None,
            "licence": config.get("LICENCE") or "AGPL-3.0-or-later",
            "corrections_url": config.get("CORRECTIONS_URL") or None,
        }}
