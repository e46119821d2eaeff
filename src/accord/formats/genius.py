"""Read GENIUS XML (ANAC 2010–2016): one domain file and one preference profile per party.

Utilities are GENIUS 10.4's own, to the last digit, on the ``points`` scale:

- linear profile (``AdditiveUtilitySpace``): ``U = sum of weight * eval``, weights *as
  written*; a discrete value's ``eval`` is its evaluation over the issue's highest (0 for
  the issue when that is below 1e-5), an integer's ``clip(offset + slope * (v - lowerbound),
  0, 1)``. GENIUS caps ``U`` at 1: where weights and evaluations can pass 1, the
  preferences say ``cap: 1`` (the ceiling joins no issues, so it costs nothing);
- real issue: options on GENIUS's own grid (``IssueReal``: 21 discretisation steps, both
  bounds included; ``real_points`` for another), exact utilities at those values (linear,
  constant, triangular), stated in the description and in a warning;
- non-linear profile (ANAC 2014, ``NonlinearUtilitySpace``): ``sum of utility * weight``
  over the hyper-rectangles whose ``INCLUDES`` bounds hold, over ``maxutility``; each
  rectangle is an interaction term listing the options in its ranges. GENIUS caps this at 1
  too: where the rectangles' positive utilities can pass ``maxutility``, ``cap: 1``;
- ``discount_factor`` is the discount (1 when outside ``(0, 1]`` or unreadable, as in
  GENIUS), ``reservation`` the reservation value (absent: 0). A ``type="UNCERTAIN"`` profile
  (the agent sees only a ranking of some bids) is read as the linear profile it holds, and
  the description says so.

Issues are matched by ``index``, never by position. Ids come from names and values
(characters outside ``A-Z a-z 0-9 _ . -`` become ``_``, a suffix keeps them distinct); the
original strings are kept as titles and labels. What Accord cannot represent (nested
objectives, min/max aggregation, other evaluators and profile types) is an error naming it,
and every error names file, line and column.

What GENIUS reads that a user would not expect is read as GENIUS reads it, with a warning
(file, line; :func:`read_genius` and :func:`read_genius_folder` return them): XML its lenient
parser accepts (:mod:`accord.formats.xml_recovery`), a weight for the root objective, profile
bounds that differ from the domain's, the grid real issues are read on, elements Accord
does not model. ``EXCLUDES`` hyper-rectangles are exact (a term that always holds less the
term on the box). A folder may hold several domains: :mod:`accord.formats.genius_pairing`.
The format: ``shared/external/genius/FORMAT.md``; every construct and what Accord does with
it: ``docs/reference/foreign-formats.md``.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.errors import Problem, ScenarioError
from accord.formats.genius_export import CAP_TOLERANCE, dump_genius
from accord.formats.genius_pairing import Candidate, Issues, best_domains
from accord.formats.imported import Imported
from accord.formats.xml_recovery import looks_like_xml, parse_xml
from accord.scenario.loader import validate_data
from accord.scenario.model import Scenario

__all__ = [
    "REAL_POINTS",
    "dump_genius",
    "load_genius",
    "load_genius_folder",
    "read_genius",
    "read_genius_folder",
]

REAL_POINTS = 21
"""Values a real issue takes by default: GENIUS's own ``IssueReal`` default of 21
discretisation steps (its two bounds and 19 evenly spaced between), so outcome counts are
GENIUS's ``getNumberOfPossibleBids``."""
MAX_OPTIONS = 10_000
_EMPTY_ISSUE = 1e-5  # EvaluatorDiscrete: an issue whose best evaluation is below this is 0
_ROOTS = ("utility_space", "negotiation_template")
_NOT_ID = re.compile(r"[^A-Za-z0-9_.\-]+")

Options = dict[str, tuple[str, ...]]


@dataclass(frozen=True, eq=False)
class _Xml:
    """A parsed file, with the line and column (1-based) where each element starts."""

    path: Path
    root: ET.Element
    positions: dict[ET.Element, tuple[int, int]]
    repairs: tuple[Problem, ...] = ()

    def error(self, element: ET.Element, message: str) -> ScenarioError:
        return ScenarioError([self.problem(element, message)])

    def problem(self, element: ET.Element, message: str) -> Problem:
        line, column = self.positions.get(element, (None, None))
        return Problem(message, source=str(self.path), line=line, column=column)

    def line(self, element: ET.Element) -> int | None:
        return self.positions.get(element, (None, None))[0]

    @property
    def utility_space(self) -> ET.Element:
        root = self.root
        space = root if root.tag == "utility_space" else root.find("utility_space")
        if root.tag not in _ROOTS or space is None:
            raise self.error(root, f"expected a GENIUS <utility_space>, found <{root.tag}>")
        return space

    @property
    def objective(self) -> ET.Element:
        """The root objective, which must hold the issues directly."""
        objective = self.utility_space.find("objective")
        if objective is None:
            raise self.error(self.utility_space, "expected an <objective> holding the issues")
        nested = objective.find("objective")
        if nested is not None:
            raise self.error(nested, "nested objectives are not supported (issues only)")
        return objective


