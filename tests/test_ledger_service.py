"""The ledger's service functions on SQLite and PostgreSQL: one transaction per action."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from accord.ledger import Conflict, Database, InvalidInput, NotFound
from accord.ledger import drafts as D
from accord.ledger import meetings as M
from accord.ledger import negotiations as N
from accord.ledger import stances as S
from accord.ledger.models import Distribution, Draft, DraftVersion, Meeting, Stance
from accord.scenario.loader import load_scenario
from web_fixtures import PEACE_PLAN

SIXTH = datetime(2025, 12, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def negotiation_id(database: Database) -> int:
    with database.transaction() as session:
        return N.create_negotiation(session, load_scenario(PEACE_PLAN)).id


def _count(database: Database, model: type) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_stored_negotiation_gives_back_its_scenario(database: Database) -> None:
    scenario = load_scenario(PEACE_PLAN)
    with database.transaction() as session:
        negotiation_id = N.create_negotiation(session, scenario).id
    with database.session() as session:
        assert N.scenario_of(N.get_negotiation(session, negotiation_id)) == scenario


def test_parties_join_leave_and_change_role_with_history(
    database: Database, negotiation_id: int
) -> None:
    with database.transaction() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        eu = N.get_party(session, negotiation, "eu")
        N.change_role(session, eu, "negotiator", True, note="the outside bloc gets its seat")
        N.leave(session, N.get_party(session, negotiation, "us"), note="steps back")
        N.add_party(session, negotiation, "tr", "Türkiye", "observer")
    with database.session() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        scenario = N.scenario_of(negotiation)
        assert [p.id for p in scenario.parties] == ["ru", "ua", "eu", "tr"]
        assert scenario.party("eu").role == "negotiator"
        assert "eu" in scenario.required_party_ids
        events = [(e.party.key, e.kind, e.role) for e in N.party_events(session, negotiation)]
        assert events[4:] == [
            ("eu", "role_changed", "negotiator"),
            ("us", "left", "mediator"),
            ("tr", "joined", "observer"),
        ]
    with database.transaction() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        N.add_party(session, negotiation, "us", role="mediator")
        with pytest.raises(Conflict, match="already sits"):
            N.add_party(session, negotiation, "us")


def test_preferences_are_checked_against_the_agenda_alone(
    database: Database, negotiation_id: int
) -> None:
    with database.transaction() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        ua = N.get_party(session, negotiation, "ua")
        with pytest.raises(InvalidInput, match="no-such-point"):
            N.set_preferences(session, ua, {"weights": {"no-such-point": 1}})
        only_donetsk = {
            "weights": {issue: int(issue == "donetsk") for issue in N.issue_ids(negotiation)},
            "values": {"donetsk": {"withdrawal": 0, "buffer-ua": 0.5, "line-of-contact": 1}},
        }
        N.set_preferences(session, ua, only_donetsk)
    with database.session() as session:
        ua = N.get_party(session, N.get_negotiation(session, negotiation_id), "ua")
        preferences = N.preferences_of(ua)
        assert preferences is not None
        assert preferences.values == {
            "donetsk": {"withdrawal": 0.0, "buffer-ua": 0.5, "line-of-contact": 1.0}
        }


def test_meetings_are_numbered_and_checked(database: Database, negotiation_id: int) -> None:
    with database.transaction() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        M.record_meeting(session, negotiation, SIXTH, 300, ["ua", "us"], ["territory"], number=6)
        seventh = M.record_meeting(session, negotiation, SIXTH, 90, ["ru"], [])
        assert seventh.number == 7
    with database.transaction() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        with pytest.raises(Conflict, match="meeting 6 is already recorded"):
            M.record_meeting(session, negotiation, SIXTH, 10, [], [], number=6)
        with pytest.raises(InvalidInput, match="unknown block"):
            M.record_meeting(session, negotiation, SIXTH, 10, [], ["nowhere"])
        with pytest.raises(NotFound, match="no party 'xx'"):
            M.record_meeting(session, negotiation, SIXTH, 10, ["xx"], [])
    with database.session() as session:
        meeting = M.get_meeting(session, N.get_negotiation(session, negotiation_id), 6)
        assert (meeting.duration_minutes, meeting.blocks, meeting.held_at) == (
            300,
            ["territory"],
            SIXTH,
        )
        assert [p.key for p in meeting.attendees] == ["ua", "us"]


def test_drafts_versions_diff_and_counter_draft(database: Database, negotiation_id: int) -> None:
    with database.transaction() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        draft = D.create_draft(
            session, negotiation, "Territory", {"ceasefire": "on-signing", "donetsk": "withdrawal"}
        )
        second = D.add_version(session, draft, {"donetsk": "buffer-ua", "recognition": "de-facto"})
        ua = N.get_party(session, negotiation, "ua")
        D.distribute(session, second, [ua])  # a counter-draft answers a version it received
        counter = D.create_draft(
            session,
            negotiation,
            "Ukraine's amendments",
            {"recognition": "none"},
            party=ua,
            responds_to=second,
        )
        changes = D.diff(negotiation, draft.versions[0].package, second.package)
        assert [(c.issue, c.before, c.after) for c in changes] == [
            ("recognition", None, "de-facto"),
            ("donetsk", "withdrawal", "buffer-ua"),
            ("ceasefire", "on-signing", None),
        ]
        comparison = D.counter_comparison(negotiation, counter.versions[0])
        assert [(c.issue, c.before, c.after, c.changed) for c in comparison] == [
            ("recognition", "de-facto", "none", True),
            ("donetsk", "buffer-ua", "buffer-ua", False),
        ]
        assert D.latest_mediator_version(session, negotiation) == second


def test_distribution_records_who_received_which_version(
    database: Database, negotiation_id: int
) -> None:
    with database.transaction() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        draft = D.create_draft(session, negotiation, "Text", {"donetsk": "withdrawal"})
        ua, ru = N.get_party(session, negotiation, "ua"), N.get_party(session, negotiation, "ru")
        D.distribute(session, draft.versions[0], [ua, ru])
    with database.session() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        ua = N.get_party(session, negotiation, "ua")
        rows = D.distributions(session, negotiation, ua)
        assert [(r.party.key, r.version.number) for r in rows] == [("ua", 1)]
        assert len(D.distributions(session, negotiation)) == 2


def test_stances_keep_their_full_history(database: Database, negotiation_id: int) -> None:
    with database.transaction() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        ua = N.get_party(session, negotiation, "ua")
        S.record_stance(session, negotiation, ua, "donetsk", "rejects")
        S.record_stance(session, negotiation, ua, "donetsk", "conditional", "with guarantees")
        with pytest.raises(InvalidInput, match="needs its condition"):
            S.record_stance(session, negotiation, ua, "donetsk", "conditional")
        with pytest.raises(InvalidInput, match="unknown point"):
            S.record_stance(session, negotiation, ua, "crimea", "accepts")
    with database.session() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        history = S.stance_history(session, negotiation)
        assert [(s.stance, s.condition) for s in history] == [
            ("rejects", ""),
            ("conditional", "with guarantees"),
        ]
        current = S.current_stances(session, negotiation)
        assert current[("ua", "donetsk")].stance == "conditional"


def test_the_current_stances_on_the_agenda_are_the_latest_of_the_whole_history(
    database: Database, negotiation_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """current_stances_on (one index descent per party and point) against the grouping
    of the whole history, for every party and for one, with points never spoken of."""
    import random

    rng = random.Random(20251201)
    with database.transaction() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        parties = list(negotiation.parties)
        points = [issue["id"] for issue in negotiation.agenda["issues"]]
        for _ in range(400):
            stance = rng.choice(S.STANCE_KINDS)
            condition = "a ceasefire first" if stance == "conditional" else ""
            party = rng.choice(parties[:3])  # the fourth party never speaks
            S.record_stance(session, negotiation, party, rng.choice(points[:20]), stance, condition)
    with database.session() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        parties = list(negotiation.parties)
        for chosen in (parties, parties[1:2], parties[3:]):
            expected = {
                key: row.id for key, row in S.current_stances(session, negotiation, chosen).items()
            }
            found = S.current_stances_on(session, negotiation, chosen, points)
            assert {key: row.id for key, row in found.items()} == expected
        assert len(S.current_stances_on(session, negotiation, parties, points)) > 40
        by_descent = S.current_stances_on(session, negotiation, parties, points)
        monkeypatch.setattr(S, "MAX_POINTS_BY_DESCENT", 3)  # a larger agenda: by grouping
        assert S.current_stances_on(session, negotiation, parties, points) == by_descent
        assert S.current_stances_on(session, negotiation, parties, points[20:]) == {}
        assert S.current_stances_on(session, negotiation, [], points) == {}


def test_a_failing_action_leaves_nothing_behind(database: Database, negotiation_id: int) -> None:
    """Each action is one transaction: an error half-way rolls back what it wrote."""
    with pytest.raises(NotFound), database.transaction() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        draft = D.create_draft(session, negotiation, "Text", {"donetsk": "withdrawal"})
        ua = N.get_party(session, negotiation, "ua")
        D.distribute(session, draft.versions[0], [ua])
        S.record_stance(session, negotiation, ua, "donetsk", "accepts")
        M.record_meeting(session, negotiation, SIXTH, 60, ["ua"], [])
        N.get_party(session, negotiation, "nobody")  # fails after every write above
    for model in (Draft, DraftVersion, Distribution, Stance, Meeting):
        assert _count(database, model) == 0, model.__name__


def test_bad_packages_name_the_point_and_the_options(
    database: Database, negotiation_id: int
) -> None:
    with database.transaction() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        with pytest.raises(InvalidInput, match=r"point 'donetsk' has no option 'all'"):
            D.create_draft(session, negotiation, "Text", {"donetsk": "all"})
        with pytest.raises(InvalidInput, match="at least one point"):
            D.create_draft(session, negotiation, "Text", {})
        with pytest.raises(InvalidInput, match="must name the mediator's version"):
            D.create_draft(
                session,
                negotiation,
                "T",
                {"donetsk": "withdrawal"},
                party=N.get_party(session, negotiation, "ua"),
            )
