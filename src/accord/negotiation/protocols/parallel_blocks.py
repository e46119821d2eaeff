"""Parallel blocks: each block of the plan at its own table, all at the same time.

The blocks are the scenario's blocks with issues, plus one more for the issues in no block
(``OTHER_ISSUES``). A block's table is its listed participants with preferences, or every
voter when it lists none (or none of them is left). Each table runs stacked alternating
offers (:mod:`accord.negotiation.protocols.table`) on its block's issues: a round is one
turn of each participant at every open table, the blocks in the scenario's order. An offer
is a whole package of which only the block's issues are open: the protocol puts every other
issue at its status quo, and where an issue has none it stays at the option the proposer
chose (the one it prefers). A block agreement needs the block's required participants and
as many of its voters as the rule's quorum, capped at their number (so all of them under
unanimity). A participant cannot accept a block package that crosses one of its red lines
lying wholly within the block.

When every block has an agreement, the voters (and required parties) vote on the whole
package, assembled from each block's issues; the vote passes when the acceptances meet the
agreement rule (binding only for packages the voter can sign, as everywhere). Two modes:

- ``provisional``: nothing is agreed until everything is agreed. An agreed block waits for
  the others; if the final vote fails, every block is reopened from an empty table, until
  the deadline.
- ``lock-in``: a block agreement is final. The final vote ratifies the assembled package;
  if it fails, the run ends without agreement (the blocks cannot be reopened).

Each party sees the events of the tables where it sits, every block agreement, every
walk-away and the vote. Walking away leaves every table; as in alternating offers, the
talks go on while the rule can still be met without the party.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar, Literal, get_args

from accord.analysis.blocks import unblocked_issues
from accord.analysis.compiled import Clauses, CompiledScenario
from accord.negotiation.own import Package
from accord.negotiation.protocols.common import (
    PROTOCOL_EVENT,
    Packages,
    Progress,
    ProtocolError,
    Rule,
    Seating,
    Signatures,
    make_trace,
    seat,
)
from accord.negotiation.protocols.table import OfferTable
from accord.negotiation.strategy import Strategy
from accord.negotiation.trace import Event, History, Trace
from accord.negotiation.view import NegotiationView

Mode = Literal["provisional", "lock-in"]
OTHER_ISSUES = "(other issues)"  # not a valid block id, so it never clashes with one
VOTE = "final vote"


@dataclass(frozen=True)
class Block:
    """One block's table: its issues, listed participants, held issues and red lines."""

    id: str
    issues: tuple[int, ...]
    members: tuple[int, ...]  # listed participants with preferences (empty: the voters)
    hold: tuple[tuple[int, int], ...]  # (issue, status quo) for the issues outside the block
    red_lines: tuple[tuple[Clauses, ...], ...]  # by party: its red lines within the block

    def shape(self, package: Package) -> Package:
        """The offer as the block's table takes it: held issues at their status quo."""
        if not self.hold:
            return package
        options = list(package)
        for issue, option in self.hold:
            options[issue] = option
        return tuple(options)

    def can_sign(self, party: int, package: Package) -> bool:
        return not any(
            all(package[issue] in options for issue, options in clauses)
            for clauses in self.red_lines[party]
        )

    def seats(self, present: list[int], voters: frozenset[int]) -> tuple[int, ...]:
        members = tuple(p for p in self.members if p in present)
        return members or tuple(p for p in present if p in voters)


def blocks_of(compiled: CompiledScenario) -> tuple[Block, ...]:
    """The tables: every scenario block with issues, then the issues in no block."""
    listed = [
        (block_id, issues, members or ())
        for (block_id, _, issues), members in zip(
            compiled.blocks, compiled.block_participants, strict=True
        )
        if issues
    ]
    other = unblocked_issues(compiled)
    if other:
        listed.append((OTHER_ISSUES, other, ()))
    blocks = []
    for block_id, issues, members in listed:
        hold = tuple(
            (issue, option)
            for issue, option in enumerate(compiled.status_quo)
            if option is not None and issue not in issues
        )
        red_lines = tuple(
            ()
            if compiled.every_package_acceptable
            else tuple(
                r.clauses
                for r in compiled.red_lines
                if r.party == party and set(r.issues) <= set(issues)
            )
            for party in range(compiled.party_count)
        )
        blocks.append(Block(block_id, issues, tuple(members), hold, red_lines))
    return tuple(blocks)


class ParallelBlocks:
    """Every block negotiated at once by its own table; a final vote on the whole."""

    name: ClassVar[str] = "parallel-blocks"

    def __init__(self, mode: Mode = "provisional") -> None:
        if mode not in get_args(Mode):
            raise ProtocolError(
                f"parallel-blocks: unknown mode {mode!r}; modes: {', '.join(get_args(Mode))}"
            )
        self.mode = mode

    def run(
        self,
        compiled: CompiledScenario,
        strategies: Mapping[str, Strategy],
        seed: int,
        deadline: int,
        progress: Progress | None = None,
    ) -> Trace:
        seating = seat(compiled, strategies, seed, deadline, self.name, progress=progress)
        run = _Run(compiled, seating, self.mode, deadline)
        outcome, reason = run.play()
        metadata = (("mode", self.mode),)
        return make_trace(
            compiled, self.name, seed, seating, run.events, outcome, deadline, reason, metadata
        )


