"""Preferences by questions: a delegate answers trade-off questions instead of writing weights.

The questions and the derived preferences come from :mod:`accord.analysis.elicitation`
(PAPRIKA). The state of a walk through the questions is the points chosen and the answers
given, carried in a hidden form field as JSON: it needs no table, and it is re-validated
against the agenda and the limits on every request (so a changed field can only change the
answers of the delegate who sends it, who may write its preferences anyway). The next
question is recomputed from the state on the server, so a form sends only the choice.

Only the party's delegates and the mediator may open the page (the rule of the parties
page's preferences form); anyone else gets the answer a missing page gets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from accord.analysis.elicitation import (
    Answer,
    ElicitationError,
    Limits,
    Question,
    Step,
    answers_from_data,
    answers_to_data,
    derive_preferences,
    next_question,
)
from accord.ledger import negotiations as ledger
from accord.ledger.errors import Forbidden, InvalidInput, NotFound
from accord.ledger.models import Party
from accord.scenario.model import Issue
from accord.web.deps import DbSession
from accord.web.pages.common import (
    Viewer,
    html_page,
    issue_titles,
    option_labels,
    see_other,
    viewer_for,
)
from accord.web.pages.render import render

router = APIRouter(include_in_schema=False)
PATH = "/negotiations/{negotiation_id}/parties/{party_key}/elicitation"
LIMITS = Limits(max_questions=60, max_level=2)
STATE_LIMIT = 100_000  # characters: 60 answers of two points each fit many times over


@dataclass(frozen=True)
class State:
    """The points the questions cover and the answers so far."""

    points: tuple[str, ...]
    answers: tuple[Answer, ...]

    def to_json(self) -> str:
        data = {"points": list(self.points), "answers": answers_to_data(self.answers)}
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def agenda_issues(party: Party) -> list[Issue]:
    return [Issue.model_validate(issue) for issue in party.negotiation.agenda["issues"]]


def state_from_form(agenda: list[Issue], text: str) -> State:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise InvalidInput("state: the questions' state is not JSON; start again") from None
    if not isinstance(data, dict) or set(data) != {"points", "answers"}:
        raise InvalidInput("state: expected points and answers; start again")
    points = data["points"]
    known = [issue.id for issue in agenda]
    if not isinstance(points, list) or not points or any(p not in known for p in points):
        raise InvalidInput("state.points: expected points of the agenda; start again")
    chosen = tuple(issue for issue in known if issue in points)
    try:
        answers = answers_from_data(covered(agenda, chosen), data["answers"], LIMITS)
    except ElicitationError as error:
        raise InvalidInput(f"state: {error}; start again") from None
    return State(chosen, tuple(answers))


def covered(agenda: list[Issue], points: tuple[str, ...]) -> list[Issue]:
    return [issue for issue in agenda if issue.id in points]


def elicitation_party(session: Session, viewer: Viewer, party_key: str) -> Party:
    """The party, if the viewer may write its preferences; otherwise as if no such page."""
    try:
        return viewer.access.require_party(session, party_key)
    except (Forbidden, NotFound):
        raise NotFound(
            f"negotiation {viewer.access.negotiation.id} has no page "
            f"'parties/{party_key}/elicitation'"
        ) from None


def describe(question: Question, party: Party) -> list[tuple[str, str, str]]:
    """Per point the question names: its title, the first side's option, the second's."""
    labels = option_labels(party.negotiation)
    titles = issue_titles(party.negotiation)
    return [
        (titles[issue], labels[(issue, first)], labels[(issue, second)])
        for (issue, first), (_, second) in zip(question.first, question.second, strict=True)
    ]


def page(viewer: Viewer, user: Any, party: Party, state: State | None) -> Response:
    agenda = agenda_issues(party)
    if state is None:
        return render(
            "elicitation.html",
            user=user,
            viewer=viewer,
            negotiation=party.negotiation,
            party=party,
            agenda=agenda,
            titles=issue_titles(party.negotiation),
            state=None,
            limits=LIMITS,
        )
    issues = covered(agenda, state.points)
    step: Step = next_question(issues, state.answers, LIMITS)
    derived = derive_preferences(issues, state.answers, ledger.preferences_of(party), agenda=agenda)
    labels = option_labels(party.negotiation)
    titles = issue_titles(party.negotiation)
    weights = derived.preferences.weights or {}
    total = sum(weights.values()) or 1.0
    summary = [
        (
            titles[issue.id],
            weights.get(issue.id, 0.0) / total,
            sorted(
                (
                    (labels[(issue.id, option)], value)
                    for option, value in derived.preferences.values.get(issue.id, {}).items()
                ),
                key=lambda pair: -pair[1],
            ),
        )
        for issue in issues
    ]
    return render(
        "elicitation.html",
        user=user,
        viewer=viewer,
        negotiation=party.negotiation,
        party=party,
        state=state,
        state_json=state.to_json(),
        step=step,
        question=None if step.question is None else describe(step.question, party),
        summary=summary,
        limits=LIMITS,
    )


@router.get(PATH)
@html_page
def elicitation_page(
    request: Request, session: DbSession, negotiation_id: int, party_key: str
) -> Response:
    """Choose the points the questions cover."""
    user, viewer = viewer_for(request, session, negotiation_id)
    party = elicitation_party(session, viewer, party_key)
    return page(viewer, user, party, None)


@router.post(PATH)
@html_page
def elicitation_step(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    party_key: str,
    action: Annotated[Literal["start", "answer", "undo", "save"], Form()],
    state: Annotated[str, Form(max_length=STATE_LIMIT)] = "",
    point: Annotated[list[str] | None, Form()] = None,
    choice: Annotated[Literal["first", "second", "equal"] | None, Form()] = None,
) -> Response:
    """Start, answer the current question, take back the last answer, or save."""
    user, viewer = viewer_for(request, session, negotiation_id)
    party = elicitation_party(session, viewer, party_key)
    agenda = agenda_issues(party)
    if action == "start":
        known = {issue.id for issue in agenda}
        chosen = tuple(issue.id for issue in agenda if issue.id in set(point or ()))
        if not chosen or not set(point or ()) <= known:
            raise InvalidInput("point: choose at least one point of the agenda")
        return page(viewer, user, party, State(chosen, ()))
    current = state_from_form(agenda, state)
    issues = covered(agenda, current.points)
    if action == "undo":
        return page(viewer, user, party, State(current.points, current.answers[:-1]))
    if action == "answer":
        if choice is None:
            raise InvalidInput("choice: expected first, second or equal")
        step = next_question(issues, current.answers, LIMITS)
        if step.question is None:
            raise InvalidInput("choice: there is no question left to answer")
        answers = (*current.answers, Answer(step.question, choice))
        return page(viewer, user, party, State(current.points, answers))
    if not current.answers:
        raise InvalidInput("answers: answer at least one question before saving")
    derived = derive_preferences(
        issues, current.answers, ledger.preferences_of(party), agenda=agenda
    )
    ledger.set_preferences(session, party, derived.preferences.model_dump(mode="json"))
    session.commit()
    return see_other(f"/negotiations/{negotiation_id}/parties#preferences-{party.key}")
