"""The NegMAS bridge: an Accord scenario as a NegMAS scenario, and back.

NegMAS (the field's reference library) is an optional extra, ``pip install 'accord[negmas]'``;
it is imported only when a function here is called, so ``import accord`` never needs it.

:func:`to_negmas` writes every issue as a categorical issue whose values are the option ids,
and one utility function per voter, with its reservation value, taken from the compiled
scenario (so the ``normalised`` scale is applied):

- the additive part: a ``LinearAdditiveUtilityFunction`` written as :func:`dump_genius`
  writes a GENIUS profile: an issue's weight is the most any of its options adds (in absolute
  value), each option's value what it adds divided by that weight;
- interaction terms, exactly: a ``HyperRectangleUtilityFunction`` with one rectangle per term
  (for each issue of the term, the list of options that make it hold), added to the additive
  part by a ``WeightedUtilityFunction`` with weights 1, as NegMAS reads a GENIUS profile that
  has both;
- a utility ceiling (``cap``, GENIUS's cap at 1): a ``MappingUtilityFunction`` whose mapping
  is a :class:`CappedUtility`, ``min(cap, U)``, around the rest (NegMAS has no ceiling of
  its own; it evaluates such a function outcome by outcome);
- a discount below 1: an ``ExpDiscountedUFun`` over relative time that discounts the
  reservation value too, GENIUS's and Accord's ``U * discount**t``.

Titles, labels, blocks and roles have no place in a NegMAS scenario and are not written.
Red lines have no NegMAS counterpart (its nearest, ``UFunConstraint``, makes the utility of
forbidden packages minus infinity, losing what blocker and relaxation analysis need), and
NegMAS's mechanisms need every negotiator to agree: red lines and a quorum rule are refused.

:func:`from_negmas` reads a Cartesian outcome space of finite issues (each value an option,
labelled by the value, numbers kept as option values) and makes one negotiator per utility
function, with ``scale: points`` preferences that give every package the same utility:

- ``LinearAdditiveUtilityFunction``: weights as written (a negative weight is written as its
  absolute value with the option values negated); an option's value is the issue's value
  function at it, whatever the function (table, affine, lambda); a bias is an interaction
  term that always holds;
- ``HyperRectangleUtilityFunction`` with constant utilities: each rectangle an interaction
  term over the options it holds for, as NegMAS's own ``outcome_in_range`` decides;
- ``WeightedUtilityFunction`` of these (weights multiply), and ``ExpDiscountedUFun`` over
  relative time that discounts the reservation value too (its discount). A discount per
  step (NegMAS's reading of a GENIUS discount factor) is not Accord's and is refused;
- a ``MappingUtilityFunction`` over a :class:`CappedUtility` (what :func:`to_negmas`
  writes for a ceiling) around the whole utility: its ceiling becomes ``cap``;
- the reserved value as written; NegMAS's default of minus infinity ("anything beats no
  deal") becomes the party's worst package utility: every package acceptable, and gains
  measured from the worst package, as NegMAS's own bargaining solutions then measure them.

Anything else (another utility function class, a continuous issue) is refused by name.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.analysis.cap import ceilings
from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.analysis.milp import best_package_value
from accord.errors import AccordError, Problem, ScenarioError
from accord.scenario.loader import validate_data
from accord.scenario.model import Scenario

__all__ = ["CappedUtility", "from_negmas", "to_negmas"]

_ID_LENGTH = 80
_NOT_ID = re.compile(r"[^A-Za-z0-9_.\-]+")
_NOT_LEADING = re.compile(r"^[^A-Za-z0-9]+")


@dataclass(frozen=True)
class CappedUtility:
    """``min(cap, ufun(outcome))``: a party's utility ceiling, as a NegMAS mapping."""

    ufun: Any
    cap: float

    def __call__(self, outcome: Any) -> float:
        return min(self.cap, float(self.ufun(outcome)))


