"""The preferences form's content: read from posted fields or from saved preferences, turned
into preferences data, and checked by the scenario validator with each problem placed
beside the field it concerns.

Field names carry ids, separated by ``:`` (which no id may contain): ``weight:ISSUE``,
``value:ISSUE:OPTION``, ``reservation``, and per row of interactions and red lines
``interaction-N-options`` (several ``ISSUE:OPTION`` values), ``interaction-N-value``,
``interaction-N-label``, ``interaction-N-remove``, and the same with ``red_line``. Numbers
travel to the validator as the text typed, so a mistyped number gets the very message
``accord validate`` gives for it. Every input is bounded: its length, the rows (the
scenario limits), and the agenda the form is drawn for (:data:`MAX_FORM_OPTIONS`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, DecimalException
from typing import Any, Literal

from accord.errors import ScenarioError
from accord.ledger.errors import InvalidInput
from accord.scenario import limits
from accord.scenario.loader import validate_data
from accord.scenario.model import Issue, Preferences, Scenario

MAX_FORM_OPTIONS = 2_000
"""Options of the agenda up to which the form is drawn (each row of interactions and red
lines lists them all); a larger agenda is edited as JSON or YAML."""
MAX_FORM_FIELDS = 1_000
"""Fields one form may post: the app parses every form with Starlette's limit (1,000)."""
MAX_NUMBER_TEXT = 40
MAX_LABEL_TEXT = 500
DEFAULT_TOTAL = "100"
Kind = Literal["interaction", "red_line"]
KINDS: tuple[Kind, ...] = ("interaction", "red_line")
ROW_LIMITS = {"interaction": limits.MAX_INTERACTIONS, "red_line": limits.MAX_RED_LINES}
PLURAL = {"interaction": "interactions", "red_line": "red_lines"}
_ROW_FIELD = re.compile(r"^(interaction|red_line)-(\d{1,4})-(options|value|label|remove)$")


@dataclass
class Row:
    """One interaction or red line as the form shows it (``number``: its field index)."""

    number: int
    options: set[str] = field(default_factory=set)  # "issue:option"
    value: str = ""
    label: str = ""

    @property
    def blank(self) -> bool:
        return not self.options and not self.value.strip() and not self.label.strip()


@dataclass
class PreferencesForm:
    """What the form holds: the texts typed, by field."""

    scale: str = "normalised"
    weight_mode: str = "sliders"  # or "budget": points that must sum to ``weight_total``
    weight_total: str = DEFAULT_TOTAL
    weights: dict[str, str] = field(default_factory=dict)  # issue → text
    values: dict[tuple[str, str], str] = field(default_factory=dict)  # (issue, option) → text
    reservation: str = "0"
    rows: dict[Kind, list[Row]] = field(default_factory=lambda: {"interaction": [], "red_line": []})

    def add_row(self, kind: Kind) -> None:
        taken = [row.number for rows in self.rows.values() for row in rows]
        self.rows[kind].append(Row(max(taken, default=-1) + 1))


@dataclass(frozen=True)
class Checked:
    """The outcome of checking a form: the preferences, or the problems by field.

    ``problems`` maps a field name (or a section: ``weights``, ``interaction-N``,
    ``red_line-N``, ``form``) to the validator's messages; ``listed`` has every problem
    as ``accord validate`` prints it, without the file and line.
    """

    preferences: Preferences | None
    data: dict[str, Any]
    problems: dict[str, list[str]]
    listed: list[str]
    scenario: Scenario | None = None  # the agenda with this party alone (when valid)


def form_too_large(agenda: Sequence[Issue], rows: int = 0) -> str | None:
    """Why the agenda, or ``rows`` interactions and red lines, are too large for the form
    (None: they are not)."""
    count = sum(len(issue.options) for issue in agenda)
    if count > MAX_FORM_OPTIONS:
        return (
            f"the agenda has {count:,} options; the form is drawn for at most "
            f"{MAX_FORM_OPTIONS:,}: write the preferences as JSON or YAML below"
        )
    fields = 8 + len(agenda) + count + 4 * (rows + 2)
    if fields > MAX_FORM_FIELDS:
        return (
            f"these preferences would need {fields:,} fields (their {rows:,} interactions and "
            f"red lines), too many for one form: write the preferences as JSON or YAML below"
        )
    return None


