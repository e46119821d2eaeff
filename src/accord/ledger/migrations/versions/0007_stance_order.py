"""An index for the timeline: a negotiation's stances in the order they were recorded.

The timeline reads stances newest first by ``recorded_at`` (then id), one page after a
cursor; without an index each page sorted every stance of the negotiation (4,000 stances:
the timeline's p99 3 s at 50 clients). With it a page walks the index from the cursor and
stops after the page.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain CREATE INDEX: nothing about the table itself changes.
    op.create_index("ix_stances_recorded", "stances", ["negotiation_id", "recorded_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_stances_recorded", table_name="stances")
