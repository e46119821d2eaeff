"""GENIUS's non-linear profiles (ANAC 2014, ``NonlinearUtilitySpace``), exactly.

``U = min(1, sum of utility * weight / maxutility)`` over the hyper-rectangles whose bounds
hold. Each ``INCLUDES`` rectangle is an interaction term listing the options in its ranges;
an ``EXCLUDES`` rectangle (``ExclusiveHyperRectangle``: worth its utility wherever some
bound fails) is a term that always holds less the term on its box. Where the positive
rectangles together can pass ``maxutility``, the preferences say ``cap: 1``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

from accord.formats.genius_domain import GeniusDomain, profile_issues
from accord.formats.genius_export import CAP_TOLERANCE
from accord.formats.genius_xml import GeniusXml, attribute_integer, attribute_number, shown

Options = dict[str, tuple[str, ...]]


def nonlinear_profile(
    xml: GeniusXml, domain: GeniusDomain, notes: list[str]
) -> tuple[dict[str, dict[str, float]], list[dict[str, Any]], float | None]:
    profile_issues(xml, domain)
    utility = xml.objective.find("utility")
    ufun = utility.find("ufun") if utility is not None else None
    if utility is None or ufun is None:
        raise xml.error(xml.objective, "a nonlinear profile needs <utility><ufun>...")
    top = attribute_number(xml, utility, "maxutility")
    if top <= 0:
        raise xml.error(utility, f"expected a positive maxutility, got {shown(top)}")
    everything = {domain.issues[0].id: domain.issues[0].option_ids}
    rectangles = list(_rectangles(xml, domain, ufun, 1.0))
    interactions = [
        {
            "options": options or everything,
            "value": value / top,
            "label": f"hyper-rectangle {number} (utility {shown(value)} of {shown(top)})",
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
        f"an interaction term worth utility x weight / maxutility ({shown(top)}); "
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
    xml: GeniusXml, domain: GeniusDomain, ufun: ET.Element, weight: float
) -> Iterator[tuple[Options | None, float]]:
    """Each hyper-rectangle's options by issue (``None`` if it never holds) and its value."""
    aggregation = (ufun.get("aggregation") or "sum").strip().lower()
    if aggregation in ("min", "max"):
        raise xml.error(ufun, f"aggregation '{aggregation}' is not supported (sum only)")
    for rectangle in ufun.findall("hyperRectangle"):
        value = attribute_number(xml, rectangle, "utility") * weight
        if rectangle.get("weight") is not None:
            value *= attribute_number(xml, rectangle, "weight")
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
        inner_weight = (
            attribute_number(xml, inner, "weight") if inner.get("weight") is not None else 1.0
        )
        yield from _rectangles(xml, domain, inner, weight * inner_weight)


def _box(xml: GeniusXml, domain: GeniusDomain, bounds: list[ET.Element]) -> Options | None:
    """The options inside every bound, by issue ({}: no bound; ``None``: an empty box)."""
    options: Options | None = {}
    for bound in bounds:
        index = attribute_integer(xml, bound, "index")
        issue = domain.by_index(index)
        if issue is None or issue.kind != "integer":
            raise xml.error(bound, domain.unknown(f"integer issue index {index}"))
        low, high = attribute_integer(xml, bound, "min"), attribute_integer(xml, bound, "max")
        inside = tuple(
            option
            for option, number in zip(issue.option_ids, issue.numbers, strict=True)
            if low <= number <= high and option in (options or {}).get(issue.id, (option,))
        )
        options = {**options, issue.id: inside} if options is not None and inside else None
    return options
