"""Read a NegMAS scenario folder: the files NegMAS 0.16's ``Scenario.dumpas`` writes.

A folder holds one outcome-space file and one file per utility function, YAML (``.yml``,
``.yaml``) or JSON, each an object with a ``type``: the outcome space's contains
``OutcomeSpace`` (``DiscreteCartesianOutcomeSpace``), a utility function's contains ``Fun``.
Other files (``_info.yml``, ``stats.json``) are ignored, as NegMAS's own loader ignores them,
and the utility functions are taken in file-name order, as NegMAS takes them. NegMAS itself
loads only YAML folders; its JSON files have the same content and are read the same way.
NegMAS is not needed to read them.

Read exactly, on the ``points`` scale (every package keeps NegMAS's utility):

- issues: ``CategoricalIssue``, ``DiscreteCardinalIssue``, ``DiscreteOrdinalIssue`` (the
  values listed) and ``ContiguousIssue`` (``values: [low, high]``, every integer between);
  a ``ContinuousIssue`` is refused (discretise it in NegMAS first);
- ``LinearAdditiveUtilityFunction``: ``bias + sum of weight * value function``, weights and
  value functions in issue order (a list) or by issue name; value functions ``TableFun``
  (a table), ``AffineFun`` (``slope * x + bias``), ``LinearFun``, ``IdentityFun`` and
  ``ConstFun``; another value function is refused by name. As in the NegMAS bridge, a
  negative weight is written as its absolute value over negated values, a bias as an
  interaction term that always holds;
- ``AffineUtilityFunction`` and ``LinearUtilityFunction`` (``bias + sum of weight * value``
  over numeric issues);
- ``MappingUtilityFunction`` with a table of outcomes (YAML keys that are lists: NegMAS
  0.16 writes them but cannot read them back): one interaction term per outcome; an outcome
  the table leaves out is worth its ``default``, and a default of minus infinity (NegMAS's)
  makes such outcomes red lines;
- ``reserved_value`` as written; minus infinity or none (NegMAS's "anything beats no deal")
  becomes the party's worst package utility, as :func:`accord.formats.negmas_bridge.from_negmas`
  reads it.

Any other utility function type is refused naming it (and its file and field).
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

import yaml

from accord.analysis.compiled import compile_scenario
from accord.errors import Problem, ScenarioError
from accord.formats.imported import Imported
from accord.formats.negmas_bridge import (
    _option_data,
    _option_text,
    _unique_ids,
    _worst_package_value,
)
from accord.scenario.loader import validate_data
from accord.scenario.model import Scenario

__all__ = ["UTILITY_TYPES", "load_negmas_folder", "read_negmas_folder"]

UTILITY_TYPES = (
    "LinearAdditiveUtilityFunction",
    "AffineUtilityFunction",
    "LinearUtilityFunction",
    "MappingUtilityFunction",
)
VALUE_FUNCTIONS = ("TableFun", "AffineFun", "LinearFun", "IdentityFun", "ConstFun")
LISTED_ISSUES = ("CategoricalIssue", "DiscreteCardinalIssue", "DiscreteOrdinalIssue")
MAX_MAPPED_OUTCOMES = 10_000
_SUFFIXES = (".yml", ".yaml", ".json")


class _TupleKeyLoader(yaml.SafeLoader):
    """PyYAML's safe loader (NegMAS's) that also reads a list as a mapping key, as a tuple:
    how NegMAS writes a ``MappingUtilityFunction``'s outcomes."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.SequenceNode):
                key_node.tag = "tag:yaml.org,2002:python/tuple"
        return super().construct_mapping(node, deep=True)


def _tuple(loader: yaml.SafeLoader, node: yaml.Node) -> tuple[Any, ...]:
    assert isinstance(node, yaml.SequenceNode)
    return tuple(loader.construct_sequence(node, deep=True))


_TupleKeyLoader.add_constructor("tag:yaml.org,2002:python/tuple", _tuple)


def load_negmas_folder(folder: Path) -> Scenario:
    """A scenario from a NegMAS scenario folder (one negotiator per utility function)."""
    return read_negmas_folder(folder).scenario