def to_negmas(scenario: Scenario) -> Any:
    """``scenario`` as a ``negmas.inout.Scenario``: one utility function per voter."""
    _require_negmas()
    from negmas.inout import Scenario as NegmasScenario
    from negmas.outcomes import make_issue, make_os

    source = f"scenario '{scenario.id}'"
    crossing = [p.id for p in scenario.parties if p.preferences and p.preferences.red_lines]
    if crossing:
        message = (
            f"parties {crossing} have red lines: NegMAS utility functions have none (its "
            "UFunConstraint makes forbidden packages worth minus infinity, which drops the "
            "utilities blocker and relaxation analysis need)"
        )
        raise ScenarioError([Problem(message, source=source)])
    if scenario.agreement.kind != "unanimity":
        message = "a quorum rule: NegMAS's mechanisms need every negotiator to agree"
        raise ScenarioError([Problem(message, source=source, path="agreement")])
    compiled = compile_scenario(scenario)
    issues = [
        make_issue(values=list(options), name=issue_id)
        for issue_id, options in zip(
            compiled.space.issue_ids, compiled.space.option_ids, strict=True
        )
    ]
    outcome_space = make_os(issues, name=scenario.id)
    ufuns = tuple(
        _negmas_ufun(scenario, compiled, int(party), outcome_space)
        for party in compiled.voter_indices
    )
    return NegmasScenario(outcome_space=outcome_space, ufuns=ufuns, name=scenario.id)


def from_negmas(negmas_scenario: Any) -> Scenario:
    """A ``negmas.inout.Scenario`` as an Accord scenario: one negotiator per utility function."""
    _require_negmas()
    from negmas.outcomes import CartesianOutcomeSpace

    name = str(getattr(negmas_scenario, "name", None) or "negmas")
    source = f"NegMAS scenario '{name}'"
    outcome_space = negmas_scenario.outcome_space
    if not isinstance(outcome_space, CartesianOutcomeSpace):
        message = f"outcome space {type(outcome_space).__name__}: expected a Cartesian one"
        raise ScenarioError([Problem(message, source=source, path="outcome_space")])
    issues = list(outcome_space.issues)
    values = []
    for position, issue in enumerate(issues):
        if not issue.is_finite():
            message = (
                f"issue '{issue.name}' is {type(issue).__name__} with infinitely many values: "
                "discretise it first (NegMAS: scenario.discretize())"
            )
            where = f"outcome_space.issues[{position}]"
            raise ScenarioError([Problem(message, source=source, path=where)])
        values.append(list(issue.all))
    issue_ids = _unique_ids([str(issue.name) for issue in issues], "issue")
    option_ids = [_unique_ids([_option_text(v) for v in vs], "option") for vs in values]
    ufuns = list(negmas_scenario.ufuns)
    party_ids = _unique_ids([str(getattr(u, "name", "") or "") for u in ufuns], "party")
    parties: list[dict[str, Any]] = []
    worst_needed: list[int] = []
    for position, ufun in enumerate(ufuns):
        where = f"ufuns[{position}]"
        collected = _Collected(len(issues))
        discount = _collect(ufun, 1.0, values, collected, source, where, top=True, whole=True)
        reservation = _finite(ufun.reserved_value)
        if reservation is None:
            worst_needed.append(position)
        parties.append(
            {
                "id": party_ids[position],
                "name": str(getattr(ufun, "name", "") or ""),
                "role": "negotiator",
                "preferences": {
                    "scale": "points",
                    **collected.preferences(issue_ids, option_ids),
                    "reservation": 0.0 if reservation is None else reservation,
                    "discount": discount,
                },
            }
        )
    data: dict[str, Any] = {
        "id": _unique_ids([name], "negmas")[0],
        "title": name,
        "description": f"Imported from NegMAS scenario '{name}'.",
        "issues": [
            {
                "id": issue_id,
                "title": str(issue.name),
                "options": [
                    _option_data(option_id, value) for option_id, value in zip(ids, vs, strict=True)
                ],
            }
            for issue_id, issue, ids, vs in zip(issue_ids, issues, option_ids, values, strict=True)
        ],
        "parties": parties,
    }
    scenario = validate_data(data, source)
    if not worst_needed:
        return scenario
    compiled = compile_scenario(scenario)
    for position in worst_needed:
        worst = _worst_package_value(compiled, position)
        parties[position]["preferences"]["reservation"] = worst
    data["description"] += (
        f" Reserved values of minus infinity (parties {[party_ids[p] for p in worst_needed]}) "
        "are read as each party's worst package utility."
    )
    return validate_data(data, source)


