"""What changed between two versions of an agenda, in words a mediator reads.

Pure functions over the stored agenda data (``{"blocks": [...], "issues": [...]}``): each
change is one sentence naming the point by its number and title ("point 7 (Donbas)
gained an option 'buffer'"), so that a draft written under an older agenda can say what
changed since, and the agenda's history can show a diff between any two versions.
"""

from __future__ import annotations

from typing import Any

_POINT_FIELDS = (("title", "title"), ("number", "number"), ("text", "wording"))
_OPTION_FIELDS = (("label", "label"), ("text", "wording"), ("value", "value"))


def point_name(issue: dict[str, Any]) -> str:
    """``point 7 (Donbas)``, ``point donbas (Donbas)`` without a number, or just the id."""
    number = issue.get("number")
    name = f"point {number}" if number is not None else f"point {issue['id']}"
    title = issue.get("title") or ""
    return f"{name} ({title})" if title else name


def _given(field: Any) -> Any:
    """A field as compared: empty text and no value are the same; a value of 0 is not."""
    return None if field is None or field == "" else field


def option_name(option: dict[str, Any]) -> str:
    label = option.get("label") or ""
    return f"'{option['id']}'" + (f" ({label})" if label and label != option["id"] else "")


def agenda_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Every difference from ``old`` to ``new``: blocks, points, options, order."""
    changes = _block_changes(old.get("blocks", []), new.get("blocks", []))
    old_issues = {issue["id"]: issue for issue in old.get("issues", [])}
    new_issues = {issue["id"]: issue for issue in new.get("issues", [])}
    for issue_id, issue in new_issues.items():
        if issue_id not in old_issues:
            changes.append(f"{point_name(issue)} was added")
    for issue_id, issue in old_issues.items():
        if issue_id not in new_issues:
            changes.append(f"{point_name(issue)} was removed")
        else:
            changes.extend(_point_changes(issue, new_issues[issue_id]))
    kept_old = [key for key in old_issues if key in new_issues]
    kept_new = [key for key in new_issues if key in old_issues]
    if kept_old != kept_new:
        changes.append("the points were reordered")
    return changes


def _block_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    changes: list[str] = []
    before = {block["id"]: block for block in old}
    after = {block["id"]: block for block in new}
    for block_id, block in after.items():
        if block_id not in before:
            changes.append(f"block '{block_id}' was added")
            continue
        previous = before[block_id]
        if (previous.get("title") or "") != (block.get("title") or ""):
            changes.append(f"block '{block_id}' was renamed to '{block.get('title') or ''}'")
        if previous.get("participants") != block.get("participants"):
            shown = block.get("participants")
            who = "every party" if shown is None else ", ".join(shown) or "no party"
            changes.append(f"block '{block_id}' is now negotiated by {who}")
    changes.extend(f"block '{key}' was removed" for key in before if key not in after)
    return changes


def _point_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    name = point_name(new)
    changes = [
        f"{name}: its {noun} changed"
        for field, noun in _POINT_FIELDS
        if (old.get(field) or None) != (new.get(field) or None)
    ]
    if old.get("block") != new.get("block"):
        target = new.get("block")
        changes.append(f"{name} moved to block '{target}'" if target else f"{name} left its block")
    if old.get("status_quo") != new.get("status_quo"):
        changes.append(f"{name}: its status quo is now {new.get('status_quo') or 'none'}")
    before = {option["id"]: option for option in old["options"]}
    after = {option["id"]: option for option in new["options"]}
    for option_id, option in after.items():
        if option_id not in before:
            changes.append(f"{name} gained an option {option_name(option)}")
            continue
        changes.extend(
            f"{name}: option {option_name(option)} has a new {noun}"
            for field, noun in _OPTION_FIELDS
            if _given(before[option_id].get(field)) != _given(option.get(field))
        )
    changes.extend(
        f"{name} lost its option {option_name(option)}"
        for option_id, option in before.items()
        if option_id not in after
    )
    if [key for key in before if key in after] != [key for key in after if key in before]:
        changes.append(f"{name}: its options were reordered")
    return changes
