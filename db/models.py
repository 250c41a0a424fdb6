"""The tables (DESIGN.md §3): Company → Site → Target, Run → Check → FieldResult → OptionList.

History is append-only: a Check and its FieldResults are written once and never updated or
deleted (an ORM guard below refuses both), so a verdict published today can always be traced to
the evidence it came from. Catalog rows (companies, sites, contacts, targets) are edited by
``catalog load``; a target that leaves the catalog is deactivated, never deleted, because its
checks point at it.

Enumerations that belong to the catalog contract (target kind, browser mode, contact kind) and
to our own bookkeeping (run status, fetch method) are CHECK constraints. Verdicts are not: the
engine may learn new ones, and widening a CHECK on SQLite means rebuilding the table.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from db.errors import DbError
from foundation.vocabulary import BrowserMode, Method

CONTACT_KINDS = ("email", "form", "phone", "social", "page")
TARGET_KINDS = ("signup", "checkout", "shipping", "phone", "profile", "other")
BROWSER_MODES = tuple(BrowserMode)
RUN_STATUSES = ("running", "finished", "interrupted")
METHODS = tuple(Method)

# Deterministic constraint names: the same on SQLite and PostgreSQL, so later migrations can
# name what they alter.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend.

    SQLite has no time zone type: values are stored as naive UTC and given their zone back on
    the way out, so comparisons in Python never mix naive and aware datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give times in UTC with a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


class Company(Base):
    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)

    sites: Mapped[list[Site]] = relationship(back_populates="company")


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    domain: Mapped[str] = mapped_column(String(253), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(100))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Name of the catalog file the site came from: reloading one file deactivates only what
    # that file dropped, so loading a second catalog never retires the first one's sites.
    catalog: Mapped[str | None] = mapped_column(String(200))
    # The catalog's ``discover:``: look for the site's form pages (crawl --discover), from
    # ``discover_url`` or the site's home page.
    discover: Mapped[bool] = mapped_column(Boolean, default=False)
    discover_url: Mapped[str | None] = mapped_column(String(2000))

    company: Mapped[Company | None] = relationship(back_populates="sites")
    targets: Mapped[list[Target]] = relationship(back_populates="site", order_by="Target.id")
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="site", order_by="Contact.id", foreign_keys="Contact.site_id")


class Contact(Base):
    __tablename__ = "contacts"
    __table_args__ = (
        CheckConstraint(_one_of("kind", CONTACT_KINDS), name="kind"),
        CheckConstraint("company_id IS NOT NULL OR site_id IS NOT NULL", name="owner"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(1000))
    # The page where the contact was found, so anyone can re-check it.
    source: Mapped[str | None] = mapped_column(String(2000))
    verified: Mapped[date | None] = mapped_column(Date)
    # Marked unverified in the catalog: a help page given because no address is known.
    unverified: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)

    site: Mapped[Site | None] = relationship(back_populates="contacts", foreign_keys=[site_id])
    company: Mapped[Company | None] = relationship(foreign_keys=[company_id])


class Target(Base):
    __tablename__ = "targets"
    __table_args__ = (
        CheckConstraint(_one_of("kind", TARGET_KINDS), name="kind"),
        CheckConstraint(_one_of("browser", BROWSER_MODES), name="browser"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    browser: Mapped[str] = mapped_column(String(8), default="auto")
    steps: Mapped[list[Any]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    site: Mapped[Site] = relationship(back_populates="targets")


class Run(Base):
    __tablename__ = "runs"
    __table_args__ = (CheckConstraint(_one_of("status", RUN_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="running")
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    engine_version: Mapped[str | None] = mapped_column(String(64))


class Check(Base):
    __tablename__ = "checks"
    __table_args__ = (
        # One check per target per run: re-running a crashed crawl cannot duplicate one.
        UniqueConstraint("run_id", "target_id"),
        CheckConstraint(_one_of("method", METHODS), name="method"),
        # The status queries: latest (conclusive) check per target, in time order.
        Index("ix_checks_target_time", "target_id", "territory", "checked_at"),
        Index("ix_checks_target_conclusive_time", "target_id", "territory", "conclusive",
              "checked_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"))
    checked_at: Mapped[datetime] = mapped_column(index=True)
    territory: Mapped[str] = mapped_column(String(8), default="XK")
    method: Mapped[str] = mapped_column(String(16))
    verdict: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(String(64))
    # Derived from the verdict when written (see db.verdicts.is_conclusive) and stored so the
    # "last conclusive verdict" query can use an index.
    conclusive: Mapped[bool] = mapped_column(Boolean)
    final_url: Mapped[str | None] = mapped_column(Text)
    http_status: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str | None] = mapped_column(Text)
    html_sha256: Mapped[str | None] = mapped_column(String(64))
    screenshot_sha256: Mapped[str | None] = mapped_column(String(64))
    elapsed_ms: Mapped[int | None] = mapped_column(Integer)
    # The whole report as the checker produced it, for re-analysis and export.
    report: Mapped[dict[str, Any]] = mapped_column(JSON)

    run: Mapped[Run] = relationship()
    target: Mapped[Target] = relationship()
    fields: Mapped[list[FieldResult]] = relationship(
        back_populates="check", order_by="FieldResult.position")


class OptionList(Base):
    """A country list exactly as a page offered it, stored once however many checks saw it."""

    __tablename__ = "option_lists"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    option_count: Mapped[int] = mapped_column(Integer)
    options: Mapped[list[Any]] = mapped_column(JSON)


class FieldResult(Base):
    __tablename__ = "field_results"
    __table_args__ = (UniqueConstraint("check_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("checks.id"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    widget: Mapped[str] = mapped_column(String(32))
    selector: Mapped[str | None] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(String(500))
    element_id: Mapped[str | None] = mapped_column(String(500))
    label: Mapped[str | None] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(32))
    kosovo_label: Mapped[str | None] = mapped_column(String(500))
    kosovo_value: Mapped[str | None] = mapped_column(String(500))
    kosovo_dial_code: Mapped[str | None] = mapped_column(String(16))
    qualifier: Mapped[str | None] = mapped_column(String(500))
    option_count: Mapped[int | None] = mapped_column(Integer)
    country_count: Mapped[int | None] = mapped_column(Integer)
    fingerprint_source: Mapped[str | None] = mapped_column(String(200))
    fingerprint_similarity: Mapped[float | None] = mapped_column(Float)
    option_list_id: Mapped[int | None] = mapped_column(ForeignKey("option_lists.id"), index=True)

    check: Mapped[Check] = relationship(back_populates="fields")
    option_list: Mapped[OptionList | None] = relationship()


class AppendOnlyViolation(DbError):
    """Someone tried to edit or delete a stored check."""


def _refuse(mapper: Mapper[Any], connection: Any, target: Any) -> None:
    raise AppendOnlyViolation(
        f"{type(target).__name__} rows are append-only history; add a new check instead")


for _model in (Check, FieldResult):
    event.listen(_model, "before_update", _refuse)
    event.listen(_model, "before_delete", _refuse)


# --- The citizens' dashboard (tracker_web) ------------------------------------------------
# Nothing personal is kept: no e-mail address, no name, no raw client address. Rate limits
# use a keyed hash of the address that is deleted after a day; the letter tally counts
# anonymous clicks per company, day and channel.

SUBMISSION_STATUSES = ("queued", "checking", "checked", "approved", "rejected")
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
        CheckConstraint(_one_of("status", SUBMISSION_STATUSES), name="status"),
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
        CheckConstraint(_one_of("status", REPORT_STATUSES), name="status"),
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
        CheckConstraint(_one_of("channel", TALLY_CHANNELS), name="channel"),
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
        CheckConstraint(_one_of("status", RECHECK_STATUSES), name="status"),
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

DISCOVERY_ORIGINS = ("crawl", "citizen", "moderator")
DISCOVERY_STATUSES = ("queued", "running", "done", "failed")
PROPOSAL_STATUSES = ("proposed", "accepted", "rejected")


class Discovery(Base):
    """One walk of one site: made by a crawl (``crawl --discover``), asked by a moderator, or
    asked by a citizen who gave only a site's address (then ``token`` names its public
    status page). ``queued`` ones wait for the dashboard's worker."""

    __tablename__ = "discoveries"
    __table_args__ = (
        CheckConstraint(_one_of("origin", DISCOVERY_ORIGINS), name="origin"),
        CheckConstraint(_one_of("status", DISCOVERY_STATUSES), name="status"),
        Index("ix_discoveries_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    domain: Mapped[str] = mapped_column(String(253), index=True)
    start_url: Mapped[str] = mapped_column(String(2048))
    origin: Mapped[str] = mapped_column(String(16))
    # Why it ran: "discover: true", "no active target", "target 12: http_4xx, http_4xx" …
    trigger: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    token: Mapped[str | None] = mapped_column(String(64), unique=True)
    note: Mapped[str | None] = mapped_column(Text)  # what the citizen wrote, never echoed raw
    created_at: Mapped[datetime] = mapped_column()
    claimed_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    pages: Mapped[int | None] = mapped_column(Integer)
    requests: Mapped[int | None] = mapped_column(Integer)
    seconds: Mapped[float | None] = mapped_column(Float)
    stop_reason: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    site: Mapped[Site | None] = relationship()
    proposals: Mapped[list[Proposal]] = relationship(
        back_populates="discovery", order_by="Proposal.id")


class Proposal(Base):
    """A page discovery found with a country control: its check report (evidence named by
    hash in the store), how it was reached, and what moderation made of it."""

    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint(_one_of("kind", TARGET_KINDS), name="kind"),
        CheckConstraint(_one_of("status", PROPOSAL_STATUSES), name="status"),
        CheckConstraint(_one_of("method", METHODS), name="method"),
        Index("ix_proposals_status_found", "status", "found_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    discovery_id: Mapped[int] = mapped_column(ForeignKey("discoveries.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    domain: Mapped[str] = mapped_column(String(253))
    url: Mapped[str] = mapped_column(String(2000), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    steps: Mapped[list[Any]] = mapped_column(JSON, default=list)
    via: Mapped[str | None] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(16))
    verdict: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(String(64))
    found_at: Mapped[datetime] = mapped_column()
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    html_sha256: Mapped[str | None] = mapped_column(String(64))
    screenshot_sha256: Mapped[str | None] = mapped_column(String(64))
    # The catalog target that stopped answering, which this page would replace.
    replaces_target_id: Mapped[int | None] = mapped_column(ForeignKey("targets.id"))
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    decided_at: Mapped[datetime | None] = mapped_column()
    decided_by: Mapped[str | None] = mapped_column(String(64))
    # The target made from it when accepted.
    target_id: Mapped[int | None] = mapped_column(ForeignKey("targets.id"))

    discovery: Mapped[Discovery] = relationship(back_populates="proposals")
    site: Mapped[Site | None] = relationship()
    replaces: Mapped[Target | None] = relationship(foreign_keys=[replaces_target_id])
    target: Mapped[Target | None] = relationship(foreign_keys=[target_id])