def read_negmas_folder(folder: Path) -> Imported:
    """As :func:`load_negmas_folder`, with warnings (files left out)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ScenarioError([Problem("no such folder", source=str(folder))])
    domains: list[tuple[Path, dict[str, Any]]] = []
    ufuns: list[tuple[Path, dict[str, Any]]] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.suffix.lower() not in _SUFFIXES:
            continue
        data = _read(path)
        kind = _type(data)
        if "OutcomeSpace" in kind:
            domains.append((path, data))
        elif "fun" in kind.lower():
            ufuns.append((path, data))
    if len(domains) != 1:
        found = ", ".join(path.name for path, _ in domains) or "none"
        message = (
            f"expected one NegMAS outcome-space file (a 'type' with OutcomeSpace), found {found}"
        )
        raise ScenarioError([Problem(message, source=str(folder))])
    if not ufuns:
        message = "no NegMAS utility function files (a 'type' ending in Fun or Function)"
        raise ScenarioError([Problem(message, source=str(folder))])
    domain_path, domain = domains[0]
    names, values = _issues(domain_path, domain)
    issue_ids = _unique_ids(names, "issue")
    option_ids = [_unique_ids([_option_text(v) for v in vs], "option") for vs in values]
    parties: list[dict[str, Any]] = []
    worst_needed: list[int] = []
    for position, (path, data) in enumerate(ufuns):
        preferences = _preferences(path, data, names, values, issue_ids, option_ids)
        if preferences["reservation"] is None:
            worst_needed.append(position)
            preferences["reservation"] = 0.0
        name = data.get("name")
        parties.append(
            {
                "id": path.stem,
                "name": str(name) if name else path.name,
                "role": "negotiator",
                "preferences": preferences,
            }
        )
    for party, identifier in zip(
        parties, _unique_ids([p["id"] for p in parties], "party"), strict=True
    ):
        party["id"] = identifier
    title = str(domain.get("name") or folder.name)
    data_out: dict[str, Any] = {
        "id": _unique_ids([folder.name], "negmas")[0],
        "title": title,
        "description": (
            f"Imported from the NegMAS scenario folder {folder.name}: outcome space "
            f"{domain_path.name}, utility functions {', '.join(p.name for p, _ in ufuns)}. "
            "Utilities are NegMAS's, on the points scale."
        ),
        "issues": [
            {
                "id": issue_id,
                "title": name,
                "options": [_option_data(o, v) for o, v in zip(ids, vs, strict=True)],
            }
            for issue_id, name, ids, vs in zip(issue_ids, names, option_ids, values, strict=True)
        ],
        "parties": parties,
    }
    source = str(folder)
    scenario = validate_data(data_out, source)
    if worst_needed:
        compiled = compile_scenario(scenario)
        for position in worst_needed:
            parties[position]["preferences"]["reservation"] = _worst_package_value(
                compiled, position
            )
        data_out["description"] += (
            " A reserved value of minus infinity (or none) is read as the party's worst "
            f"package utility: {', '.join(parties[p]['id'] for p in worst_needed)}."
        )
        scenario = validate_data(data_out, source)
    return Imported(scenario)


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError([Problem(f"cannot read: {error}", source=str(path))]) from None
    try:
        data = (
            json.loads(text) if path.suffix.lower() == ".json" else yaml.load(text, _TupleKeyLoader)
        )
    except json.JSONDecodeError as error:
        problem = Problem(f"invalid JSON: {error.msg}", "", str(path), error.lineno, error.colno)
        raise ScenarioError([problem]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = Problem(f"invalid YAML: {error}", "", str(path), line, column)
        raise ScenarioError([problem]) from None
    return data if isinstance(data, dict) else {}


def _type(data: dict[str, Any]) -> str:
    """The class name of ``type`` (NegMAS writes it short or with its module)."""
    kind = data.get("type", data.get("__python_class__", ""))
    return str(kind).rsplit(".", 1)[-1] if isinstance(kind, str) else ""


def _problem(path: Path, field: str, message: str) -> ScenarioError:
    return ScenarioError([Problem(message, field, str(path))])


def _issues(path: Path, domain: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    issues = domain.get("issues")
    if not isinstance(issues, list) or not issues:
        raise _problem(path, "issues", "expected a list of issues")
    names: list[str] = []
    values: list[list[Any]] = []
    for position, issue in enumerate(issues):
        field = f"issues[{position}]"
        kind = _type(issue) if isinstance(issue, dict) else ""
        listed = issue.get("values") if isinstance(issue, dict) else None
        if kind == "ContiguousIssue" and isinstance(listed, list) and len(listed) == 2:
            low, high = listed
            if (
                not all(isinstance(v, int) and not isinstance(v, bool) for v in listed)
                or low > high
            ):
                raise _problem(
                    path, f"{field}.values", f"expected [low, high] integers, got {listed}"
                )
            if high - low >= MAX_MAPPED_OUTCOMES:
                raise _problem(path, f"{field}.values", f"{high - low + 1:,} values: too many")
            listed = list(range(low, high + 1))
        elif kind not in LISTED_ISSUES:
            what = (
                "a range of real numbers: discretise it in NegMAS first"
                if kind == "ContinuousIssue"
                else f"expected one of ContiguousIssue, {', '.join(LISTED_ISSUES)}"
            )
            raise _problem(path, f"{field}.type", f"issue type '{kind}' is not supported ({what})")
        if not isinstance(listed, list) or not listed:
            raise _problem(path, f"{field}.values", "expected a non-empty list of values")
        if len({repr(v) for v in listed}) < len(listed):
            raise _problem(path, f"{field}.values", "a value is listed twice")
        names.append(str(issue.get("name", "")))
        values.append(listed)
    return names, values


def _preferences(
    path: Path,
    data: dict[str, Any],
    names: list[str],
    values: list[list[Any]],
    issue_ids: list[str],
    option_ids: list[list[str]],
) -> dict[str, Any]:
    kind = _type(data)
    weights: dict[str, float] = {}
    scores: dict[str, dict[str, float]] = {}
    interactions: list[dict[str, Any]] = []
    red_lines: list[dict[str, Any]] = []
    if kind == "MappingUtilityFunction":
        interactions, red_lines = _mapping(path, data, values, issue_ids, option_ids)
        scores = {i: dict.fromkeys(ids, 0.0) for i, ids in zip(issue_ids, option_ids, strict=True)}
        weights = dict.fromkeys(issue_ids, 1.0)
    elif kind in UTILITY_TYPES:
        functions = _value_functions(path, data, kind, names)
        for position, (weight, function) in enumerate(functions):
            field = f"values[{position}]" if kind == "LinearAdditiveUtilityFunction" else "weights"
            table = [_evaluate(path, field, function, value) for value in values[position]]
            sign = -1.0 if weight < 0 else 1.0
            weights[issue_ids[position]] = abs(weight)
            scores[issue_ids[position]] = {
                option: sign * score
                for option, score in zip(option_ids[position], table, strict=True)
            }
        bias = _number(path, "bias", data.get("bias", 0.0) or 0.0)
        if bias:
            always = {issue_ids[0]: tuple(option_ids[0])}
            interactions.append({"options": always, "value": bias, "label": "bias"})
    else:
        supported = ", ".join(UTILITY_TYPES)
        raise _problem(
            path, "type", f"utility function type '{kind}' is not supported ({supported})"
        )
    reserved = data.get("reserved_value")
    reservation = None
    if reserved is not None:
        number = _number(path, "reserved_value", reserved, infinite=True)
        if math.isfinite(number):
            reservation = number
        elif number > 0:
            raise _problem(path, "reserved_value", "a reserved value of plus infinity")
    return {
        "scale": "points",
        "weights": weights,
        "values": scores,
        "interactions": interactions,
        "red_lines": red_lines,
        "reservation": reservation,
    }


def _value_functions(
    path: Path, data: dict[str, Any], kind: str, names: list[str]
) -> list[tuple[float, dict[str, Any]]]:
    """Each issue's weight and value function (``AffineUtilityFunction``: the identity)."""
    written = data.get("weights")
    if isinstance(written, dict):
        written = [written.get(name, 1.0) for name in names]
    if written is None:
        written = [1.0] * len(names)
    if not isinstance(written, list) or len(written) != len(names):
        raise _problem(path, "weights", f"expected {len(names)} weights, one per issue")
    weights = [_number(path, f"weights[{n}]", w) for n, w in enumerate(written)]
    if kind != "LinearAdditiveUtilityFunction":
        return [(w, {"type": "IdentityFun"}) for w in weights]
    functions = data.get("values")
    if isinstance(functions, dict):
        missing = [name for name in names if name not in functions]
        if missing:
            raise _problem(path, "values", f"no value function for issue(s) {missing}")
        functions = [functions[name] for name in names]
    if not isinstance(functions, list) or len(functions) != len(names):
        raise _problem(path, "values", f"expected {len(names)} value functions, one per issue")
    return list(zip(weights, functions, strict=True))


