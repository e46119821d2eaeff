"""Agenda design (Sebenius 1983, "negotiation arithmetic"): how changing the agenda or
the table changes the zone of agreement.

Each candidate change is analysed exactly, as a scenario of its own, and compared with
*today* (the scenario as given, negotiated as one package: its Nash package, or every
party's reservation value when there is no deal):

* **grouping** the blocks into negotiated packages: every partition of the blocks (issues
  in no block count as one more block). Each group is settled by its own Nash package with
  the other issues held at their status quo (as in :mod:`accord.analysis.linkage`); the
  settlements together make the package, which must then pass the agreement rule. Today's
  "all linked" is one partition, "all separate" another; the rest lie between.
* **dropping a point**: the point leaves the agenda and stays at its status quo (points
  without a status quo cannot be dropped). Dropping only removes packages, so when today's
  Nash package already has the point at its status quo it stays the Nash package; otherwise
  the program is solved with today's ideal gains as bounds.
* **seating** a party with preferences whose consent is not needed (its consent becomes
  required, as an outside bloc demands), or **unseating** one whose consent is (a deal
  without it). A seat also says which of today's packages survive and what the party's
  consent costs the others (:mod:`accord.analysis.seat`).
* **adding an option** to a point (:mod:`accord.analysis.added_option`): a compromise
  between two numbered options, or an option whose values the user gives. Its value to each
  party is an assumption, and the change carries it (:attr:`AddedOption.assumption`).

For each: whether there is a deal, its Nash package, each party's gain or loss against
today, and the least gain of today's voters over their reservation values. Changes are
ranked by whether they open a deal where there is none, then by that least gain.

Every change but a grouping keeps each party's utility of today's packages, so their Nash
programs share tangent cuts and start from the packages met so far
(:class:`accord.analysis.moves.NashStarts`): they are exact all the same.

The number of candidates grows fast (Bell numbers for groupings: 15 for four blocks, 4,140
for eight), so at most ``max_changes`` are analysed, in the order seats, added options,
groupings, dropped points; the result says how many were left out.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from accord.analysis.added_option import AddedOption
from accord.analysis.blocks import restrict, status_quo_hold, unblocked_issues
from accord.analysis.compiled import CompiledScenario
from accord.analysis.frontier import Frontier, pareto_frontier
from accord.analysis.moves import NashStarts
from accord.analysis.nash import keep_recent_tangents, nash
from accord.analysis.program import PackageProgram, package_program
from accord.analysis.seat import MAX_POINTS_CHECKED, Survivors, survivors
from accord.analysis.solutions import Outcome, find_feasible, ideal_gains, outcome_of
from accord.analysis.space import FloatArray, IntArray

DEFAULT_MAX_CHANGES = 60
NO_BLOCK = "(no block)"
ChangeKind = Literal["seat", "unseat", "add", "grouping", "drop"]


@dataclass(frozen=True, eq=False)
class AgendaChange:
    """One candidate change and what it does to the zone of agreement."""

    kind: ChangeKind
    label: str
    deal: bool
    outcome: Outcome | None  # the Nash package (or a feasible one when nobody gains)
    gains: FloatArray  # (P,) utility minus today's utility (reservation values without a deal)
    least_gain: float  # smallest gain of today's voters over their reservation values
    opens_deal: bool
    groups: tuple[tuple[str, ...], ...] = ()  # for a grouping: block ids per group
    survivors: Survivors | None = None  # for a seat: what survives of today's packages
    added: AddedOption | None = None  # for an added option: the scenario with it


@dataclass(frozen=True, eq=False)
class Agenda:
    """Today's deal and every change analysed, best first."""

    today: Outcome | None
    changes: tuple[AgendaChange, ...]
    candidate_count: int  # how many changes there were before the cut
    max_changes: int

    @property
    def cut(self) -> bool:
        return len(self.changes) < self.candidate_count


