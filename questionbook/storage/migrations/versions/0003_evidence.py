"""evidence: AI trials, tide seals and "still mine" (issue 17)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs and a new table: no rebuild, so the search triggers and child rows of
    # ``entry`` are untouched. A NOT NULL column needs a default for the rows already there.
    op.add_column("entry", sa.Column("seal_level", sa.Integer(), nullable=True))
    op.add_column("entry", sa.Column("seal_waterline", sa.Integer(), nullable=True))
    op.add_column("entry", sa.Column("still_mine", sa.String(), nullable=False, server_default=""))
    op.add_column("entry", sa.Column("still_mine_at", sa.String(length=32), nullable=True))
    op.create_table(
        "trial",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("asked_at", sa.String(length=32), nullable=False),
        sa.Column("model", sa.String(), nullable=False),
        sa.Column("prompt", sa.String(), nullable=False),
        sa.Column("answer", sa.String(), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["entry.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_trial_entry_id"), "trial", ["entry_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_trial_entry_id"), table_name="trial")
    op.drop_table("trial")
    with op.batch_alter_table("entry") as batch_op:
        batch_op.drop_column("still_mine_at")
        batch_op.drop_column("still_mine")
        batch_op.drop_column("seal_waterline")
        batch_op.drop_column("seal_level")
