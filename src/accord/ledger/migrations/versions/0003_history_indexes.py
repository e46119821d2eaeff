"""An index for the pages that grow with the record: stances per party and point.

The dashboard reads the current stance per (party, point), the highest id of each group,
and the stances page each party's history newest first; both were full scans of the
stances of the negotiation (4,000 stances: dashboard 9 -> 92 ms, stances page 4 -> 302 ms).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stances", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stances_party_issue", ["negotiation_id", "party_id", "issue", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("stances", schema=None) as batch_op:
        batch_op.drop_index("ix_stances_party_issue")
