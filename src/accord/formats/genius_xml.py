"""GENIUS XML files as parsed: elements with their file, line and column, and the numbers,
ids and leftovers every GENIUS reader shares.

Numbers are read as Java's ``Double.valueOf`` reads them; ids come from names and values
(characters outside ``A-Z a-z 0-9 _ . -`` become ``_``, a suffix keeps them distinct).
Elements Accord does not read are one warning per kind (:func:`unread_elements`).
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from accord.errors import Problem, ScenarioError
from accord.formats.xml_recovery import parse_xml

ROOTS = ("utility_space", "negotiation_template")
_NOT_ID = re.compile(r"[^A-Za-z0-9_.\-]+")


@dataclass(frozen=True, eq=False)
class GeniusXml:
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
        if root.tag not in ROOTS or space is None:
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


# -- XML, numbers and ids ----------------------------------------------------------------


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ScenarioError([Problem(f"cannot read: {error.strerror}", source=str(path))]) from None


def parse_genius(path: Path, data: bytes | None = None) -> GeniusXml:
    """Parse as GENIUS's lenient reader does, keeping every element's line and column and
    what had to be repaired (:mod:`accord.formats.xml_recovery`)."""
    parsed = parse_xml(path, read_bytes(path) if data is None else data)
    return GeniusXml(path, parsed.root, parsed.positions, parsed.repairs)


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
        # ConstraintUtilitySpace (type="constraint")
        "rules",
        "ranks",
        "constraints",
        "constraint",
        "valueassignment",
        "checkassignment",
        "condition",
    }
)
_UNCERTAIN = frozenset({"comparisons", "errors", "fixed_seed", "experimental"})


def unread_elements(xml: GeniusXml) -> list[Problem]:
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
    if xml.root.tag not in ROOTS:
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


def is_profile(root: ET.Element) -> bool:
    marks = ("weight", "evaluator", "utility", "hyperRectangle", "rules")
    if any(next(root.iter(tag), None) is not None for tag in marks):
        return True
    return any(item.get("evaluation") is not None for item in root.iter("item"))


def attribute_number(xml: GeniusXml, element: ET.Element, attribute: str) -> float:
    """As Java's ``Double.valueOf``: surrounding blanks, leading zeros, a d/f suffix pass."""
    text = element.get(attribute)
    try:
        value = float((text or "").strip().rstrip("dDfF"))
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise xml.error(element, f"expected a number for '{attribute}', got {text!r}")
    return value


def attribute_integer(xml: GeniusXml, element: ET.Element, attribute: str) -> int:
    text = element.get(attribute)
    try:
        return int((text or "").strip())
    except ValueError:
        raise xml.error(element, f"expected an integer for '{attribute}', got {text!r}") from None


def identifier(text: str, fallback: str, taken: set[str]) -> str:
    """``text`` as an Accord id, distinct from those ``taken`` (which it joins)."""
    base = _NOT_ID.sub("_", text.strip()).lstrip("_.-")[:80] or fallback
    candidate, suffix = base, 2
    while candidate in taken:
        candidate = f"{base[: 79 - len(str(suffix))]}-{suffix}"
        suffix += 1
    taken.add(candidate)
    return candidate


def number_id(number: float) -> str:
    text = shown(number)
    return f"minus{text[1:]}" if text.startswith("-") else text


def shown(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:.12g}"


def natural_order(path: Path) -> tuple[tuple[int, int | str], ...]:
    """File-name order with numbers compared as numbers (``util2`` before ``util10``)."""
    parts = re.split(r"(\d+)", path.name)
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in parts if part)
