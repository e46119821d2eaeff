"""The agenda as a versioned record: setting a negotiation up, editing it, its history.

Every change of the agenda (blocks, points, options, status quo, order) goes through
:func:`change_agenda`, which validates the result with the scenario validator (the
messages of ``accord validate``) and appends an :class:`AgendaVersion` with who, when, a
note and the agenda as it stood. A draft version records the agenda version it was
written under (:func:`current_agenda_number`), so that a later change is flagged on it
(:func:`draft_agenda_flag`) instead of being silently applied.

Removing a point or an option that is still in use is refused, naming the use:

- a version of a draft chooses it: versions are the record and are never rewritten, so
  the point or option stays (relabel it, "withdrawn"); every page that shows a version
  then still finds what it chose;
- a party's red line or interaction term names it: that party's preferences must change
  first (they are the party's own statement, not the mediator's to rewrite);
- a party's weights or option values name it: refused unless the mediator asks, for that
  change, to drop those entries (``drop_from_preferences``), which is then said in the
  version's note. Either way no stored preference ever names a point or option the agenda
  no longer has, so the mediator's analysis never breaks on one.

Problems that only mean the negotiation is not complete yet (a new block without points,
a new option no party has valued yet) do not stop an edit: :func:`pending_problems` lists
them, and the analysis waits (:func:`accord.ledger.negotiations.scenario_of` says why).

Like every service module, nothing here commits.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.errors import Problem, ScenarioError
from accord.ledger.agenda_diff import agenda_changes
from accord.ledger.errors import InvalidInput, NotFound
from accord.ledger.models import (
    AgendaVersion,
    Draft,
    DraftVersion,
    Negotiation,
    User,
)
from accord.ledger.negotiations import scenario_data
from accord.scenario.loader import validate_data
from accord.scenario.model import Block, Issue

SOURCE = "agenda"
"""The source the validator's messages name ("agenda: issues.3.status_quo: ...")."""
_PLACEHOLDER_PARTY = "placeholder-party"