@dataclass(frozen=True)
class _Issue:
    index: int
    name: str
    kind: str  # discrete, integer or real
    labels: tuple[str, ...]  # discrete: GENIUS's value strings
    numbers: tuple[float, ...]  # integer and real: the option values
    bounds: tuple[float, float] | None
    id: str
    option_ids: tuple[str, ...]


@dataclass(frozen=True)
class _Domain:
    xml: _Xml
    issues: tuple[_Issue, ...]
    warnings: list[Problem] = field(default_factory=list)
    """What GENIUS reads in a surprising way, or Accord leaves out: shown to the user."""

    def is_root(self, index: int, profile: _Xml) -> bool:
        """Whether ``index`` is the root objective's, in the domain or the profile (GENIUS
        reads a weight given for it and never uses it)."""
        return any(
            (xml.objective.get("index") or "").strip() == str(index) for xml in (self.xml, profile)
        )

    def by_index(self, index: int) -> _Issue | None:
        return next((issue for issue in self.issues if issue.index == index), None)

    def unknown(self, what: str) -> str:
        known = ", ".join(str(issue.index) for issue in self.issues)
        return f"{what} is not in the domain {self.xml.path} (its issue indices: {known})"


def load_genius(domain: Path, profiles: list[Path], *, real_points: int = REAL_POINTS) -> Scenario:
    """A scenario from a GENIUS domain file and profile files (one party per profile)."""
    return read_genius(domain, profiles, real_points=real_points).scenario


def read_genius(domain: Path, profiles: list[Path], *, real_points: int = REAL_POINTS) -> Imported:
    """As :func:`load_genius`, with the warnings: repairs, elements left out, readings of
    GENIUS's that a user would not expect (each with file and line)."""
    profile_xmls = [_parse(Path(profile)) for profile in profiles]
    return _scenario(_parse(Path(domain)), profile_xmls, Path(domain).stem, real_points)


def load_genius_folder(
    folder: Path, *, domain: Path | None = None, real_points: int = REAL_POINTS
) -> Scenario:
    """A scenario from a folder holding GENIUS domain files and their profiles.

    A folder holding several domains (each with its profiles) is an error listing them,
    unless ``domain`` picks one: see :func:`read_genius_folder`.
    """
    found = read_genius_folder(folder, domain=domain, real_points=real_points)
    if len(found) > 1:
        listed = "; ".join(
            f"{imported.scenario.title} ({', '.join(p.name for p in imported.scenario.parties)})"
            for imported in found
        )
        message = f"this folder holds {len(found)} GENIUS scenarios: {listed}; give --domain FILE"
        raise ScenarioError([Problem(message, source=str(folder))])
    return found[0].scenario


