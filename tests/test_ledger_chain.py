"""The draft hash chain verifies, and any silent rewrite of history is detected."""

from __future__ import annotations

from sqlalchemy import text

from accord.ledger import ChainReport, Database, verify_chain
from accord.ledger.drafts import add_version, create_draft
from accord.ledger.negotiations import create_negotiation, get_negotiation
from accord.scenario.loader import load_scenario
from web_fixtures import PEACE_PLAN


def _three_versions(database: Database) -> int:
    with database.transaction() as session:
        negotiation = create_negotiation(session, load_scenario(PEACE_PLAN))
        draft = create_draft(session, negotiation, "Single text", {"donetsk": "withdrawal"})
        add_version(session, draft, {"donetsk": "buffer-ua"}, "after the sixth meeting")
        add_version(session, draft, {"donetsk": "buffer-ua", "ceasefire": "on-signing"})
        return negotiation.id


def _report(database: Database, negotiation_id: int | None = None) -> ChainReport:
    with database.session() as session:
        if negotiation_id is not None:
            get_negotiation(session, negotiation_id)
        return verify_chain(session, negotiation_id)


def test_an_untouched_chain_verifies(database: Database) -> None:
    negotiation_id = _three_versions(database)
    report = _report(database, negotiation_id)
    assert report.ok
    assert (report.drafts_checked, report.versions_checked) == (1, 3)
    assert [head.version_number for head in report.heads] == [3]


def test_each_version_points_at_the_hash_before(database: Database) -> None:
    _three_versions(database)
    with database.session() as session:
        rows = session.execute(
            text("SELECT number, previous_hash, hash FROM draft_versions ORDER BY number")
        ).all()
    assert rows[0].previous_hash == "0" * 64
    assert [row.previous_hash for row in rows[1:]] == [row.hash for row in rows[:-1]]


def _tamper(database: Database, statement: str) -> None:
    with database.engine.begin() as connection:
        connection.execute(text(statement))


def test_an_altered_package_is_detected(sqlite_database: Database) -> None:
    _three_versions(sqlite_database)
    _tamper(
        sqlite_database,
        """UPDATE draft_versions SET package = '{"donetsk": "line-of-contact"}' WHERE number = 2""",
    )
    report = _report(sqlite_database)
    assert not report.ok
    assert [(b.version_number, b.reason) for b in report.breaks] == [
        (2, "content does not match its hash (altered)")
    ]


def test_an_altered_note_is_detected_even_with_its_hash_recomputed_naively(
    sqlite_database: Database,
) -> None:
    # Rewriting a version and its own hash still breaks the link from the next version.
    _three_versions(sqlite_database)
    _tamper(sqlite_database, "UPDATE draft_versions SET note = 'x', hash = 'f' WHERE number = 2")
    report = _report(sqlite_database)
    assert not report.ok
    assert report.breaks[0].version_number == 2


def test_a_deleted_middle_version_is_detected(sqlite_database: Database) -> None:
    _three_versions(sqlite_database)
    _tamper(sqlite_database, "DELETE FROM draft_versions WHERE number = 2")
    report = _report(sqlite_database)
    assert [(b.version_number, b.reason) for b in report.breaks] == [(3, "version 2 is missing")]


def test_a_rewritten_draft_header_is_detected(sqlite_database: Database) -> None:
    _three_versions(sqlite_database)
    _tamper(sqlite_database, "UPDATE drafts SET title = 'Another text'")
    report = _report(sqlite_database)
    assert [b.version_number for b in report.breaks] == [1]


def test_a_cut_off_newest_version_shows_in_the_head(sqlite_database: Database) -> None:
    # Deleting the newest version leaves a chain that verifies; the head moves back, which
    # a party holding the hash of version 3 can see.
    _three_versions(sqlite_database)
    before = _report(sqlite_database).heads[0]
    _tamper(sqlite_database, "DELETE FROM draft_versions WHERE number = 3")
    after = _report(sqlite_database)
    assert after.ok
    assert (after.heads[0].version_number, after.heads[0].hash != before.hash) == (2, True)


def test_altered_words_are_detected(sqlite_database: Database) -> None:
    _three_versions(sqlite_database)
    _tamper(
        sqlite_database,
        """UPDATE draft_versions SET texts = '{"donetsk": "Withdrawal."}' WHERE number = 2""",
    )
    report = _report(sqlite_database)
    assert [(b.version_number, b.reason) for b in report.breaks] == [
        (2, "content does not match its hash (altered)")
    ]


def test_words_cannot_be_dropped_to_pass_as_a_version_without_them(
    sqlite_database: Database,
) -> None:
    _three_versions(sqlite_database)
    _tamper(sqlite_database, "UPDATE draft_versions SET texts = NULL WHERE number = 3")
    assert [b.version_number for b in _report(sqlite_database).breaks] == [3]
