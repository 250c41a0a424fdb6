"""A site's page (verdicts in plain words, the evidence, the timeline) and evidence files."""

from __future__ import annotations

import re

from flask import Blueprint, abort, render_template, send_file
from werkzeug.wrappers import Response

from db.errors import EvidenceNotFound
from db.verdicts import TO_FIX
from tracker_web.database import evidence, session
from tracker_web.evidence import attribution, neighbour_rows
from tracker_web.pagecache import public_page
from tracker_web.siteview import site_view

bp = Blueprint("sites", __name__)
DOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?")
SHA256 = re.compile(r"[0-9a-f]{64}")


def valid_domain(domain: str) -> bool:
    return DOMAIN.fullmatch(domain) is not None


@bp.get("/site/<domain>")
@public_page()
def site(domain: str) -> str:
    if not valid_domain(domain):
        abort(404)
    view = site_view(session(), domain)
    if view is None:
        abort(404)
    return render_template("sites/site.html", view=view, neighbour_rows=neighbour_rows,
                           attribution=attribution, to_fix=sorted(TO_FIX))


def _evidence_file(sha: str, suffix: str) -> Response:
    # Only a well-formed hash ever reaches the store; the suffix must match what was stored
    # (a PNG route must not serve an HTML snapshot as an image, or the reverse).
    if not SHA256.fullmatch(sha):
        abort(404)
    try:
        path = evidence().path(sha)
    except (EvidenceNotFound, ValueError):
        abort(404)
    if path.suffix != suffix:
        abort(404)
    if suffix == ".png":
        response = send_file(path, mimetype="image/png", max_age=365 * 24 * 3600)
    else:
        # A scraped page is never rendered from our origin: plain text, as a download.
        response = send_file(path, mimetype="text/plain", as_attachment=True,
                             download_name=f"{sha}.html.txt", max_age=365 * 24 * 3600)
        response.headers["Content-Type"] = "text/plain; charset=utf-8"
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@bp.get("/evidence/<sha>.png")
def screenshot(sha: str) -> Response:
    return _evidence_file(sha, ".png")


@bp.get("/evidence/<sha>.html")
def snapshot(sha: str) -> Response:
    return _evidence_file(sha, ".html")