def read_genius_folder(
    folder: Path, *, domain: Path | None = None, real_points: int = REAL_POINTS
) -> list[Imported]:
    """Every scenario in a folder of GENIUS files: one per domain, with its profiles.

    A domain is an XML file without evaluations, weights or evaluators; every other GENIUS
    XML file is a profile, in file-name order. Each profile goes with the domain whose issues
    and values it scores (and whose file name shares the longest start with its own, as ANAC
    2012's ``Fitness-A-domain.xml`` and ``Fitness-A-prof1.xml``): see
    :mod:`accord.formats.genius_pairing`; a tie is an error listing the candidates. ``domain``
    (a file, in the folder or not) takes that domain and the profiles that go with it.
    Files that are not XML (GENIUS ships Pareto frontiers as plain text named
    ``pareto.xml``), XML that is not a GENIUS utility space, and sub-folders (``uncertain/``
    holds variants of the same profiles) are left out.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ScenarioError([Problem("no such folder", source=str(folder))])
    domains: list[_Xml] = []
    profiles: list[_Xml] = []
    for path in sorted(folder.iterdir(), key=_natural):
        if path.is_file() and path.suffix.lower() == ".xml":
            data = _read(path)
            xml = _parse(path, data) if looks_like_xml(data) else None
            if xml is not None and xml.root.tag in _ROOTS:
                (profiles if _is_profile(xml.root) else domains).append(xml)
    chosen = None
    if domain is not None:
        chosen = _chosen_domain(Path(domain), folder, domains)
        domains = [chosen, *(xml for xml in domains if xml.path.resolve() != chosen.path.resolve())]
    if not domains or not profiles:
        message = "no GENIUS profile files found"
        if not domains:
            message = "expected a GENIUS domain file (without evaluations), found none"
        raise ScenarioError([Problem(message, source=str(folder))])
    groups = _pairings(folder, domains, profiles, real_points, chosen is not None)
    if chosen is not None:
        groups = groups[:1]
    several = len(groups) > 1
    return [
        _scenario(
            domain_xml,
            grouped,
            f"{folder.name} {domain_xml.path.stem}" if several else folder.name,
            real_points,
        )
        for domain_xml, grouped in groups
    ]


def _chosen_domain(path: Path, folder: Path, domains: list[_Xml]) -> _Xml:
    if not path.is_file() and (folder / path).is_file():
        path = folder / path
    if not path.is_file():
        raise ScenarioError([Problem("--domain: no such file", source=str(path))])
    xml = _parse(path)
    if xml.root.tag not in _ROOTS or _is_profile(xml.root):
        message = "--domain: expected a GENIUS domain file (without evaluations)"
        raise ScenarioError([Problem(message, source=str(path))])
    return xml


def _pairings(
    folder: Path, domains: list[_Xml], profiles: list[_Xml], real_points: int, first_only: bool
) -> list[tuple[_Xml, list[_Xml]]]:
    """Each domain with the profiles that go with it (domains without any left out)."""
    if len(domains) == 1:  # one domain: its profiles' mismatches are errors, said in full
        return [(domains[0], profiles)]
    candidates = [Candidate(xml.path.name, _domain_signature(xml, real_points)) for xml in domains]
    grouped: dict[int, list[_Xml]] = {}
    problems: list[Problem] = []
    names = ", ".join(xml.path.name for xml in domains)
    for profile in profiles:
        best = best_domains(candidates, Candidate(profile.path.name, _profile_signature(profile)))
        if first_only and 0 in best:
            grouped.setdefault(0, []).append(profile)
        elif first_only:
            continue
        elif len(best) == 1:
            grouped.setdefault(best[0], []).append(profile)
        elif best:
            listed = ", ".join(domains[n].path.name for n in best)
            message = (
                f"{profile.path.name} fits several domains equally (same issues and values, "
                f"name shared as far): {listed}; give --domain FILE"
            )
            problems.append(Problem(message, source=str(folder)))
        else:
            message = (
                f"{profile.path.name} fits none of the domains {names} (issues or values "
                "differ from each); give --domain FILE to see where"
            )
            problems.append(Problem(message, source=str(folder)))
    if problems:
        raise ScenarioError(problems)
    if not grouped:
        message = f"no profile in this folder fits the domain {domains[0].path.name}"
        raise ScenarioError([Problem(message, source=str(folder))])
    return [(domains[n], grouped[n]) for n in sorted(grouped)]


def _domain_signature(xml: _Xml, real_points: int) -> Issues:
    return {
        issue.index: (issue.kind, frozenset(issue.labels))
        for issue in _domain_issues(xml, real_points, [])
    }


def _profile_signature(xml: _Xml) -> Issues:
    """The issues a profile scores, read loosely: what does not parse fits no domain."""
    signature: Issues = {}
    try:
        elements = xml.objective.findall("issue")
    except ScenarioError:
        return {}
    for element in elements:
        try:
            index = int((element.get("index") or "").strip())
            kind = _kind(xml, element)
        except (ValueError, ScenarioError):
            return {}
        values = (
            frozenset(item.get("value") or "" for item in element.findall("item"))
            if kind == "discrete"
            else frozenset()
        )
        signature[index] = (kind, values)
    return signature


def _scenario(domain_xml: _Xml, profiles: list[_Xml], name: str, real_points: int) -> Imported:
    if real_points < 2:
        raise ValueError(f"real_points must be at least 2 (both bounds), got {real_points}")
    warnings = [problem for xml in (domain_xml, *profiles) for problem in xml.repairs]
    scenario = _checked_scenario(domain_xml, profiles, name, real_points, warnings)
    for xml in (domain_xml, *profiles):
        warnings.extend(_unread_elements(xml))
    return Imported(scenario, tuple(warnings))


def _checked_scenario(
    domain_xml: _Xml, profiles: list[_Xml], name: str, real_points: int, warnings: list[Problem]
) -> Scenario:
    domain = _Domain(domain_xml, _domain_issues(domain_xml, real_points, warnings), warnings)
    notes: list[str] = []
    parties: list[dict[str, Any]] = []
    taken: set[str] = set()
    for profile in profiles:
        preferences = _preferences(profile, domain, notes)
        party_id = _identifier(profile.path.stem, "party", taken)
        parties.append(
            {
                "id": party_id,
                "name": profile.path.name,
                "role": "negotiator",
                "preferences": preferences,
            }
        )
    data = {
        "id": _identifier(name, "genius", set()),
        "title": name,
        "description": _description(domain, profiles, notes, real_points),
        "issues": [_issue_data(issue) for issue in domain.issues],
        "parties": parties,
    }
    return validate_data(data, str(domain_xml.path))


def _issue_data(issue: _Issue) -> dict[str, Any]:
    options: list[dict[str, Any]]
    if issue.kind == "discrete":
        options = [
            {"id": o, "label": v} for o, v in zip(issue.option_ids, issue.labels, strict=True)
        ]
    else:
        options = [
            {"id": o, "label": _shown(v), "value": v}
            for o, v in zip(issue.option_ids, issue.numbers, strict=True)
        ]
    return {"id": issue.id, "title": issue.name, "options": options}


def _description(domain: _Domain, profiles: list[_Xml], notes: list[str], points: int) -> str:
    names = ", ".join(profile.path.name for profile in profiles)
    lines = [
        f"Imported from GENIUS XML: domain {domain.xml.path.name}, profiles {names}. "
        "Utilities are GENIUS's: weights as written, each discrete evaluation divided by "
        "its issue's highest evaluation."
    ]
    grids: dict[tuple[float, float], list[str]] = {}
    for issue in domain.issues:
        if issue.kind == "real" and issue.bounds is not None:
            grids.setdefault(issue.bounds, []).append(f"'{issue.name}'")
    for (low, high), issue_names in grids.items():
        count = len(_grid(low, high, points))
        step = f" in steps of {_shown((high - low) / (points - 1))}" if count > 1 else ""
        lines.append(
            f"Real issue(s) {', '.join(issue_names)} discretised: {count} values from "
            f"{_shown(low)} to {_shown(high)}{step}, both bounds included. GENIUS allows any "
            "value in between: utilities are exact at these values, but frontiers and "
            "solutions are found on this grid only."
        )
    return "\n\n".join([*lines, *notes])


# -- the domain --------------------------------------------------------------------------


def _domain_issues(xml: _Xml, real_points: int, warnings: list[Problem]) -> tuple[_Issue, ...]:
    issues: list[_Issue] = []
    issue_ids: set[str] = set()
    for element in xml.objective.findall("issue"):
        index = _integer(xml, element, "index")
        if any(issue.index == index for issue in issues):
            raise xml.error(element, f"issue index {index} is used twice")
        kind = _kind(xml, element)
        labels: tuple[str, ...] = ()
        numbers: tuple[float, ...] = ()
        bounds = None
        if kind == "discrete":
            labels = _item_values(xml, element)
        else:
            bounds = low, high = _bounds(xml, element, kind)
            if low > high or (kind == "integer" and high - low >= MAX_OPTIONS):
                raise xml.error(
                    element,
                    f"expected lowerbound <= upperbound and at most {MAX_OPTIONS:,} values, "
                    f"got {_shown(low)} to {_shown(high)}",
                )
            if kind == "integer":
                numbers = tuple(float(v) for v in range(int(low), int(high) + 1))
            else:
                numbers = _grid(low, high, real_points)
                warnings.append(xml.problem(element, _grid_said(element, numbers, real_points)))
        taken: set[str] = set()
        option_ids = tuple(
            _identifier(label, f"option{n}", taken)
            for n, label in enumerate(labels or map(_number_id, numbers), 1)
        )
        name = element.get("name", "")
        issue_id = _identifier(name, f"issue{index}", issue_ids)
        issues.append(_Issue(index, name, kind, labels, numbers, bounds, issue_id, option_ids))
    if not issues:
        raise xml.error(xml.objective, "the domain has no <issue> elements")
    return tuple(issues)


def _kind(xml: _Xml, element: ET.Element) -> str:
    kind = (element.get("type") or element.get("vtype") or "discrete").strip().lower()
    if kind not in ("discrete", "integer", "real"):
        raise xml.error(element, f"issue type '{kind}' is not supported (discrete, integer, real)")
    return kind


def _item_values(xml: _Xml, issue: ET.Element) -> tuple[str, ...]:
    values: dict[str, ET.Element] = {}
    for item in issue.findall("item"):
        value = item.get("value")
        if value is None:
            raise xml.error(item, "expected an <item> with a 'value'")
        if value in values:
            first = xml.line(values[value])
            raise xml.error(
                item,
                f"duplicate value '{value}' (first at line {first}) in issue "
                f"'{issue.get('name', '')}': a bid could not tell the two apart",
            )
        values[value] = item
    if not values:
        raise xml.error(issue, "a discrete issue needs at least one <item>")
    return tuple(values)


def _grid_said(element: ET.Element, numbers: tuple[float, ...], points: int) -> str:
    """The warning that says on which grid a real issue is read."""
    step = f" in steps of {_shown(numbers[1] - numbers[0])}" if len(numbers) > 1 else ""
    grid = (
        f"GENIUS's default grid of {points} discretisation steps"
        if points == REAL_POINTS
        else f"a grid of {points} steps (GENIUS's default: {REAL_POINTS})"
    )
    return (
        f"real issue '{element.get('name', '')}' is read on {len(numbers)} values from "
        f"{_shown(numbers[0])} to {_shown(numbers[-1])}{step}, both bounds included: {grid}; "
        "--real-points N chooses another"
    )


def _bounds(xml: _Xml, issue: ET.Element, kind: str) -> tuple[float, float]:
    """An integer issue's bound attributes, or a real issue's ``<range>``."""
    if kind == "integer":
        if issue.get("lowerbound") is None and issue.find("range") is not None:
            raise xml.error(
                issue,
                "an integer issue's bounds are its lowerbound and upperbound attributes "
                "(GENIUS does not read a <range> for an integer issue)",
            )
        return float(_integer(xml, issue, "lowerbound")), float(_integer(xml, issue, "upperbound"))
    bounds = issue.find("range")
    if bounds is None:
        raise xml.error(issue, "a real issue needs a <range lowerbound=... upperbound=...>")
    return _number(xml, bounds, "lowerbound"), _number(xml, bounds, "upperbound")


def _grid(low: float, high: float, points: int) -> tuple[float, ...]:
    """GENIUS's ``BidIterator`` values, to the last digit: ``low + step * k``."""
    if low >= high:
        return (low,)
    step = (high - low) / (points - 1)
    return tuple(low + step * k for k in range(points))


