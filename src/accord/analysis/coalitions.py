"""Coalitions: which groups of parties could settle among themselves (partial consensus, as
in Murukannaiah & Jonker's MOPaC protocol, arXiv:2205.06678), and on what.

A *coalition* agrees when some package is acceptable to each of its members (its
reservation value met, none of its red lines crossed). For each coalition examined: whether
it can agree, its Nash package (the largest product of the members' gains over their
reservation values) and the parties outside it who would not accept that package. Marked:
the smallest coalitions that can agree, the largest (no party can join them and still
agree) and the *spoilers*, parties in no coalition that can agree although others can.

Which coalitions: those the agreement rule lets settle alone (sets of voters with every
required and veto party and at least the quorum), or every set of two or more parties with
preferences (``every_subset``): up to ``2**n`` of them, so the work is shared.

* Feasibility is monotone: a package that a coalition's members accept is accepted by
  every smaller coalition among them, and a coalition that cannot agree cannot agree with
  more members. Coalitions are taken smallest first; an infeasible one settles all its
  supersets, and a feasible one is answered by the package accepted by the *most* other
  parties (one program: maximise the number of accepting non-members), which settles every
  coalition among the parties that accept it.
* One program holds every party's acceptance columns; a coalition fixes its members' to 1.
* The Nash package of each coalition is exact (:func:`accord.analysis.nash.nash`), started
  from shared bounds: each party's best gain on its own (an upper bound on its gain in any
  coalition), a starting package as a lower bound, and the logarithm's tangent cuts found
  for earlier coalitions (a party's gain is the same function of the package whatever
  coalition it is in, so a cut valid for one is valid for all).
* The starting package is the best, for the coalition's product of gains, of the packages
  met so far (witnesses and earlier coalitions' Nash packages, smaller coalitions first),
  improved by one-point moves (:class:`accord.analysis.moves.NashStarts`). On the plan with
  eight parties it is the Nash package itself for 175 of 183 coalitions, and a tangent at
  its gains then lets the first program prove it: about one program per coalition instead
  of two (``benchmarks/bench_new_analyses.py``). The programs decide; the guess only
  starts them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np

from accord.analysis.compiled import CompiledScenario
from accord.analysis.frontier import acceptance_sets
from accord.analysis.moves import NashStarts
from accord.analysis.nash import keep_recent_tangents, nash
from accord.analysis.program import PackageProgram, package_program
from accord.analysis.solutions import Outcome, outcome_of
from accord.analysis.space import FloatArray
from accord.errors import AnalysisError

MAX_PARTIES = 12  # 4,083 coalitions of two or more


@dataclass(frozen=True, eq=False)
class Coalition:
    """One coalition (party indices) and what it can agree on."""

    members: tuple[int, ...]
    feasible: bool
    nash: Outcome | None  # None when it cannot agree, or no package gives every member a gain
    note: str
    rejected_by: tuple[int, ...]  # parties outside who would not accept the Nash package
    smallest: bool = False
    largest: bool = False


@dataclass(frozen=True, eq=False)
class Coalitions:
    """Every coalition examined, the spoilers and how many programs were solved."""

    coalitions: tuple[Coalition, ...]
    spoilers: tuple[int, ...]
    every_subset: bool
    programs: int


def coalitions(compiled: CompiledScenario, every_subset: bool = False) -> Coalitions:
    """The coalitions the rule allows to settle alone, or (``every_subset``) all of them."""
    candidates = _candidates(compiled, every_subset)
    base = _all_parties_program(compiled)
    programs = 0
    known: dict[tuple[int, ...], Outcome | None] = {}  # witness package, or None: infeasible
    ordered = sorted(candidates, key=lambda members: (len(members), members))
    for members in ordered:
        if members in known:
            continue
        if any(known.get(sub, 0) is None for sub in _subsets_one_smaller(members)):
            known[members] = None
            continue
        witness = _widest_witness(compiled, base, members)
        programs += 1
        if witness is None:
            known[members] = None
            continue
        accepting = tuple(
            int(p) for p in np.flatnonzero(compiled.acceptance(witness.package)[:, 0])
        )
        for other in ordered:
            if other not in known and set(other) <= set(accepting):
                known[other] = witness
    ideal, solved = _solo_ideal_gains(compiled, base)
    programs += solved
    tangents: dict[int, list[float]] = {}
    starts = NashStarts(compiled)
    for package in {id(w): w.package for w in known.values() if w is not None}.values():
        starts.add(package)
    results = []
    for members in ordered:
        witness = known[members]
        if witness is None:
            results.append(Coalition(members, False, None, "no package all members accept", ()))
            continue
        game = _coalition_game(compiled, members)
        program = _coalition_program(base, members, others_free=False)
        fair = starts.start(game)
        result = nash(game, program, fair=fair, ideal=ideal, tangents=tangents)
        if result.outcome is not None:
            starts.add(result.outcome.package)
        keep_recent_tangents(tangents)
        programs += result.rounds + (0 if fair is not None else 2)
        outsiders = [p for p in range(compiled.party_count) if p not in members]
        rejected: tuple[int, ...] = ()
        if result.outcome is not None:
            accepts = compiled.acceptance(result.outcome.package)[:, 0]
            rejected = tuple(p for p in outsiders if not accepts[p])
        results.append(Coalition(members, True, result.outcome, result.reason, rejected))
    return _marked(compiled, results, every_subset, programs)


def _candidates(compiled: CompiledScenario, every_subset: bool) -> list[tuple[int, ...]]:
    if every_subset:
        count = compiled.party_count
        if count > MAX_PARTIES:
            raise AnalysisError(
                f"every coalition of {count} parties is {2**count - count - 1:,} coalitions; "
                f"at most {MAX_PARTIES} parties are examined this way"
            )
        return [
            members
            for size in range(2, count + 1)
            for members in itertools.combinations(range(count), size)
        ]
    smallest = acceptance_sets(compiled)
    voters = [int(p) for p in compiled.voter_indices]
    found = set()
    for core in smallest:
        rest = [p for p in voters if p not in core]
        for size in range(len(rest) + 1):
            for extra in itertools.combinations(rest, size):
                found.add(tuple(sorted((*core, *extra))))
    return sorted(found)


def _subsets_one_smaller(members: tuple[int, ...]) -> list[tuple[int, ...]]:
    return [members[:i] + members[i + 1 :] for i in range(len(members))]


def _all_parties_program(compiled: CompiledScenario) -> PackageProgram:
    """Every party with preferences as a voter whose acceptance may be 0 or 1."""
    everyone = np.ones(compiled.party_count, dtype=np.bool_)
    nobody = np.zeros(compiled.party_count, dtype=np.bool_)
    free = replace(
        compiled, voters=everyone, required=nobody, min_accept=0, every_package_acceptable=False
    )
    return package_program(free)


def _coalition_program(
    base: PackageProgram, members: tuple[int, ...], others_free: bool = True
) -> PackageProgram:
    """Members must accept; the others may (``others_free``) or are left out of the program
    (their acceptance fixed at 0 switches their rows off and presolve drops them)."""
    program = base.copy()
    for party in range(len(program.accepts)):
        column = int(program.accepts[party])
        if party in members:
            program.milp.lower[column] = 1.0
        elif not others_free:
            program.milp.upper[column] = 0.0
    return program


def _coalition_game(compiled: CompiledScenario, members: tuple[int, ...]) -> CompiledScenario:
    mask = np.zeros(compiled.party_count, dtype=np.bool_)
    mask[list(members)] = True
    return replace(
        compiled,
        voters=mask,
        required=mask,
        min_accept=len(members),
        every_package_acceptable=False,
    )


def _widest_witness(
    compiled: CompiledScenario, base: PackageProgram, members: tuple[int, ...]
) -> Outcome | None:
    """A package every member accepts, accepted by as many other parties as possible."""
    program = _coalition_program(base, members)
    others = [int(program.accepts[p]) for p in range(compiled.party_count) if p not in members]
    result = program.milp.solve({column: 1.0 for column in others})
    return outcome_of(compiled, program.package(result)) if result.feasible else None


def _solo_ideal_gains(compiled: CompiledScenario, base: PackageProgram) -> tuple[FloatArray, int]:
    """Each party's best gain among the packages it accepts: a bound for every coalition."""
    ideal = np.full(compiled.party_count, np.nan)
    for party in range(compiled.party_count):
        program = _coalition_program(base, (party,), others_free=False)
        result = program.milp.solve({int(program.utility[party]): 1.0})
        if result.feasible:
            package = program.package(result)
            ideal[party] = compiled.utilities(package)[party] - compiled.reservation[party]
    return ideal, compiled.party_count


def _marked(
    compiled: CompiledScenario, results: list[Coalition], every_subset: bool, programs: int
) -> Coalitions:
    feasible = [c for c in results if c.feasible]
    size = min((len(c.members) for c in feasible), default=0)
    marked = []
    for coalition in results:
        if not coalition.feasible:
            marked.append(coalition)
            continue
        members = set(coalition.members)
        largest = not any(other.feasible and members < set(other.members) for other in results)
        marked.append(replace(coalition, smallest=len(members) == size, largest=largest))
    spoilers: tuple[int, ...] = ()
    if feasible:
        present = {p for c in results for p in c.members}
        agreeing = {p for c in feasible for p in c.members}
        spoilers = tuple(sorted(present - agreeing))
    return Coalitions(tuple(marked), spoilers, every_subset, programs)
