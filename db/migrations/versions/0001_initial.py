"""Create the history tables: catalog (companies, sites, contacts, targets), runs, checks,
field results and deduplicated option lists.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _one_of(column: str, values: tuple[str, ...]) -> str:
    # Frozen copies of the model's lists: a migration must not change when the models do.
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "companies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_companies")),
        sa.UniqueConstraint("name", name=op.f("uq_companies_name")),
    )
    op.create_table(
        "option_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("option_count", sa.Integer(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_option_lists")),
        sa.UniqueConstraint("sha256", name=op.f("uq_option_lists_sha256")),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("engine_version", sa.String(length=64), nullable=True),
        sa.CheckConstraint(_one_of("status", ("running", "finished", "interrupted")),
                           name=op.f("ck_runs_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    op.create_index(op.f("ix_runs_started_at"), "runs", ["started_at"])
    op.create_table(
        "sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("catalog", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"],
                                name=op.f("fk_sites_company_id_companies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sites")),
        sa.UniqueConstraint("domain", name=op.f("uq_sites_domain")),
    )
    op.create_index(op.f("ix_sites_company_id"), "sites", ["company_id"])
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=1000), nullable=False),
        sa.Column("source", sa.String(length=2000), nullable=True),
        sa.Column("verified", sa.Date(), nullable=True),
        sa.Column("unverified", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(_one_of("kind", ("email", "form", "phone", "social", "page")),
                           name=op.f("ck_contacts_kind")),
        sa.CheckConstraint("company_id IS NOT NULL OR site_id IS NOT NULL",
                           name=op.f("ck_contacts_owner")),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"],
                                name=op.f("fk_contacts_company_id_companies")),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_contacts_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    op.create_index(op.f("ix_contacts_company_id"), "contacts", ["company_id"])
    op.create_index(op.f("ix_contacts_site_id"), "contacts", ["site_id"])
    op.create_table(
        "targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("browser", sa.String(length=8), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(_one_of("browser", ("auto", "always", "never")),
                           name=op.f("ck_targets_browser")),
        sa.CheckConstraint(
            _one_of("kind", ("signup", "checkout", "shipping", "phone", "profile", "other")),
            name=op.f("ck_targets_kind")),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_targets_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_targets")),
        sa.UniqueConstraint("url", name=op.f("uq_targets_url")),
    )
    op.create_index(op.f("ix_targets_site_id"), "targets", ["site_id"])
    op.create_table(
        "checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("territory", sa.String(length=8), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("verdict", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=True),
        sa.Column("conclusive", sa.Boolean(), nullable=False),
        sa.Column("final_url", sa.Text(), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("html_sha256", sa.String(length=64), nullable=True),
        sa.Column("screenshot_sha256", sa.String(length=64), nullable=True),
        sa.Column("elapsed_ms", sa.Integer(), nullable=True),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.CheckConstraint(_one_of("method", ("static", "browser")),
                           name=op.f("ck_checks_method")),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_checks_run_id_runs")),
        sa.ForeignKeyConstraint(["target_id"], ["targets.id"],
                                name=op.f("fk_checks_target_id_targets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checks")),
        sa.UniqueConstraint("run_id", "target_id", name=op.f("uq_checks_run_id_target_id")),
    )
    op.create_index(op.f("ix_checks_checked_at"), "checks", ["checked_at"])
    op.create_index("ix_checks_target_time", "checks", ["target_id", "territory", "checked_at"])
    op.create_index("ix_checks_target_conclusive_time", "checks",
                    ["target_id", "territory", "conclusive", "checked_at"])
    op.create_table(
        "field_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("check_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("widget", sa.String(length=32), nullable=False),
        sa.Column("selector", sa.Text(), nullable=True),
        sa.Column("name", sa.String(length=500), nullable=True),
        sa.Column("element_id", sa.String(length=500), nullable=True),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("verdict", sa.String(length=32), nullable=False),
        sa.Column("kosovo_label", sa.String(length=500), nullable=True),
        sa.Column("kosovo_value", sa.String(length=500), nullable=True),
        sa.Column("kosovo_dial_code", sa.String(length=16), nullable=True),
        sa.Column("qualifier", sa.String(length=500), nullable=True),
        sa.Column("option_count", sa.Integer(), nullable=True),
        sa.Column("country_count", sa.Integer(), nullable=True),
        sa.Column("fingerprint_source", sa.String(length=200), nullable=True),
        sa.Column("fingerprint_similarity", sa.Float(), nullable=True),
        sa.Column("option_list_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["check_id"], ["checks.id"],
                                name=op.f("fk_field_results_check_id_checks")),
        sa.ForeignKeyConstraint(["option_list_id"], ["option_lists.id"],
                                name=op.f("fk_field_results_option_list_id_option_lists")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_results")),
        sa.UniqueConstraint("check_id", "position",
                            name=op.f("uq_field_results_check_id_position")),
    )
    op.create_index(op.f("ix_field_results_option_list_id"), "field_results",
                    ["option_list_id"])


def downgrade() -> None:
    for table in ("field_results", "checks", "targets", "contacts", "sites", "runs",
                  "option_lists", "companies"):
        op.drop_table(table)
