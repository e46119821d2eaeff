"""Edits of an agenda, as pure functions from one agenda's data to the next.

The agenda is the stored ``{"blocks": [...], "issues": [...]}``. Each function returns a
new agenda and leaves its argument alone; it checks only what it needs to find its target
(an unknown point is an :class:`InvalidInput`); everything else (ids, limits, a status quo
that names no option) is checked by the scenario validator on the result, with the same
messages as ``accord validate`` (:func:`accord.ledger.agenda.change_agenda`).

Ids never change once given: stances, drafts, meetings and preferences refer to them.
Titles, numbers, wording and labels do.
"""

from __future__ import annotations

import copy
from typing import Any, Literal

from accord.ledger.errors import InvalidInput

Direction = Literal["up", "down"]
Agenda = dict[str, Any]


def _copied(agenda: Agenda) -> Agenda:
    return {"blocks": copy.deepcopy(agenda["blocks"]), "issues": copy.deepcopy(agenda["issues"])}


def _index(items: list[dict[str, Any]], item_id: str, noun: str) -> int:
    """Where ``item_id`` is; ``noun`` is what the items are ("point", "option of point 7")."""
    for index, item in enumerate(items):
        if item["id"] == item_id:
            return index
    known = ", ".join(item["id"] for item in items) or "none yet"
    raise InvalidInput(f"there is no {noun} '{item_id}' (there are: {known})")


def _refuse_taken(items: list[dict[str, Any]], item_id: str, noun: str) -> None:
    if any(item["id"] == item_id for item in items):
        article = "an" if noun.startswith("option") else "a"
        raise InvalidInput(f"id: there is already {article} {noun} '{item_id}'; ids must be unique")


def _option_noun(issue_id: str) -> str:
    return f"option of point '{issue_id}' with the id"


def _moved(items: list[Any], index: int, direction: Direction) -> list[Any]:
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(items):
        return items
    items[index], items[target] = items[target], items[index]
    return items


def put_block(
    agenda: Agenda, block_id: str, title: str, participants: list[str] | None, new: bool
) -> Agenda:
    """Add block ``block_id`` (``new``) or change its title and participants."""
    result = _copied(agenda)
    block = {"id": block_id, "title": title, "participants": participants}
    if new:
        _refuse_taken(result["blocks"], block_id, "block")
        result["blocks"].append(block)
    else:
        result["blocks"][_index(result["blocks"], block_id, "block")] = block
    return result


def remove_block(agenda: Agenda, block_id: str) -> Agenda:
    """Remove an empty block; one that still holds points says which to move first."""
    result = _copied(agenda)
    index = _index(result["blocks"], block_id, "block")
    inside = [issue["id"] for issue in result["issues"] if issue.get("block") == block_id]
    if inside:
        raise InvalidInput(
            f"block '{block_id}' still holds points {', '.join(inside)}: "
            "move them to another block (or none) first"
        )
    del result["blocks"][index]
    return result


def put_point(agenda: Agenda, fields: dict[str, Any], new: bool) -> Agenda:
    """Add a point (``new``: ``fields`` holds its first option too) or change one.

    ``fields``: ``id``, ``number``, ``title``, ``text``, ``block``, ``status_quo`` and, for
    a new point, ``options`` (the first option's data). Changing a point keeps its options.
    """
    result = _copied(agenda)
    issues = result["issues"]
    point = {key: fields.get(key) for key in ("id", "number", "title", "text", "block")}
    point["status_quo"] = fields.get("status_quo")
    if new:
        _refuse_taken(issues, fields["id"], "point")
        point["options"] = fields["options"]
        issues.append(point)
    else:
        index = _index(issues, fields["id"], "point")
        point["options"] = issues[index]["options"]
        issues[index] = point
    return result


def remove_point(agenda: Agenda, issue_id: str) -> Agenda:
    result = _copied(agenda)
    del result["issues"][_index(result["issues"], issue_id, "point")]
    return result


def move_point(agenda: Agenda, issue_id: str, direction: Direction) -> Agenda:
    """One place earlier or later in the plan (the first stays first)."""
    result = _copied(agenda)
    _moved(result["issues"], _index(result["issues"], issue_id, "point"), direction)
    return result


def put_option(agenda: Agenda, issue_id: str, option: dict[str, Any], new: bool) -> Agenda:
    """Add an option to point ``issue_id`` or change the fields given (label, wording, value)."""
    result = _copied(agenda)
    issue = result["issues"][_index(result["issues"], issue_id, "point")]
    options = issue["options"]
    if new:
        _refuse_taken(options, option["id"], _option_noun(issue_id))
        options.append(option)
    else:
        index = _index(options, option["id"], _option_noun(issue_id))
        options[index] = options[index] | option
    return result


def remove_option(agenda: Agenda, issue_id: str, option_id: str) -> Agenda:
    """Remove an option; the point's status quo, if it was that option, is cleared."""
    result = _copied(agenda)
    issue = result["issues"][_index(result["issues"], issue_id, "point")]
    index = _index(issue["options"], option_id, _option_noun(issue_id))
    if len(issue["options"]) == 1:
        raise InvalidInput(
            f"point '{issue_id}' needs at least one option: remove the point instead"
        )
    del issue["options"][index]
    if issue.get("status_quo") == option_id:
        issue["status_quo"] = None
    return result


def move_option(agenda: Agenda, issue_id: str, option_id: str, direction: Direction) -> Agenda:
    result = _copied(agenda)
    issue = result["issues"][_index(result["issues"], issue_id, "point")]
    index = _index(issue["options"], option_id, _option_noun(issue_id))
    _moved(issue["options"], index, direction)
    return result