# -- to NegMAS ------------------------------------------------------------------------------


def _negmas_ufun(
    scenario: Scenario, compiled: CompiledScenario, party: int, outcome_space: Any
) -> Any:
    from negmas.preferences import (
        ExpDiscountedUFun,
        HyperRectangleUtilityFunction,
        LinearAdditiveUtilityFunction,
        MappingUtilityFunction,
        WeightedUtilityFunction,
    )
    from negmas.preferences.value_fun import TableFun

    space = compiled.space
    party_id = compiled.party_ids[party]
    reservation = float(compiled.reservation[party])
    weights: list[float] = []
    tables = []
    for issue, (start, count) in enumerate(zip(space.offsets, space.option_counts, strict=True)):
        shares = compiled.linear[party, start : start + count]
        weight = float(np.abs(shares).max())
        weights.append(weight)
        tables.append(
            TableFun(
                {
                    option: float(share) / weight if weight > 0 else 0.0
                    for option, share in zip(space.option_ids[issue], shares, strict=True)
                }
            )
        )
    common = {"outcome_space": outcome_space, "name": party_id, "reserved_value": reservation}
    ufun = LinearAdditiveUtilityFunction(
        values=tables, weights=weights, bias=float(compiled.constant[party]), **common
    )
    used = [
        (clauses, float(value))
        for clauses, value in zip(compiled.terms, compiled.term_values[party], strict=True)
        if value != 0
    ]
    if used:
        rectangles = HyperRectangleUtilityFunction(
            outcome_ranges=[
                {issue: [space.option_ids[issue][o] for o in options] for issue, options in terms}
                for terms, _ in used
            ],
            utilities=[value for _, value in used],
            outcome_space=outcome_space,
        )
        ufun = WeightedUtilityFunction([ufun, rectangles], [1.0, 1.0], **common)
    ceiling = float(ceilings(compiled)[party])
    if math.isfinite(ceiling):
        ufun = MappingUtilityFunction(CappedUtility(ufun, ceiling), **common)
    preferences = scenario.party(party_id).preferences
    assert preferences is not None
    if preferences.discount < 1:
        ufun = ExpDiscountedUFun(
            ufun,
            discount=preferences.discount,
            factor="relative_time",
            dynamic_reservation=True,
            **common,
        )
    return ufun


# -- from NegMAS ----------------------------------------------------------------------------


@dataclass
class _Collected:
    """A party's utility as additive parts ``(weights, values)`` and conjunction terms."""

    issue_count: int
    linear: list[tuple[list[float], list[list[float]]]] = field(default_factory=list)
    terms: list[tuple[dict[int, list[int]], float, str]] = field(default_factory=list)
    cap: float | None = None

    def preferences(self, issue_ids: list[str], option_ids: list[list[str]]) -> dict[str, Any]:
        weights: dict[str, float] | None = None
        if len(self.linear) == 1 and any(w > 0 for w in self.linear[0][0]):
            weights = dict(zip(issue_ids, self.linear[0][0], strict=True))
            values = self.linear[0][1]
        else:  # none, several added up, or all weights 0: each option's share (weights 1)
            values = [
                [sum(w[i] * v[i][o] for w, v in self.linear) for o in range(len(option_ids[i]))]
                for i in range(self.issue_count)
            ]
        interactions = [
            {
                "options": {
                    issue_ids[i]: tuple(option_ids[i][o] for o in options)
                    for i, options in sorted(clauses.items())
                },
                "value": value,
                "label": label,
            }
            for clauses, value, label in self.terms
        ]
        return {
            "weights": weights,
            "values": {
                issue_ids[i]: dict(zip(option_ids[i], values[i], strict=True))
                for i in range(self.issue_count)
            },
            "interactions": interactions,
            "cap": self.cap,
        }