def agenda(
    compiled: CompiledScenario,
    max_changes: int = DEFAULT_MAX_CHANGES,
    added: Sequence[AddedOption] = (),
) -> Agenda:
    """Every seat, added option, grouping and dropped point (at most ``max_changes``),
    ranked. ``added`` are the options to try (:mod:`accord.analysis.added_option`)."""
    program = package_program(compiled)
    # Every change but a grouping keeps each party's utility and reservation value, so its
    # Nash programs share tangent cuts and starts from the packages met so far.
    shared = _Shared(NashStarts(compiled), {})
    today = _deal(compiled, program, shared)
    # Each voter's best gain today bounds its gain once a point is dropped.
    ideal = ideal_gains(compiled, program) if today is not None else None
    baseline = today.utilities if today is not None else compiled.reservation.copy()
    voters = compiled.voter_indices
    candidates = list(_candidates(compiled, added))
    settled: dict[tuple[str, ...], IntArray | None] = {}
    frontier: list[Frontier | None] = []  # today's, built for the first seat
    changes = []
    for kind, label, index, groups in candidates[:max_changes]:
        kept: Survivors | None = None
        option: AddedOption | None = None
        if kind == "add":
            option = added[index]
            starts = NashStarts(option.compiled)  # today's packages keep their indices
            for package in shared.starts.packages:
                starts.add(package)
            extended = _Shared(starts, shared.tangents)
            outcome = _deal(option.compiled, package_program(option.compiled), extended)
        elif kind in ("seat", "unseat"):
            game = _seated(compiled, index, kind == "seat")
            outcome = _deal(game, package_program(game), shared)
            if outcome is not None:
                outcome = outcome_of(compiled, outcome.package)
            if kind == "seat":
                if not frontier:
                    frontier.append(
                        pareto_frontier(compiled, MAX_POINTS_CHECKED) if today else None
                    )
                kept = survivors(compiled, index, today, frontier[0])
        elif kind == "drop":
            held = compiled.status_quo[index]
            assert held is not None
            if today is not None and int(today.package[index]) == held:
                # Dropping the point only removes packages, and today's Nash package is
                # still there: it stays the Nash package.
                outcome = today
            else:
                dropped = _dropped(program, compiled, index, held)
                outcome = _deal(compiled, dropped, shared, ideal, {index: held})
        else:
            outcome = _grouped(compiled, groups, settled, shared.starts.packages)
        utilities = outcome.utilities if outcome is not None else compiled.reservation
        gains = utilities - baseline
        least = float((utilities[voters] - compiled.reservation[voters]).min())
        deal = outcome is not None
        changes.append(
            AgendaChange(
                kind,
                label,
                deal,
                outcome,
                gains,
                least,
                deal and today is None,
                groups,
                kept,
                option,
            )
        )
    changes.sort(key=lambda c: (not c.opens_deal, not c.deal, -c.least_gain))
    return Agenda(today, tuple(changes), len(candidates), max_changes)


@dataclass(frozen=True)
class _Shared:
    starts: NashStarts
    tangents: dict[int, list[float]]


def _deal(
    game: CompiledScenario,
    program: PackageProgram,
    shared: _Shared,
    ideal: FloatArray | None = None,
    fixed: dict[int, int] | None = None,
) -> Outcome | None:
    """The Nash package, or a feasible package when no package gives every voter a gain."""
    fair = shared.starts.start(game, fixed)
    result = nash(game, program, fair=fair, ideal=ideal, tangents=shared.tangents)
    keep_recent_tangents(shared.tangents)
    if result.outcome is not None:
        shared.starts.add(result.outcome.package)
        return result.outcome
    return find_feasible(game, program)


Partition = tuple[tuple[str, ...], ...]


def _candidates(
    compiled: CompiledScenario, added: Sequence[AddedOption]
) -> Iterator[tuple[ChangeKind, str, int, Partition]]:
    """Each change: its kind, label, the party, option or issue it concerns, the grouping."""
    voters = set(int(p) for p in compiled.voter_indices)
    for party in range(compiled.party_count):
        name = compiled.party_names[party]
        if compiled.required[party]:
            if int(compiled.required.sum()) > 1:
                yield "unseat", f"unseat {name}: a deal without its consent", party, ()
        elif party not in voters:
            yield "seat", f"seat {name}: its consent required", party, ()
    for index, option in enumerate(added):
        yield "add", option.label, index, ()
    units = [identifier for identifier, _, _ in compiled.blocks]
    if unblocked_issues(compiled) and units:
        units.append(NO_BLOCK)
    if len(units) >= 2:
        for partition in _partitions(units):
            yield "grouping", _grouping_label(partition, len(units)), -1, partition
    for issue in range(compiled.space.issue_count):
        if compiled.status_quo[issue] is not None:
            title = compiled.issue_titles[issue] or compiled.space.issue_ids[issue]
            yield "drop", f"drop '{title}' (stays at its status quo)", issue, ()


