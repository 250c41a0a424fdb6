"""Submit a site, follow its check, and report a wrong verdict on any stored check.

A submitted URL is judged here by its form only (http or https, no user name or password, a
host that is a public address or a public-looking name, a web port) and written in its
canonical spelling (:func:`foundation.urls.canonical_page_url`: the same page given with a
trailing slash or other tracking parameters is recognised as one). Nothing is resolved in the
request: the background worker resolves the host with the address guard and marks the
submission ``refused`` with its reason when it points at a private address or does not
resolve; the guard runs again for every fetch and redirect, so a name that changes its DNS
answer in between gains nothing. A refused submission counts toward the client's rate
limit like an accepted one.
"""

from __future__ import annotations

import ipaddress
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

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

from crawler.errors import AddressRefused, BadUrl, GuardError
from crawler.fetch.guard import EgressPolicy, validate_url
from db.models import Check, Site, Submission, Target, WrongVerdictReport
from foundation.addresses import host_problem, is_public_ip
from foundation.urls import canonical_page_url
from tracker_web import ratelimit
from tracker_web.database import session, write_scope
from tracker_web.forms import SubmitSiteForm, WrongVerdictForm
from tracker_web.moderation import tracked_domain
from tracker_web.worker import pool_of

bp = Blueprint("submit", __name__)
TOKEN_BYTES = 18
DUPLICATE_WINDOW = timedelta(days=1)


def guard_message(exc: GuardError) -> str:
    """What a citizen reads when the address they gave is refused (the guard's reason)."""
    if exc.reason == "private_address":
        return str(_("This address is not on the public Internet, so we cannot check it."))
    if exc.reason == "dns":
        return str(_("We could not find this address. Is it spelled right?"))
    return str(_("Please give a web address starting with http:// or https://, without a "
                 "user name or password."))


def admit(waiting: int) -> None:
    """Let one more job into a queue holding ``waiting``: 503 when the queue is full, 429
    past the submission rate (shared by pages and sites, refused ones included)."""
    if waiting >= int(current_app.config["SUBMISSION_QUEUE"]):
        abort(503)
    if not ratelimit.hit("submit", *current_app.config["SUBMISSION_RATE"]):
        abort(429)


def submission_policy() -> EgressPolicy:
    """Where a submitted address may point: the public Internet on web ports (plus the
    networks a test instance lets through)."""
    return EgressPolicy.build(
        allow_networks=tuple(current_app.config.get("SUBMISSION_ALLOW_NETWORKS") or ()))


def judge_form(raw: str, policy: EgressPolicy) -> tuple[str, str]:
    """The canonical URL of a submitted address and its host, judged by their form only
    (nothing is resolved), or :class:`GuardError` with the guard's reason."""
    text = raw.strip()
    if "://" not in text:
        text = "https://" + text
    url = validate_url(text)  # BadUrl
    try:
        url = canonical_page_url(url)
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:  # a port urlsplit cannot read
        raise BadUrl(str(exc)) from None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        if not policy.allows_address(address):
            raise AddressRefused(f"{host} is not a public address")
        if port not in policy.allowed_ports and is_public_ip(address):
            raise BadUrl(f"port {port} is not a web port")
        return url, host
    if host_problem(host, allow_private=True):
        raise BadUrl(f"{host!r} is not a valid host name")
    # A name's address is the worker's to find out; only an instance that lets no private
    # network through (production) can refuse a private-looking name by its form.
    beyond_public = policy.allow_private or bool(policy.allow_networks)
    if host_problem(host, allow_private=beyond_public):
        raise AddressRefused(f"{host} is not a public host name")
    if port not in policy.allowed_ports and not beyond_public:
        raise BadUrl(f"port {port} is not a web port")
    return url, host


@bp.route("/submit", methods=["GET", "POST"])
def submit() -> str | Response | tuple[str, int]:
    form = SubmitSiteForm()
    if form.validate_on_submit():
        try:
            url, host = judge_form(form.url.data or "", submission_policy())
        except GuardError as exc:
            # A refusal counts toward the limit: refusals are not a free probe.
            if not ratelimit.hit("submit", *current_app.config["SUBMISSION_RATE"]):
                abort(429)
            form.url.errors = [guard_message(exc)]
            return render_template("submit/submit.html", form=form), 400
        now = datetime.now(UTC)
        db = session()
        tracked = tracked_domain(db, url)
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
        admit(waiting)
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
