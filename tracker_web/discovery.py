"""Discovery in the dashboard: a citizen gives a site's address and we look for its forms;
moderators see the catalog's health and turn discovery's proposals into targets.

Pages:

* ``/submit/site``: the address of a site (no form page needed); judged by its form like a
  submitted page (http or https, no user name or password, a public-looking host, nothing
  resolved in the request; a refusal counts toward the rate limit), resolved and walked in
  the background by the worker (:mod:`tracker_web.discovery_jobs`);
* ``/submit/site/<token>``: its public status: what discovery found, waiting for moderation;
* ``/admin/catalog-health``: sites that need discovery (``discover: true``, no target,
  targets that stopped answering), the proposals beside them, accepted or rejected with one
  button each (a POST with a CSRF token, like every change in the admin).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from crawler.discover.site import site_of
from crawler.errors import GuardError
from db.health import DEFAULT_RUNS, catalog_health
from db.models import Discovery, Proposal, Site
from db.proposals import ProposalError, accept_proposal, reject_proposal, start_discovery
from tracker_web import facts, ratelimit
from tracker_web.admin import login_required
from tracker_web.database import session, write_scope
from tracker_web.forms import ActionForm, SubmitSiteAddressForm
from tracker_web.submit import admit, guard_message, judge_form, submission_policy
from tracker_web.worker import pool_of

bp = Blueprint("discovery", __name__)
TOKEN_BYTES = 18
DUPLICATE_WINDOW = timedelta(days=1)


def _wake() -> None:
    pool_of(current_app._get_current_object()).wake()  # type: ignore[attr-defined]


def _start_url(raw: str) -> str:
    """The start URL of a site address (``shop.example`` → ``https://shop.example/``), judged
    by its form only; raises :class:`GuardError`."""
    return judge_form(raw, submission_policy())[0]


@bp.route("/submit/site", methods=["GET", "POST"])
def submit_site() -> str | Response | tuple[str, int]:
    form = SubmitSiteAddressForm()
    if form.validate_on_submit():
        try:
            start = _start_url(form.url.data or "")
        except GuardError as exc:
            if not ratelimit.hit("submit", *current_app.config["SUBMISSION_RATE"]):
                abort(429)
            form.url.errors = [guard_message(exc)]
            return render_template("discovery/submit.html", form=form), 400
        domain = site_of(start)
        now = datetime.now(UTC)
        db = session()
        earlier = db.execute(select(Discovery.token).where(
            Discovery.domain == domain, Discovery.origin == "citizen",
            Discovery.created_at >= now - DUPLICATE_WINDOW,
            Discovery.token.is_not(None)).order_by(Discovery.id.desc())
            .limit(1)).scalar_one_or_none()
        if earlier is not None:
            flash(_("This site was given a moment ago; here is what we found."))
            return redirect(url_for("discovery.site_status", token=earlier), code=303)
        waiting = db.execute(select(func.count()).select_from(Discovery).where(
            Discovery.status.in_(("queued", "running")))).scalar_one()
        admit(waiting)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        with write_scope() as writer:
            site_id = writer.execute(select(Site.id).where(Site.domain == domain)
                                     ).scalar_one_or_none()
            start_discovery(writer, domain=domain, start_url=start, origin="citizen",
                            site_id=site_id, trigger="a citizen gave the site's address",
                            token=token, note=(form.note.data or "").strip()[:1000] or None,
                            status="queued")
        _wake()
        return redirect(url_for("discovery.site_status", token=token), code=303)
    return render_template("discovery/submit.html", form=form), 400 if form.errors else 200


@bp.get("/submit/site/<token>")
def site_status(token: str) -> str:
    if not 8 <= len(token) <= 64:
        abort(404)
    db = session()
    found = db.execute(select(Discovery).where(Discovery.token == token)).scalar_one_or_none()
    if found is None:
        abort(404)
    proposals = db.scalars(select(Proposal).where(Proposal.discovery_id == found.id)
                           .order_by(Proposal.id)).all()
    return render_template("discovery/status.html", discovery=found, proposals=proposals,
                           waiting=found.status in ("queued", "running"))


# --- moderation --------------------------------------------------------------------------

@bp.get("/admin/catalog-health")
@login_required
def health() -> str:
    db = session()
    sites = catalog_health(db, runs=int(current_app.config.get("HEALTH_RUNS", DEFAULT_RUNS)))
    shown = {p.id for s in sites for p in s.proposals}
    others = [p for p in db.scalars(select(Proposal).where(Proposal.status == "proposed")
                                    .order_by(Proposal.found_at).limit(200))
              if p.id not in shown]
    running = db.scalars(select(Discovery).where(Discovery.status.in_(("queued", "running")))
                         .order_by(Discovery.created_at).limit(50)).all()
    return render_template("discovery/health.html", sites=sites, others=others,
                           running=running, action=ActionForm())


@bp.post("/admin/proposals/<int:proposal_id>/<any(accept, reject):decision>")
@login_required
def decide(proposal_id: int, decision: str) -> Response:
    if not ActionForm().validate_on_submit():
        abort(400)
    with write_scope() as db:
        if db.get(Proposal, proposal_id) is None:
            abort(404)
        try:
            if decision == "accept":
                target = accept_proposal(db, proposal_id, g.admin.username)
                domain = target.site.domain
            else:
                reject_proposal(db, proposal_id, g.admin.username)
                domain = None
        except ProposalError:
            flash(_("This proposal was decided already."))
            return redirect(url_for("discovery.health"), code=303)
    facts.changed()
    if domain is not None:
        flash(_("Accepted: the page is now tracked."))
    else:
        flash(_("Rejected: this page will not be proposed again."))
    return redirect(url_for("discovery.health"), code=303)


@bp.post("/admin/catalog-health/<int:site_id>/discover")
@login_required
def discover_now(site_id: int) -> Response:
    if not ActionForm().validate_on_submit():
        abort(400)
    db = session()
    found = next((s for s in catalog_health(db) if s.site_id == site_id), None)
    if found is None:
        abort(404)
    with write_scope() as writer:
        start_discovery(writer, domain=found.domain, start_url=found.start_url,
                        origin="moderator", site_id=site_id, trigger=found.trigger,
                        status="queued", settings={"asked_by": g.admin.username})
    _wake()
    flash(_("Discovery is queued. Its proposals will appear on this page."))
    return redirect(url_for("discovery.health"), code=303)
