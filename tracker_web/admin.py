"""Moderation: sign in, submissions, wrong-verdict reports, contacts, re-checks.

There is no default account: the first moderator is made with ``xktracker admin create``.
The session cookie is HttpOnly, SameSite=Lax and (in production) Secure; every change is a
POST with a CSRF token; sign-in attempts are rate-limited per client address.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    url_for,
)
from flask import (
    session as cookie,
)
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from db.models import (
    AdminUser,
    Check,
    Contact,
    RecheckRequest,
    Site,
    Submission,
    Target,
    WrongVerdictReport,
)
from tracker_web import facts, ratelimit
from tracker_web.database import session, write_scope
from tracker_web.errors import ModerationError
from tracker_web.forms import ActionForm, ApproveForm, ContactForm, LoginForm
from tracker_web.moderation import (
    approve,
    authenticate,
    reject,
    request_recheck,
)
from tracker_web.sites import valid_domain
from tracker_web.worker import pool_of

bp = Blueprint("admin", __name__, url_prefix="/admin")
LOGIN_LIMIT = (10, 900)
F = TypeVar("F", bound=Callable[..., Any])


def login_required(view: F) -> F:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        user_id = cookie.get("admin_id")
        user = session().get(AdminUser, user_id) if isinstance(user_id, int) else None
        if user is None or not user.active:
            cookie.pop("admin_id", None)
            return redirect(url_for("admin.login"), code=303)
        g.admin = user
        return view(*args, **kwargs)
    return wrapped  # type: ignore[return-value]


def _wake() -> None:
    pool_of(current_app._get_current_object()).wake()  # type: ignore[attr-defined]


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    form = LoginForm()
    if form.validate_on_submit():
        if not ratelimit.hit("login", *LOGIN_LIMIT):
            abort(429)
        with write_scope() as db:
            user = authenticate(db, form.username.data or "", form.password.data or "")
            if user is not None:
                user.last_login_at = datetime.now(UTC)
                user_id = user.id
        if user is None:
            flash(_("Wrong user name or password."))
            return render_template("admin/login.html", form=form), 401
        cookie.clear()  # a fresh session on sign-in: no fixation
        cookie["admin_id"] = user_id
        cookie.permanent = True
        return redirect(url_for("admin.queue"), code=303)
    return render_template("admin/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
def logout() -> Response:
    if ActionForm().validate_on_submit():
        cookie.clear()
    return redirect(url_for("scoreboard.index"), code=303)


@bp.get("/")
@login_required
def queue() -> str:
    db = session()
    submissions = db.scalars(select(Submission).where(
        Submission.status.in_(("queued", "checking", "checked")))
        .order_by(Submission.created_at).limit(200)).all()
    reports = db.execute(
        select(WrongVerdictReport, Check, Target)
        .join(Check, WrongVerdictReport.check_id == Check.id)
        .join(Target, Check.target_id == Target.id)
        .where(WrongVerdictReport.status == "open")
        .order_by(WrongVerdictReport.created_at).limit(200)).all()
    rechecks = db.execute(select(RecheckRequest, Target)
                          .join(Target, RecheckRequest.target_id == Target.id)
                          .order_by(RecheckRequest.created_at.desc()).limit(20)).all()
    return render_template("admin/queue.html", submissions=submissions, reports=reports,
                           rechecks=rechecks, action=ActionForm())


def _submission(submission_id: int) -> Submission:
    found = session().get(Submission, submission_id)
    if found is None:
        abort(404)
    return found


@bp.get("/submissions/<int:submission_id>")
@login_required
def submission(submission_id: int) -> str:
    found = _submission(submission_id)
    form = ApproveForm()
    report = found.report or {}
    form.name.data = (report.get("title") or found.domain)[:200]
    form.kind.data = "other"
    return render_template("admin/submission.html", submission=found, form=form,
                           action=ActionForm(), fields=report.get("fields") or [])


@bp.post("/submissions/<int:submission_id>/approve")
@login_required
def approve_submission(submission_id: int) -> Response | tuple[str, int]:
    form = ApproveForm()
    if not form.validate_on_submit():
        abort(400)
    with write_scope() as db:
        found = db.get(Submission, submission_id)
        if found is None:
            abort(404)
        try:
            site = approve(db, found, name=form.name.data or found.domain,
                           company=(form.company.data or "").strip() or None,
                           category=(form.category.data or "").strip() or None,
                           kind=form.kind.data or "other", moderator=g.admin.username,
                           note=form.note.data or None)
        except ModerationError:
            flash(_("This submission cannot be approved (already moderated, or the page "
                    "is tracked already)."))
            return redirect(url_for("admin.submission", submission_id=submission_id), 303)
        domain = site.domain
    facts.changed()  # every process shows it at once
    flash(_("Approved: the site is now tracked."))
    return redirect(url_for("sites.site", domain=domain), code=303)


@bp.post("/submissions/<int:submission_id>/reject")
@login_required
def reject_submission(submission_id: int) -> Response:
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    with write_scope() as db:
        found = db.get(Submission, submission_id)
        if found is None:
            abort(404)
        try:
            reject(found, moderator=g.admin.username, note=form.note.data or None)
        except ModerationError:
            flash(_("This submission was moderated already."))
    return redirect(url_for("admin.queue"), code=303)


@bp.get("/reports/<int:report_id>")
@login_required
def report(report_id: int) -> str:
    db = session()
    row = db.execute(select(WrongVerdictReport, Check, Target)
                     .join(Check, WrongVerdictReport.check_id == Check.id)
                     .join(Target, Check.target_id == Target.id)
                     .where(WrongVerdictReport.id == report_id)).first()
    if row is None:
        abort(404)
    found, check, target = row
    return render_template("admin/report.html", report=found, check=check, target=target,
                           action=ActionForm())


@bp.post("/reports/<int:report_id>/<any(accepted, dismissed):decision>")
@login_required
def resolve_report(report_id: int, decision: str) -> Response:
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    with write_scope() as db:
        found = db.get(WrongVerdictReport, report_id)
        if found is None:
            abort(404)
        if found.status == "open":
            found.status = decision
            found.resolved_at = datetime.now(UTC)
            found.resolved_by = g.admin.username
            found.resolution = form.note.data or None
    return redirect(url_for("admin.queue"), code=303)


@bp.post("/targets/<int:target_id>/recheck")
@login_required
def recheck(target_id: int) -> Response:
    if not ActionForm().validate_on_submit():
        abort(400)
    with write_scope() as db:
        target = db.get(Target, target_id)
        if target is None:
            abort(404)
        request_recheck(db, target_id, g.admin.username)
        domain = target.site.domain
    _wake()
    flash(_("A re-check is queued. Its result will appear on the site's page."))
    return redirect(url_for("admin.site", domain=domain), code=303)


@bp.get("/sites/<domain>")
@login_required
def site(domain: str) -> str:
    if not valid_domain(domain):
        abort(404)
    db = session()
    found = db.execute(select(Site).where(Site.domain == domain)).scalar_one_or_none()
    if found is None:
        abort(404)
    contacts = db.scalars(select(Contact).where(Contact.site_id == found.id)
                          .order_by(Contact.id)).all()
    checks = dict(db.execute(select(Check.target_id, func.count()).join(
        Target, Check.target_id == Target.id).where(Target.site_id == found.id)
        .group_by(Check.target_id)).all())
    return render_template("admin/site.html", site=found, contacts=contacts,
                           form=ContactForm(), action=ActionForm(), checks=checks)


@bp.post("/sites/<domain>/contacts")
@login_required
def add_contact(domain: str) -> Response | tuple[str, int]:
    if not valid_domain(domain):
        abort(404)
    form = ContactForm()
    with write_scope() as db:
        found = db.execute(select(Site).where(Site.domain == domain)).scalar_one_or_none()
        if found is None:
            abort(404)
        if not form.validate_on_submit():
            flash(_("The contact was not added: check the fields."))
            return redirect(url_for("admin.site", domain=domain), code=303)
        db.add(Contact(site_id=found.id, kind=form.kind.data, value=form.value.data.strip(),
                       source=form.source.data or None,
                       verified=date.today() if form.verified.data else None,
                       unverified=not form.verified.data,
                       note=f"added by {g.admin.username}"))
    facts.changed()
    flash(_("Contact added."))
    return redirect(url_for("admin.site", domain=domain), code=303)


@bp.post("/contacts/<int:contact_id>/delete")
@login_required
def delete_contact(contact_id: int) -> Response:
    if not ActionForm().validate_on_submit():
        abort(400)
    with write_scope() as db:
        contact = db.get(Contact, contact_id)
        if contact is None or contact.site is None:
            abort(404)
        domain = contact.site.domain
        db.delete(contact)
    facts.changed()
    flash(_("Contact removed."))
    return redirect(url_for("admin.site", domain=domain), code=303)