# -- profiles ----------------------------------------------------------------------------


def _preferences(xml: _Xml, domain: _Domain, notes: list[str]) -> dict[str, Any]:
    """A party's preferences (``cap: 1`` where GENIUS's cap at 1 can bind)."""
    space = xml.utility_space
    kind = (space.get("type") or "linear").strip().upper()
    if kind == "NONLINEAR":
        weights = None
        values, interactions, cap = _nonlinear(xml, domain, notes)
    elif kind in ("LINEAR", "UNCERTAIN"):
        weights, values = _additive(xml, domain)
        interactions, cap = [], _linear_cap(xml, domain, weights, values, notes)
        if kind == "UNCERTAIN":
            notes.append(
                f"{xml.path.name} is a GENIUS preference-uncertainty profile (type "
                "UNCERTAIN: the agent is given only a ranking of "
                f"{(space.findtext('comparisons') or '?').strip()} bids); it is read here as "
                "the full linear profile it holds."
            )
    else:
        what = " (GENIUS's ConstraintUtilitySpace: issue ranks and zero constraints)"
        raise xml.error(
            space,
            f"profile type '{kind}'{what if kind == 'CONSTRAINT' else ''} is not supported "
            "(linear, nonlinear, uncertain)",
        )
    discount = _last_setting(xml, space, "discount_factor", 1.0)
    preferences = {
        "scale": "points",
        "weights": weights,
        "values": values,
        "interactions": interactions,
        "reservation": _last_setting(xml, space, "reservation", 0.0),
        "cap": cap,
        "discount": discount if 0 < discount <= 1 else 1.0,
    }
    return preferences


