"""Draft versions carry each point's article text: the agenda's wording unless amended."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from accord.ledger import Database, verify_chain
from accord.ledger import drafts as D
from accord.ledger import negotiations as N
from accord.ledger.draft_texts import MAX_POINT_TEXT, agenda_wording
from accord.ledger.errors import InvalidInput
from accord.scenario.loader import validate_data
from accord.scenario.model import Scenario
from web_fixtures import PEACE_PLAN

DONETSK_TEXT = "Article 21. The part of Donetsk region that Ukraine holds:"
BUFFER_TEXT = "a demilitarised zone lies on both sides of the line."


def worded_plan() -> Scenario:
    """The peace plan with point 21 worded in the agenda (point and two of its options)."""
    data: dict[str, Any] = yaml.safe_load(PEACE_PLAN.read_text(encoding="utf-8"))
    donetsk = next(issue for issue in data["issues"] if issue["id"] == "donetsk")
    donetsk["number"] = 21
    donetsk["text"] = DONETSK_TEXT
    for option in donetsk["options"]:
        if option["id"] == "buffer-ua":
            option["text"] = BUFFER_TEXT
        if option["id"] == "withdrawal":
            option["text"] = "Ukraine withdraws; a neutral buffer zone is created."
    return validate_data(data, str(PEACE_PLAN))


@pytest.fixture
def negotiation_id(database: Database) -> int:
    with database.transaction() as session:
        return N.create_negotiation(session, worded_plan()).id


def test_a_new_version_starts_from_the_agenda_s_wording(
    database: Database, negotiation_id: int
) -> None:
    with database.transaction() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        draft = D.create_draft(
            session, negotiation, "Territory", {"donetsk": "buffer-ua", "ceasefire": "on-signing"}
        )
        texts = draft.versions[0].texts
    # The point's text then the option's, in agenda order; a point the agenda does not
    # word reads as its option's label.
    assert list(texts.items()) == [
        ("donetsk", f"{DONETSK_TEXT} {BUFFER_TEXT}"),
        ("ceasefire", "Ceasefire on signing"),
    ]


def test_the_label_is_the_wording_of_an_option_the_agenda_does_not_word(
    database: Database, negotiation_id: int
) -> None:
    with database.session() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        label = next(
            option["label"]
            for issue in negotiation.agenda["issues"]
            if issue["id"] == "ceasefire"
            for option in issue["options"]
            if option["id"] == "on-signing"
        )
        assert agenda_wording(negotiation, "ceasefire", "on-signing") == label
        assert agenda_wording(negotiation, "donetsk", "line-of-contact") == DONETSK_TEXT


def test_an_author_amends_the_words_and_they_are_kept_as_written(
    database: Database, negotiation_id: int
) -> None:
    amended = "Частина Донецької області,\r\nяку утримує Україна, — демілітаризована зона."
    with database.transaction() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        draft = D.create_draft(session, negotiation, "Territory", {"donetsk": "buffer-ua"})
        second = D.add_version(
            session, draft, {"donetsk": "buffer-ua"}, texts={"donetsk": f"  {amended}\n"}
        )
        assert second.texts == {"donetsk": amended.replace("\r\n", "\n")}
        (change,) = D.version_diff(negotiation, draft.versions[0], second)
        assert (change.option_changed, change.text_changed, change.changed) == (False, True, True)
        assert verify_chain(session, negotiation.id).ok


def test_a_blank_text_is_the_agenda_s_wording(database: Database, negotiation_id: int) -> None:
    with database.transaction() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        draft = D.create_draft(
            session, negotiation, "Territory", {"donetsk": "withdrawal"}, texts={"donetsk": " "}
        )
        assert draft.versions[0].texts == {
            "donetsk": f"{DONETSK_TEXT} Ukraine withdraws; a neutral buffer zone is created."
        }


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        (
            {"donetsk": "x" * (MAX_POINT_TEXT + 1)},
            "texts: the text of point 'donetsk' "
            r"\(point 21\) has 20,001 characters; at most 20,000",
        ),
        ({"ceasefire": "words"}, "texts: point 'ceasefire' has a text but no option"),
        ({"donetsk": 7}, r"texts: the text of point 'donetsk' \(point 21\) must be a string"),
    ],
)
def test_bad_texts_are_refused_naming_the_field(
    database: Database, negotiation_id: int, texts: dict[str, Any], message: str
) -> None:
    with database.transaction() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        with pytest.raises(InvalidInput, match=message):
            D.create_draft(session, negotiation, "T", {"donetsk": "withdrawal"}, texts=texts)


def test_a_text_of_the_longest_allowed_length_is_kept(
    database: Database, negotiation_id: int
) -> None:
    with database.transaction() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        longest = "y" * MAX_POINT_TEXT
        draft = D.create_draft(
            session, negotiation, "T", {"donetsk": "withdrawal"}, texts={"donetsk": longest}
        )
        assert draft.versions[0].texts == {"donetsk": longest}


def _sent_version(session: Any, negotiation: Any) -> tuple[Any, Any]:
    draft = D.create_draft(
        session, negotiation, "Territory", {"donetsk": "buffer-ua", "ceasefire": "on-signing"}
    )
    ua = N.get_party(session, negotiation, "ua")
    D.distribute(session, draft.versions[0], [ua])
    return draft.versions[0], ua


def test_a_counter_draft_written_from_a_version_keeps_only_its_amendments(
    database: Database, negotiation_id: int
) -> None:
    with database.transaction() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        base, ua = _sent_version(session, negotiation)
        # The delegate starts from the whole version and rewords one point.
        whole = dict(base.package)
        reworded = {"donetsk": "A demilitarised zone on both sides, under UN monitoring."}
        package, texts = D.amendments(negotiation, base, whole, base.texts | reworded)
        assert (package, texts) == ({"donetsk": "buffer-ua"}, reworded)
        counter = D.create_draft(
            session, negotiation, "Ukraine", package, party=ua, responds_to=base, texts=texts
        )
        comparison = D.counter_comparison(negotiation, counter.versions[0])
        by_point = {change.issue: change for change in comparison}
        assert by_point["donetsk"].text_changed and not by_point["donetsk"].option_changed
        assert not by_point["ceasefire"].changed
        assert by_point["ceasefire"].after_text == base.texts["ceasefire"]
        added = "".join(run.text for run in by_point["donetsk"].words if run.kind == "added")
        assert "under UN monitoring" in added


def test_a_counter_draft_that_amends_nothing_is_refused(
    database: Database, negotiation_id: int
) -> None:
    with database.transaction() as session:
        negotiation = N.get_negotiation(session, negotiation_id)
        base, _ = _sent_version(session, negotiation)
        with pytest.raises(
            InvalidInput, match="amends nothing: every point stands as in version 1"
        ):
            D.amendments(negotiation, base, dict(base.package), {})
