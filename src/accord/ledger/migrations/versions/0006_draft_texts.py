"""Drafts with words: each draft version keeps the article text of every point it covers.

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01

Versions written before this revision keep ``texts`` NULL: their hashes were computed
without texts, and the chain leaves the field out of a version that has none, so that
they still verify.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch copy of draft_versions would have to rebuild the
    # foreign keys that drafts, distributions and stances hold on it.
    op.add_column("draft_versions", sa.Column("texts", sa.JSON(), nullable=True))


def downgrade() -> None:
    # SQLite (3.35+) drops a column in place, as 0004's downgrade does.
    op.execute("ALTER TABLE draft_versions DROP COLUMN texts")
