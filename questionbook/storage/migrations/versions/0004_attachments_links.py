"""attachments (content-addressed blobs) and links between entries

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-06 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
# Issue 17's helper adds "0003" in parallel; the lead re-chains this one after it at merge.
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # New tables only: no rebuild of ``entry``, so its search triggers and rows are untouched.
    # Existing entries have no attachments and their ``[[links]]`` (none could be written
    # before this revision) need no back-fill.
    op.create_table(
        "attachment_blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("mime", sa.String(length=128), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "entry_attachment",
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("inline", sa.Boolean(), nullable=False),
        sa.Column("added_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["entry.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["sha256"], ["attachment_blob.sha256"]),
        sa.PrimaryKeyConstraint("entry_id", "sha256"),
    )
    op.create_index(
        op.f("ix_entry_attachment_sha256"), "entry_attachment", ["sha256"], unique=False
    )
    op.create_table(
        "entry_link",
        sa.Column("source_id", sa.String(length=36), nullable=False),
        sa.Column("target_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["entry.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("source_id", "target_id"),
    )
    op.create_index(op.f("ix_entry_link_target_id"), "entry_link", ["target_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_entry_link_target_id"), table_name="entry_link")
    op.drop_table("entry_link")
    op.drop_index(op.f("ix_entry_attachment_sha256"), table_name="entry_attachment")
    op.drop_table("entry_attachment")
    op.drop_table("attachment_blob")
