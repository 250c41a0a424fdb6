"""Open data: the Data page, streamed downloads of the whole history, and Atom feeds.

The files come from ``reports.export`` (one row per field check; CSV, JSON Lines or a
Frictionless data package) and are streamed as they are read, so a large history costs the
server no more memory than a small one. Feeds come from ``reports.feeds``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from db.models import Check, FieldResult, Site, Target
from reports import export, feeds
from reports.columns import COLUMNS
from reports.datapackage import (
    LICENCE_ID,
    LICENCE_TITLE,
    LICENCE_URL,
    PackageInfo,
    engine_version,
    methodology_note,
)
from reports.errors import ExportError
from tracker_web.database import get_db, session
from tracker_web.facts import cached
from tracker_web.pagecache import public_page
from tracker_web.sites import valid_domain

bp = Blueprint("data", __name__)
DOWNLOADS = {
    "csv": (export.iter_csv, "text/csv; charset=utf-8", "csv"),
    "jsonl": (export.iter_jsonl, "application/x-ndjson; charset=utf-8", "jsonl"),
    "datapackage": (export.iter_datapackage_zip, "application/zip", "zip"),
}


@dataclass(frozen=True, slots=True)
class Holdings:
    """What the open data holds: row counts and dates (the Data page's facts)."""

    sites: int
    targets: int
    checks: int
    rows: int  # rows of the exports: one per field check, one for a check without fields
    first: datetime | None
    last: datetime | None


def holdings(db: Session) -> Holdings:
    def compute(own: Session) -> Holdings:
        checks, first, last = own.execute(select(func.count(), func.min(Check.checked_at),
                                                 func.max(Check.checked_at))).one()
        fields = own.execute(select(func.count()).select_from(FieldResult)).scalar_one()
        with_fields = own.execute(select(func.count(func.distinct(FieldResult.check_id)))
                                  ).scalar_one()
        sites = own.execute(select(func.count()).select_from(Site)).scalar_one()
        targets = own.execute(select(func.count()).select_from(Target)).scalar_one()
        return Holdings(sites=sites, targets=targets, checks=checks,
                        rows=fields + checks - with_fields, first=first, last=last)
    result: Holdings = cached(db, "holdings", compute)
    return result


@bp.get("/data")
@public_page()
def index() -> str:
    found = holdings(session())
    author = current_app.config.get("ORGANISATION") or "xktracker contributors"
    return render_template(
        "data/index.html", formats=list(DOWNLOADS), holdings=found, version=engine_version(),
        licence_id=LICENCE_ID, licence_title=LICENCE_TITLE, licence_url=LICENCE_URL,
        author=author, page_url=url_for("data.index", _external=True))


@bp.get("/data/dictionary")
@public_page()
def dictionary() -> str:
    """The exported columns, from the one table every format is made from."""
    return render_template("data/dictionary.html", columns=COLUMNS)


@bp.get("/data/methodology.md")
@public_page()
def methodology() -> Response:
    """How the verdicts in the data were reached: the methodology of this version, as the
    data package ships it (Markdown, served as text)."""
    text = methodology_note(PackageInfo(created=datetime.now(UTC)))
    return Response(text, mimetype="text/plain", headers={
        "Content-Type": "text/plain; charset=utf-8"})


def _filters() -> export.ExportFilters:
    sites = tuple(request.args.getlist("site"))[:50]
    if not all(valid_domain(site) for site in sites):
        abort(400)
    try:
        since = export.parse_when(request.args["since"]) if request.args.get("since") else None
        until = (export.parse_when(request.args["until"], end=True)
                 if request.args.get("until") else None)
    except ExportError:
        abort(400)
    return export.ExportFilters(since=since, until=until, sites=sites)


@bp.get("/data/xktracker.<fmt>")
def download(fmt: str) -> Response:
    if fmt not in DOWNLOADS:
        abort(404)
    make, mimetype, suffix = DOWNLOADS[fmt]
    chunks = make(get_db(), _filters())
    stamp = datetime.now(UTC).date().isoformat()
    response = Response(chunks, mimetype=mimetype, direct_passthrough=True)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="xktracker-{stamp}.{suffix}"')
    response.headers["Cache-Control"] = "no-cache"
    return response


def _feed(site: str | None) -> Response:
    base = request.host_url.rstrip("/")

    def link_for(domain: str) -> str:
        return url_for("sites.site", domain=domain, _external=True)

    try:
        body = feeds.atom_feed(session(), site, base_url=base, link_for=link_for)
    except LookupError:
        abort(404)
    return Response(body, mimetype="application/atom+xml")


@bp.get("/feeds/changes.atom")
@public_page()
def feed_all() -> Response:
    return _feed(None)


@bp.get("/feeds/sites/<domain>.atom")
@public_page()
def feed_site(domain: str) -> Response:
    if not valid_domain(domain):
        abort(404)
    return _feed(domain)
