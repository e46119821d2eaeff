"""A GENIUS domain file's issues, and a profile's ``<issue>`` elements checked against them.

Issues are matched by ``index``, never by position. A real issue takes its values on
GENIUS's own grid (``IssueReal``: 21 discretisation steps, both bounds included), or on
``real_points`` values, and a warning says which.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from accord.errors import Problem
from accord.formats.genius_xml import (
    GeniusXml,
    attribute_integer,
    attribute_number,
    identifier,
    number_id,
    shown,
)

REAL_POINTS = 21
"""Values a real issue takes by default: GENIUS's own ``IssueReal`` default of 21
discretisation steps (its two bounds and 19 evenly spaced between), so outcome counts are
GENIUS's ``getNumberOfPossibleBids``."""
MAX_OPTIONS = 10_000


@dataclass(frozen=True)
class GeniusIssue:
    index: int
    name: str
    kind: str  # discrete, integer or real
    labels: tuple[str, ...]  # discrete: GENIUS's value strings
    numbers: tuple[float, ...]  # integer and real: the option values
    bounds: tuple[float, float] | None
    id: str
    option_ids: tuple[str, ...]


@dataclass(frozen=True)
class GeniusDomain:
    xml: GeniusXml
    issues: tuple[GeniusIssue, ...]
    warnings: list[Problem] = field(default_factory=list)
    """What GENIUS reads in a surprising way, or Accord leaves out: shown to the user."""

    def is_root(self, index: int, profile: GeniusXml) -> bool:
        """Whether ``index`` is the root objective's, in the domain or the profile (GENIUS
        reads a weight given for it and never uses it)."""
        return any(
            (xml.objective.get("index") or "").strip() == str(index) for xml in (self.xml, profile)
        )

    def by_index(self, index: int) -> GeniusIssue | None:
        return next((issue for issue in self.issues if issue.index == index), None)

    def unknown(self, what: str) -> str:
        known = ", ".join(str(issue.index) for issue in self.issues)
        return f"{what} is not in the domain {self.xml.path} (its issue indices: {known})"


# -- the domain --------------------------------------------------------------------------


def domain_issues(
    xml: GeniusXml, real_points: int, warnings: list[Problem]
) -> tuple[GeniusIssue, ...]:
    issues: list[GeniusIssue] = []
    issue_ids: set[str] = set()
    for element in xml.objective.findall("issue"):
        index = attribute_integer(xml, element, "index")
        if any(issue.index == index for issue in issues):
            raise xml.error(element, f"issue index {index} is used twice")
        kind = issue_kind(xml, element)
        labels: tuple[str, ...] = ()
        numbers: tuple[float, ...] = ()
        bounds = None
        if kind == "discrete":
            labels = _item_values(xml, element)
        else:
            bounds = low, high = issue_bounds(xml, element, kind)
            if low > high or (kind == "integer" and high - low >= MAX_OPTIONS):
                raise xml.error(
                    element,
                    f"expected lowerbound <= upperbound and at most {MAX_OPTIONS:,} values, "
                    f"got {shown(low)} to {shown(high)}",
                )
            if kind == "integer":
                numbers = tuple(float(v) for v in range(int(low), int(high) + 1))
            else:
                numbers = real_grid(low, high, real_points)
                warnings.append(xml.problem(element, _grid_said(element, numbers, real_points)))
        taken: set[str] = set()
        option_ids = tuple(
            identifier(label, f"option{n}", taken)
            for n, label in enumerate(labels or map(number_id, numbers), 1)
        )
        name = element.get("name", "")
        issue_id = identifier(name, f"issue{index}", issue_ids)
        issues.append(GeniusIssue(index, name, kind, labels, numbers, bounds, issue_id, option_ids))
    if not issues:
        raise xml.error(xml.objective, "the domain has no <issue> elements")
    return tuple(issues)


def issue_kind(xml: GeniusXml, element: ET.Element) -> str:
    kind = (element.get("type") or element.get("vtype") or "discrete").strip().lower()
    if kind not in ("discrete", "integer", "real"):
        raise xml.error(element, f"issue type '{kind}' is not supported (discrete, integer, real)")
    return kind


def _item_values(xml: GeniusXml, issue: ET.Element) -> tuple[str, ...]:
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
    step = f" in steps of {shown(numbers[1] - numbers[0])}" if len(numbers) > 1 else ""
    grid = (
        f"GENIUS's default grid of {points} discretisation steps"
        if points == REAL_POINTS
        else f"a grid of {points} steps (GENIUS's default: {REAL_POINTS})"
    )
    return (
        f"real issue '{element.get('name', '')}' is read on {len(numbers)} values from "
        f"{shown(numbers[0])} to {shown(numbers[-1])}{step}, both bounds included: {grid}; "
        "--real-points N chooses another"
    )


def issue_bounds(xml: GeniusXml, issue: ET.Element, kind: str) -> tuple[float, float]:
    """An integer issue's bound attributes, or a real issue's ``<range>``."""
    if kind == "integer":
        if issue.get("lowerbound") is None and issue.find("range") is not None:
            raise xml.error(
                issue,
                "an integer issue's bounds are its lowerbound and upperbound attributes "
                "(GENIUS does not read a <range> for an integer issue)",
            )
        return float(attribute_integer(xml, issue, "lowerbound")), float(
            attribute_integer(xml, issue, "upperbound")
        )
    bounds = issue.find("range")
    if bounds is None:
        raise xml.error(issue, "a real issue needs a <range lowerbound=... upperbound=...>")
    return attribute_number(xml, bounds, "lowerbound"), attribute_number(xml, bounds, "upperbound")


def real_grid(low: float, high: float, points: int) -> tuple[float, ...]:
    """GENIUS's ``BidIterator`` values, to the last digit: ``low + step * k``."""
    if low >= high:
        return (low,)
    step = (high - low) / (points - 1)
    return tuple(low + step * k for k in range(points))


def profile_issues(xml: GeniusXml, domain: GeniusDomain) -> dict[int, ET.Element]:
    """The profile's ``<issue>`` elements by index, checked against the domain."""
    found: dict[int, ET.Element] = {}
    for element in xml.objective.findall("issue"):
        index = attribute_integer(xml, element, "index")
        issue = domain.by_index(index)
        if issue is None:
            raise xml.error(element, domain.unknown(f"issue index {index}"))
        kind = issue_kind(xml, element)
        if index in found:
            raise xml.error(element, f"issue index {index} is given twice")
        if kind != issue.kind:
            raise xml.error(
                element,
                f"issue {index} is {kind} here but {issue.kind} in the domain {domain.xml.path}",
            )
        if issue.bounds is not None and issue_bounds(xml, element, kind) != issue.bounds:
            low, high = issue_bounds(xml, element, kind)
            read = (
                "GENIUS's linear real evaluator does not use them: the domain's values are "
                "scored as written"
                if kind == "real"
                else f"GENIUS takes the values from the domain and scores each from this "
                f"lowerbound: offset + slope * (value - {shown(low)})"
            )
            domain.warnings.append(
                xml.problem(
                    element,
                    f"bounds {shown(low)} to {shown(high)} of issue '{issue.name}' differ "
                    f"from the domain {domain.xml.path} ({shown(issue.bounds[0])} to "
                    f"{shown(issue.bounds[1])}); {read}",
                )
            )
        found[index] = element
    return found