def _partitions(items: list[str]) -> Iterator[tuple[tuple[str, ...], ...]]:
    """Every partition of ``items`` into groups (each group and the groups in order)."""
    if not items:
        yield ()
        return
    first, rest = items[0], items[1:]
    for smaller in _partitions(rest):
        yield ((first,), *smaller)
        for index in range(len(smaller)):
            yield (*smaller[:index], (first, *smaller[index]), *smaller[index + 1 :])


def _grouping_label(partition: tuple[tuple[str, ...], ...], units: int) -> str:
    if len(partition) == 1:
        return "all blocks linked in one package"
    if len(partition) == units:
        return "every block settled on its own"
    return " | ".join(" + ".join(group) for group in partition)


def _seated(compiled: CompiledScenario, party: int, seat: bool) -> CompiledScenario:
    required = compiled.required.copy()
    voters = compiled.voters.copy()
    required[party] = seat
    voters[party] = seat
    if compiled.is_unanimity:
        minimum = int(voters.sum())
    else:
        minimum = min(compiled.min_accept, int(voters.sum()))
    return replace(compiled, required=required, voters=voters, min_accept=minimum)


def _dropped(
    program: PackageProgram, compiled: CompiledScenario, issue: int, held: int
) -> PackageProgram:
    dropped = program.copy()
    dropped.milp.lower[int(program.x[compiled.space.flat(issue, held)])] = 1.0
    return dropped


def _grouped(
    compiled: CompiledScenario,
    partition: tuple[tuple[str, ...], ...],
    settled: dict[tuple[str, ...], IntArray | None],
    met: IntArray,
) -> Outcome | None:
    """The package of each group's own settlement, if the rule accepts it.

    ``met`` holds packages found so far; with the settlements of smaller groups inside a
    group they start its Nash programs."""
    issues_of = {identifier: issues for identifier, _, issues in compiled.blocks}
    issues_of[NO_BLOCK] = unblocked_issues(compiled)
    participants = dict(
        zip((b for b, _, _ in compiled.blocks), compiled.block_participants, strict=True)
    )
    package = np.zeros(compiled.space.issue_count, dtype=np.int64)
    for group in partition:
        issues = tuple(sorted(i for block in group for i in issues_of[block]))
        if group not in settled:
            seats = [participants.get(block) for block in group]
            members = (
                None
                if any(s is None for s in seats)
                else tuple(sorted({p for s in seats if s is not None for p in s}))
            )
            inner = np.array([h if h is not None else 0 for h in compiled.status_quo])
            for smaller, local in settled.items():
                if local is not None and set(smaller) < set(group):
                    inner[sorted(i for block in smaller for i in issues_of[block])] = local
            hints = np.vstack((met, inner))[:, list(issues)]
            settled[group] = _settle(compiled, issues, members, hints)
        local = settled[group]
        if local is None:
            return None
        package[list(issues)] = local
    if not compiled.feasible(package)[0]:
        return None
    return outcome_of(compiled, package)


def _settle(
    compiled: CompiledScenario,
    issues: tuple[int, ...],
    members: tuple[int, ...] | None,
    hints: IntArray,
) -> IntArray | None:
    """A group's Nash settlement, or its status quo when nobody can gain over it."""
    game = restrict(compiled, issues, status_quo_hold(compiled), members)
    starts = NashStarts(game)
    for hint in hints:
        starts.add(hint)
    result = nash(game, fair=starts.start(game))
    if result.outcome is not None:
        return result.outcome.package
    if all(h is not None for h in game.status_quo):
        return np.array(game.status_quo, dtype=np.int64)
    return None
