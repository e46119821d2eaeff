"""Shuttle mediation: the single text, carried by the mediator to one party at a time.

Each round is one meeting. The mediator first drafts (a new version when it changes the
text, made from the objections raised at the last meeting), then shows the current version
to one party (a ``show`` event) and records its answer. It visits the parties in the
scenario's order, starting after the last one it met, skipping those that already accepted
the current version (a new version needs everyone's acceptance again). The run ends with
an agreement when the parties that accepted the current version meet the agreement rule (a
mediator with preferences counts as accepting a version it can sign), and without one after
``deadline`` meetings.

A party sees only its own meetings (the versions shown to it and its answers) and the end
of the talks; the mediator sees everything. The mediator and walking away are as in the
single text.
"""

from __future__ import annotations

from typing import ClassVar

from accord.analysis.compiled import CompiledScenario
from accord.negotiation.own import Package
from accord.negotiation.protocols.common import Seating
from accord.negotiation.protocols.mediated import MediatedProtocol, Mediation
from accord.negotiation.trace import Event, History


class Shuttle(MediatedProtocol):
    """The mediator meets one party per round, shows it the text, and may revise it."""

    name: ClassVar[str] = "shuttle"

    def talk(
        self, compiled: CompiledScenario, seating: Seating, deadline: int, events: list[Event]
    ) -> tuple[Package | None, str, int]:
        """One meeting per round, recording into ``events``: the agreement (or ``None``), why
        the talks ended and in which round."""
        table = Mediation(compiled, seating, deadline, events)
        seen: dict[int, list[Event]] = {p: [] for p in table.answering}  # each one's meetings
        objections: dict[str, tuple[str, ...]] = {}
        last = -1  # the position in ``table.answering`` of the last party met
        for round_ in range(deadline):
            table.draft(round_, objections)
            objections = {}
            if table.answering:
                text = table.text
                last = _next_visit(table.answering, last, text.accepted)
                party = table.answering[last]
                show = Event(round_, seating.ids[party], "show", text.package, version=text.version)
                events.append(show)
                seen[party].append(show)
                answer = table.answer(party, round_, History(seen[party]))
                seen[party].append(answer)
                if answer.kind == "reject":
                    objections = {answer.party: answer.objections}
                elif answer.kind == "walk_away":
                    last -= 1  # the next party now stands where this one stood
                    if not table.leave(party):
                        return None, f"{answer.party} walked away", round_
            if table.agreed(round_):
                return table.text.package, "agreement", round_
        return None, "deadline", deadline - 1


def _next_visit(answering: list[int], last: int, accepted: set[int]) -> int:
    """The position of the next party to meet: after ``last``, not yet accepting."""
    count = len(answering)
    for step in range(1, count + 1):
        position = (last + step) % count
        if answering[position] not in accepted:
            return position
    return (last + 1) % count