def _last_setting(xml: _Xml, node: ET.Element, tag: str, default: float) -> float:
    """The ``value`` GENIUS ends with for ``<tag>``: it reads the first such child at every
    level, outermost first, and skips one without a ``value`` (SON's domain file has
    ``<discount_factor><value>1</value></discount_factor>``)."""
    value = default
    setting = node.find(tag)
    if setting is not None and setting.get("value") is not None:
        value = _number(xml, setting, "value")
    for child in node:
        value = _last_setting(xml, child, tag, value)
    return value


def _profile_issues(xml: _Xml, domain: _Domain) -> dict[int, ET.Element]:
    """The profile's ``<issue>`` elements by index, checked against the domain."""
    found: dict[int, ET.Element] = {}
    for element in xml.objective.findall("issue"):
        index = _integer(xml, element, "index")
        issue = domain.by_index(index)
        if issue is None:
            raise xml.error(element, domain.unknown(f"issue index {index}"))
        kind = _kind(xml, element)
        if index in found:
            raise xml.error(element, f"issue index {index} is given twice")
        if kind != issue.kind:
            raise xml.error(
                element,
                f"issue {index} is {kind} here but {issue.kind} in the domain {domain.xml.path}",
            )
        if issue.bounds is not None and _bounds(xml, element, kind) != issue.bounds:
            low, high = _bounds(xml, element, kind)
            read = (
                "GENIUS's linear real evaluator does not use them: the domain's values are "
                "scored as written"
                if kind == "real"
                else f"GENIUS takes the values from the domain and scores each from this "
                f"lowerbound: offset + slope * (value - {_shown(low)})"
            )
            domain.warnings.append(
                xml.problem(
                    element,
                    f"bounds {_shown(low)} to {_shown(high)} of issue '{issue.name}' differ "
                    f"from the domain {domain.xml.path} ({_shown(issue.bounds[0])} to "
                    f"{_shown(issue.bounds[1])}); {read}",
                )
            )
        found[index] = element
    return found


