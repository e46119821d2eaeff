"""Accounts and the audit log: case-insensitive user names, disabled accounts, the
permission to create negotiations, and the append-only, hash-chained audit log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Users whose names differ only in case cannot be told apart any more: the upgrade stops
and names them, so that an administrator renames one before migrating. Users who already
mediate a negotiation keep the right to create negotiations.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_APPEND_ONLY = "the audit log is append-only"


def upgrade() -> None:
    bind = op.get_bind()
    clashes = bind.execute(
        sa.text(
            "SELECT lower(username), count(*) FROM users GROUP BY lower(username) "
            "HAVING count(*) > 1"
        )
    ).fetchall()
    if clashes:
        names = ", ".join(sorted(row[0] for row in clashes))
        raise RuntimeError(
            f"user names that differ only in case cannot be migrated: {names}; "
            "rename one of each before upgrading"
        )
    # Plain ALTER TABLE ADD COLUMN (NOT NULL needs a default there): a batch operation
    # would copy and drop the users table, and on SQLite, with foreign keys on, dropping
    # it deletes every credential (ON DELETE CASCADE) and fails on the memberships.
    op.add_column(
        "users",
        sa.Column("username_key", sa.String(length=80), nullable=False, server_default=""),
    )
    op.add_column(
        "users",
        sa.Column(
            "can_create_negotiations", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )
    op.add_column("users", sa.Column("disabled_at", sa.DateTime(), nullable=True))
    bind.execute(sa.text("UPDATE users SET username_key = lower(username)"))
    bind.execute(
        sa.text(
            "UPDATE users SET can_create_negotiations = :yes WHERE is_admin = :yes OR id IN "
            "(SELECT user_id FROM memberships WHERE role = 'mediator')"
        ).bindparams(yes=True)
    )
    op.create_index("uq_users_username_key", "users", ["username_key"], unique=True)

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("credential_id", sa.Integer(), nullable=True),
        sa.Column("credential_kind", sa.String(length=16), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("previous_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chain", "number"),
        sa.UniqueConstraint("hash"),
    )
    if bind.dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{action.lower()} BEFORE {action} "
                f"ON audit_events BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{_APPEND_ONLY}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
        )


def downgrade() -> None:
    op.drop_table("audit_events")  # its triggers go with it
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION audit_events_append_only()")
    op.drop_index("uq_users_username_key", table_name="users")
    for column in ("disabled_at", "can_create_negotiations", "username_key"):
        # SQLite (3.35+) drops a column in place; a batch copy would cascade (see upgrade).
        op.execute(f"ALTER TABLE users DROP COLUMN {column}")
