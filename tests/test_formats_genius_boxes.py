"""Unions of boxes made disjoint: checked against every package of small spaces."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from accord.formats.genius_boxes import Box, box, difference, disjoint_union, intersection

SPACE = {"a": frozenset("xyz"), "b": frozenset("pq"), "c": frozenset("uvw")}
PACKAGES = [
    dict(zip(SPACE, choice, strict=True))
    for choice in itertools.product(*map(sorted, SPACE.values()))
]


def inside(package: dict[str, str], found: Box) -> bool:
    return all(package[issue] in options for issue, options in found.items())


boxes = st.builds(
    lambda chosen: box(SPACE, chosen),
    st.fixed_dictionaries(
        {},
        optional={
            issue: st.frozensets(st.sampled_from(sorted(options)), min_size=1)
            for issue, options in SPACE.items()
        },
    ),
)


@given(st.lists(boxes.filter(lambda b: b is not None), max_size=6))
def test_disjoint_union_covers_the_union_once(given_boxes: list[Box]) -> None:
    pieces = disjoint_union(SPACE, given_boxes)
    for package in PACKAGES:
        covering = sum(inside(package, piece) for piece in pieces)
        assert covering == any(inside(package, b) for b in given_boxes)


@given(boxes.filter(lambda b: b is not None), boxes.filter(lambda b: b is not None))
def test_intersection_and_difference(first: Box, second: Box) -> None:
    both = intersection(SPACE, first, second)
    pieces = difference(SPACE, first, second)
    for package in PACKAGES:
        in_both = inside(package, first) and inside(package, second)
        assert (both is not None and inside(package, both)) == in_both
        covering = sum(inside(package, piece) for piece in pieces)
        assert covering == (inside(package, first) and not inside(package, second))


def test_a_box_leaves_out_full_issues_and_is_none_when_empty() -> None:
    assert box(SPACE, {"a": "xyz", "b": "p"}) == {"b": frozenset("p")}
    assert box(SPACE, {"a": "", "b": "p"}) is None
    assert box(SPACE, {"a": "k"}) is None  # options outside the issue allow nothing
