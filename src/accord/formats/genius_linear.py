"""GENIUS's linear profiles (``AdditiveUtilitySpace``), to the last digit.

``U = min(1, sum of weight * eval)``, weights *as written*; a discrete value's ``eval`` is
its evaluation over the issue's highest (0 for the issue when that is below 1e-5), an
integer's ``clip(offset + slope * (v - lowerbound), 0, 1)`` with the profile's own
lowerbound, a real's ``linear``, ``constant`` or ``triangular`` evaluator at each grid
value. The cap joins no issues: where weights and evaluations can pass 1, the preferences
say ``cap: 1``, and it costs nothing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from accord.formats.genius_domain import GeniusDomain, GeniusIssue, issue_bounds, profile_issues
from accord.formats.genius_export import CAP_TOLERANCE
from accord.formats.genius_xml import GeniusXml, attribute_integer, attribute_number

_EMPTY_ISSUE = 1e-5  # EvaluatorDiscrete: an issue whose best evaluation is below this is 0


def additive_profile(
    xml: GeniusXml, domain: GeniusDomain
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    elements = profile_issues(xml, domain)
    weight_elements: dict[int, ET.Element] = {}
    for element in xml.objective.findall("weight"):
        index = attribute_integer(xml, element, "index")
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
        weights[issue.id] = attribute_number(xml, weight_element, "value")
        if weights[issue.id] < 0:
            raise xml.error(weight_element, "negative weights are not supported")
        evaluations = _evaluations(xml, domain, issue, found)
        values[issue.id] = dict(zip(issue.option_ids, evaluations, strict=True))
    return weights, values


def _evaluations(
    xml: GeniusXml, domain: GeniusDomain, issue: GeniusIssue, element: ET.Element
) -> list[float]:
    if issue.kind == "discrete":
        return _discrete(xml, domain, issue, element)
    evaluator = element.find("evaluator")
    if issue.kind == "integer":
        if evaluator is None:  # GENIUS: slope and offset 0
            return [0.0] * len(issue.numbers)
        # GENIUS reads any integer evaluator as linear; another ftype is refused, not ignored.
        _ftype(xml, evaluator, ("linear",), "linear")
        slope, offset = (
            attribute_number(xml, evaluator, "slope"),
            attribute_number(xml, evaluator, "offset"),
        )
        low = issue_bounds(xml, element, "integer")[0]  # EvaluatorInteger: the profile's own bound
        return [min(max(slope * (v - low) + offset, 0.0), 1.0) for v in issue.numbers]
    if evaluator is None:
        raise xml.error(element, "a real issue needs an <evaluator ftype=...>")
    ftype = _ftype(xml, evaluator, ("linear", "constant", "triangular"), "")
    count = {"constant": 1, "linear": 2, "triangular": 3}[ftype]
    p = [attribute_number(xml, evaluator, f"parameter{k}") for k in range(count)]
    if ftype == "constant":  # not clipped in GENIUS either
        return [p[0]] * len(issue.numbers)
    if ftype == "triangular":  # lower, upper, top
        return [_triangular(x, p[0], p[1], p[2]) for x in issue.numbers]
    return [min(max(p[1] * x + p[0], 0.0), 1.0) for x in issue.numbers]


def _ftype(xml: GeniusXml, evaluator: ET.Element, supported: tuple[str, ...], default: str) -> str:
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


def _discrete(
    xml: GeniusXml, domain: GeniusDomain, issue: GeniusIssue, element: ET.Element
) -> list[float]:
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
            given[value] = attribute_number(xml, item, "evaluation")
    missing = ", ".join(f"'{label}'" for label in issue.labels if label not in given)
    if missing:
        raise xml.error(
            element,
            f"no evaluation for value(s) {missing} of issue '{issue.name}' (domain "
            f"{domain.xml.path}): GENIUS cannot score a bid that picks them",
        )
    top = max(given.values())
    return [given[label] / top if top >= _EMPTY_ISSUE else 0.0 for label in issue.labels]


def linear_cap(
    xml: GeniusXml,
    domain: GeniusDomain,
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
