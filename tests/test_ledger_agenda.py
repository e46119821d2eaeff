"""The agenda as a versioned record: edits validated, recorded, flagged on older drafts;
removals that something still uses refused with its name (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from accord.ledger import Database
from accord.ledger import agenda_edits as edits
from accord.ledger.agenda import (
    AgendaInvalid,
    agenda_of_version,
    agenda_versions,
    change_agenda,
    current_agenda_number,
    draft_agenda_flag,
    pending_problems,
)
from accord.ledger.drafts import add_version, create_draft
from accord.ledger.errors import InvalidInput
from accord.ledger.models import AgendaVersion, DraftVersion, Negotiation, User
from accord.ledger.negotiations import create_negotiation, scenario_of
from accord.scenario.loader import load_scenario

PEACE_PLAN = Path(__file__).parents[1] / "examples" / "peace-plan-27.yaml"
# Options of the peace plan that no red line or interaction names (only values do).
FREE_OPTION = ("missile-range", "range-cap")
# An option one of Ukraine's red lines or interactions names.
TERM_OPTION = ("force-cap", "400k")


def _mediator(session: Any) -> User:
    user = User(username="mediator", password_hash="x")
    session.add(user)
    session.flush()
    return user


def _plan(session: Any) -> tuple[Negotiation, User]:
    user = _mediator(session)
    return create_negotiation(session, load_scenario(PEACE_PLAN), user), user


def _added_option(agenda: dict[str, Any], issue: str, option: str) -> dict[str, Any]:
    return edits.put_option(agenda, issue, {"id": option, "label": option.title()}, new=True)


def test_each_change_is_a_version_and_older_drafts_are_flagged(database: Database) -> None:
    with database.transaction() as session:
        negotiation, user = _plan(session)
        draft = create_draft(session, negotiation, "Text", {"missile-range": "range-cap"})
        first = draft.versions[0]
        assert first.agenda_version == 1 and draft_agenda_flag(session, first) is None

        version = change_agenda(
            session,
            negotiation,
            _added_option(negotiation.agenda, "ceasefire", "phased"),
            user,
            "the mediator's new idea",
        )
        assert version is not None and version.number == 2
        assert current_agenda_number(session, negotiation.id) == 2
        flag = draft_agenda_flag(session, first)
        assert flag is not None
        assert flag.startswith("written under agenda version 1; the agenda (now version 2)")
        assert "gained an option 'phased'" in flag
        # The old version is read against the agenda it was written under.
        old = agenda_of_version(session, first)
        ceasefire = next(i for i in old["issues"] if i["id"] == "ceasefire")
        assert "phased" not in [o["id"] for o in ceasefire["options"]]

        second = add_version(session, draft, {"ceasefire": "phased"}, user=user)
        assert second.agenda_version == 2 and draft_agenda_flag(session, second) is None
        history = agenda_versions(session, negotiation)
        assert [(v.number, v.note, v.by_user_id) for v in history][1] == (
            2,
            "the mediator's new idea",
            user.id,
        )


def test_an_unchanged_agenda_records_nothing(database: Database) -> None:
    with database.transaction() as session:
        negotiation, user = _plan(session)
        assert change_agenda(session, negotiation, negotiation.agenda, user) is None
        assert current_agenda_number(session, negotiation.id) == 1


def test_an_invalid_edit_gets_the_validators_messages_and_changes_nothing(
    sqlite_database: Database,
) -> None:
    with sqlite_database.transaction() as session:
        negotiation, user = _plan(session)
        before = negotiation.agenda
        fields = {"id": "ceasefire", "number": "seven", "status_quo": "nothing-like-it"}
        with pytest.raises(AgendaInvalid) as refused:
            change_agenda(session, negotiation, edits.put_point(before, fields, new=False), user)
        rendered = [problem.render() for problem in refused.value.problems]
        assert any(
            line.startswith("agenda: issues.ceasefire.number: Input should be a valid integer")
            for line in rendered
        ), rendered
        assert negotiation.agenda == before
        assert current_agenda_number(session, negotiation.id) == 1


def test_removing_an_option_a_draft_uses_is_refused_naming_the_draft(
    sqlite_database: Database,
) -> None:
    issue, option = FREE_OPTION
    with sqlite_database.transaction() as session:
        negotiation, user = _plan(session)
        draft = create_draft(session, negotiation, "Security text", {issue: option})
        # Even once the newest text no longer chooses it, the first version still does.
        add_version(session, draft, {issue: option, "ceasefire": "on-signing"}, user=user)
        add_version(session, draft, {issue: "no-limit"}, user=user)
        removed = edits.remove_option(negotiation.agenda, issue, option)
        with pytest.raises(InvalidInput) as refused:
            change_agenda(session, negotiation, removed, user, drop_from_preferences=True)
        assert (
            f"draft {draft.id} 'Security text' (versions 1, 2) chooses '{option}' on point "
            f"'{issue}': a draft's versions are the record and keep it"
        ) in str(refused.value)
        assert negotiation.agenda != removed


def test_dropping_the_values_of_a_removed_option_keeps_the_analysis_working(
    sqlite_database: Database,
) -> None:
    issue, option = FREE_OPTION
    with sqlite_database.transaction() as session:
        negotiation, user = _plan(session)
        removed = edits.remove_option(negotiation.agenda, issue, option)
        version = change_agenda(session, negotiation, removed, user, drop_from_preferences=True)
        assert version is not None
        assert "dropped from the weights and values of" in version.note
        for party in negotiation.parties:
            values = (party.preferences or {}).get("values", {})
            assert option not in values.get(issue, {})
        scenario = scenario_of(negotiation)  # validates: nothing names the removed option
        assert option not in [o.id for o in scenario.issue(issue).options]
        assert pending_problems(negotiation) == []


def test_removing_what_a_red_line_names_is_refused(sqlite_database: Database) -> None:
    issue, option = TERM_OPTION
    with sqlite_database.transaction() as session:
        negotiation, user = _plan(session)
        with pytest.raises(InvalidInput, match="a red line or interaction of Ukraine names it"):
            change_agenda(
                session,
                negotiation,
                edits.remove_option(negotiation.agenda, issue, option),
                user,
                drop_from_preferences=True,
            )
        with pytest.raises(InvalidInput, match="cannot remove point 'force-cap'"):
            change_agenda(
                session,
                negotiation,
                edits.remove_point(negotiation.agenda, issue),
                user,
                "",
                True,
            )


def test_a_new_option_no_party_valued_yet_is_pending_not_refused(
    sqlite_database: Database,
) -> None:
    with sqlite_database.transaction() as session:
        negotiation, _ = _plan(session)
        change_agenda(session, negotiation, _added_option(negotiation.agenda, "ceasefire", "x"))
        pending = [problem.render() for problem in pending_problems(negotiation)]
        assert (
            "agenda: parties.ru.preferences.values.ceasefire: no value for option(s) 'x' "
            "of issue 'ceasefire'" in pending
        )


def test_the_migration_gives_existing_negotiations_and_drafts_agenda_version_1(
    tmp_path: Path,
) -> None:
    from accord.ledger.migrations import upgrade

    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(database.engine, "0004")
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO negotiations (id, scenario_key, title, description, agenda, "
                "agreement, created_at) VALUES (1, 's', '', '', "
                "'{\"blocks\": [], \"issues\": []}', '{}', '2026-01-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO drafts (id, negotiation_id, title, created_at) "
                "VALUES (1, 1, 't', '2026-01-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO draft_versions (draft_id, number, package, note, created_at, "
                "previous_hash, hash) VALUES (1, 1, '{}', '', '2026-01-01', 'a', 'b')"
            )
        )
    database.migrate()
    with database.session() as session:
        (version,) = session.scalars(select(AgendaVersion)).all()
        assert (version.negotiation_id, version.number, version.agenda) == (
            1,
            1,
            {"blocks": [], "issues": []},
        )
        assert session.scalars(select(DraftVersion.agenda_version)).all() == [1]
    database.dispose()
