"""The numeric form of a scenario that every analysis works on.

A party's utility of a package is ``constant + sum of its options' linear terms + sum of
the values of the conjunction terms that hold``. A conjunction (an interaction term, or a
red line) is a tuple of *clauses* ``(issue, options)``; it holds when every clause's issue
takes one of the clause's options. Normalised preferences are scaled here, once, so that
each party's best package is worth exactly 1. A party with a ceiling (``preferences.cap``,
GENIUS's cap at 1) is worth the smaller of it and that sum: :meth:`utilities` applies it,
and :mod:`accord.analysis.cap` says how programs and the frontier do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from accord.analysis.cap import capped
from accord.analysis.space import BoolArray, FloatArray, IntArray, OutcomeSpace
from accord.scenario.model import Preferences, Scenario

Clauses = tuple[tuple[int, tuple[int, ...]], ...]


def clauses_hold(clauses: Clauses, packages: IntArray) -> BoolArray:
    """``(N,)``: for each package row, whether every clause's issue takes a listed option."""
    holds = np.ones(packages.shape[0], dtype=np.bool_)
    for issue, options in clauses:
        # A clause lists a few options: comparing with each is several times faster than
        # np.isin, and the analysis evaluates packages a few at a time, thousands of times.
        column = packages[:, issue]
        listed = column == options[0] if options else np.zeros_like(holds)
        for option in options[1:]:
            listed |= column == option
        holds &= listed
    return holds


# A best total at or below this is zero up to rounding (0.1 + 0.2 - 0.3 is 5.6e-17):
# dividing by it would blow the rounding noise up to the whole scale.
NORMALISATION_FLOOR = 1e-9


@dataclass(frozen=True)
class RedLineTerms:
    """A red line on the option axis: crossed when its clauses hold."""

    party: int
    clauses: Clauses
    label: str

    @property
    def issues(self) -> tuple[int, ...]:
        return tuple(issue for issue, _ in self.clauses)


@dataclass(frozen=True, eq=False)
class CompiledScenario:
    """Numbers for analysis. ``P`` parties with preferences, ``F`` flat options, ``T`` terms."""

    scenario_id: str
    space: OutcomeSpace
    party_ids: tuple[str, ...]
    party_names: tuple[str, ...]
    linear: FloatArray  # (P, F)
    terms: tuple[Clauses, ...]  # conjunction terms (interactions), each listed once
    term_values: FloatArray  # (P, T)
    constant: FloatArray  # (P,)
    red_lines: tuple[RedLineTerms, ...]
    reservation: FloatArray  # (P,)
    required: BoolArray  # (P,) consent needed
    voters: BoolArray  # (P,) counted by the agreement rule
    min_accept: int  # how many voters must accept
    blocks: tuple[tuple[str, str, tuple[int, ...]], ...]  # (id, title, issue indices)
    block_participants: tuple[tuple[int, ...] | None, ...]
    status_quo: tuple[int | None, ...]
    issue_titles: tuple[str, ...]
    every_package_acceptable: bool = False
    cap: FloatArray | None = None  # (P,) each party's utility ceiling (inf: none); None: none

    @property
    def party_count(self) -> int:
        return len(self.party_ids)

    @property
    def voter_indices(self) -> IntArray:
        return np.flatnonzero(self.voters).astype(np.int64)

    @property
    def is_unanimity(self) -> bool:
        return self.min_accept >= int(self.voters.sum())

    @property
    def disagreement(self) -> FloatArray:
        """Each party's utility of no deal: its reservation value."""
        return self.reservation

    def party_index(self, party_id: str) -> int:
        return self.party_ids.index(party_id)

    def utilities(self, packages: IntArray) -> FloatArray:
        """Every party's utility of each package: ``(P,)`` for one package, ``(P, N)`` for rows."""
        single = packages.ndim == 1
        rows = packages.reshape(1, -1) if single else packages
        flat = rows + self.space.offsets
        values = self.linear[:, flat].sum(axis=2) + self.constant[:, None]
        if self.terms:
            hold = np.stack([clauses_hold(term, rows) for term in self.terms])
            values = values + self.term_values @ hold.astype(np.float64)
        if self.cap is not None:
            values = capped(values, self.cap[:, None])
        result: FloatArray = values[:, 0] if single else values
        return result

    def crossed_red_lines(self, packages: IntArray) -> BoolArray:
        """``(L, N)``: which red line each package crosses."""
        rows = packages.reshape(1, -1) if packages.ndim == 1 else packages
        crossed = np.ones((len(self.red_lines), rows.shape[0]), dtype=np.bool_)
        for index, red_line in enumerate(self.red_lines):
            crossed[index] = clauses_hold(red_line.clauses, rows)
        return crossed

    def acceptance(self, packages: IntArray, tolerance: float = 1e-9) -> BoolArray:
        """``(P, N)``: which party accepts each package (reservation met, no red line crossed)."""
        rows = packages.reshape(1, -1) if packages.ndim == 1 else packages
        if self.every_package_acceptable:
            return np.ones((self.party_count, rows.shape[0]), dtype=np.bool_)
        accepts = self.utilities(rows) >= self.reservation[:, None] - tolerance
        for index, crossed in enumerate(self.crossed_red_lines(rows)):
            accepts[self.red_lines[index].party] &= ~crossed
        return accepts

    def feasible(self, packages: IntArray, tolerance: float = 1e-9) -> BoolArray:
        """Which packages the agreement rule accepts."""
        accepts = self.acceptance(packages, tolerance)
        required_ok = accepts[self.required].all(axis=0)
        enough = accepts[self.voters].sum(axis=0) >= self.min_accept
        result: BoolArray = required_ok & enough
        return result

    def ignoring_reservation(self) -> CompiledScenario:
        """Every package acceptable, disagreement at 0: the GENIUS/ANAC statistics convention."""
        return replace(
            self, reservation=np.zeros_like(self.reservation), every_package_acceptable=True
        )


