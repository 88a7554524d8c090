"""sync through a folder: conflict copies, journal settings and the sync bookkeeping

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 18:30:00

Plain new tables, nothing rebuilt. The capture triggers are not part of the schema: the sync
engine installs them when sync is turned on (a journal that never syncs pays nothing).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_TIME = sa.String(length=32)


def upgrade() -> None:
    op.create_table(
        "conflict_copy",
        sa.Column("id", sa.String(length=32), autoincrement=False, nullable=False),
        sa.Column("entry_id", sa.String(length=36), autoincrement=False, nullable=True),
        sa.Column("table_name", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("row_key", sa.String(), autoincrement=False, nullable=False),
        sa.Column("field_name", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("value", sa.String(), autoincrement=False, nullable=False),
        sa.Column("lost_at", _TIME, autoincrement=False, nullable=False),
        sa.Column("lost_device", sa.String(length=32), autoincrement=False, nullable=False),
        sa.Column("resolved_at", _TIME, autoincrement=False, nullable=True),
        sa.ForeignKeyConstraint(["entry_id"], ["entry.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_conflict_copy_entry_id", "conflict_copy", ["entry_id"], unique=False)
    op.create_table(
        "journal_setting",
        sa.Column("key", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("value", sa.String(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("value", sa.String(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "sync_peer",
        sa.Column("device", sa.String(length=32), autoincrement=False, nullable=False),
        sa.Column("applied_seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("known_hlc", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(), autoincrement=False, nullable=False),
        sa.Column("last_seen", _TIME, autoincrement=False, nullable=True),
        sa.PrimaryKeyConstraint("device"),
    )
    op.create_table(
        "sync_version",
        sa.Column("tbl", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("key", sa.String(), autoincrement=False, nullable=False),
        sa.Column("versions", sa.String(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("tbl", "key"),
    )
    op.create_table(
        "sync_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tbl", sa.String(length=64), autoincrement=False, nullable=False),
        sa.Column("key", sa.String(), autoincrement=False, nullable=False),
        sa.Column("op", sa.String(length=1), autoincrement=False, nullable=False),
        sa.Column("fields", sa.String(), autoincrement=False, nullable=True),
        sa.Column("at", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "sync_unsent",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_table(
        "sync_applied",
        sa.Column("device", sa.String(length=32), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("device", "seq", "digest"),
    )
    op.create_table(
        "sync_quiet",
        sa.Column("flag", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("flag"),
    )


def downgrade() -> None:
    for name in (
        "sync_quiet",
        "sync_applied",
        "sync_unsent",
        "sync_outbox",
        "sync_version",
        "sync_peer",
        "sync_state",
        "journal_setting",
    ):
        op.drop_table(name)
    op.drop_index("ix_conflict_copy_entry_id", table_name="conflict_copy")
    op.drop_table("conflict_copy")
