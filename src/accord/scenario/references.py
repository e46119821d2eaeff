"""Checks that relate one part of a scenario to another.

Each check yields ``(path, message, at_key)``: ``path`` indexes the raw file (list
positions, mapping keys), ``at_key`` says the problem is the key itself (an unknown id).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence

from accord.scenario.model import Preferences, Scenario

Finding = tuple[tuple[str | int, ...], str, bool]


def _duplicates(ids: Sequence[Hashable]) -> list[int]:
    seen: set[Hashable] = set()
    repeated: list[int] = []
    for index, ident in enumerate(ids):
        if ident in seen:
            repeated.append(index)
        seen.add(ident)
    return repeated


_NAMES_SHOWN = 10


def _names(items: list[str]) -> str:
    """Quoted ids, the first few only when there are many (an issue may have thousands)."""
    shown = ", ".join(f"'{item}'" for item in items[:_NAMES_SHOWN])
    return shown if len(items) <= _NAMES_SHOWN else f"{shown}, ... ({len(items):,} in all)"


class _Agenda:
    """Each issue's option ids, in order (for messages) and as a set (for lookups)."""

    def __init__(self, scenario: Scenario) -> None:
        self.options: dict[str, list[str]] = {}
        for issue in scenario.issues:
            # With a duplicate issue id the first issue counts (the duplicate is reported).
            self.options.setdefault(issue.id, [o.id for o in issue.options])
        self.option_sets = {issue: set(ids) for issue, ids in self.options.items()}


def check_references(scenario: Scenario) -> list[Finding]:
    """Every referential problem in ``scenario`` (empty when it is consistent).

    Linear in the scenario's size: every lookup is in a set or a mapping.
    """
    return [*_agenda(scenario), *_parties(scenario), *_rule(scenario)]


def _agenda(scenario: Scenario) -> Iterator[Finding]:
    for index in _duplicates([b.id for b in scenario.blocks]):
        yield ("blocks", index, "id"), f"duplicate block id '{scenario.blocks[index].id}'", False
    for index in _duplicates([i.id for i in scenario.issues]):
        yield ("issues", index, "id"), f"duplicate issue id '{scenario.issues[index].id}'", False
    block_ids = {b.id for b in scenario.blocks}
    party_ids = {p.id for p in scenario.parties}
    used_blocks: set[str] = set()
    numbers = [issue.number for issue in scenario.issues]
    for index in _duplicates(numbers):
        if numbers[index] is not None:
            yield (
                ("issues", index, "number"),
                f"duplicate point number {numbers[index]}",
                False,
            )
    for position, issue in enumerate(scenario.issues):
        here = ("issues", position)
        option_ids = [o.id for o in issue.options]
        known_options = set(option_ids)
        for index in _duplicates(option_ids):
            yield (
                (*here, "options", index, "id"),
                f"duplicate option id '{option_ids[index]}'",
                False,
            )
        if issue.block is not None:
            used_blocks.add(issue.block)
            if issue.block not in block_ids:
                known = _names(sorted(block_ids)) or "none declared"
                yield (*here, "block"), f"unknown block '{issue.block}' (blocks: {known})", False
        if issue.status_quo is not None and issue.status_quo not in known_options:
            yield (
                (*here, "status_quo"),
                f"unknown option '{issue.status_quo}' (options: {_names(option_ids)})",
                False,
            )
    for position, block in enumerate(scenario.blocks):
        if block.id not in used_blocks:
            yield ("blocks", position, "id"), f"block '{block.id}' has no issues", False
        for index, member in enumerate(block.participants or ()):
            if member not in party_ids:
                yield (
                    ("blocks", position, "participants", index),
                    f"unknown party '{member}'",
                    False,
                )


def _parties(scenario: Scenario) -> Iterator[Finding]:
    for index in _duplicates([p.id for p in scenario.parties]):
        yield ("parties", index, "id"), f"duplicate party id '{scenario.parties[index].id}'", False
    voters = set(scenario.voter_ids)
    agenda = _Agenda(scenario)
    for position, party in enumerate(scenario.parties):
        if party.preferences is None:
            if party.id in voters:
                yield (
                    ("parties", position),
                    "preferences are required: this party's consent counts in the agreement rule",
                    False,
                )
            continue
        yield from _preferences(agenda, ("parties", position, "preferences"), party.preferences)