def _evaluate(path: Path, field: str, function: Any, value: Any) -> float:
    """A value function at one issue value, as NegMAS computes it."""
    kind = _type(function) if isinstance(function, dict) else ""
    if kind == "TableFun":
        table = function.get("mapping")
        if not isinstance(table, dict) or value not in table:
            raise _problem(path, f"{field}.mapping", f"no value for {value!r}")
        return _number(path, f"{field}.mapping", table[value])
    if kind == "ConstFun":
        return _number(path, f"{field}.bias", function.get("bias", 0.0))
    if kind not in VALUE_FUNCTIONS:
        supported = ", ".join(VALUE_FUNCTIONS)
        raise _problem(
            path, f"{field}.type", f"value function '{kind}' is not supported ({supported})"
        )
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise _problem(path, field, f"{kind} of the non-numeric value {value!r}")
    slope = 1.0 if kind == "IdentityFun" else _number(path, f"{field}.slope", function.get("slope"))
    bias = _number(path, f"{field}.bias", function.get("bias", 0.0)) if kind == "AffineFun" else 0.0
    result = value * slope + bias
    if not math.isfinite(result):
        raise _problem(path, field, f"{kind} at {value!r} is not finite")
    return float(result)


def _mapping(
    path: Path,
    data: dict[str, Any],
    values: list[list[Any]],
    issue_ids: list[str],
    option_ids: list[list[str]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One interaction term per outcome worth something, one red line per outcome worth
    minus infinity."""
    table = data.get("mapping")
    if not isinstance(table, dict):
        raise _problem(path, "mapping", "expected a table of outcomes (a lambda cannot be read)")
    count = math.prod(len(vs) for vs in values)
    if count > MAX_MAPPED_OUTCOMES:
        raise _problem(path, "mapping", f"{count:,} outcomes: at most {MAX_MAPPED_OUTCOMES:,}")
    default = _number(path, "default", data.get("default", -math.inf), infinite=True)
    positions: list[dict[Any, int]] = [{v: n for n, v in enumerate(vs)} for vs in values]
    found: dict[tuple[int, ...], float] = {}
    for key, utility in table.items():
        outcome = key if isinstance(key, tuple) else (key,)
        picked = [p.get(v) for p, v in zip(positions, outcome, strict=False)]
        if len(outcome) != len(values) or None in picked:
            raise _problem(path, "mapping", f"{key!r} is not an outcome of the outcome space")
        found[tuple(int(p) for p in picked if p is not None)] = _number(
            path, "mapping", utility, infinite=True
        )
    interactions: list[dict[str, Any]] = []
    red_lines: list[dict[str, Any]] = []
    for outcome in itertools.product(*(range(len(vs)) for vs in values)):
        utility = found.get(outcome, default)
        options = {issue_ids[i]: option_ids[i][o] for i, o in enumerate(outcome)}
        if utility == -math.inf:
            red_lines.append({"options": options, "label": "NegMAS utility minus infinity"})
        elif not math.isfinite(utility):
            raise _problem(path, "mapping", f"utility {utility} for an outcome")
        elif utility:
            interactions.append({"options": options, "value": utility})
    return interactions, red_lines


def _number(path: Path, field: str, value: Any, infinite: bool = False) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if math.isfinite(number) or (infinite and not math.isnan(number)):
            return number
    raise _problem(path, field, f"expected a finite number, got {value!r}")
