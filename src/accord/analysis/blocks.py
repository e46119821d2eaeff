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

from accord.analysis.compiled import CompiledScenario, RedLineTerms
from accord.analysis.milp import best_package_value
from accord.analysis.space import OutcomeSpace

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
    flat_map = {
        space.flat(i, o): sub_space.flat(position, o)
        for position, i in enumerate(issues)
        for o in range(len(space.option_ids[i]))
    }
    held_flat = {space.flat(i, h) for i, h in enumerate(hold) if h is not None and i not in inside}
    linear = compiled.linear[
        :, [space.flat(i, o) for i in issues for o in range(len(space.option_ids[i]))]
    ]
    linear = linear.copy()
    constant = compiled.constant + compiled.linear[:, sorted(held_flat)].sum(axis=1)
    kept_pairs: list[tuple[int, int]] = []
    kept_values: list[int] = []
    for index, (first, second) in enumerate(compiled.pairs):
        first_in, second_in = int(first) in flat_map, int(second) in flat_map
        if first_in and second_in:
            kept_pairs.append((flat_map[int(first)], flat_map[int(second)]))
            kept_values.append(index)
        elif first_in and int(second) in held_flat:
            linear[:, flat_map[int(first)]] += compiled.pair_values[:, index]
        elif second_in and int(first) in held_flat:
            linear[:, flat_map[int(second)]] += compiled.pair_values[:, index]
        elif int(first) in held_flat and int(second) in held_flat:
            constant = constant + compiled.pair_values[:, index]
    red_lines = tuple(
        reduced
        for red_line in compiled.red_lines
        if (reduced := _reduce(red_line, issues, hold)) is not None
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
        pairs=np.array(kept_pairs, dtype=np.int64).reshape(-1, 2),
        pair_values=compiled.pair_values[:, kept_values].reshape(compiled.party_count, -1),
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


def _reduce(red_line: RedLineTerms, issues: tuple[int, ...], hold: Hold) -> RedLineTerms | None:
    """The red line as the block sees it: ``None`` if held issues already rule it out."""
    kept: list[tuple[int, tuple[int, ...]]] = []
    for issue, options in red_line.clauses:
        if issue in issues:
            kept.append((issues.index(issue), options))
        elif hold[issue] is None or hold[issue] not in options:
            return None
    if not kept:
        return None
    return RedLineTerms(red_line.party, tuple(kept), red_line.label)


def _block_disagreement(block: CompiledScenario) -> np.ndarray:
    if block.space.issue_count and all(h is not None for h in block.status_quo):
        status_quo = np.array(block.status_quo, dtype=np.int64)
        return block.utilities(status_quo)
    worst = np.array(
        [
            -best_package_value(block.space, -block.linear[p], block.pairs, -block.pair_values[p])
            for p in range(block.party_count)
        ]
    )
    return worst + block.constant