def _additive(xml: _Xml, domain: _Domain) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    elements = _profile_issues(xml, domain)
    weight_elements: dict[int, ET.Element] = {}
    for element in xml.objective.findall("weight"):
        index = _integer(xml, element, "index")
        if domain.by_index(index) is None and domain.is_root(index, xml):
            domain.warnings.append(
                xml.problem(
                    element,
                    f"weight index {index} is the root objective's: GENIUS reads it and never "
                    "uses it (only the issues' weights count); left out",
                )
            )
            continue
        if domain.by_index(index) is None:
            raise xml.error(element, domain.unknown(f"weight index {index}"))
        if index in weight_elements:
            raise xml.error(element, f"weight index {index} is given twice")
        weight_elements[index] = element
    weights: dict[str, float] = {}
    values: dict[str, dict[str, float]] = {}
    for issue in domain.issues:
        found = elements.get(issue.index)
        weight_element = weight_elements.get(issue.index)
        if found is None or weight_element is None:
            raise xml.error(
                xml.objective if found is None else found,
                f"no <issue> or <weight> with index {issue.index} for issue '{issue.name}' of "
                f"the domain {domain.xml.path}: GENIUS needs both for every issue",
            )
        weights[issue.id] = _number(xml, weight_element, "value")
        if weights[issue.id] < 0:
            raise xml.error(weight_element, "negative weights are not supported")
        evaluations = _evaluations(xml, domain, issue, found)
        values[issue.id] = dict(zip(issue.option_ids, evaluations, strict=True))
    return weights, values


def _evaluations(xml: _Xml, domain: _Domain, issue: _Issue, element: ET.Element) -> list[float]:
    if issue.kind == "discrete":
        return _discrete(xml, domain, issue, element)
    evaluator = element.find("evaluator")
    if issue.kind == "integer":
        if evaluator is None:  # GENIUS: slope and offset 0
            return [0.0] * len(issue.numbers)
        # GENIUS reads any integer evaluator as linear; another ftype is refused, not ignored.
        _ftype(xml, evaluator, ("linear",), "linear")
        slope, offset = _number(xml, evaluator, "slope"), _number(xml, evaluator, "offset")
        low = _bounds(xml, element, "integer")[0]  # EvaluatorInteger: the profile's own bound
        return [min(max(slope * (v - low) + offset, 0.0), 1.0) for v in issue.numbers]
    if evaluator is None:
        raise xml.error(element, "a real issue needs an <evaluator ftype=...>")
    ftype = _ftype(xml, evaluator, ("linear", "constant", "triangular"), "")
    count = {"constant": 1, "linear": 2, "triangular": 3}[ftype]
    p = [_number(xml, evaluator, f"parameter{k}") for k in range(count)]
    if ftype == "constant":  # not clipped in GENIUS either
        return [p[0]] * len(issue.numbers)
    if ftype == "triangular":  # lower, upper, top
        return [_triangular(x, p[0], p[1], p[2]) for x in issue.numbers]
    return [min(max(p[1] * x + p[0], 0.0), 1.0) for x in issue.numbers]


def _ftype(xml: _Xml, evaluator: ET.Element, supported: tuple[str, ...], default: str) -> str:
    ftype = (evaluator.get("ftype") or default).strip()
    if ftype.lower() not in supported:
        expected = " or ".join(supported)
        raise xml.error(evaluator, f"evaluator ftype '{ftype}' is not supported ({expected})")
    return ftype.lower()


def _triangular(x: float, low: float, high: float, top: float) -> float:
    """GENIUS's ``EVALFUNCTYPE.evalTriangular``."""
    if x < low:
        return 0.0
    if x < top:
        return (x - low) / (top - low)
    if x < high:
        return 1 - (x - top) / (high - top)
    return 0.0


def _discrete(xml: _Xml, domain: _Domain, issue: _Issue, element: ET.Element) -> list[float]:
    given: dict[str, float] = {}
    seen: dict[str, ET.Element] = {}
    for item in element.findall("item"):
        value = item.get("value")
        if value is None:
            raise xml.error(item, "expected an <item> with a 'value'")
        if value in seen:
            first = xml.line(seen[value])
            raise xml.error(item, f"duplicate value '{value}' (first at line {first})")
        seen[value] = item
        if value not in issue.labels:
            known = ", ".join(f"'{label}'" for label in issue.labels)
            raise xml.error(
                item,
                f"value '{value}' of issue '{issue.name}' is not in the domain "
                f"{domain.xml.path} (its values: {known})",
            )
        text = item.get("evaluation")
        if text is not None and text.strip() != "null":  # GENIUS skips both
            given[value] = _number(xml, item, "evaluation")
    missing = ", ".join(f"'{label}'" for label in issue.labels if label not in given)
    if missing:
        raise xml.error(
            element,
            f"no evaluation for value(s) {missing} of issue '{issue.name}' (domain "
            f"{domain.xml.path}): GENIUS cannot score a bid that picks them",
        )
    top = max(given.values())
    return [given[label] / top if top >= _EMPTY_ISSUE else 0.0 for label in issue.labels]


