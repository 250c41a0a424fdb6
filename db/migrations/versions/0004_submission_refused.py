"""Submissions gain the status ``refused``: the background worker, which now resolves a
submitted address (never the web request), refuses one that points at a private address,
does not resolve or uses a port that is not a web port.

Revision ID: 0004_submission_refused
Revises: 0003_discovery
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004_submission_refused"
down_revision: str | None = "0003_discovery"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ("queued", "checking", "checked", "approved", "rejected")
AFTER = ("queued", "checking", "checked", "refused", "approved", "rejected")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    # Frozen copies of the model's lists: a migration must not change when the models do.
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _status(values: tuple[str, ...]) -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.drop_constraint(op.f("ck_submissions_status"), type_="check")
        batch.create_check_constraint("status", _one_of("status", values))


def upgrade() -> None:
    _status(AFTER)


def downgrade() -> None:
    op.execute("UPDATE submissions SET status = 'rejected' WHERE status = 'refused'")
    _status(BEFORE)
