"""One block negotiated on its own, with the other issues held fixed.

An issue outside the block is *held* at its status quo when the scenario declares one;
terms that join the block to an issue with no status quo are left out (nothing is known
about how that issue ends). The block game's disagreement point is each party's utility of
the block's own status quo when every issue in it has one, otherwise the party's worst
package of the block; a party accepts a block package that is no worse than that and
crosses none of its red lines that touch the block (clauses on held issues are decided by
the hold; red lines entirely on other issues belong to the other blocks). Reservation
values are for the whole package and do not apply to a block alone.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from accord.analysis.cap import ceilings
from accord.analysis.compiled import Clauses, CompiledScenario, RedLineTerms
from accord.analysis.milp import best_package_value
from accord.analysis.space import FloatArray, OutcomeSpace

Hold = tuple[int | None, ...]


def status_quo_hold(compiled: CompiledScenario) -> Hold:
    return compiled.status_quo


def block_issues(compiled: CompiledScenario, block_id: str) -> tuple[int, ...]:
    for identifier, _, issues in compiled.blocks:
        if identifier == block_id:
            return issues
    raise KeyError(block_id)


def unblocked_issues(compiled: CompiledScenario) -> tuple[int, ...]:
    """Issues that belong to no block."""
    inside = {issue for _, _, issues in compiled.blocks for issue in issues}
    return tuple(i for i in range(compiled.space.issue_count) if i not in inside)


def restrict(
    compiled: CompiledScenario,
    issues: tuple[int, ...],
    hold: Hold,
    participants: tuple[int, ...] | None = None,
) -> CompiledScenario:
    """The game over ``issues`` alone, the other issues held as ``hold`` says."""
    space = compiled.space
    inside = set(issues)
    sub_space = OutcomeSpace(
        tuple(space.issue_ids[i] for i in issues), tuple(space.option_ids[i] for i in issues)
    )
    held = {i: h for i, h in enumerate(hold) if h is not None and i not in inside}
    columns = [space.flat(i, o) for i in issues for o in range(len(space.option_ids[i]))]
    linear = compiled.linear[:, columns].copy()
    held_flat = [space.flat(i, h) for i, h in held.items()]
    constant = compiled.constant + compiled.linear[:, held_flat].sum(axis=1)
    kept_terms: list[Clauses] = []
    kept_values: list[FloatArray] = []
    for index, term in enumerate(compiled.terms):
        reduced = _reduce_clauses(term, issues, hold)
        if reduced is None:
            continue
        if reduced:
            kept_terms.append(reduced)
            kept_values.append(compiled.term_values[:, index])
        else:  # decided by the held issues alone, and it holds
            constant = constant + compiled.term_values[:, index]
    red_lines = tuple(
        RedLineTerms(red_line.party, reduced, red_line.label)
        for red_line in compiled.red_lines
        if (reduced := _reduce_clauses(red_line.clauses, issues, hold))
    )
    members = np.ones(compiled.party_count, dtype=np.bool_)
    if participants is not None:
        members[:] = False
        members[list(participants)] = True
    voters = compiled.voters & members
    restricted = replace(
        compiled,
        space=sub_space,
        linear=linear,
        terms=tuple(kept_terms),
        term_values=np.array(kept_values).T.reshape(compiled.party_count, len(kept_terms)),
        constant=constant,
        red_lines=red_lines,
        voters=voters,
        required=compiled.required & voters,
        min_accept=int(voters.sum()),
        blocks=(),
        block_participants=(),
        status_quo=tuple(compiled.status_quo[i] for i in issues),
        issue_titles=tuple(compiled.issue_titles[i] for i in issues),
    )
    return replace(restricted, reservation=_block_disagreement(restricted))


def _reduce_clauses(clauses: Clauses, issues: tuple[int, ...], hold: Hold) -> Clauses | None:
    """The clauses on ``issues``, renumbered; ``None`` when the held issues rule them out.

    A clause on an issue outside the block holds if that issue is held at one of its options;
    with no status quo for it nothing is known, and the conjunction is left out. An empty
    result means the held issues alone make the conjunction hold.
    """
    kept: list[tuple[int, tuple[int, ...]]] = []
    for issue, options in clauses:
        if issue in issues:
            kept.append((issues.index(issue), options))
        elif hold[issue] is None or hold[issue] not in options:
            return None
    return tuple(kept)


def _block_disagreement(block: CompiledScenario) -> np.ndarray:
    if block.space.issue_count and all(h is not None for h in block.status_quo):
        status_quo = np.array(block.status_quo, dtype=np.int64)
        return block.utilities(status_quo)
    worst = np.array(
        [
            -best_package_value(block.space, -block.linear[p], block.terms, -block.term_values[p])
            for p in range(block.party_count)
        ]
    )
    result: np.ndarray = np.minimum(worst + block.constant, ceilings(block))
    return result