def _linear_cap(
    xml: _Xml,
    domain: _Domain,
    weights: dict[str, float],
    values: dict[str, dict[str, float]],
    notes: list[str],
) -> float | None:
    """GENIUS's cap at 1, where the best package passes 1 (else it changes nothing)."""
    best = sum(max(weights[i.id] * values[i.id][o] for o in i.option_ids) for i in domain.issues)
    if best <= 1 + CAP_TOLERANCE:
        return None
    notes.append(
        f"{xml.path.name}: weights and evaluations reach {best:.10g}; GENIUS caps a linear "
        "profile's utility at 1, and so do these preferences (cap: 1)."
    )
    return 1.0


def _nonlinear(
    xml: _Xml, domain: _Domain, notes: list[str]
) -> tuple[dict[str, dict[str, float]], list[dict[str, Any]], float | None]:
    _profile_issues(xml, domain)
    utility = xml.objective.find("utility")
    ufun = utility.find("ufun") if utility is not None else None
    if utility is None or ufun is None:
        raise xml.error(xml.objective, "a nonlinear profile needs <utility><ufun>...")
    top = _number(xml, utility, "maxutility")
    if top <= 0:
        raise xml.error(utility, f"expected a positive maxutility, got {_shown(top)}")
    everything = {domain.issues[0].id: domain.issues[0].option_ids}
    rectangles = list(_rectangles(xml, domain, ufun, 1.0))
    interactions = [
        {
            "options": options or everything,
            "value": value / top,
            "label": f"hyper-rectangle {number} (utility {_shown(value)} of {_shown(top)})",
        }
        for number, (options, value) in enumerate(rectangles, 1)
        if options is not None
    ]
    never = len(rectangles) - len(interactions)
    # The cap can bind only if the positive rectangles together pass 1: cheap to rule out.
    positive = sum(max(value / top, 0.0) for options, value in rectangles if options is not None)
    capped = positive > 1 + CAP_TOLERANCE
    notes.append(
        f"{xml.path.name} is non-linear: each of its {len(interactions)} hyper-rectangles is "
        f"an interaction term worth utility x weight / maxutility ({_shown(top)}); "
        + (
            "GENIUS caps their sum at 1, and so do these preferences (cap: 1)."
            if capped
            else "their sum never passes 1, so GENIUS's cap at 1 changes nothing."
        )
        + (
            f" {never} rectangle(s) outside the issues' bounds never count: left out."
            if never
            else ""
        )
    )
    zeros = {issue.id: dict.fromkeys(issue.option_ids, 0.0) for issue in domain.issues}
    return zeros, interactions, 1.0 if capped else None


def _rectangles(
    xml: _Xml, domain: _Domain, ufun: ET.Element, weight: float
) -> Iterator[tuple[Options | None, float]]:
    """Each hyper-rectangle's options by issue (``None`` if it never holds) and its value."""
    aggregation = (ufun.get("aggregation") or "sum").strip().lower()
    if aggregation in ("min", "max"):
        raise xml.error(ufun, f"aggregation '{aggregation}' is not supported (sum only)")
    for rectangle in ufun.findall("hyperRectangle"):
        value = _number(xml, rectangle, "utility") * weight
        if rectangle.get("weight") is not None:
            value *= _number(xml, rectangle, "weight")
        # GENIUS's loadHyperRectangles: EXCLUDES bounds, when there are any, make the rectangle
        # an ExclusiveHyperRectangle (its INCLUDES are then not used); none at all: always.
        excluded = rectangle.findall("EXCLUDES")
        if excluded and rectangle.find("INCLUDES") is not None:
            domain.warnings.append(
                xml.problem(
                    rectangle,
                    "this hyper-rectangle has both EXCLUDES and INCLUDES bounds: GENIUS uses "
                    "the EXCLUDES ones only, and so does Accord",
                )
            )
        box = _box(xml, domain, excluded or rectangle.findall("INCLUDES"))
        if not excluded:
            yield box, value
            continue
        # ExclusiveHyperRectangle: worth its utility wherever some bound fails, i.e.
        # everywhere (a term that always holds) less the box where every bound holds.
        yield {}, value
        if box is not None:
            yield box, -value
    for inner in ufun.findall("ufun"):
        inner_weight = _number(xml, inner, "weight") if inner.get("weight") is not None else 1.0
        yield from _rectangles(xml, domain, inner, weight * inner_weight)