def slider_top(form: PreferencesForm) -> int:
    """Where the weight sliders end: twice the largest weight, and at least 10."""
    largest = 0.0
    for text in form.weights.values():
        try:
            largest = max(largest, float(text))
        except ValueError:
            continue
    return max(10, math.ceil(2 * min(largest, 1e9))) if math.isfinite(largest) else 10


def number_text(value: float) -> str:
    """A number as the form shows it: ``1`` rather than ``1.0``, otherwise exact."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def form_of(agenda: Sequence[Issue], preferences: Preferences | None) -> PreferencesForm:
    """The form filled in with saved (or elicited) preferences; a blank form without."""
    form = PreferencesForm()
    if preferences is None:
        form.weights = {issue.id: "1" for issue in agenda}
        ensure_blank_rows(form)
        return form
    form.scale = preferences.scale
    weights = preferences.weights
    form.weights = {
        issue.id: number_text(1.0 if weights is None else weights.get(issue.id, 0.0))
        for issue in agenda
    }
    if weights is not None and abs(sum(weights.values()) - 100.0) < 1e-9:
        form.weight_mode = "budget"
    for issue in agenda:
        for option in issue.options:
            value = preferences.values.get(issue.id, {}).get(option.id)
            if value is not None:
                form.values[(issue.id, option.id)] = number_text(value)
    form.reservation = number_text(preferences.reservation)
    for interaction in preferences.interactions:
        _add_term(form, "interaction", interaction.options, interaction.label)
        form.rows["interaction"][-1].value = number_text(interaction.value)
    for red_line in preferences.red_lines:
        _add_term(form, "red_line", red_line.options, red_line.label)
    ensure_blank_rows(form)
    return form


def _add_term(
    form: PreferencesForm, kind: Kind, options: Mapping[str, str | tuple[str, ...]], label: str
) -> None:
    form.add_row(kind)
    row = form.rows[kind][-1]
    row.label = label
    row.options = {
        f"{issue}:{option}"
        for issue, picked in options.items()
        for option in ((picked,) if isinstance(picked, str) else picked)
    }


def ensure_blank_rows(form: PreferencesForm) -> None:
    """One blank row of each kind at the end, to fill in without JavaScript."""
    for kind in KINDS:
        if not form.rows[kind] or not form.rows[kind][-1].blank:
            form.add_row(kind)


def _bounded(name: str, text: str, limit: int) -> str:
    if len(text) > limit:
        raise InvalidInput(f"{name}: expected at most {limit} characters, got {len(text):,}")
    return text


def form_from_fields(agenda: Sequence[Issue], fields: Iterable[tuple[str, str]]) -> PreferencesForm:
    """The form as posted. Unknown fields are refused; every text is bounded."""
    form = PreferencesForm(weights={}, reservation="")
    known_weights = {f"weight:{issue.id}": issue.id for issue in agenda}
    known_values = {
        f"value:{issue.id}:{option.id}": (issue.id, option.id)
        for issue in agenda
        for option in issue.options
    }
    rows: dict[tuple[Kind, int], Row] = {}
    removed: set[tuple[Kind, int]] = set()
    count = 0
    budget = 4 + len(known_weights) + len(known_values) * 2 + 4 * sum(ROW_LIMITS.values())
    for name, text in fields:
        count += 1
        if count > budget:
            raise InvalidInput(f"form: expected at most {budget:,} fields")
        if name in ("csrf_token", "action", "state"):
            continue
        if name == "scale":
            if text not in ("normalised", "points"):
                raise InvalidInput(f"scale: expected normalised or points, got {text[:40]!r}")
            form.scale = text
        elif name == "weight_mode":
            if text not in ("sliders", "budget"):
                raise InvalidInput(f"weight_mode: expected sliders or budget, got {text[:40]!r}")
            form.weight_mode = text
        elif name == "weight_total":
            form.weight_total = _bounded(name, text, MAX_NUMBER_TEXT)
        elif name == "reservation":
            form.reservation = _bounded(name, text, MAX_NUMBER_TEXT)
        elif name in known_weights:
            form.weights[known_weights[name]] = _bounded(name, text, MAX_NUMBER_TEXT)
        elif name in known_values:
            form.values[known_values[name]] = _bounded(name, text, MAX_NUMBER_TEXT)
        elif (match := _ROW_FIELD.match(name)) is not None:
            kind: Kind = match.group(1)  # type: ignore[assignment]
            number, part = int(match.group(2)), match.group(3)
            if number >= ROW_LIMITS[kind] * 2:
                raise InvalidInput(f"{name}: expected a row number below {ROW_LIMITS[kind] * 2:,}")
            row = rows.setdefault((kind, number), Row(number))
            if part == "options":
                if not text.strip():
                    continue  # the row's entry for one more option, left empty
                if len(row.options) >= len(known_values):
                    raise InvalidInput(f"{name}: more options than the agenda has")
                row.options.add(_bounded(name, text, 2 * 80 + 1))
            elif part == "value":
                row.value = _bounded(name, text, MAX_NUMBER_TEXT)
            elif part == "label":
                row.label = _bounded(name, text, MAX_LABEL_TEXT)
            else:
                removed.add((kind, number))
        elif name.startswith(("weight:", "value:")):
            # A point or option that is no longer on the agenda (it changed meanwhile).
            raise InvalidInput(
                f"{name}: not on the agenda (it may have changed since the form was opened: "
                "reload the page)"
            )
        else:
            raise InvalidInput(f"form: unknown field {name[:80]!r}")
    for (kind, number), row in sorted(rows.items(), key=lambda item: item[0][1]):
        if (kind, number) not in removed:
            form.rows[kind].append(row)
    for kind in KINDS:
        if len(form.rows[kind]) > ROW_LIMITS[kind] + 1:
            raise InvalidInput(
                limits.at_most(
                    ROW_LIMITS[kind], PLURAL[kind].replace("_", " "), len(form.rows[kind])
                )
            )
    return form


def _term_options(agenda: Sequence[Issue], chosen: set[str]) -> dict[str, Any]:
    """``issue:option`` values as a term's mapping, in the agenda's order (one option: a
    string; several: a list); values that name no option are passed on for the validator
    to report."""
    by_issue: dict[str, list[str]] = {}
    for value in sorted(chosen):
        issue, _, option = value.partition(":")
        by_issue.setdefault(issue, []).append(option)
    order = {issue.id: position for position, issue in enumerate(agenda)}
    options_order = {
        (issue.id, option.id): position
        for issue in agenda
        for position, option in enumerate(issue.options)
    }
    mapping: dict[str, Any] = {}
    for issue in sorted(by_issue, key=lambda i: (order.get(i, len(order)), i)):
        listed = sorted(by_issue[issue], key=lambda o: (options_order.get((issue, o), 1 << 30), o))
        mapping[issue] = listed[0] if len(listed) == 1 else listed
    return mapping


def preferences_data(
    agenda: Sequence[Issue], form: PreferencesForm, kept: Preferences | None
) -> tuple[dict[str, Any], dict[tuple[Kind, int], int]]:
    """The preferences the form describes, as data for the validator, and for each term
    its row's field number. ``kept`` gives what the form does not edit (cap, discount)."""
    data: dict[str, Any] = {"scale": form.scale}
    data["weights"] = {issue.id: form.weights.get(issue.id, "").strip() for issue in agenda}
    values: dict[str, dict[str, str]] = {}
    for issue in agenda:
        given = {
            option.id: form.values[(issue.id, option.id)].strip()
            for option in issue.options
            if form.values.get((issue.id, option.id), "").strip()
        }
        weight = form.weights.get(issue.id, "").strip()
        if given or _positive(weight):
            values[issue.id] = given
    data["values"] = values
    numbers: dict[tuple[Kind, int], int] = {}
    for kind in KINDS:
        terms: list[dict[str, Any]] = []
        for row in form.rows[kind]:
            if row.blank:
                continue
            numbers[(kind, len(terms))] = row.number
            term: dict[str, Any] = {"options": _term_options(agenda, row.options)}
            if kind == "interaction":
                term["value"] = row.value.strip()
            if row.label.strip():
                term["label"] = row.label.strip()
            terms.append(term)
        data[PLURAL[kind]] = terms
    if form.reservation.strip():
        data["reservation"] = form.reservation.strip()
    if kept is not None:
        if kept.cap is not None:
            data["cap"] = kept.cap
        if kept.discount != 1.0:
            data["discount"] = kept.discount
    return data, numbers


