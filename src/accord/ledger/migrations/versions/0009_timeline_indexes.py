"""Indexes for the timeline: meetings, party events and rule changes in the order of time.

The timeline reads each kind of record newest first, one page after a cursor, in one
statement (:mod:`accord.web.timeline`). Stances have had their index since ``0007``; the
meetings, the parties' history and the agreement rule's were found by negotiation and
sorted whole on every page. With these, each walks its index from the cursor and stops
after the page, however long the history.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_meetings_held", "meetings", ["negotiation_id", "held_at", "id"]),
    ("ix_party_events_at", "party_events", ["negotiation_id", "at", "id"]),
    ("ix_agreement_changes_at", "agreement_changes", ["negotiation_id", "at", "id"]),
)


def upgrade() -> None:
    # Plain CREATE INDEX statements: nothing about the tables themselves changes.
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
