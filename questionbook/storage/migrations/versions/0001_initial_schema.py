"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-29 21:08:46.196752
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from questionbook.storage.connection import APPLICATION_ID
from questionbook.storage.fts import CREATE_STATEMENTS, DROP_STATEMENTS

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "entry",
        sa.Column("num", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("hardness", sa.Integer(), nullable=True),
        sa.Column("starred", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("tags_text", sa.String(), nullable=False),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("deleted_at", sa.String(length=32), nullable=True),
        sa.Column("last_reviewed_at", sa.String(length=32), nullable=True),
        sa.Column("snoozed_until", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["entry.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("num"),
        sa.UniqueConstraint("id"),
    )
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entry_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_entry_hardness"), ["hardness"], unique=False)
        batch_op.create_index("ix_entry_kind_created", ["kind", "created_at"], unique=False)
        batch_op.create_index("ix_entry_live_created", ["deleted_at", "created_at"], unique=False)
        batch_op.create_index(
            "ix_entry_stats", ["deleted_at", "kind", "starred", "hardness"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_entry_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_entry_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_entry_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.String(length=32), nullable=False),
        sa.Column("finished_at", sa.String(length=32), nullable=True),
        sa.Column("waterline", sa.Integer(), nullable=True),
        sa.Column("reflection", sa.String(), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period"),
    )
    op.create_table(
        "tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "waterline_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("set_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("waterline_mark", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waterline_mark_set_at"), ["set_at"], unique=False)

    op.create_table(
        "entry_tag",
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("inline", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["entry.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tag_id"], ["tag.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("entry_id", "tag_id"),
    )
    with op.batch_alter_table("entry_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entry_tag_tag_id"), ["tag_id"], unique=False)

    op.create_table(
        "hardness_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("rated_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["entry.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hardness_rating", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hardness_rating_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "review_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.String(), nullable=False),
        sa.Column("acted_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["entry.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["review_id"], ["review.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_action_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_action_review_id"), ["review_id"], unique=False)

    op.create_table(
        "status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("changed_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["entry.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("status_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_status_change_entry_id"), ["entry_id"], unique=False)

    for statement in CREATE_STATEMENTS:
        op.execute(statement)
    op.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def downgrade() -> None:
    for statement in DROP_STATEMENTS:
        op.execute(statement)

    with op.batch_alter_table("status_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_change_entry_id"))

    op.drop_table("status_change")
    with op.batch_alter_table("review_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_action_review_id"))
        batch_op.drop_index(batch_op.f("ix_review_action_entry_id"))

    op.drop_table("review_action")
    with op.batch_alter_table("hardness_rating", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hardness_rating_entry_id"))

    op.drop_table("hardness_rating")
    with op.batch_alter_table("entry_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entry_tag_tag_id"))

    op.drop_table("entry_tag")
    with op.batch_alter_table("waterline_mark", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waterline_mark_set_at"))

    op.drop_table("waterline_mark")
    op.drop_table("tag")
    op.drop_table("review")
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entry_updated_at"))
        batch_op.drop_index(batch_op.f("ix_entry_status"))
        batch_op.drop_index(batch_op.f("ix_entry_parent_id"))
        batch_op.drop_index("ix_entry_stats")
        batch_op.drop_index("ix_entry_live_created")
        batch_op.drop_index("ix_entry_kind_created")
        batch_op.drop_index(batch_op.f("ix_entry_hardness"))
        batch_op.drop_index(batch_op.f("ix_entry_created_at"))

    op.drop_table("entry")