def _positive(text: str) -> bool:
    try:
        return Decimal(text) > 0
    except (DecimalException, ValueError):
        return bool(text)  # not a number: let the validator say so


def budget_problem(form: PreferencesForm) -> str | None:
    """With points to distribute, why they do not add up (None: they do, or sliders)."""
    if form.weight_mode != "budget":
        return None
    try:
        total = Decimal(form.weight_total.strip())
        points = [Decimal(text.strip() or "0") for text in form.weights.values()]
        if not total.is_finite() or total <= 0:
            return (
                "weight_total: expected a positive number of points to distribute, "
                f"got {form.weight_total!r}"
            )
        given = sum(points, Decimal(0))
        gap = abs(given - total)
    except (DecimalException, ValueError):
        return None  # the validator reports the number that is not one
    if given == total:
        return None
    change = "take away" if given > total else "give out"
    return (
        f"the points sum to {_decimal_text(given)}, expected {_decimal_text(total)}: "
        f"{change} {_decimal_text(gap)} (or weigh with sliders, which need no total)"
    )


def _decimal_text(number: Decimal) -> str:
    """``100`` rather than ``1E+2``; a huge number in exponent form rather than its digits."""
    return f"{number.normalize():f}" if abs(number) < Decimal(10) ** 12 else str(number)


