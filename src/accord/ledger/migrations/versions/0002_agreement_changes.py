"""The history of the agreement rule: each replacement with when, by whom and why.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agreement_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("negotiation_id", sa.Integer(), nullable=False),
        sa.Column("agreement", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["by_user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["negotiation_id"], ["negotiations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("agreement_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agreement_changes_negotiation_id"), ["negotiation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("agreement_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_changes_negotiation_id"))
    op.drop_table("agreement_changes")
