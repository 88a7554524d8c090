"""writing comfort: revisit dates, templates, prompts of the day (issue 19)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
# The sync helper adds a migration in parallel; the lead re-chains one after the other at merge.
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN and new tables: no rebuild of ``entry``, so its search triggers and
    # child rows are untouched. ``revisit_on`` is a local calendar day as ``YYYY-MM-DD`` text.
    op.add_column("entry", sa.Column("revisit_on", sa.String(length=10), nullable=True))
    op.create_index(op.f("ix_entry_revisit_on"), "entry", ["revisit_on"], unique=False)
    op.create_table(
        "entry_template",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("builtin", sa.String(length=64), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "prompt",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "prompt_shown",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("prompt", sa.String(length=64), nullable=False),
        sa.Column("shown_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )


def downgrade() -> None:
    op.drop_table("prompt_shown")
    op.drop_table("prompt")
    op.drop_table("entry_template")
    op.drop_index(op.f("ix_entry_revisit_on"), table_name="entry")
    with op.batch_alter_table("entry") as batch_op:
        batch_op.drop_column("revisit_on")