def compile_scenario(scenario: Scenario) -> CompiledScenario:
    """The numeric form of a validated scenario."""
    from accord.analysis.milp import best_package_value

    space = OutcomeSpace(
        tuple(issue.id for issue in scenario.issues),
        tuple(tuple(option.id for option in issue.options) for issue in scenario.issues),
    )
    with_preferences = [p for p in scenario.parties if p.preferences is not None]
    term_keys: dict[Clauses, int] = {}
    for party in with_preferences:
        assert party.preferences is not None
        for interaction in party.preferences.interactions:
            term_keys.setdefault(_clauses(space, interaction.options), len(term_keys))
    terms = tuple(sorted(term_keys, key=term_keys.__getitem__))
    count = len(with_preferences)
    linear = np.zeros((count, space.flat_size))
    term_values = np.zeros((count, len(terms)))
    reservation = np.zeros(count)
    cap = np.full(count, np.inf)
    red_lines: list[RedLineTerms] = []
    for index, party in enumerate(with_preferences):
        preferences = party.preferences
        assert preferences is not None
        linear[index] = _linear_terms(space, preferences)
        for interaction in preferences.interactions:
            term_values[index, term_keys[_clauses(space, interaction.options)]] += interaction.value
        if preferences.scale == "normalised":
            best = best_package_value(space, linear[index], terms, term_values[index])
            if best <= NORMALISATION_FLOOR:  # nothing worth anything, up to rounding
                best = 1.0
            linear[index] /= best
            term_values[index] /= best
        reservation[index] = preferences.reservation
        if preferences.cap is not None:
            cap[index] = preferences.cap
        for red_line in preferences.red_lines:
            label = red_line.label or " and ".join(
                f"{issue_id} = {picked if isinstance(picked, str) else ' or '.join(picked)}"
                for issue_id, picked in red_line.options.items()
            )
            red_lines.append(RedLineTerms(index, _clauses(space, red_line.options), label))
    party_ids = tuple(p.id for p in with_preferences)
    required_ids = set(scenario.required_party_ids)
    voter_ids = set(scenario.voter_ids)
    rule = scenario.agreement
    voters = np.array([pid in voter_ids for pid in party_ids], dtype=np.bool_)
    min_accept = int(voters.sum()) if rule.kind == "unanimity" else int(rule.min_parties or 0)
    blocks = tuple(
        (
            block.id,
            block.title,
            tuple(i for i, issue in enumerate(scenario.issues) if issue.block == block.id),
        )
        for block in scenario.blocks
    )
    participants = tuple(
        None
        if block.participants is None
        else tuple(party_ids.index(p) for p in block.participants if p in party_ids)
        for block in scenario.blocks
    )
    return CompiledScenario(
        scenario_id=scenario.id,
        space=space,
        party_ids=party_ids,
        party_names=tuple(p.display_name for p in with_preferences),
        linear=linear,
        terms=terms,
        term_values=term_values,
        constant=np.zeros(count),
        red_lines=tuple(red_lines),
        reservation=reservation,
        required=np.array([pid in required_ids for pid in party_ids], dtype=np.bool_),
        voters=voters,
        min_accept=min_accept,
        blocks=blocks,
        block_participants=participants,
        status_quo=tuple(
            None
            if issue.status_quo is None
            else [o.id for o in issue.options].index(issue.status_quo)
            for issue in scenario.issues
        ),
        issue_titles=tuple(issue.title for issue in scenario.issues),
        cap=cap if np.isfinite(cap).any() else None,
    )


def _clauses(space: OutcomeSpace, chosen: Mapping[str, str | tuple[str, ...]]) -> Clauses:
    """Option ids by issue id, as sorted clauses of indices (repeated options counted once)."""
    clauses = []
    for issue_id, picked in chosen.items():
        issue = space.issue_ids.index(issue_id)
        listed = (picked,) if isinstance(picked, str) else picked
        clauses.append((issue, tuple(sorted({space.option_ids[issue].index(o) for o in listed}))))
    return tuple(sorted(clauses))


def _linear_terms(space: OutcomeSpace, preferences: Preferences) -> FloatArray:
    terms = np.zeros(space.flat_size)
    weights = preferences.weights
    normalised = preferences.scale == "normalised"
    total_weight = 1.0
    if normalised:
        total_weight = sum(weights.values()) if weights is not None else float(space.issue_count)
    for issue_index, issue_id in enumerate(space.issue_ids):
        weight = 1.0 if weights is None else weights.get(issue_id, 0.0)
        values = preferences.values.get(issue_id, {})
        raw = np.array([values.get(option, 0.0) for option in space.option_ids[issue_index]])
        if normalised:
            top = raw.max()
            raw = raw / top if top > 0 else np.zeros_like(raw)
        start = space.flat(issue_index, 0)
        terms[start : start + len(raw)] = weight / total_weight * raw
    return terms
