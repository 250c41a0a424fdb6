"""The citizens' dashboard: submissions, wrong-verdict reports, admins, the anonymous letter
tally, rate-limit events and re-check requests.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    # Frozen copies of the model's lists: a migration must not change when the models do.
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "admin_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_login_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_users")),
        sa.UniqueConstraint("username", name=op.f("uq_admin_users_username")),
    )
    op.create_table(
        "rate_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_events")),
    )
    op.create_index(op.f("ix_rate_events_at"), "rate_events", ["at"])
    op.create_index("ix_rate_events_client_action_at", "rate_events",
                    ["client", "action", "at"])
    op.create_table(
        "action_tallies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.CheckConstraint(_one_of("channel", ("mailto", "gmail", "outlook", "copy", "post")),
                           name=op.f("ck_action_tallies_channel")),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"],
                                name=op.f("fk_action_tallies_company_id_companies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_tallies")),
        sa.UniqueConstraint("company_id", "day", "channel",
                            name=op.f("uq_action_tallies_company_id_day_channel")),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("claimed_at", TS, nullable=True),
        sa.Column("checked_at", TS, nullable=True),
        sa.Column("verdict", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.String(length=64), nullable=True),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("moderated_at", TS, nullable=True),
        sa.Column("moderated_by", sa.String(length=64), nullable=True),
        sa.Column("moderation_note", sa.Text(), nullable=True),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            _one_of("status", ("queued", "checking", "checked", "approved", "rejected")),
            name=op.f("ck_submissions_status")),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"],
                                name=op.f("fk_submissions_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submissions")),
        sa.UniqueConstraint("token", name=op.f("uq_submissions_token")),
    )
    op.create_index("ix_submissions_status_created", "submissions", ["status", "created_at"])
    op.create_table(
        "recheck_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("claimed_at", TS, nullable=True),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("check_id", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(_one_of("status", ("queued", "checking", "done", "failed")),
                           name=op.f("ck_recheck_requests_status")),
        sa.ForeignKeyConstraint(["check_id"], ["checks.id"],
                                name=op.f("fk_recheck_requests_check_id_checks")),
        sa.ForeignKeyConstraint(["target_id"], ["targets.id"],
                                name=op.f("fk_recheck_requests_target_id_targets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recheck_requests")),
    )
    op.create_index("ix_recheck_requests_status_created", "recheck_requests",
                    ["status", "created_at"])
    op.create_index(op.f("ix_recheck_requests_target_id"), "recheck_requests", ["target_id"])
    op.create_table(
        "wrong_verdict_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("check_id", sa.Integer(), nullable=False),
        sa.Column("claimed", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("resolved_at", TS, nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.CheckConstraint(_one_of("status", ("open", "accepted", "dismissed")),
                           name=op.f("ck_wrong_verdict_reports_status")),
        sa.ForeignKeyConstraint(["check_id"], ["checks.id"],
                                name=op.f("fk_wrong_verdict_reports_check_id_checks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wrong_verdict_reports")),
    )
    op.create_index(op.f("ix_wrong_verdict_reports_check_id"), "wrong_verdict_reports",
                    ["check_id"])
    op.create_index("ix_wrong_verdict_reports_status_created", "wrong_verdict_reports",
                    ["status", "created_at"])


def downgrade() -> None:
    for table in ("wrong_verdict_reports", "recheck_requests", "submissions", "action_tallies",
                  "rate_events", "admin_users"):
        op.drop_table(table)