class _Run:
    """The state of one run: the tables, who is present, what each party has seen."""

    def __init__(
        self,
        compiled: CompiledScenario,
        seating: Seating,
        mode: Mode,
        deadline: int,
    ) -> None:
        self.seating = seating
        ids, owns = seating.ids, seating.owns
        self.ids, self.owns, self.players = ids, owns, seating.strategies
        self.mode, self.deadline = mode, deadline
        self.rule = Rule.of(compiled)
        self.signatures = Signatures(owns, compiled.every_package_acceptable)
        self.blocks = blocks_of(compiled)
        self.issue_count = compiled.space.issue_count
        self.present = list(range(len(ids)))
        self.packages = packages = Packages.shared(compiled)
        self.seats = {b.id: b.seats(self.present, self.rule.voters) for b in self.blocks}
        self.tables = {
            b.id: OfferTable(self.rule.among(self.seats[b.id]), b.can_sign, packages, b.id, b.shape)
            for b in self.blocks
        }
        self.agreed: dict[str, Package] = {}
        self.events: list[Event] = []
        self.seen: list[list[Event]] = [[] for _ in ids]

    def record(self, event: Event, parties: Iterable[int]) -> None:
        self.events.append(event)
        for party in parties:
            self.seen[party].append(event)

    def play(self) -> tuple[Package | None, str]:
        """Run the tables and the votes: the agreement (or ``None``) and why the talks ended."""
        for round_ in range(self.deadline):
            self.seating.tick(round_)
            for block in self.blocks:
                if block.id not in self.agreed:
                    ended = self._negotiate(block, round_)
                    if ended is not None:
                        return None, self._end(round_, ended)
            if len(self.agreed) < len(self.blocks):
                continue
            package = self._assemble()
            passed, ended = self._vote(package, round_)
            if ended is not None:
                return None, self._end(round_, ended)
            if passed:
                self.record(Event(round_, PROTOCOL_EVENT, "agreement", package), self.present)
                return package, "agreement"
            if self.mode == "lock-in":
                return None, self._end(round_, "the final vote failed")
            self.agreed.clear()
            for table in self.tables.values():
                table.clear()
        return None, self._end(self.deadline - 1, "deadline")

    def _negotiate(self, block: Block, round_: int) -> str | None:
        """One turn of each participant at the block's table; why the talks end, if they do."""
        table, seats = self.tables[block.id], self.seats[block.id]
        names = tuple(self.ids[p] for p in seats)
        for speaker in seats:
            if speaker not in self.present:
                continue
            view = NegotiationView(
                self.ids[speaker],
                self.owns[speaker],
                names,
                round_,
                self.deadline,
                History(self.seen[speaker]),
                table.offer,
                block.id,
                block.issues,
                objections_wanted=False,
            )
            event = table.turn(speaker, self.players[speaker], view)
            if event.kind == "walk_away":  # everyone learns that a party has left
                self.record(event, self.present)
                ended = self._leave(speaker, round_)
                if ended is not None:
                    return ended
            else:
                self.record(event, seats)
            if block.id in self.agreed or self._settle(block, round_):
                break
        return None

    def _settle(self, block: Block, round_: int) -> bool:
        """Record the block's agreement if its table holds one."""
        table = self.tables[block.id]
        if not table.agreed or table.offer is None:
            return False
        self.agreed[block.id] = table.offer
        note = "provisional" if self.mode == "provisional" else "final"
        event = Event(round_, PROTOCOL_EVENT, "block_agreement", table.offer, block.id, note=note)
        self.record(event, self.present)
        return True

    def _leave(self, party: int, round_: int) -> str | None:
        """``party`` leaves every table; why the talks end, if the rule can no longer be met."""
        self.present.remove(party)
        if not self.rule.met(self.present):
            return f"{self.ids[party]} walked away"
        for block in self.blocks:
            self.seats[block.id] = block.seats(self.present, self.rule.voters)
            self.tables[block.id].leave(party, self.rule.among(self.seats[block.id]))
            if block.id not in self.agreed:
                self._settle(block, round_)
        return None

    def _assemble(self) -> Package:
        options = [0] * self.issue_count
        for block in self.blocks:
            agreed = self.agreed[block.id]
            for issue in block.issues:
                options[issue] = agreed[issue]
        return tuple(options)

    def _vote(self, package: Package, round_: int) -> tuple[bool, str | None]:
        """The final vote on ``package``: whether it passed, and why the talks end, if so."""
        rule = self.rule
        voting = [p for p in self.present if p in rule.voters or p in rule.required]
        names = tuple(self.ids[p] for p in voting)
        accepted: set[int] = set()
        for party in voting:
            view = NegotiationView(
                self.ids[party],
                self.owns[party],
                names,
                round_,
                self.deadline,
                History(self.seen[party]),
                package,
                objections_wanted=False,
            )
            response = self.players[party].respond(view, package)
            me = self.ids[party]
            if response.walk_away:
                self.record(Event(round_, me, "walk_away", note=VOTE), self.present)
                ended = self._leave(party, round_)
                if ended is not None:
                    return False, ended
            elif response.accept and self.signatures.can_sign(party, package):
                accepted.add(party)
                self.record(Event(round_, me, "accept", package, note=VOTE), self.present)
            else:
                objections = self.packages.objections(response.objections, me)
                event = Event(round_, me, "reject", package, objections=objections, note=VOTE)
                self.record(event, self.present)
        return rule.met(accepted), None

    def _end(self, round_: int, reason: str) -> str:
        self.record(Event(round_, PROTOCOL_EVENT, "end", note=reason), self.present)
        return reason
