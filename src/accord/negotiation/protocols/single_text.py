"""The mediator's single negotiating text (Fisher's one-text procedure, Camp David 1978).

Each round the mediator drafts a complete package (a new version when it changes the text),
then every party with preferences answers it in the scenario's order: accept, or reject
with objections (the issues it needs changed). The run ends with an agreement when the
parties that accepted the version meet the agreement rule (a mediator with preferences
counts as accepting a version it can sign), and without one after ``deadline`` rounds.
The next draft is made from the objections of the parties that rejected (party id to the
issue ids it named, possibly none). Everyone at the table sees every draft and answer; the
mediator sees what the parties say, never their preferences.

The mediator is the one strategy that is a ``MediatorStrategy`` (or the party named by
``mediator``): a party of the scenario (with or without preferences) or a protocol-level
mediator under an id of its own. Walking away is as in alternating offers: the talks go on
while the rule can still be met without the party.
"""

from __future__ import annotations

from typing import ClassVar

from accord.analysis.compiled import CompiledScenario
from accord.negotiation.own import Package
from accord.negotiation.protocols.common import Seating
from accord.negotiation.protocols.mediated import MediatedProtocol, Mediation
from accord.negotiation.trace import Event


class SingleText(MediatedProtocol):
    """The mediator drafts, every party answers, the mediator revises from the objections."""

    name: ClassVar[str] = "single-text"

    def talk(
        self, compiled: CompiledScenario, seating: Seating, deadline: int, events: list[Event]
    ) -> tuple[Package | None, str, int]:
        """Draft, answer, revise, recording into ``events``: the agreement (or ``None``), why
        the talks ended and in which round."""
        table = Mediation(compiled, seating, deadline, events)
        objections: dict[str, tuple[str, ...]] = {}
        for round_ in range(deadline):
            table.draft(round_, objections)
            objections = {}
            for party in tuple(table.answering):
                event = table.answer(party, round_)
                if event.kind == "reject":
                    objections[event.party] = event.objections
                elif event.kind == "walk_away" and not table.leave(party):
                    return None, f"{event.party} walked away", round_
            if table.agreed(round_):
                return table.text.package, "agreement", round_
        return None, "deadline", deadline - 1
