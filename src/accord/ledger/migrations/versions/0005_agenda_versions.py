"""The history of the agenda: each version with who changed it, when and why; and, on
each draft version, the agenda version it was written under.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Every existing negotiation gets its current agenda as version 1, and every existing draft
version is taken to have been written under it (nothing older was kept).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_FIRST_NOTE = "the agenda as it stood when its history began"


def upgrade() -> None:
    op.create_table(
        "agenda_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("negotiation_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("agenda", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["by_user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["negotiation_id"], ["negotiations.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("negotiation_id", "number"),
    )
    op.create_index(
        "ix_agenda_versions_negotiation_id", "agenda_versions", ["negotiation_id"], unique=False
    )
    # Plain ADD COLUMN: a batch copy of draft_versions would have to rebuild its foreign
    # keys (drafts.responds_to_id points at it).
    op.add_column("draft_versions", sa.Column("agenda_version", sa.Integer(), nullable=True))
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "INSERT INTO agenda_versions (negotiation_id, number, agenda, note, at) "
            "SELECT id, 1, agenda, :note, created_at FROM negotiations"
        ).bindparams(note=_FIRST_NOTE)
    )
    bind.execute(sa.text("UPDATE draft_versions SET agenda_version = 1"))


def downgrade() -> None:
    op.execute("ALTER TABLE draft_versions DROP COLUMN agenda_version")
    op.drop_index("ix_agenda_versions_negotiation_id", table_name="agenda_versions")
    op.drop_table("agenda_versions")
