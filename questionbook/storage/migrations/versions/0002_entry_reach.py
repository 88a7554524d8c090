"""entry.reach: how hard an entry is for you

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: no table rebuild, so the search triggers and child rows are untouched.
    op.add_column("entry", sa.Column("reach", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("entry") as batch_op:
        batch_op.drop_column("reach")
