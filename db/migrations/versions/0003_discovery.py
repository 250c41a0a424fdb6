"""Discovery: the walks that look for a site's form pages and the proposals they make;
sites gain the catalog's ``discover:`` (a flag and an optional start page).

Revision ID: 0003_discovery
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_discovery"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    # Frozen copies of the model's lists: a migration must not change when the models do.
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    with op.batch_alter_table("sites") as batch:
        batch.add_column(sa.Column("discover", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("discover_url", sa.String(length=2000), nullable=True))
    op.create_table(
        "discoveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.Column("start_url", sa.String(length=2048), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("trigger", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("claimed_at", TS, nullable=True),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("requests", sa.Integer(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("stop_reason", sa.String(length=32), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.CheckConstraint(_one_of("origin", ("crawl", "citizen", "moderator")),
                           name=op.f("ck_discoveries_origin")),
        sa.CheckConstraint(_one_of("status", ("queued", "running", "done", "failed")),
                           name=op.f("ck_discoveries_status")),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"],
                                name=op.f("fk_discoveries_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discoveries")),
        sa.UniqueConstraint("token", name=op.f("uq_discoveries_token")),
    )
    op.create_index(op.f("ix_discoveries_domain"), "discoveries", ["domain"])
    op.create_index(op.f("ix_discoveries_site_id"), "discoveries", ["site_id"])
    op.create_index("ix_discoveries_status_created", "discoveries", ["status", "created_at"])
    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("discovery_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("via", sa.Text(), nullable=True),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("verdict", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=True),
        sa.Column("found_at", TS, nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("html_sha256", sa.String(length=64), nullable=True),
        sa.Column("screenshot_sha256", sa.String(length=64), nullable=True),
        sa.Column("replaces_target_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(_one_of("kind", ("signup", "checkout", "shipping", "phone",
                                            "profile", "other")),
                           name=op.f("ck_proposals_kind")),
        sa.CheckConstraint(_one_of("method", ("static", "browser")),
                           name=op.f("ck_proposals_method")),
        sa.CheckConstraint(_one_of("status", ("proposed", "accepted", "rejected")),
                           name=op.f("ck_proposals_status")),
        sa.ForeignKeyConstraint(["discovery_id"], ["discoveries.id"],
                                name=op.f("fk_proposals_discovery_id_discoveries")),
        sa.ForeignKeyConstraint(["replaces_target_id"], ["targets.id"],
                                name=op.f("fk_proposals_replaces_target_id_targets")),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"],
                                name=op.f("fk_proposals_site_id_sites")),
        sa.ForeignKeyConstraint(["target_id"], ["targets.id"],
                                name=op.f("fk_proposals_target_id_targets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposals")),
    )
    op.create_index(op.f("ix_proposals_discovery_id"), "proposals", ["discovery_id"])
    op.create_index(op.f("ix_proposals_site_id"), "proposals", ["site_id"])
    op.create_index(op.f("ix_proposals_url"), "proposals", ["url"])
    op.create_index("ix_proposals_status_found", "proposals", ["status", "found_at"])


def downgrade() -> None:
    op.drop_table("proposals")
    op.drop_table("discoveries")
    with op.batch_alter_table("sites") as batch:
        batch.drop_column("discover_url")
        batch.drop_column("discover")
