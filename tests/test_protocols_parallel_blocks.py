"""Golden runs of parallel blocks, in both modes, with scripted strategies."""

from __future__ import annotations

from typing import Any

from accord.negotiation.protocols import ParallelBlocks
from accord.negotiation.protocols.parallel_blocks import OTHER_ISSUES, blocks_of
from test_protocols_common import Scripted, compiled_from, kinds

# a in block x (status quo a1), b in block y (no status quo), c in no block (status quo c1).
# Each party's utility is the mean of its values; q may never have b1.
BLOCKS = """
id: blocks
blocks: [{id: x}, {id: y}]
issues:
  - {id: a, block: x, status_quo: a1, options: [{id: a1}, {id: a2}]}
  - {id: b, block: y, options: [{id: b1}, {id: b2}]}
  - {id: c, status_quo: c1, options: [{id: c1}, {id: c2}]}
parties:
  - id: p
    preferences:
      values: {a: {a1: 0, a2: 1}, b: {b1: 1, b2: 0}, c: {c1: 1, c2: 0}}
      reservation: 0.5
  - id: q
    preferences:
      values: {a: {a1: 0, a2: 1}, b: {b1: 0, b2: 1}, c: {c1: 0, c2: 1}}
      reservation: 0.5
      red_lines: [{options: {b: b1}}]
"""
OTHER = OTHER_ISSUES


def scripts() -> dict[str, Scripted]:
    p = Scripted(
        offers={"x": [(1, 0, 0)], "y": [(0, 0, 0)], OTHER: [(0, 0, 0)]},
        answers={"y": ["accept"], None: ["accept"]},
    )
    # q's acceptance of b1 is not binding (its red line lies in block y): it counters with
    # (1, 1, 1), which the table holds at the status quo outside y: (0, 1, 0).
    q = Scripted(
        offers={"y": [(1, 1, 1)]},
        answers={
            "x": ["accept"],
            "y": ["accept"],
            OTHER: ["accept"],
            None: [("reject", ("c",)), "accept"],
        },
    )
    return {"p": p, "q": q}


def opening(round_: int, note: str) -> list[tuple[Any, ...]]:
    return [
        (round_, "p", "offer", (1, 0, 0), "x"),
        (round_, "q", "accept", (1, 0, 0), "x"),
        (round_, "", "block_agreement", (1, 0, 0), "x", note),
        (round_, "p", "offer", (0, 0, 0), "y"),
        (round_, "q", "offer", (0, 1, 0), "y"),
        (round_, "p", "offer", (0, 0, 0), OTHER),
        (round_, "q", "accept", (0, 0, 0), OTHER),
        (round_, "", "block_agreement", (0, 0, 0), OTHER, note),
        (round_ + 1, "p", "accept", (0, 1, 0), "y"),
        (round_ + 1, "", "block_agreement", (0, 1, 0), "y", note),
        (round_ + 1, "p", "accept", (1, 1, 0), "final vote"),
    ]


def test_the_tables() -> None:
    x, y, other = blocks_of(compiled_from(BLOCKS))
    assert (x.id, x.issues, x.hold, x.red_lines) == ("x", (0,), ((2, 0),), ((), ()))
    assert (y.issues, y.hold, y.red_lines) == ((1,), ((0, 0), (2, 0)), ((), (((1, (0,)),),)))
    assert (other.id, other.issues, other.hold) == (OTHER, (2,), ((0, 0),))
    assert y.shape((1, 1, 1)) == (0, 1, 0) and x.shape((1, 1, 1)) == (1, 1, 0)


def test_nothing_is_agreed_until_everything_is_agreed() -> None:
    players = scripts()
    trace = ParallelBlocks().run(compiled_from(BLOCKS), players, seed=4, deadline=10)
    assert kinds(trace.events) == [
        *opening(0, "provisional"),
        (1, "q", "reject", (1, 1, 0), ("c",), "final vote"),
        *opening(2, "provisional"),  # the failed vote reopened every block
        (3, "q", "accept", (1, 1, 0), "final vote"),
        (3, "", "agreement", (1, 1, 0)),
    ]
    assert (trace.agreement, trace.rounds, trace.reason) == ((1, 1, 0), 4, "agreement")
    assert trace.metadata == (("mode", "provisional"),)
    views = players["q"].views
    assert (views[0].block, views[0].issues, views[0].parties) == ("x", (0,), ("p", "q"))
    vote = next(v for v in views if v.block is None)
    assert (vote.round, vote.table, vote.issues, vote.history) == (
        1,
        (1, 1, 0),
        None,
        trace.events[:11],
    )


def test_lock_in_makes_block_agreements_final() -> None:
    trace = ParallelBlocks("lock-in").run(compiled_from(BLOCKS), scripts(), seed=4, deadline=10)
    assert kinds(trace.events) == [
        *opening(0, "final"),
        (1, "q", "reject", (1, 1, 0), ("c",), "final vote"),
        (1, "", "end", "the final vote failed"),
    ]
    assert (trace.agreement, trace.rounds, trace.reason) == (None, 2, "the final vote failed")


def test_a_block_of_its_own_participants() -> None:
    # Block x belongs to p alone: p's offer is agreed at once, and q sees only the agreement.
    text = BLOCKS.replace("blocks: [{id: x}", "blocks: [{id: x, participants: [p]}")
    players = scripts()
    trace = ParallelBlocks().run(compiled_from(text), players, seed=4, deadline=1)
    assert kinds(trace.events)[:2] == [
        (0, "p", "offer", (1, 0, 0), "x"),
        (0, "", "block_agreement", (1, 0, 0), "x", "provisional"),
    ]
    assert kinds(trace.events)[-1] == (0, "", "end", "deadline")
    first = players["q"].views[0]
    assert (first.block, first.history) == ("y", trace.events[1:3])
