"""GENIUS's constraint profiles (``type="constraint"``, ``ConstraintUtilitySpace``), exactly.

Read as GENIUS 10.4's ``ConstraintUtilitySpace.getUtility`` scores a bid:

- ``<rules><ranks>`` gives each ranked issue's values a ``rank``; the issue's *share* is
  ``rank / (its highest rank) / N``, N the number of ranked issues (an issue without ranks
  has no share and does not count in N);
- a *zero constraint* (``zeroConstraint``, ``conditionalZeroConstraint``,
  ``sumZeroConstraint``, ``sumZeroNotConstraint``, ``sumZeroConstraintList``) belongs to
  the issue of its ``index`` and takes that issue's share away when its condition holds:
  the other issues still count;
- a *zero-outcome constraint* (``inclusiveZeroOutcomeConstraint``,
  ``conditionalZeroOutcomeConstraint``) makes the whole package worth 0 when it holds. The
  package is not excluded: GENIUS still lets it be offered and accepted, and so does Accord
  (it is not a red line).

Conditions compare GENIUS's value strings as GENIUS does: ``value`` equality for
assignments, *substring* tests (``contains``) for the checked values, ``Integer.valueOf``
for sums and the ``numeric=positive/negative`` tests. Each condition holds on a union of
boxes (:mod:`accord.formats.genius_boxes`); where an issue's share is taken away, the
profile has a negative interaction term per non-overlapping box and share, so utilities
are exact. Constraint types GENIUS does not load (``exclusiveZeroConstraint``, any other)
are left out with a warning, as is a zero constraint of an issue without ranks (GENIUS
never checks it); a substring test that matches more values than the one written warns.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from accord.formats.genius_boxes import Box, box, disjoint_union, intersection
from accord.formats.genius_domain import GeniusDomain, GeniusIssue
from accord.formats.genius_xml import GeniusXml, attribute_integer
from accord.scenario import limits

_ZERO = ("zeroConstraint", "conditionalZeroConstraint")
_SUM = ("sumZeroConstraint", "sumZeroNotConstraint", "sumZeroConstraintList")
_OUTCOME = ("inclusiveZeroOutcomeConstraint", "conditionalZeroOutcomeConstraint")
_JAVA_INT = re.compile(r"[+-]?[0-9]+")  # what Integer.valueOf accepts
_MAX_SUM_COMBINATIONS = 100_000


def constraint_profile(
    xml: GeniusXml, domain: GeniusDomain, notes: list[str]
) -> tuple[dict[str, dict[str, float]], list[dict[str, Any]]]:
    """The option values (each ranked issue's share) and the interaction terms that take
    the shares away where GENIUS's constraints hold."""
    rules = _rules(xml)
    shares = _shares(xml, domain, _child(xml, rules, "ranks"))
    reader = _Reader(xml, domain)
    zeroed: dict[str, list[Box]] = {issue.id: [] for issue in domain.issues}
    everything: list[Box] = []
    counted = {"zero": 0, "outcome": 0}
    for element in _child(xml, rules, "constraints").findall("constraint"):
        kind = (element.get("type") or "").strip()
        if kind in _OUTCOME:
            everything.extend(reader.outcome_condition(element, kind))
            counted["outcome"] += 1
        elif kind in _ZERO or kind in _SUM:
            issue = reader.issue(element, "index")
            boxes = reader.zero_condition(element, kind, issue)
            if issue.id not in shares:
                domain.warnings.append(
                    xml.problem(
                        element,
                        f"this {kind} is for issue '{issue.name}', which has no ranks: GENIUS "
                        "checks an issue's constraints only when it ranks the issue; left out",
                    )
                )
                continue
            zeroed[issue.id].extend(boxes)
            counted["zero"] += 1
        else:
            domain.warnings.append(
                xml.problem(
                    element,
                    f"constraint type '{kind}' is not one GENIUS's ConstraintUtilitySpace "
                    f"loads ({', '.join(_ZERO + _SUM + _OUTCOME)}): it ignores it, and so "
                    "does Accord",
                )
            )
    interactions = _terms(xml, domain, shares, zeroed, everything)
    notes.append(
        f"{xml.path.name} is a GENIUS constraint profile (ConstraintUtilitySpace): each of its "
        f"{len(shares)} ranked issues is worth rank / highest rank / {len(shares)}; its "
        f"{counted['zero']} zero constraint(s) take their issue's share away and its "
        f"{counted['outcome']} zero-outcome constraint(s) make the package worth 0 (not "
        f"excluded: GENIUS lets it be agreed) — {len(interactions)} interaction terms, exact."
    )
    values = {
        issue.id: shares.get(issue.id, dict.fromkeys(issue.option_ids, Fraction(0)))
        for issue in domain.issues
    }
    floats = {issue: {o: float(v) for o, v in row.items()} for issue, row in values.items()}
    return floats, interactions


def _rules(xml: GeniusXml) -> ET.Element:
    """GENIUS reads ``<rules>`` from the first element inside ``<utility_space>``."""
    first = next(iter(xml.utility_space), None)
    rules = first.find("rules") if first is not None else None
    if first is None or rules is None:
        where = f"<{first.tag}>" if first is not None else "nothing"
        raise xml.error(
            xml.utility_space if first is None else first,
            "a constraint profile needs <rules><ranks>...</ranks><constraints>...</constraints>"
            f"</rules> in the first element of <utility_space> (GENIUS reads it there), found "
            f"{where} without <rules>",
        )
    return rules


def _child(xml: GeniusXml, parent: ET.Element, tag: str) -> ET.Element:
    found = parent.find(tag)
    if found is None:
        raise xml.error(parent, f"expected a <{tag}> in <{parent.tag}> (GENIUS needs it)")
    return found


def _shares(
    xml: GeniusXml, domain: GeniusDomain, ranks: ET.Element
) -> dict[str, dict[str, Fraction]]:
    """Each ranked issue's share by option: rank / highest rank / number of ranked issues."""
    by_issue: dict[str, tuple[GeniusIssue, dict[str, int], int]] = {}
    reader = _Reader(xml, domain)
    for element in ranks.findall("issue"):
        issue = reader.issue(element, "index")
        if issue.id in by_issue:
            raise xml.error(element, f"issue index {issue.index} is ranked twice")
        given: dict[str, int] = {}
        top = 0  # Rank.maximumRank starts at 0 and counts every rank read, kept or not
        for item in element.findall("item"):
            value, rank = item.get("value"), _java_int(xml, item, "rank")
            if value is None:
                raise xml.error(item, "expected an <item> with a 'value'")
            top = max(top, rank)
            if value in given or value not in _strings(issue):
                said = "is ranked twice (GENIUS keeps the last rank)"
                if value not in _strings(issue):
                    said = f"is not a value of issue '{issue.name}' in the domain (never scored)"
                domain.warnings.append(
                    xml.problem(
                        item,
                        f"value '{value}' {said}; its rank still counts in the "
                        "issue's highest rank, as in GENIUS",
                    )
                )
            given[value] = rank
        missing = [s for s in _strings(issue) if s not in given]
        if missing:
            listed = ", ".join(f"'{s}'" for s in missing)
            raise xml.error(
                element,
                f"no rank for value(s) {listed} of issue '{issue.name}': GENIUS cannot score a "
                "bid that picks them",
            )
        if top <= 0:
            raise xml.error(
                element,
                f"issue '{issue.name}' has no positive rank: GENIUS divides by its highest rank",
            )
        by_issue[issue.id] = (issue, given, top)
    if not by_issue:
        raise xml.error(ranks, "a constraint profile needs at least one ranked <issue>")
    for issue in domain.issues:
        if issue.id not in by_issue:
            domain.warnings.append(
                xml.problem(
                    ranks,
                    f"issue '{issue.name}' has no ranks: GENIUS gives it no part of the "
                    f"utility (the {len(by_issue)} ranked issues share it)",
                )
            )
    count = len(by_issue)
    return {
        issue.id: {
            option: Fraction(given[string], top * count)
            for option, string in zip(issue.option_ids, _strings(issue), strict=True)
        }
        for issue, given, top in by_issue.values()
    }


_REAL = (
    "issue '{name}' is real: GENIUS's constraint profiles compare value strings, and a real "
    "value's string is not one Accord can reproduce (discrete and integer issues only)"
)


class _Reader:
    """Reads conditions into boxes over the domain's options."""

    def __init__(self, xml: GeniusXml, domain: GeniusDomain) -> None:
        self.xml = xml
        self.domain = domain
        self.space = {issue.id: frozenset(issue.option_ids) for issue in domain.issues}

    def issue(self, element: ET.Element, attribute: str) -> GeniusIssue:
        index = attribute_integer(self.xml, element, attribute)
        issue = self.domain.by_index(index)
        if issue is None:
            raise self.xml.error(element, self.domain.unknown(f"issue index {index}"))
        if issue.kind == "real":
            raise self.xml.error(element, _REAL.format(name=issue.name))
        return issue

    def text(self, element: ET.Element, attribute: str) -> str:
        text = element.get(attribute)
        if text is None:
            raise self.xml.error(element, f"expected a '{attribute}' (GENIUS fails without it)")
        return text

    def where(self, issue: GeniusIssue, test: Callable[[str], bool]) -> frozenset[str]:
        return frozenset(
            o for o, s in zip(issue.option_ids, _strings(issue), strict=True) if test(s)
        )

    def equal_to(self, issue: GeniusIssue, text: str) -> frozenset[str]:
        """The options whose string is ``text`` (GENIUS's ``equals``)."""
        return self.where(issue, lambda string: string == text)

    def containing(self, element: ET.Element, issue: GeniusIssue, text: str) -> frozenset[str]:
        """The options whose string contains ``text`` (GENIUS's ``contains``), with a warning
        where that is more than the option written."""
        found = self.where(issue, lambda s: text in s)
        exact = self.equal_to(issue, text)
        if found != exact:
            labels = ", ".join(f"'{s}'" for s in _strings(issue) if text in s)
            self.domain.warnings.append(
                self.xml.problem(
                    element,
                    f"GENIUS tests whether the value of issue '{issue.name}' contains '{text}' "
                    f"(a substring), which holds for {labels or 'no value'}: read so",
                )
            )
        return found

    def assignments(self, element: ET.Element, tag: str, attribute: str) -> dict[GeniusIssue, str]:
        """``<tag index=... attribute=...>`` children as GENIUS's HashMap: the last wins."""
        found: dict[GeniusIssue, str] = {}
        for child in element.findall(tag):
            issue = self.issue(child, "index")
            found[issue] = self.text(child, attribute)  # a key put again keeps its place
        return found

    def zero_condition(self, element: ET.Element, kind: str, issue: GeniusIssue) -> list[Box]:
        if kind in _ZERO:
            equal = {
                other.id: self.equal_to(other, text)
                for other, text in self.assignments(element, "valueassignment", "value").items()
            }
            if kind == "conditionalZeroConstraint":
                checked = self.containing(element, issue, self.text(element, "value"))
                allowed = self.space[issue.id] - checked
                equal[issue.id] = equal.get(issue.id, self.space[issue.id]) & allowed
            found = box(self.space, equal)
            return [] if found is None else [found]
        low, high = _java_int(self.xml, element, "min"), _java_int(self.xml, element, "max")
        summed = [self.issue(item, "index") for item in element.findall("item")]
        if kind == "sumZeroConstraintList":
            tests = [self.text(c, "value") for c in element.findall("condition")]
            checked = frozenset().union(*(self.containing(element, issue, t) for t in tests))
        else:
            checked = self.containing(element, issue, self.text(element, "value"))
            if kind == "sumZeroNotConstraint":
                checked = self.space[issue.id] - checked
        result = []
        for piece in self.sum_between(element, summed, low, high):
            found = intersection(self.space, piece, {issue.id: checked})
            if found is not None:
                result.append(found)
        return result

    def sum_between(
        self, element: ET.Element, summed: list[GeniusIssue], low: int, high: int
    ) -> list[Box]:
        """The packages whose summed values (``Integer.valueOf`` of each; an issue listed
        twice counts twice) are within ``[low, high]``, as boxes that do not overlap."""
        times = Counter(summed)
        if not times:
            return [{}] if low <= 0 <= high else []
        issues = list(times)
        numbers = {issue: self.integers(element, issue) for issue in issues}
        *leading, last = issues
        combinations = 1
        for issue in leading:
            combinations *= len(issue.option_ids)
        if combinations > _MAX_SUM_COMBINATIONS:
            raise self.xml.error(
                element,
                f"this sum constraint spans {combinations:,} combinations of values; Accord "
                f"models at most {_MAX_SUM_COMBINATIONS:,}",
            )
        found = []
        for picked in itertools.product(*(numbers[issue].items() for issue in leading)):
            partial = sum(times[issue] * n for issue, (_, n) in zip(leading, picked, strict=True))
            fits = [o for o, n in numbers[last].items() if low <= partial + times[last] * n <= high]
            allowed = {issue.id: [o] for issue, (o, _) in zip(leading, picked, strict=True)}
            piece = box(self.space, {**allowed, last.id: fits})
            if piece is not None:
                found.append(piece)
        return found

    def integers(self, element: ET.Element, issue: GeniusIssue) -> dict[str, int]:
        """Each option's ``Integer.valueOf`` (an error where GENIUS's would fail)."""
        found = {}
        for option, string in zip(issue.option_ids, _strings(issue), strict=True):
            if not _JAVA_INT.fullmatch(string):
                raise self.xml.error(
                    element,
                    f"this constraint reads issue '{issue.name}' as an integer, but its value "
                    f"'{string}' is not one: GENIUS fails on it",
                )
            found[option] = int(string)
        return found

    def outcome_condition(self, element: ET.Element, kind: str) -> list[Box]:
        checks = self.assignments(element, "checkassignment", "condition")
        if kind == "conditionalZeroOutcomeConstraint":
            return self.conditional_outcome(element, checks)
        allowed: dict[str, frozenset[str]] = {}
        for issue, condition in checks.items():
            positive, negative = "positive" in condition, "negative" in condition
            if "numeric" in condition and (positive or negative):
                numbers = self.integers(element, issue)  # 0 passes either test, as in GENIUS
                allowed[issue.id] = frozenset(
                    o
                    for o, n in numbers.items()
                    if not (positive and n < 0) and not (negative and n > 0)
                )
            elif "numeric" not in condition:
                allowed[issue.id] = self.containing(element, issue, condition)
        found = box(self.space, allowed)
        return [] if found is None else [found]

    def conditional_outcome(self, element: ET.Element, checks: dict[GeniusIssue, str]) -> list[Box]:
        """``ConditionalZeroOutcomeConstraint``: exactly two checks, taken in the order of
        GENIUS's ``HashMap`` of issue indices; the first says when, the second what must be
        contained."""
        if len(checks) != 2:
            raise self.xml.error(
                element,
                f"a conditionalZeroOutcomeConstraint needs exactly two <checkassignment> "
                f"issues (GENIUS fails otherwise), got {len(checks)}",
            )
        first, second = sorted(checks, key=lambda issue: _hash_bucket(issue.index))
        written = list(checks)
        if [first, second] != written:
            self.domain.warnings.append(
                self.xml.problem(
                    element,
                    f"GENIUS takes the check of issue '{first.name}' as the condition and that of "
                    f"issue '{second.name}' as what must hold (the order of its HashMap of issue "
                    "indices, not the file's): read so",
                )
            )
        condition = checks[first]
        if condition not in ("numeric=positive", "numeric=negative"):
            self.domain.warnings.append(
                self.xml.problem(
                    element,
                    f"the condition '{condition}' is neither 'numeric=positive' nor "
                    "'numeric=negative': GENIUS's constraint never holds; left out",
                )
            )
            return []
        numbers = self.integers(element, first)
        when = [
            o for o, n in numbers.items() if (n > 0 if condition.endswith("positive") else n < 0)
        ]
        lacking = self.space[second.id] - self.containing(element, second, checks[second])
        found = box(self.space, {first.id: when, second.id: lacking})
        return [] if found is None else [found]


def _terms(
    xml: GeniusXml,
    domain: GeniusDomain,
    shares: dict[str, dict[str, Fraction]],
    zeroed: dict[str, list[Box]],
    everything: list[Box],
) -> list[dict[str, Any]]:
    """Per ranked issue, minus its share on every non-overlapping box where it is taken away."""
    space = {issue.id: frozenset(issue.option_ids) for issue in domain.issues}
    terms: list[dict[str, Any]] = []
    for issue in domain.issues:
        if issue.id not in shares:
            continue
        for piece in disjoint_union(space, [*zeroed[issue.id], *everything]):
            by_share: dict[Fraction, list[str]] = {}
            for option in sorted(piece.get(issue.id, space[issue.id]), key=issue.option_ids.index):
                by_share.setdefault(shares[issue.id][option], []).append(option)
            for share, options in by_share.items():
                if share == 0:
                    continue
                named = {k: tuple(sorted(v, key=_order(domain, k))) for k, v in piece.items()}
                named[issue.id] = tuple(options)
                terms.append(
                    {
                        "options": named,
                        "value": -float(share),
                        "label": f"constraint: no share for '{issue.name}'",
                    }
                )
    if len(terms) > limits.MAX_INTERACTIONS:
        raise xml.error(
            xml.utility_space,
            f"this profile's constraints make {len(terms):,} interaction terms; Accord models "
            f"at most {limits.MAX_INTERACTIONS:,} per party",
        )
    return terms


def _order(domain: GeniusDomain, issue_id: str) -> Callable[[str], int]:
    options = next(issue.option_ids for issue in domain.issues if issue.id == issue_id)
    return options.index


def _strings(issue: GeniusIssue) -> tuple[str, ...]:
    """GENIUS's ``Value.toString()`` of each option: a discrete value, or an integer."""
    return issue.labels if issue.kind == "discrete" else tuple(str(int(n)) for n in issue.numbers)


def _java_int(xml: GeniusXml, element: ET.Element, attribute: str) -> int:
    text = element.get(attribute)
    if text is None or not _JAVA_INT.fullmatch(text):
        raise xml.error(element, f"expected an integer for '{attribute}', got {text!r}")
    return int(text)


def _hash_bucket(index: int) -> int:
    """Where Java's ``HashMap`` (16 buckets) iterates an ``Integer`` key: its bucket."""
    h = index & 0xFFFFFFFF
    return (h ^ (h >> 16)) & 15
