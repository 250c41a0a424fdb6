"""Write to them: a letter composed from the facts, links to send it, an anonymous tally.

The server sends nothing and keeps nothing of the letter: the writer's sentence comes in with
the POST, goes into the page, and is gone. What is kept is a count per company, day and
channel, added when someone uses a link (or says they sent the letter).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite
from werkzeug.wrappers import Response

from db.models import ActionTally
from db.verdicts import TO_FIX
from tracker_web import ratelimit
from tracker_web.database import session, write_scope
from tracker_web.errors import LetterError
from tracker_web.evidence import Evidence, attribution, gap_neighbours
from tracker_web.forms import LetterForm, TallyForm, choices
from tracker_web.i18n import current_language
from tracker_web.letters import (
    LETTER_LANGUAGES,
    LetterFacts,
    compose,
    links,
    valid_email,
)
from tracker_web.sites import valid_domain
from tracker_web.siteview import SiteView, TargetView, site_view

bp = Blueprint("write", __name__, url_prefix="/write")
TALLY_LIMIT = (30, 3600)  # counts per client per hour: enough for a person, not for a script


def _deciding_field(evidence: Evidence, verdict: str) -> tuple[int, dict[str, Any]]:
    """The field the letter talks about (and its position): the one with the target's
    verdict (for a partial page, the world-wide list that lacks Kosovo), the longest list
    first."""
    wanted = "missing" if verdict == "partial" else verdict
    ranked = sorted(enumerate(evidence.fields), key=lambda p: -(p[1].get("country_count") or 0))
    for position, fieldinfo in ranked:
        if fieldinfo.get("verdict") == wanted:
            return position, fieldinfo
    return ranked[0] if ranked else (-1, {})


def letter_facts(view: SiteView, target: TargetView, evidence_url: str) -> LetterFacts | None:
    """The facts of one target for a letter; ``None`` when there is nothing to ask for.
    Only evidence the check kept is named: its screenshot, its whole list, its method."""
    status = target.status
    evidence = target.evidence
    if status.status not in TO_FIX or evidence is None:
        return None
    position, fieldinfo = _deciding_field(evidence, status.status)
    before, after = gap_neighbours(fieldinfo)
    kosovo = fieldinfo.get("kosovo") or {}
    found = attribution(fieldinfo)
    return LetterFacts(
        company=view.company.name if view.company else view.site.name,
        site=view.site.name or view.site.domain, verdict=status.status,
        form_kind=status.kind, form_url=status.url,
        checked_on=evidence.checked_at.date(), evidence_url=evidence_url,
        country_count=fieldinfo.get("country_count"), before=before, after=after,
        qualifier=fieldinfo.get("qualifier") or kosovo.get("label"),
        dial_code=kosovo.get("dial_code"), fix=found.fix if found else None,
        method=evidence.method, screenshot=bool(evidence.screenshot_sha256),
        whole_list=bool(evidence.options_of(position)))


def _view_or_404(domain: str) -> SiteView:
    if not valid_domain(domain):
        abort(404)
    view = site_view(session(), domain)
    if view is None:
        abort(404)
    return view


@bp.route("/<domain>", methods=["GET", "POST"])
def compose_letter(domain: str) -> str:
    view = _view_or_404(domain)
    writable = [t for t in view.targets if t.status.status in TO_FIX and t.evidence]
    form = LetterForm()
    form.target.choices = choices((t.status.target_id, t.status.url) for t in writable)
    if request.method == "GET":
        language = current_language()
        form.language.data = language if language in LETTER_LANGUAGES else "en"
        if writable:
            form.target.data = writable[0].status.target_id
    letter = sent = None
    recipient = next((c.value for c in view.contacts
                      if c.kind == "email" and valid_email(c.value)), None)
    if writable and form.validate_on_submit():
        target = next(t for t in writable if t.status.target_id == form.target.data)
        evidence_url = url_for("sites.site", domain=view.site.domain, _external=True,
                               _anchor=f"target-{target.status.target_id}")
        letter_data = letter_facts(view, target, evidence_url)
        if letter_data is not None:
            try:
                letter = compose(letter_data, form.language.data, form.variant.data,
                                 form.personal.data)
            except LetterError:
                form.personal.errors = [_("Please write a sentence of your own.")]
            else:
                sent = links(letter, recipient)
    return render_template("write/compose.html", view=view, form=form, writable=writable,
                           letter=letter, links=sent, recipient=recipient,
                           tally_form=TallyForm())


def add_to_tally(company_id: int, channel: str) -> None:
    """count + 1 for (company, today, channel), race-free on SQLite and PostgreSQL."""
    today = datetime.now(UTC).date()
    with write_scope() as db:
        dialect = db.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(ActionTally).values(company_id=company_id, day=today, channel=channel,
                                          count=1)
        db.execute(stmt.on_conflict_do_update(
            index_elements=["company_id", "day", "channel"],
            set_={"count": ActionTally.count + 1}))


@bp.post("/<domain>/tally")
def tally(domain: str) -> Response:
    view = _view_or_404(domain)
    form = TallyForm()
    if not form.validate_on_submit() or view.company is None:
        abort(400)
    if not ratelimit.hit("tally", *TALLY_LIMIT):
        abort(429)
    add_to_tally(view.company.id, form.channel.data)
    if request.headers.get("X-Requested-With") == "fetch":
        return Response(status=204)
    flash(_("Thank you. Your letter is counted (anonymously)."))
    return redirect(url_for("sites.site", domain=view.site.domain), code=303)
