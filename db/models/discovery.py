"""Discovery's tables: walks of a site for its form pages, and the proposals they make."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import METHODS, TARGET_KINDS, Base, one_of

if TYPE_CHECKING:
    from db.models.history import Site, Target

DISCOVERY_ORIGINS = ("crawl", "citizen", "moderator")
DISCOVERY_STATUSES = ("queued", "running", "done", "failed")
PROPOSAL_STATUSES = ("proposed", "accepted", "rejected")


class Discovery(Base):
    """One walk of one site: made by a crawl (``crawl --discover``), asked by a moderator, or
    asked by a citizen who gave only a site's address (then ``token`` names its public
    status page). ``queued`` ones wait for the dashboard's worker."""

    __tablename__ = "discoveries"
    __table_args__ = (
        CheckConstraint(one_of("origin", DISCOVERY_ORIGINS), name="origin"),
        CheckConstraint(one_of("status", DISCOVERY_STATUSES), name="status"),
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
        CheckConstraint(one_of("kind", TARGET_KINDS), name="kind"),
        CheckConstraint(one_of("status", PROPOSAL_STATUSES), name="status"),
        CheckConstraint(one_of("method", METHODS), name="method"),
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