def _collect(
    ufun: Any,
    factor: float,
    values: list[list[Any]],
    out: _Collected,
    source: str,
    where: str,
    top: bool = False,
    whole: bool = False,
) -> float:
    """Add ``factor`` times ``ufun`` to ``out``; the discount, when ``ufun`` is the party's own
    (``top``). ``whole``: ``ufun`` is the party's whole utility, undiscounted (a ceiling may
    only be there)."""
    from negmas.preferences import (
        ExpDiscountedUFun,
        HyperRectangleUtilityFunction,
        LinearAdditiveUtilityFunction,
        MappingUtilityFunction,
        WeightedUtilityFunction,
    )

    kind = type(ufun)
    if kind is ExpDiscountedUFun and top:
        discount = 1.0 if ufun.discount is None else float(ufun.discount)
        exact = ufun.factor == "relative_time" and bool(ufun.dynamic_reservation)
        if discount != 1.0 and not (exact and 0 < discount < 1):
            message = (
                f"ExpDiscountedUFun with discount {ufun.discount!r} per '{ufun.factor}' "
                f"(dynamic_reservation={ufun.dynamic_reservation}): Accord discounts by a "
                "factor in (0, 1] per unit of relative time, reservation value included. "
                "Load the NegMAS scenario with ignore_discount=True (or call its "
                "remove_discounting()) to leave the discount out"
            )
            raise ScenarioError([Problem(message, source=source, path=where)])
        _collect(ufun.ufun, factor, values, out, source, f"{where}.ufun", whole=True)
        return discount
    if kind is MappingUtilityFunction and isinstance(ufun.mapping, CappedUtility) and whole:
        out.cap = ufun.mapping.cap
        inner = ufun.mapping.ufun
        # Inside the ceiling a discount would be capped too: not Accord's U * d**t, refused.
        return _collect(inner, factor, values, out, source, f"{where}.mapping.ufun")
    if kind is WeightedUtilityFunction:
        for n, (inner, weight) in enumerate(zip(ufun.values, ufun.weights, strict=True)):
            _collect(inner, factor * float(weight), values, out, source, f"{where}.values[{n}]")
        return 1.0
    if kind is LinearAdditiveUtilityFunction:
        if len(ufun.values) > len(values):
            message = f"{len(ufun.values)} value functions for {len(values)} issues"
            raise ScenarioError([Problem(message, source=source, path=where)])
        # NegMAS lets the value functions stop before the last issues: those add nothing.
        weights = [0.0] * len(values)
        table = [[0.0] * len(options) for options in values]
        for i, (function, weight) in enumerate(zip(ufun.values, ufun.weights, strict=True)):
            scaled = float(weight) * factor
            sign = -1.0 if scaled < 0 else 1.0
            weights[i] = abs(scaled)
            here = f"{where}.values[{i}]"
            table[i] = [sign * _value(function, v, source, here) for v in values[i]]
        out.linear.append((weights, table))
        _constant(float(ufun._bias) * factor, values, out)  # NegMAS keeps the bias private
        return 1.0
    if kind is HyperRectangleUtilityFunction:
        _rectangles(ufun, factor, values, out, source, where)
        return 1.0
    supported = (
        "LinearAdditiveUtilityFunction, HyperRectangleUtilityFunction with constant "
        "utilities, WeightedUtilityFunction of these, ExpDiscountedUFun around them, a "
        "MappingUtilityFunction over accord's CappedUtility around the whole utility"
    )
    message = f"utility function type {kind.__name__} is not supported ({supported})"
    raise ScenarioError([Problem(message, source=source, path=where)])