def _box(xml: _Xml, domain: _Domain, bounds: list[ET.Element]) -> Options | None:
    """The options inside every bound, by issue ({}: no bound; ``None``: an empty box)."""
    options: Options | None = {}
    for bound in bounds:
        index = _integer(xml, bound, "index")
        issue = domain.by_index(index)
        if issue is None or issue.kind != "integer":
            raise xml.error(bound, domain.unknown(f"integer issue index {index}"))
        low, high = _integer(xml, bound, "min"), _integer(xml, bound, "max")
        inside = tuple(
            option
            for option, number in zip(issue.option_ids, issue.numbers, strict=True)
            if low <= number <= high and option in (options or {}).get(issue.id, (option,))
        )
        options = {**options, issue.id: inside} if options is not None and inside else None
    return options


# -- XML, numbers and ids ----------------------------------------------------------------


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ScenarioError([Problem(f"cannot read: {error.strerror}", source=str(path))]) from None


def _parse(path: Path, data: bytes | None = None) -> _Xml:
    """Parse as GENIUS's lenient reader does, keeping every element's line and column and
    what had to be repaired (:mod:`accord.formats.xml_recovery`)."""
    parsed = parse_xml(path, _read(path) if data is None else data)
    return _Xml(path, parsed.root, parsed.positions, parsed.repairs)


_READ = frozenset(
    {
        "negotiation_template",
        "utility_space",
        "objective",
        "issue",
        "item",
        "range",
        "evaluator",
        "weight",
        "discount_factor",
        "reservation",
        "utility",
        "ufun",
        "hyperRectangle",
        "INCLUDES",
        "EXCLUDES",
    }
)
_UNCERTAIN = frozenset({"comparisons", "errors", "fixed_seed", "experimental"})


def _unread_elements(xml: _Xml) -> list[Problem]:
    """One warning per kind of element Accord does not read (GENIUS's readers skip them
    too: ``<stateissue>``, SON's ``<similarity_function>``, legacy ``<agent>`` tags)."""
    found: dict[str, list[ET.Element]] = {}
    for parent in xml.root.iter():
        for child in parent:
            known = child.tag in _READ or child.tag in _UNCERTAIN
            if child.tag == "value" and parent.tag == "discount_factor":
                known = True  # SON's <discount_factor><value>1</value></discount_factor>
            if not known:
                found.setdefault(child.tag, []).append(child)
    if xml.root.tag not in _ROOTS:
        return []
    warnings = []
    for tag, elements in found.items():
        more = f" (and {len(elements) - 1} more)" if len(elements) > 1 else ""
        warnings.append(
            xml.problem(
                elements[0],
                f"<{tag}>{more} is not modelled by Accord and left out; GENIUS's domain and "
                "utility readers do not read it either",
            )
        )
    return warnings


def _is_profile(root: ET.Element) -> bool:
    marks = ("weight", "evaluator", "utility", "hyperRectangle")
    if any(next(root.iter(tag), None) is not None for tag in marks):
        return True
    return any(item.get("evaluation") is not None for item in root.iter("item"))


def _number(xml: _Xml, element: ET.Element, attribute: str) -> float:
    """As Java's ``Double.valueOf``: surrounding blanks, leading zeros, a d/f suffix pass."""
    text = element.get(attribute)
    try:
        value = float((text or "").strip().rstrip("dDfF"))
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise xml.error(element, f"expected a number for '{attribute}', got {text!r}")
    return value


def _integer(xml: _Xml, element: ET.Element, attribute: str) -> int:
    text = element.get(attribute)
    try:
        return int((text or "").strip())
    except ValueError:
        raise xml.error(element, f"expected an integer for '{attribute}', got {text!r}") from None


def _identifier(text: str, fallback: str, taken: set[str]) -> str:
    """``text`` as an Accord id, distinct from those ``taken`` (which it joins)."""
    base = _NOT_ID.sub("_", text.strip()).lstrip("_.-")[:80] or fallback
    candidate, suffix = base, 2
    while candidate in taken:
        candidate = f"{base[: 79 - len(str(suffix))]}-{suffix}"
        suffix += 1
    taken.add(candidate)
    return candidate


def _number_id(number: float) -> str:
    text = _shown(number)
    return f"minus{text[1:]}" if text.startswith("-") else text


def _shown(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:.12g}"


def _natural(path: Path) -> tuple[tuple[int, int | str], ...]:
    """File-name order with numbers compared as numbers (``util2`` before ``util10``)."""
    parts = re.split(r"(\d+)", path.name)
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in parts if part)