def _preferences(
    agenda: _Agenda, here: tuple[str | int, ...], preferences: Preferences
) -> Iterator[Finding]:
    options = agenda.options
    option_sets = agenda.option_sets
    normalised = preferences.scale == "normalised"
    weights = preferences.weights
    if weights is not None:
        for issue_id in weights:
            if issue_id not in options:
                yield (*here, "weights", issue_id), f"unknown issue '{issue_id}'", True
        missing = [issue_id for issue_id in options if issue_id not in weights]
        if missing:
            yield (
                (*here, "weights"),
                f"no weight for issue(s) {_names(missing)}: give every issue a weight (0 allowed)",
                False,
            )
        if weights and not any(w > 0 for w in weights.values()):
            yield (*here, "weights"), "expected at least one positive weight", False
    for issue_id, values in preferences.values.items():
        if issue_id not in options:
            yield (*here, "values", issue_id), f"unknown issue '{issue_id}'", True
            continue
        for option_id, value in values.items():
            if option_id not in option_sets[issue_id]:
                yield (
                    (*here, "values", issue_id, option_id),
                    f"unknown option '{option_id}' of issue '{issue_id}'",
                    True,
                )
            elif normalised and not 0.0 <= value <= 1.0:
                yield (
                    (*here, "values", issue_id, option_id),
                    f"expected a value in [0, 1] on the normalised scale, got {value}",
                    False,
                )
    for issue_id, option_ids in options.items():
        weight = 1.0 if weights is None else weights.get(issue_id, 0.0)
        if weight <= 0:
            continue
        given = preferences.values.get(issue_id)
        if given is None:
            yield (
                (*here, "values"),
                f"no values for issue '{issue_id}' (its weight is {weight})",
                False,
            )
            continue
        missing = [o for o in option_ids if o not in given]
        if missing:
            yield (
                (*here, "values", issue_id),
                f"no value for option(s) {_names(missing)} of issue '{issue_id}'",
                False,
            )
    for index, interaction in enumerate(preferences.interactions):
        at = (*here, "interactions", index)
        yield from _option_refs(agenda, (*at, "options"), dict(interaction.options))
        if normalised and not -1.0 <= interaction.value <= 1.0:
            yield (
                (*at, "value"),
                f"expected a value in [-1, 1] on the normalised scale, got {interaction.value}",
                False,
            )
    for index, red_line in enumerate(preferences.red_lines):
        at = (*here, "red_lines", index, "options")
        yield from _option_refs(agenda, at, dict(red_line.options))
    if normalised and not 0.0 <= preferences.reservation <= 1.0:
        yield (
            (*here, "reservation"),
            f"expected a reservation value in [0, 1] on the normalised scale, "
            f"got {preferences.reservation}",
            False,
        )


def _option_refs(
    agenda: _Agenda,
    here: tuple[str | int, ...],
    chosen: dict[str, str | tuple[str, ...]],
) -> Iterator[Finding]:
    options = agenda.options
    for issue_id, picked in chosen.items():
        if issue_id not in options:
            yield (*here, issue_id), f"unknown issue '{issue_id}'", True
            continue
        listed = (picked,) if isinstance(picked, str) else picked
        if not listed:
            yield (*here, issue_id), "expected at least one option", False
        for position, option_id in enumerate(listed):
            if option_id not in agenda.option_sets[issue_id]:
                at = (*here, issue_id) if isinstance(picked, str) else (*here, issue_id, position)
                yield (
                    at,
                    f"unknown option '{option_id}' of issue '{issue_id}' "
                    f"(options: {_names(options[issue_id])})",
                    False,
                )


def _rule(scenario: Scenario) -> Iterator[Finding]:
    rule = scenario.agreement
    party_ids = {p.id for p in scenario.parties}
    here: tuple[str | int, ...] = ("agreement",)
    for field_name, members in (("voters", rule.voters or ()), ("veto", rule.veto)):
        for index, member in enumerate(members):
            if member not in party_ids:
                yield (*here, field_name, index), f"unknown party '{member}'", False
    voters = scenario.voter_ids
    required = scenario.required_party_ids
    if not voters:
        yield here, "no party's consent counts: name voters or make a party required", False
        return
    voter_set = set(voters)
    outside = [p for p in required if p not in voter_set]
    if rule.voters is not None and outside:
        yield (
            (*here, "voters"),
            f"required or veto parties {_names(outside)} must be voters",
            False,
        )
    if rule.kind == "quorum":
        if rule.min_parties is None:
            yield here, "a quorum rule needs 'min_parties'", False
        elif rule.min_parties > len(voters):
            yield (
                (*here, "min_parties"),
                f"no set of parties can satisfy this rule: it needs {rule.min_parties} "
                f"parties but only {len(voters)} vote ({_names(list(voters))})",
                False,
            )
    elif rule.min_parties is not None:
        yield (*here, "min_parties"), "'min_parties' applies only to kind: quorum", False
