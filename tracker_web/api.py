"""The JSON API, ``/api/v1/``: read-only, paginated, described at ``/api/v1/openapi.json``.

Times are ISO 8601 in UTC; verdicts are the contract values of DESIGN.md. List endpoints
take ``page`` (from 1) and ``per_page`` (at most :data:`MAX_PER_PAGE`) and answer with
``{"items": [...], "page": …, "per_page": …, "total": …}``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from flask import Blueprint, abort, jsonify, request
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from db import queries
from db.history import Change
from db.models import Check, FieldResult, Site, Target
from tracker_web import facts
from tracker_web.api_spec import openapi_document
from tracker_web.database import session
from tracker_web.pagecache import public_page
from tracker_web.sites import valid_domain
from tracker_web.siteview import site_view
from tracker_web.templating import iso

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_PER_PAGE = 100
MAX_HISTORY = 1000


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        abort(400)
    if not low <= value <= high:
        abort(400)
    return value


def _paging() -> tuple[int, int]:
    return (_int_arg("page", 1, 1, 1_000_000), _int_arg("per_page", 50, 1, MAX_PER_PAGE))


def _date_arg(name: str, *, end: bool = False) -> datetime | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            moment = datetime.combine(day, time.min, tzinfo=UTC)
            return moment.replace(hour=23, minute=59, second=59) if end else moment
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        abort(400)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _listing(items: list[Any], total: int, page: int, per_page: int) -> Response:
    return jsonify({"items": items, "page": page, "per_page": per_page, "total": total})


@bp.get("/openapi.json")
@public_page()
def openapi() -> Response:
    return jsonify(openapi_document())


@bp.get("/sites")
@public_page("category", "status", "q", "page", "per_page")
def sites() -> Response:
    board = facts.scoreboard(session())
    category = request.args.get("category", "")
    status = request.args.get("status", "")
    found = facts.filter_sites(board.sites, q=request.args.get("q", "")[:100],
                               category=category, verdict=status)
    page, per_page = _paging()
    start = (page - 1) * per_page
    return _listing([s.to_dict() for s in found[start:start + per_page]], len(found), page,
                    per_page)


@bp.get("/sites/<domain>")
@public_page("checks")
def site(domain: str) -> Response:
    if not valid_domain(domain):
        abort(404)
    view = site_view(session(), domain)
    if view is None:
        abort(404)
    limit = _int_arg("checks", 100, 0, MAX_HISTORY)
    db = session()
    targets = []
    for target in view.targets:
        timeline = queries.target_timeline(db, target.status.target_id)
        targets.append({
            **target.status.to_dict(),
            "segments": [{"verdict": s.verdict, "reason": s.reason,
                          "first": iso(s.first), "last": iso(s.last),
                          "checks": s.checks} for s in target.segments],
            "transitions": [{"kind": k, "before": b, "after": a, "at": iso(at)}
                            for k, b, a, at in target.transitions],
            "checks": [e.to_dict() for e in timeline[-limit:]] if limit else [],
        })
    return jsonify({
        "site": view.status.to_dict() if view.status else {"domain": view.site.domain},
        "active": view.site.active,
        "targets": targets,
        "letters": view.tally,
    })


@bp.get("/checks")
@public_page("page", "per_page", "site", "verdict", "since", "until")
def checks() -> Response:
    page, per_page = _paging()
    query = select(Check.id, Check.checked_at, Check.method, Check.verdict, Check.reason,
                   Check.run_id, Target.url, Target.kind, Site.domain,
                   Check.html_sha256, Check.screenshot_sha256) \
        .join(Target, Check.target_id == Target.id).join(Site, Target.site_id == Site.id)
    count = select(func.count()).select_from(Check).join(Target, Check.target_id == Target.id) \
        .join(Site, Target.site_id == Site.id)
    conditions = []
    domain = request.args.get("site")
    if domain:
        conditions.append(Site.domain == domain.lower()[:253])
    verdict = request.args.get("verdict")
    if verdict:
        conditions.append(Check.verdict == verdict[:32])
    since, until = _date_arg("since"), _date_arg("until", end=True)
    if since:
        conditions.append(Check.checked_at >= since)
    if until:
        conditions.append(Check.checked_at <= until)
    db = session()
    total = db.execute(count.where(*conditions)).scalar_one()
    rows = db.execute(query.where(*conditions)
                      .order_by(Check.checked_at.desc(), Check.id.desc())
                      .offset((page - 1) * per_page).limit(per_page)).all()
    items = [{"id": r.id, "checked_at": iso(r.checked_at), "method": r.method,
              "verdict": r.verdict, "reason": r.reason, "run_id": r.run_id, "url": r.url,
              "kind": r.kind, "site": r.domain, "html_sha256": r.html_sha256,
              "screenshot_sha256": r.screenshot_sha256} for r in rows]
    return _listing(items, total, page, per_page)


@bp.get("/checks/<int:check_id>")
@public_page()
def check(check_id: int) -> Response:
    db = session()
    row = db.execute(select(Check, Target.url, Site.domain)
                     .join(Target, Check.target_id == Target.id)
                     .join(Site, Target.site_id == Site.id)
                     .where(Check.id == check_id)).first()
    if row is None:
        abort(404)
    found, url, domain = row
    fields = db.execute(select(FieldResult).where(FieldResult.check_id == found.id)
                        .order_by(FieldResult.position)).scalars().all()
    return jsonify({
        "id": found.id, "run_id": found.run_id, "site": domain, "url": url,
        "checked_at": iso(found.checked_at), "territory": found.territory,
        "method": found.method, "verdict": found.verdict, "reason": found.reason,
        "conclusive": found.conclusive, "final_url": found.final_url,
        "http_status": found.http_status, "html_sha256": found.html_sha256,
        "screenshot_sha256": found.screenshot_sha256,
        "fields": [{"position": f.position, "kind": f.kind, "widget": f.widget,
                    "label": f.label, "verdict": f.verdict, "kosovo_label": f.kosovo_label,
                    "kosovo_value": f.kosovo_value, "kosovo_dial_code": f.kosovo_dial_code,
                    "qualifier": f.qualifier, "option_count": f.option_count,
                    "country_count": f.country_count,
                    "fingerprint_source": f.fingerprint_source} for f in fields],
        "report": found.report,
    })


def _change(change: Change) -> dict[str, Any]:
    """A page's change, in the API's words (``checked_at`` is when it was first seen)."""
    return {"target_id": change.target_id, "url": change.target_url, "site": change.site,
            "before": change.before, "after": change.after, "kind": change.kind,
            "checked_at": iso(change.at), "previous_at": iso(change.previous_at),
            "check_id": change.check_id,
            "excluded_since": iso(change.excluded_since) or None,
            "time_to_fix_days": (round(change.time_to_fix.total_seconds() / 86400, 2)
                                 if change.time_to_fix is not None else None)}


@bp.get("/wins")
@public_page("kind", "since", "page", "per_page")
def wins() -> Response:
    kind = request.args.get("kind", "win")
    if kind not in ("win", "regression", "all"):
        abort(400)
    since = _date_arg("since")
    page, per_page = _paging()
    found = [c for c in facts.all_changes(session())
             if (kind == "all" or c.kind == kind) and (since is None or c.at >= since)]
    found.reverse()  # newest first
    start = (page - 1) * per_page
    return _listing([_change(c) for c in found[start:start + per_page]], len(found), page,
                    per_page)


@bp.get("/export.<fmt>")
def export_history(fmt: str) -> Response:
    """The Data page's downloads, under the API: one code path streams both."""
    from tracker_web import data

    return data.download(fmt)


@bp.get("/stats")
@public_page("period")
def stats() -> Response:
    """The cards and the chart in numbers: sites by part now, and per day, week or month,
    overall and per category (the same parts, the same rules)."""
    period = request.args.get("period", "week")
    if period not in ("day", "week", "month"):
        abort(400)
    db = session()
    board = facts.scoreboard(db)
    run = queries.latest_run(db)
    series = facts.share_series(db, period)  # type: ignore[arg-type]
    return jsonify({
        "tracked_sites": board.tracked,
        "sites_by_part": board.counts,
        "sites_by_status": board.by_status,
        "period": period,
        "share": [p.to_dict() for p in series.overall],
        "by_category": {name: [p.to_dict() for p in points]
                        for name, points in series.by_category.items()},
        "latest_run": run.to_dict() if run else None,
    })
