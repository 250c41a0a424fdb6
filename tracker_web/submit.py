"""Submit a site, follow its check, and report a wrong verdict on any stored check.

A submitted URL is validated here (http or https, no user name or password, a host that
resolves only to public addresses) and again by the address guard when the worker fetches
it, redirects included, so a URL that changes its DNS answer in between gains nothing.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from crawler.errors import GuardError
from crawler.fetch.guard import EgressPolicy
from db.models import Check, Site, Submission, Target, WrongVerdictReport
from tracker_web import ratelimit
from tracker_web.database import session, write_scope
from tracker_web.forms import SubmitSiteForm, WrongVerdictForm
from tracker_web.worker import pool_of

bp = Blueprint("submit", __name__)
TOKEN_BYTES = 18
DUPLICATE_WINDOW = timedelta(days=1)


def _guard_message(exc: GuardError) -> str:
    if exc.reason == "private_address":
        return str(_("This address is not on the public Internet, so we cannot check it."))
    if exc.reason == "dns":
        return str(_("We could not find this address. Is it spelled right?"))
    return str(_("Please give a web address starting with http:// or https://, without a "
                 "user name or password."))


def submission_policy() -> EgressPolicy:
    """Where a submitted address may point: the public Internet on web ports (plus the
    networks a test instance lets through)."""
    return EgressPolicy.build(
        allow_networks=tuple(current_app.config.get("SUBMISSION_ALLOW_NETWORKS") or ()))


def _checked_url(raw: str) -> tuple[str, str]:
    """The normalised URL and its host, or :class:`GuardError` (resolves the host once)."""
    text = raw.strip()
    if "://" not in text:
        text = "https://" + text
    checked = submission_policy().guard_url(text)
    return checked.url, checked.host


@bp.route("/submit", methods=["GET", "POST"])
def submit() -> str | Response | tuple[str, int]:
    form = SubmitSiteForm()
    if form.validate_on_submit():
        try:
            url, host = _checked_url(form.url.data or "")
        except GuardError as exc:
            form.url.errors = [_guard_message(exc)]
            return render_template("submit/submit.html", form=form), 400
        now = datetime.now(UTC)
        db = session()
        tracked = db.execute(select(Site.domain).join(Target, Target.site_id == Site.id)
                             .where(Target.url == url, Target.active.is_(True))
                             .limit(1)).scalar_one_or_none()
        if tracked is not None:
            # Already tracked: its page has the evidence and the history; nothing to queue.
            flash(_("This page is tracked already: here is what we found on it."))
            return redirect(url_for("sites.site", domain=tracked), code=303)
        earlier = db.execute(select(Submission.token).where(
            Submission.url == url, Submission.created_at >= now - DUPLICATE_WINDOW,
            Submission.status.in_(("queued", "checking", "checked")))
            .limit(1)).scalar_one_or_none()
        if earlier is not None:
            flash(_("This page was submitted a moment ago; here is its check."))
            return redirect(url_for("submit.status", token=earlier), code=303)
        waiting = db.execute(select(func.count()).select_from(Submission).where(
            Submission.status.in_(("queued", "checking")))).scalar_one()
        if waiting >= int(current_app.config["SUBMISSION_QUEUE"]):
            abort(503)
        if not ratelimit.hit("submit", *current_app.config["SUBMISSION_RATE"]):
            abort(429)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        with write_scope() as writer:
            writer.add(Submission(token=token, url=url, domain=host, status="queued",
                                  note=(form.note.data or "").strip()[:1000] or None,
                                  created_at=now))
        pool_of(current_app._get_current_object()).wake()  # type: ignore[attr-defined]
        return redirect(url_for("submit.status", token=token), code=303)
    status = 400 if form.errors else 200
    return render_template("submit/submit.html", form=form), status


@bp.get("/submit/<token>")
def status(token: str) -> str:
    if not 8 <= len(token) <= 64:
        abort(404)
    found = session().execute(select(Submission).where(Submission.token == token)
                              ).scalar_one_or_none()
    if found is None:
        abort(404)
    fields = [f for f in (found.report or {}).get("fields") or [] if isinstance(f, dict)]
    site = session().get(Site, found.site_id) if found.site_id else None
    return render_template("submit/status.html", submission=found, fields=fields,
                           site=site, waiting=found.status in ("queued", "checking"))


@bp.route("/report/<int:check_id>", methods=["GET", "POST"])
def report_wrong(check_id: int) -> str | Response | tuple[str, int]:
    db = session()
    row = db.execute(select(Check, Target).join(Target, Check.target_id == Target.id)
                     .where(Check.id == check_id)).first()
    if row is None:
        abort(404)
    check, target = row
    form = WrongVerdictForm()
    if form.validate_on_submit():
        if not ratelimit.hit("report", *current_app.config["SUBMISSION_RATE"]):
            abort(429)
        with write_scope() as writer:
            writer.add(WrongVerdictReport(check_id=check.id, claimed=form.claimed.data,
                                          note=(form.note.data or "").strip()[:1000] or None,
                                          status="open", created_at=datetime.now(UTC)))
        flash(_("Thank you. A moderator will look at this check."))
        domain = target.site.domain
        return redirect(url_for("sites.site", domain=domain), code=303)
    return render_template("submit/report.html", form=form, check=check, target=target), (
        400 if form.errors else 200)
