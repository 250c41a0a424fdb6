"""Open data: the Data page, the downloads of the history, and Atom feeds.

The whole history (one row per field check; CSV, JSON Lines or a Frictionless data package)
is a set of ready files made after each crawl (:mod:`reports.published`, in the instance
folder) and served as they are, with their ETag and date, so a proxy can keep them and no web
thread spends a core building one. Part of the history (``?site=``, ``?since=``/``?until=``)
is streamed from the database (``reports.export``) only when it is bounded: at most
:data:`MAX_SITES` sites, or a period of at most :data:`MAX_DAYS` days, and at most
:data:`STREAMS` such downloads at once per process (beyond: ``503`` with ``Retry-After``).
Feeds come from ``reports.feeds``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, send_file, url_for
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
from reports.published import Published, folder_of, read_manifest
from tracker_web.database import get_db, session
from tracker_web.facts import cached
from tracker_web.pagecache import public_page
from tracker_web.security import busy
from tracker_web.sites import valid_domain

bp = Blueprint("data", __name__)
MAX_SITES = 10
MAX_DAYS = 31
STREAMS = 2
RETRY_SECONDS = 30
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


def published() -> Published | None:
    """The ready files of the whole history (None: none made yet)."""
    return read_manifest(folder_of(Path(current_app.instance_path)))


@bp.get("/data")
@public_page()
def index() -> str:
    found = holdings(session())
    author = current_app.config.get("ORGANISATION") or "xktracker contributors"
    return render_template(
        "data/index.html", formats=list(DOWNLOADS), holdings=found, version=engine_version(),
        licence_id=LICENCE_ID, licence_title=LICENCE_TITLE, licence_url=LICENCE_URL,
        author=author, page_url=url_for("data.index", _external=True), max_sites=MAX_SITES,
        max_days=MAX_DAYS)


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


def _filters() -> export.ExportFilters | None:
    """The part of the history asked for (None: all of it), or 400 when unbounded."""
    if not any(request.args.get(name) for name in ("site", "since", "until")):
        return None
    sites = tuple(request.args.getlist("site"))
    if len(sites) > MAX_SITES or not all(valid_domain(site) for site in sites):
        abort(400)
    try:
        since = export.parse_when(request.args["since"]) if request.args.get("since") else None
        until = (export.parse_when(request.args["until"], end=True)
                 if request.args.get("until") else None)
    except ExportError:
        abort(400)
    if not sites and (since is None or until is None
                      or until - since > timedelta(days=MAX_DAYS)):
        abort(400)
    return export.ExportFilters(since=since, until=until, sites=sites)


def _ready_file(fmt: str, found: Published | None = None) -> Response:
    """The ready file of the last publication (``found``: the manifest read already). A
    publication may end between reading the manifest and opening its file: the set before
    it stays, and the one before that is gone, so the manifest is read once more."""
    for _ in range(2):
        found = found or published()
        if found is None:  # made after the first crawl (or by `xktracker publish`)
            return busy(3600)
        try:
            return _send(found, fmt)
        except FileNotFoundError:
            found = None
    return busy(RETRY_SECONDS)


def _send(found: Published, fmt: str) -> Response:
    ready = found.files[fmt]
    response = send_file(
        folder_of(Path(current_app.instance_path)) / ready.name, mimetype=ready.media_type,
        as_attachment=True, etag=ready.sha256, last_modified=found.created, conditional=True,
        download_name=f"xktracker-{found.created.date().isoformat()}.{ready.suffix}")
    response.headers["Cache-Control"] = "public, no-cache"
    return response


def _streams() -> threading.BoundedSemaphore:
    """This app's slots for streamed downloads."""
    found: threading.BoundedSemaphore = current_app.extensions.setdefault(
        "xktracker_streams", threading.BoundedSemaphore(STREAMS))
    return found


class _Stream:
    """A streamed download that gives its slot back when the server closes it (always, even
    when the client left before the first byte)."""

    def __init__(self, chunks: Iterator[bytes], slots: threading.BoundedSemaphore) -> None:
        self._chunks = chunks
        self._slots: threading.BoundedSemaphore | None = slots

    def __iter__(self) -> Iterator[bytes]:
        return self._chunks

    def close(self) -> None:
        try:
            close = getattr(self._chunks, "close", None)
            if close is not None:
                close()
        finally:
            if self._slots is not None:
                self._slots.release()
                self._slots = None


@bp.get("/data/xktracker.<fmt>")
def download(fmt: str) -> Response:
    if fmt not in DOWNLOADS:
        abort(404)
    filters = _filters()
    if filters is None:
        return _ready_file(fmt)
    slots = _streams()
    if not slots.acquire(blocking=False):
        return busy(RETRY_SECONDS)
    make, mimetype, suffix = DOWNLOADS[fmt]
    try:
        chunks = make(get_db(), filters)
    except BaseException:
        slots.release()
        raise
    stamp = datetime.now(UTC).date().isoformat()
    response = Response(_Stream(chunks, slots), mimetype=mimetype, direct_passthrough=True)
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