def _rectangles(
    ufun: Any, factor: float, values: list[list[Any]], out: _Collected, source: str, where: str
) -> None:
    from negmas.outcomes.outcome_ops import outcome_in_range

    _constant(float(ufun.bias) * factor, values, out)
    rows = zip(ufun.outcome_ranges, ufun.mappings, ufun.weights, strict=True)
    for n, (ranges, mapping, weight) in enumerate(rows):
        here = f"{where}.outcome_ranges[{n}]"
        if isinstance(mapping, bool) or not isinstance(mapping, int | float):
            message = f"hyper-rectangle utility {mapping!r}: only constant utilities are supported"
            raise ScenarioError([Problem(message, source=source, path=here)])
        clauses: dict[int, list[int]] = {}
        for key in ranges or {}:
            if isinstance(key, bool) or not isinstance(key, int) or not 0 <= key < len(values):
                message = f"range key {key!r}: expected an issue index (0 to {len(values) - 1})"
                raise ScenarioError([Problem(message, source=source, path=here)])
            clauses[key] = [
                o
                for o, v in enumerate(values[key])
                if outcome_in_range({key: v}, {key: ranges[key]})
            ]
        if any(not options for options in clauses.values()):
            continue  # no option of some issue is in range: the rectangle never holds
        value = float(mapping) * float(weight) * factor
        out.terms.append((clauses or _always(values), value, f"NegMAS hyper-rectangle {n + 1}"))


def _constant(value: float, values: list[list[Any]], out: _Collected) -> None:
    if value:
        out.terms.append((_always(values), value, "constant (NegMAS bias)"))


def _always(values: list[list[Any]]) -> dict[int, list[int]]:
    """Clauses that every package meets: any option of the first issue."""
    return {0: list(range(len(values[0])))}


def _value(function: Any, value: Any, source: str, where: str) -> float:
    result = function(value)
    number = _finite(result)
    if number is None:
        message = f"the value function gives {result!r} for {value!r}: expected a finite number"
        raise ScenarioError([Problem(message, source=source, path=where)])
    return number


def _worst_package_value(compiled: CompiledScenario, party: int) -> float:
    linear, values = compiled.linear[party], compiled.term_values[party]
    worst = -best_package_value(compiled.space, -linear, compiled.terms, -values)
    return min(worst, float(ceilings(compiled)[party]))


def _finite(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _option_text(value: Any) -> str:
    text = str(value)
    return f"minus{text[1:]}" if isinstance(value, int | float) and text.startswith("-") else text


def _option_data(option_id: str, value: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": option_id, "label": str(value)}
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = _finite(value)
        if number is not None:
            data["value"] = number
    return data


def _unique_ids(names: list[str], kind: str) -> list[str]:
    """Valid, distinct ids for ``names`` (a suffix keeps them apart)."""
    ids: list[str] = []
    for position, name in enumerate(names):
        cleaned = _NOT_LEADING.sub("", _NOT_ID.sub("_", name.strip())).rstrip("_")
        base = cleaned[:_ID_LENGTH] or f"{kind}{position + 1}"
        candidate, number = base, 1
        while candidate in ids:
            number += 1
            candidate = f"{base[: _ID_LENGTH - len(str(number)) - 1]}-{number}"
        ids.append(candidate)
    return ids


def _require_negmas() -> None:
    try:
        import negmas  # noqa: F401
    except ImportError:
        raise AccordError(
            "the NegMAS bridge needs NegMAS, which is not installed: "
            "install accord[negmas] (pip install 'accord[negmas]')"
        ) from None