def check(
    agenda: Sequence[Issue],
    scenario_key: str,
    blocks: list[dict[str, Any]],
    issues: list[dict[str, Any]],
    party_key: str,
    form: PreferencesForm,
    kept: Preferences | None,
) -> Checked:
    """Validate the form's preferences against the agenda alone, as the ledger does
    (:func:`accord.ledger.negotiations.validated_preferences`): the check sees no other
    party, so a message can only quote the delegate's own input."""
    data, numbers = preferences_data(agenda, form, kept)
    problems: dict[str, list[str]] = {}
    listed: list[str] = []
    budget = budget_problem(form)
    if budget is not None:
        problems.setdefault("weights", []).append(budget)
        listed.append(f"weights: {budget}")
    probe = {
        "id": scenario_key,
        "blocks": blocks,
        "issues": issues,
        "parties": [{"id": party_key, "preferences": data}],
    }
    preferences: Preferences | None = None
    scenario: Scenario | None = None
    try:
        scenario = validate_data(probe, "preferences")
        preferences = scenario.parties[0].preferences
    except ScenarioError as error:
        prefix = f"parties.{party_key}.preferences"
        targets = _targets(agenda, numbers)
        for problem in error.problems:
            path = problem.path
            path = path[len(prefix) :].lstrip(".") if path.startswith(prefix) else path
            place = _place(path, targets)
            problems.setdefault(place, []).append(problem.message)
            listed.append(f"{path}: {problem.message}" if path else problem.message)
    if budget is not None:
        preferences = scenario = None
    return Checked(preferences, data, problems, listed, scenario)


def _targets(agenda: Sequence[Issue], numbers: dict[tuple[Kind, int], int]) -> dict[str, str]:
    """Validator paths → the field (or section) that shows their problems."""
    targets = {"weights": "weights", "values": "weights", "reservation": "reservation"}
    for issue in agenda:
        targets[f"weights.{issue.id}"] = f"weight:{issue.id}"
        targets[f"values.{issue.id}"] = f"values:{issue.id}"
        for option in issue.options:
            targets[f"values.{issue.id}.{option.id}"] = f"value:{issue.id}:{option.id}"
    for (kind, index), number in numbers.items():
        targets[f"{PLURAL[kind]}.{index}"] = f"{kind}-{number}"
        if kind == "interaction":
            targets[f"{PLURAL[kind]}.{index}.value"] = f"{kind}-{number}-value"
    return targets


def _place(path: str, targets: dict[str, str]) -> str:
    """The longest known path that ``path`` starts with (at a dot), else the whole form."""
    probe = path
    while probe:
        if probe in targets:
            return targets[probe]
        probe = probe.rpartition(".")[0]
    return "form"
