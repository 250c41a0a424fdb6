"""The history's tables (DESIGN.md §3): Company → Site → Target, Run → Check → FieldResult
→ OptionList.

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

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from db.errors import DbError
from db.models.base import (
    BROWSER_MODES,
    CONTACT_KINDS,
    METHODS,
    RUN_STATUSES,
    TARGET_KINDS,
    Base,
    one_of,
)


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
        CheckConstraint(one_of("kind", CONTACT_KINDS), name="kind"),
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
        CheckConstraint(one_of("kind", TARGET_KINDS), name="kind"),
        CheckConstraint(one_of("browser", BROWSER_MODES), name="browser"),
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
    __table_args__ = (CheckConstraint(one_of("status", RUN_STATUSES), name="status"),)

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
        CheckConstraint(one_of("method", METHODS), name="method"),
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


