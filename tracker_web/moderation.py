"""What moderators' decisions do to the catalog and the history.

Approving a submission adds its site to the catalog (company, site, target; marked as coming
from the ``submissions`` catalog so a catalog file reload never retires it) and records the
check the worker made as the first check of that target, in a run of its own, so the
evidence the citizen saw is the first entry of the site's timeline.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from db.models import AdminUser, Company, RecheckRequest, Site, Submission, Target
from db.store import finish_run, record_check, start_run
from foundation.urls import canonical_page_url
from tracker_web.errors import ModerationError

CATALOG = "submissions"
# Compared against when the user name is unknown, so a wrong name costs as long as a wrong
# password and the answer time does not reveal which names exist.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def authenticate(session: Session, username: str, password: str) -> AdminUser | None:
    user = session.execute(select(AdminUser).where(AdminUser.username == username)
                           ).scalar_one_or_none()
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def create_admin(session: Session, username: str, password: str) -> AdminUser:
    if session.execute(select(AdminUser.id).where(AdminUser.username == username)).first():
        raise ModerationError(f"an admin named {username!r} exists already")
    user = AdminUser(username=username, password_hash=hash_password(password), active=True,
                     created_at=datetime.now(UTC))
    session.add(user)
    session.flush()
    return user


def _same_page(stored: str, url: str) -> bool:
    try:
        return canonical_page_url(stored) == url
    except ValueError:
        return False


def tracked_target(session: Session, url: str, *,
                   active_only: bool = True) -> tuple[int, str] | None:
    """The target (id, site domain) at the page ``url`` (canonical), however its address was
    spelled in the catalog: scheme and host case, default port, trailing slash, tracking
    parameters."""
    host = (urlsplit(url).hostname or "").lower()
    if not host:
        return None
    like = "%//" + host.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    query = (select(Target.id, Target.url, Site.domain).join(Site, Target.site_id == Site.id)
             .where(func.lower(Target.url).like(like, escape="\\")).order_by(Target.id))
    if active_only:
        query = query.where(Target.active.is_(True))
    for target_id, stored, domain in session.execute(query):
        if _same_page(stored, url):
            return target_id, domain
    return None


def tracked_domain(session: Session, url: str) -> str | None:
    """The site whose active target is the page ``url`` (canonical), or None."""
    found = tracked_target(session, url)
    return found[1] if found else None


def approve(session: Session, submission: Submission, *, name: str, company: str | None,
            category: str | None, kind: str, moderator: str, note: str | None) -> Site:
    if submission.status != "checked":
        raise ModerationError("only a checked submission can be approved")
    url = canonical_page_url(submission.url)
    if tracked_target(session, url, active_only=False) is not None:
        raise ModerationError("this page is tracked already")
    owner = None
    if company:
        owner = session.execute(select(Company).where(Company.name == company)
                                ).scalar_one_or_none() or Company(name=company)
        session.add(owner)
    site = session.execute(select(Site).where(Site.domain == submission.domain)
                           ).scalar_one_or_none()
    if site is None:
        site = Site(domain=submission.domain, name=name, category=category or None,
                    company=owner, active=True, catalog=CATALOG)
        session.add(site)
    target = Target(site=site, url=url, kind=kind, browser="auto", steps=[], active=True)
    session.add(target)
    session.flush()
    if submission.report and submission.report.get("verdict"):
        run = start_run(session, {"kind": "submission", "submission": submission.id,
                                  "approved_by": moderator})
        record_check(session, run_id=run.id, target_id=target.id, report=submission.report)
        finish_run(session, run.id)
    submission.status = "approved"
    submission.site_id = site.id
    submission.moderated_at = datetime.now(UTC)
    submission.moderated_by = moderator
    submission.moderation_note = note
    return site


def reject(submission: Submission, *, moderator: str, note: str | None) -> None:
    if submission.status in ("approved", "rejected"):
        raise ModerationError("this submission was moderated already")
    submission.status = "rejected"
    submission.moderated_at = datetime.now(UTC)
    submission.moderated_by = moderator
    submission.moderation_note = note


def request_recheck(session: Session, target_id: int, moderator: str) -> RecheckRequest:
    """Queue a re-check, unless one for this target is already waiting."""
    waiting = session.execute(select(RecheckRequest).where(
        RecheckRequest.target_id == target_id,
        RecheckRequest.status.in_(("queued", "checking")))).scalar_one_or_none()
    if waiting is not None:
        return waiting
    job = RecheckRequest(target_id=target_id, requested_by=moderator, status="queued",
                         created_at=datetime.now(UTC))
    session.add(job)
    session.flush()
    return job
