"""Open data: the Data page, streamed downloads of the whole history, and Atom feeds.

The files come from ``reports.export`` (one row per field check; CSV, JSON Lines or a
Frictionless data package) and are streamed as they are read, so a large history costs the
server no more memory than a small one. Feeds come from ``reports.feeds``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, render_template, request, url_for
from werkzeug.wrappers import Response

from reports import export, feeds
from reports.errors import ExportError
from tracker_web.database import get_db, session
from tracker_web.sites import valid_domain

bp = Blueprint("data", __name__)
DOWNLOADS = {
    "csv": (export.iter_csv, "text/csv; charset=utf-8", "csv"),
    "jsonl": (export.iter_jsonl, "application/x-ndjson; charset=utf-8", "jsonl"),
    "datapackage": (export.iter_datapackage_zip, "application/zip", "zip"),
}


@bp.get("/data")
def index() -> str:
    return render_template("data/index.html", formats=list(DOWNLOADS))


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
def feed_all() -> Response:
    return _feed(None)


@bp.get("/feeds/sites/<domain>.atom")
def feed_site(domain: str) -> Response:
    if not valid_domain(domain):
        abort(404)
    return _feed(domain)
