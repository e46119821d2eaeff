"""Agenda edits are pure: they never touch their argument, undo each other where they
should, and every real edit shows in the agenda's changes."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.ledger import agenda_edits as edits
from accord.ledger.agenda_diff import agenda_changes
from accord.ledger.errors import InvalidInput


def _agenda(points: int, options: int) -> dict[str, Any]:
    return {
        "blocks": [{"id": "b", "title": "B", "participants": None}],
        "issues": [
            {
                "id": f"p{i}",
                "number": i + 1,
                "title": f"Point {i}",
                "text": "",
                "block": "b" if i % 2 else None,
                "status_quo": None,
                "options": [
                    {"id": f"o{j}", "label": "", "text": "", "value": None} for j in range(options)
                ],
            }
            for i in range(points)
        ],
    }


sizes = st.tuples(st.integers(1, 6), st.integers(1, 5))


@given(sizes, st.data())
def test_moving_a_point_and_back_restores_the_agenda(size: tuple[int, int], data: Any) -> None:
    agenda = _agenda(*size)
    before = copy.deepcopy(agenda)
    index = data.draw(st.integers(0, size[0] - 1))
    issue_id = agenda["issues"][index]["id"]
    moved = edits.move_point(agenda, issue_id, "down")
    assert agenda == before  # the argument is left alone
    if index < size[0] - 1:
        assert agenda_changes(agenda, moved) == ["the points were reordered"]
        assert edits.move_point(moved, issue_id, "up") == agenda
    else:
        assert moved == agenda  # the last stays last


@given(sizes, st.data())
def test_adding_an_option_and_removing_it_restores_the_agenda(
    size: tuple[int, int], data: Any
) -> None:
    agenda = _agenda(*size)
    issue_id = f"p{data.draw(st.integers(0, size[0] - 1))}"
    added = edits.put_option(agenda, issue_id, {"id": "new", "label": "New"}, new=True)
    changes = agenda_changes(agenda, added)
    assert len(changes) == 1 and changes[0].endswith("gained an option 'new' (New)")
    assert edits.remove_option(added, issue_id, "new") == agenda
    with pytest.raises(InvalidInput, match=r"already an option of point 'p\d' with the id 'new'"):
        edits.put_option(added, issue_id, {"id": "new"}, new=True)


@given(sizes, st.data())
def test_moving_an_option_is_a_reordering(size: tuple[int, int], data: Any) -> None:
    agenda = _agenda(*size)
    option = f"o{data.draw(st.integers(0, size[1] - 1))}"
    moved = edits.move_option(agenda, "p0", option, "up")
    if option == "o0":
        assert moved == agenda
    else:
        assert agenda_changes(agenda, moved) == ["point 1 (Point 0): its options were reordered"]


def test_a_block_with_points_is_not_removed_and_unknown_targets_are_named() -> None:
    agenda = _agenda(3, 2)
    with pytest.raises(InvalidInput, match="block 'b' still holds points p1"):
        edits.remove_block(agenda, "b")
    with pytest.raises(InvalidInput, match=r"there is no point .p9. \(there are: p0, p1, p2\)"):
        edits.remove_point(agenda, "p9")
    with pytest.raises(InvalidInput, match="needs at least one option"):
        edits.remove_option(_agenda(1, 1), "p0", "o0")
    cleared = edits.put_point(
        agenda, {"id": "p0", "title": "Point 0", "number": 1, "status_quo": "o1"}, new=False
    )
    assert edits.remove_option(cleared, "p0", "o1")["issues"][0]["status_quo"] is None