class AgendaInvalid(InvalidInput):
    """The edited agenda does not validate; ``problems`` are the validator's own."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(problem.render() for problem in problems))


@dataclass(frozen=True)
class Removed:
    """The points and options one edit removes."""

    points: frozenset[str]
    options: frozenset[tuple[str, str]]

    def names(self, issue_id: str, option_id: str | None = None) -> bool:
        return issue_id in self.points or (
            option_id is not None and (issue_id, option_id) in self.options
        )


def removed_between(old: dict[str, Any], new: dict[str, Any]) -> Removed:
    kept = {issue["id"]: {o["id"] for o in issue["options"]} for issue in new["issues"]}
    points = frozenset(issue["id"] for issue in old["issues"] if issue["id"] not in kept)
    options = frozenset(
        (issue["id"], option["id"])
        for issue in old["issues"]
        if issue["id"] in kept
        for option in issue["options"]
        if option["id"] not in kept[issue["id"]]
    )
    return Removed(points, options)


# --- versions ----------------------------------------------------------------------------


def first_agenda_version(negotiation: Negotiation, user: User | None, note: str) -> AgendaVersion:
    """Version 1: the agenda the negotiation starts with."""
    return AgendaVersion(
        negotiation_id=negotiation.id,
        number=1,
        agenda=copy.deepcopy(negotiation.agenda),
        note=note,
        by_user_id=None if user is None else user.id,
    )


def current_agenda_number(session: Session, negotiation_id: int) -> int | None:
    """The number of the agenda version in force (None for a ledger without history)."""
    number: int | None = session.scalar(
        select(func.max(AgendaVersion.number)).where(AgendaVersion.negotiation_id == negotiation_id)
    )
    return number


def agenda_versions(session: Session, negotiation: Negotiation) -> list[AgendaVersion]:
    return list(
        session.scalars(
            select(AgendaVersion)
            .where(AgendaVersion.negotiation_id == negotiation.id)
            .order_by(AgendaVersion.number)
        )
    )


def get_agenda_version(session: Session, negotiation: Negotiation, number: int) -> AgendaVersion:
    version = session.scalar(
        select(AgendaVersion).where(
            AgendaVersion.negotiation_id == negotiation.id, AgendaVersion.number == number
        )
    )
    if version is None:
        raise NotFound(f"negotiation {negotiation.id} has no agenda version {number}")
    return version


def agenda_of_version(session: Session, version: DraftVersion) -> dict[str, Any]:
    """The agenda the draft version was written under (the current one if unknown)."""
    negotiation = version.draft.negotiation_id
    if version.agenda_version is not None:
        row = session.scalar(
            select(AgendaVersion).where(
                AgendaVersion.negotiation_id == negotiation,
                AgendaVersion.number == version.agenda_version,
            )
        )
        if row is not None:
            return row.agenda
    current = session.get(Negotiation, negotiation)
    assert current is not None  # a foreign key guarantees it
    return current.agenda


def draft_agenda_flag(session: Session, version: DraftVersion) -> str | None:
    """Why this version must be read against an older agenda; None if it is current.

    "written under agenda version 3; the agenda has changed since: point 7 gained an
    option 'buffer'". The agenda is public, so the sentence may be shown to whoever may
    read the version.
    """
    written = version.agenda_version
    current = current_agenda_number(session, version.draft.negotiation_id)
    if written is None or current is None or written == current:
        return None
    negotiation = session.get(Negotiation, version.draft.negotiation_id)
    assert negotiation is not None
    changes = agenda_changes(agenda_of_version(session, version), negotiation.agenda)
    said = "; ".join(changes) if changes else "it changed back to how it stood"
    return (
        f"written under agenda version {written}; the agenda (now version {current}) "
        f"has changed since: {said}"
    )


# --- checking ------------------------------------------------------------------------------


def _probe(negotiation: Negotiation, agenda: dict[str, Any], parties: list[dict[str, Any]]) -> Any:
    data = scenario_data(negotiation)
    keys = {party["id"] for party in parties}
    gone = {party.key for party in negotiation.parties if not party.active}
    blocks = [
        block
        | (
            {"participants": [k for k in block["participants"] if k not in gone]}
            if block.get("participants") is not None
            else {}
        )
        for block in agenda["blocks"]
    ]
    if not parties:
        # A scenario needs a party; without one the validator would stop before checking
        # the agenda's references. The placeholder's own problems are not the agenda's.
        parties = [{"id": _PLACEHOLDER_PARTY, "role": "observer"}]
    data["agreement"] = data["agreement"] | {
        "veto": [k for k in data["agreement"].get("veto", []) if k in keys]
    }
    return data | {"blocks": blocks, "issues": agenda["issues"], "parties": parties}


def _findings(
    negotiation: Negotiation, agenda: dict[str, Any], parties: list[dict[str, Any]]
) -> list[Problem]:
    try:
        validate_data(_probe(negotiation, agenda, parties), SOURCE)
    except ScenarioError as error:
        return list(error.problems)
    return []


def _is_pending(problem: Problem) -> bool:
    """A problem of completeness, not of the agenda itself (see the module's docstring)."""
    if problem.path == "issues" or problem.path.startswith(("parties", "agreement")):
        return True
    return problem.path.startswith("blocks") and problem.message.endswith("has no issues")


def pending_problems(negotiation: Negotiation) -> list[Problem]:
    """What keeps the negotiation from being analysed as it stands (mediator only: the
    messages may name a party's preference fields, never their values)."""
    parties = scenario_data(negotiation)["parties"]
    found = [p for p in _findings(negotiation, negotiation.agenda, parties) if _is_pending(p)]
    if not negotiation.agenda["issues"]:
        found = [p for p in found if p.path != "issues"]
        found.insert(0, Problem("the agenda has no points yet", "issues", SOURCE))
    if not parties:
        found = [p for p in found if not p.path.startswith("parties")]
        found.insert(0, Problem("no party sits at the table yet", "parties", SOURCE))
    return found


def normalised_agenda(agenda: dict[str, Any]) -> dict[str, Any]:
    """The agenda as the model writes it (defaults filled in), to store and compare."""
    return {
        "blocks": [Block.model_validate(b).model_dump(mode="json") for b in agenda["blocks"]],
        "issues": [Issue.model_validate(i).model_dump(mode="json") for i in agenda["issues"]],
    }


# --- uses of what an edit removes ----------------------------------------------------------


def _draft_uses(session: Session, negotiation: Negotiation, removed: Removed) -> list[str]:
    """Each draft with a version choosing what ``removed`` names (any version: the drafts'
    pages read every version against the agenda, and a version is never rewritten)."""
    if not removed.points and not removed.options:
        return []
    rows = session.execute(
        select(Draft, DraftVersion)
        .join(DraftVersion, DraftVersion.draft_id == Draft.id)
        .where(Draft.negotiation_id == negotiation.id)
        .order_by(Draft.id, DraftVersion.number)
    )
    found: dict[int, tuple[Draft, list[int], set[str]]] = {}
    for draft, version in rows:
        named = {
            f"'{option}' on point '{issue}'"
            for issue, option in version.package.items()
            if removed.names(issue, option)
        }
        if named:
            entry = found.setdefault(draft.id, (draft, [], set()))
            entry[1].append(version.number)
            entry[2].update(named)
    return [
        f"draft {draft.id} '{draft.title}' (version{'s' if len(numbers) > 1 else ''} "
        f"{', '.join(map(str, numbers))}) chooses {', '.join(sorted(named))}"
        for draft, numbers, named in found.values()
    ]


def _term_names(term: dict[str, Any], removed: Removed) -> bool:
    for issue, chosen in term.get("options", {}).items():
        options = [chosen] if isinstance(chosen, str) else list(chosen)
        if removed.names(issue) or any(removed.names(issue, option) for option in options):
            return True
    return False


def _valuation_names(preferences: dict[str, Any], removed: Removed) -> bool:
    weights = preferences.get("weights") or {}
    values = preferences.get("values") or {}
    return any(removed.names(issue) for issue in weights) or any(
        removed.names(issue) or any(removed.names(issue, option) for option in options)
        for issue, options in values.items()
    )


def _pruned(preferences: dict[str, Any], removed: Removed) -> dict[str, Any]:
    """The preferences without the weights and values of what was removed."""
    result = copy.deepcopy(preferences)
    if result.get("weights") is not None:
        result["weights"] = {k: w for k, w in result["weights"].items() if not removed.names(k)}
    result["values"] = {
        issue: {o: v for o, v in options.items() if not removed.names(issue, o)}
        for issue, options in (result.get("values") or {}).items()
        if not removed.names(issue)
    }

    def kept(path: list[Any]) -> bool:
        if path[0] == "weights":
            return not removed.names(path[1])
        if path[0] == "values":
            return not removed.names(path[1], path[2])
        return True

    result["uncertain"] = [u for u in result.get("uncertain") or [] if kept(list(u["path"]))]
    return result


# --- changing ------------------------------------------------------------------------------


def change_agenda(
    session: Session,
    negotiation: Negotiation,
    agenda: dict[str, Any],
    user: User | None = None,
    note: str = "",
    drop_from_preferences: bool = False,
) -> AgendaVersion | None:
    """Replace the agenda with ``agenda`` and record the new version (None: no change).

    Raises :class:`AgendaInvalid` with the validator's problems, or :class:`InvalidInput`
    naming the drafts and parties that still use a removed point or option.
    """
    old = negotiation.agenda
    parties = scenario_data(negotiation)["parties"]
    # The agenda's own problems first: what follows reads the agenda's ids and options.
    problems = [p for p in _findings(negotiation, agenda, parties) if not _is_pending(p)]
    if problems:
        raise AgendaInvalid(problems)
    removed = removed_between(old, agenda)
    refusals = [
        f"{use}: a draft's versions are the record and keep it (relabel it instead, "
        "e.g. 'withdrawn')"
        for use in _draft_uses(session, negotiation, removed)
    ]
    pruned_parties: dict[str, dict[str, Any]] = {}
    for party in parties:
        preferences = party["preferences"]
        if preferences is None:
            continue
        terms = [*preferences.get("red_lines", []), *preferences.get("interactions", [])]
        if any(_term_names(term, removed) for term in terms):
            refusals.append(
                f"a red line or interaction of {party['name'] or party['id']} names it: "
                "that party's preferences must change first"
            )
        elif _valuation_names(preferences, removed):
            if drop_from_preferences:
                pruned_parties[party["id"]] = _pruned(preferences, removed)
            else:
                refusals.append(
                    f"the weights or values of {party['name'] or party['id']} name it: "
                    "tick 'drop it from the parties' weights and values' to remove them too"
                )
    if refusals:
        what = sorted(
            [f"point '{p}'" for p in removed.points]
            + [f"option '{o}' of point '{i}'" for i, o in removed.options]
        )
        raise InvalidInput(f"cannot remove {', '.join(what)}: " + "; ".join(refusals))
    stored = normalised_agenda(agenda)
    changes = agenda_changes(old, stored)
    if not changes:
        return None
    if pruned_parties:
        dropped = ", ".join(p.display_name for p in negotiation.parties if p.key in pruned_parties)
        note = (note + "; " if note else "") + f"dropped from the weights and values of {dropped}"
        for row in negotiation.parties:
            if row.key in pruned_parties:
                row.preferences = pruned_parties[row.key]
    negotiation.agenda = stored
    number = (current_agenda_number(session, negotiation.id) or 0) + 1
    version = AgendaVersion(
        negotiation_id=negotiation.id,
        number=number,
        agenda=copy.deepcopy(stored),
        note=note,
        by_user_id=None if user is None else user.id,
    )
    session.add(version)
    session.flush()
    return version
