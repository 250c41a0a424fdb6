"""The citizens' dashboard's tables: submissions, wrong-verdict reports, moderators, the
anonymous letter tally, rate-limit events and re-check requests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, one_of

# --- The citizens' dashboard (tracker_web) ------------------------------------------------
# Nothing personal is kept: no e-mail address, no name, no raw client address. Rate limits
# use a keyed hash of the address that is deleted after a day; the letter tally counts
# anonymous clicks per company, day and channel.

# "refused": the worker would not fetch it (a private address, a name that does not resolve,
# a non-web port): never moderated, never tracked.
SUBMISSION_STATUSES = ("queued", "checking", "checked", "refused", "approved", "rejected")
REPORT_STATUSES = ("open", "accepted", "dismissed")
RECHECK_STATUSES = ("queued", "checking", "done", "failed")
TALLY_CHANNELS = ("mailto", "gmail", "outlook", "copy", "post")


class Submission(Base):
    """A site a citizen asked us to check: checked in the background, then moderated.

    ``token`` is the unguessable name of its public status page. The check's report is kept
    here until a moderator approves the site; approval copies it into the history as a Check.
    """

    __tablename__ = "submissions"
    __table_args__ = (
        CheckConstraint(one_of("status", SUBMISSION_STATUSES), name="status"),
        Index("ix_submissions_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str] = mapped_column(String(2048))
    domain: Mapped[str] = mapped_column(String(253))
    # What the citizen saw (optional, free text; never shown unescaped).
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    created_at: Mapped[datetime] = mapped_column()
    # When a worker took it: a claim older than the worker's limit is taken again.
    claimed_at: Mapped[datetime | None] = mapped_column()
    checked_at: Mapped[datetime | None] = mapped_column()
    verdict: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(String(64))
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    moderated_at: Mapped[datetime | None] = mapped_column()
    moderated_by: Mapped[str | None] = mapped_column(String(64))
    moderation_note: Mapped[str | None] = mapped_column(Text)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))


class WrongVerdictReport(Base):
    """Someone says a stored verdict is wrong; a moderator looks and may trigger a re-check."""

    __tablename__ = "wrong_verdict_reports"
    __table_args__ = (
        CheckConstraint(one_of("status", REPORT_STATUSES), name="status"),
        Index("ix_wrong_verdict_reports_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("checks.id"), index=True)
    # What the reporter says the page shows (one of the page verdicts, or "other").
    claimed: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column()
    resolved_at: Mapped[datetime | None] = mapped_column()
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    resolution: Mapped[str | None] = mapped_column(Text)


class AdminUser(Base):
    """A moderator. Created with ``xktracker admin create``; there is no default account."""

    __tablename__ = "admin_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column()
    last_login_at: Mapped[datetime | None] = mapped_column()


class ActionTally(Base):
    """How many letters (or posts) people started to a company, per day and channel.

    Anonymous by construction: a count, with no trace of who clicked.
    """

    __tablename__ = "action_tallies"
    __table_args__ = (
        UniqueConstraint("company_id", "day", "channel"),
        CheckConstraint(one_of("channel", TALLY_CHANNELS), name="channel"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    day: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(16))
    count: Mapped[int] = mapped_column(Integer, default=0)


class RateEvent(Base):
    """One rate-limited action by one client, for the sliding window; kept for a day.

    ``client`` is an HMAC of the client address under the instance's secret key, so the
    table cannot be turned back into addresses without the key.
    """

    __tablename__ = "rate_events"
    __table_args__ = (Index("ix_rate_events_client_action_at", "client", "action", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(index=True)


class RecheckRequest(Base):
    """A moderator asked for a target to be checked again now (done by the check worker)."""

    __tablename__ = "recheck_requests"
    __table_args__ = (
        CheckConstraint(one_of("status", RECHECK_STATUSES), name="status"),
        Index("ix_recheck_requests_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"), index=True)
    requested_by: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    created_at: Mapped[datetime] = mapped_column()
    claimed_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    check_id: Mapped[int | None] = mapped_column(ForeignKey("checks.id"))
    error: Mapped[str | None] = mapped_column(Text)


# --- Discovery (crawler.discover): looking for a site's form pages ----------------------------
# What discovery finds are proposals, never targets by themselves: a moderator (or a catalog
# maintainer, through `xktracker catalog health`) turns one into a target.

