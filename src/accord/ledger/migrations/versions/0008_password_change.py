"""An account may have to choose a new password at its next login.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

Set when a mediator invites someone or resets their password: the one-time password
they are handed is for that first login only; cleared when the user sets their own.
Existing accounts keep the passwords they chose (false).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN with a default: no batch copy of users (credentials, memberships
    # and the audit log hold foreign keys on it).
    op.add_column(
        "users",
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    # SQLite (3.35+) drops a column in place, as 0004's and 0006's downgrades do.
    op.execute("ALTER TABLE users DROP COLUMN must_change_password")
