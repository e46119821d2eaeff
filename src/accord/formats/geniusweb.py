"""Read GeniusWeb JSON (ANAC/ANL 2020 on): one domain file and linear additive profiles.

A domain is ``{"name": ..., "issuesValues": {issue: {"values": [value, ...]}}}``; a profile
is ``{"LinearAdditiveUtilitySpace": {"issueWeights": {issue: w}, "issueUtilities": {issue:
{"DiscreteValueSetUtilities": {"valueUtilities": {value: u}}}}, "name": ..., "domain": ...,
"reservationBid": {"issuevalues": {issue: value}}}}`` (GeniusWeb's Java writes
``discreteutils`` for ``DiscreteValueSetUtilities``). A party's utility of a bid is the sum
of ``w * u`` over the issues, as written: profiles load on the ``points`` scale, so Accord's
utilities are GeniusWeb's (and the ANL organisers') to the last digit.

An issue may also be a ``NumberValueSet`` (``{"range": [low, high, step]}``, or an object
with those keys): its values are ``low``, ``low + step``, ... up to ``high``, each an option
with its number, scored by ``NumberValueSetUtilities`` (``numberutils``): linear from
``(lowValue, lowUtility)`` to ``(highValue, highUtility)``, 0 outside, rounded half up to 8
decimals as GeniusWeb's Python implementation computes it; a reservation bid's number is
matched by value.

Ids are made from the names (characters outside ``A-Z a-z 0-9 _ . -`` become ``_``; a
suffix keeps them distinct) and the names are kept as titles and labels. A reservation bid
becomes the party's reservation value, that bid's utility: a package is acceptable when it
is worth at least as much as the reservation bid. As in GeniusWeb, an issue the bid leaves
out adds nothing to it.

The format is GeniusWeb's (TU Delft), class ``LinearAdditiveUtilitySpace`` of
``geniusweb.profile.utilityspace``; the ANL 2023 files are described in
``shared/external/genius/FORMAT.md`` §7.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from accord.errors import Problem, ScenarioError
from accord.scenario.loader import validate_data
from accord.scenario.model import Scenario
from accord.scenario.positions import Located, PathKey, parse_text

PROFILE_TYPE = "LinearAdditiveUtilitySpace"
DISCRETE_UTILITIES = ("DiscreteValueSetUtilities", "discreteutils")
NUMBER_UTILITIES = ("NumberValueSetUtilities", "numberutils")
_ID_LENGTH = 80
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_NOT_ID = re.compile(r"[^A-Za-z0-9_.\-]+")
_NOT_LEADING = re.compile(r"^[^A-Za-z0-9]+")


@dataclass
class _JsonFile:
    """A parsed JSON file; positions are worked out only when a problem must be shown."""

    path: Path
    text: str
    data: Any
    _located: Located | None = field(default=None, repr=False)

    def problem(self, path: PathKey, message: str, at_key: bool = False) -> Problem:
        if self._located is None:
            self._located = parse_text(self.text, str(self.path), as_json=True)
        return self._located.problem(path, message, at_key)


@dataclass(frozen=True)
class _Issue:
    name: str
    values: tuple[str, ...]
    numbers: tuple[Decimal, ...] | None = None  # a NumberValueSet's values, in order


@dataclass(frozen=True)
class _Profile:
    """One profile, still in GeniusWeb's names."""

    name: str
    weights: dict[str, float]
    utilities: dict[str, dict[str, float]]
    reservation_bid: dict[str, str] | None

    def utility(self, bid: dict[str, str], issues: list[_Issue]) -> float:
        return sum(
            self.weights[issue.name] * self.utilities[issue.name][bid[issue.name]]
            for issue in issues
            if issue.name in bid
        )


def load_geniusweb(domain: Path, profiles: list[Path]) -> Scenario:
    """A scenario from a GeniusWeb domain file and one profile file per party.

    Raises
    ------
    ScenarioError
        Listing every problem with its file, line and column: malformed JSON, a value set
        or profile type Accord does not read, a profile that does not fit the domain.
    """
    if not profiles:
        raise ScenarioError([Problem("no profile files given", source=str(domain))])
    return _scenario(_read(Path(domain)), [_read(Path(path)) for path in profiles])


def load_geniusweb_folder(folder: Path) -> Scenario:
    """A scenario from a folder holding one GeniusWeb domain and its profiles.

    Files are told apart by content: the domain has ``issuesValues``, a profile is one
    utility space (``{"LinearAdditiveUtilitySpace": {...}}``) that holds its ``domain``.
    Other JSON files, such as the ANL organisers' ``specials.json``, are ignored. Profiles
    are taken in file-name order.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ScenarioError([Problem("not a folder", source=str(folder))])
    domains: list[_JsonFile] = []
    profiles: list[_JsonFile] = []
    for path in sorted(folder.glob("*.json")):
        file = _read(path)
        if isinstance(file.data, dict) and "issuesValues" in file.data:
            domains.append(file)
        elif _is_profile(file.data):
            profiles.append(file)
    if len(domains) != 1:
        found = ", ".join(file.path.name for file in domains) or "none"
        message = f"expected one domain file (JSON with 'issuesValues'), found {found}"
        raise ScenarioError([Problem(message, source=str(folder))])
    if not profiles:
        message = f"no profile file (JSON with '{PROFILE_TYPE}' and its 'domain')"
        raise ScenarioError([Problem(message, source=str(folder))])
    return _scenario(domains[0], profiles)


def _is_profile(data: Any) -> bool:
    """One wrapper key (the profile type) around an object that holds its domain."""
    if not isinstance(data, dict) or len(data) != 1:
        return False
    (body,) = data.values()
    return isinstance(body, dict) and "domain" in body


def _read(path: Path) -> _JsonFile:
    try:
        # utf-8-sig also reads files that start with a byte-order mark (json rejects it).
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError([Problem("no such file", source=str(path))]) from None
    except IsADirectoryError:
        raise ScenarioError(
            [Problem("is a folder, expected a JSON file", source=str(path))]
        ) from None
    except UnicodeDecodeError as error:
        reason = f"not UTF-8 text ({error.reason})"
        raise ScenarioError([Problem(reason, source=str(path))]) from None
    # One JSON reader for every file: duplicate keys and nesting too deep for Python are
    # refused at their line, as in scenario files.
    data = parse_text(text, str(path), as_json=True).data
    return _JsonFile(path, text, data)


def _scenario(domain_file: _JsonFile, profile_files: list[_JsonFile]) -> Scenario:
    issues, problems = _read_domain(domain_file)
    if problems:
        raise ScenarioError(problems)
    profiles: list[_Profile] = []
    for file in profile_files:
        profile, found = _read_profile(file, domain_file, issues)
        problems.extend(found)
        if profile is not None:
            profiles.append(profile)
    if problems:
        raise ScenarioError(problems)
    issue_ids = _unique_ids([issue.name for issue in issues], "issue")
    option_ids = [_unique_ids(list(issue.values), "option") for issue in issues]
    party_ids = _unique_ids([profile.name for profile in profiles], "party")
    agenda = list(zip(issue_ids, option_ids, issues, strict=True))
    title = domain_file.data.get("name")
    title = title if isinstance(title, str) and title else domain_file.path.stem
    data = {
        "id": _unique_ids([title], "scenario")[0],
        "title": title,
        "issues": [
            {
                "id": issue_id,
                "title": issue.name,
                "options": [
                    {"id": option_id, "label": value}
                    | ({} if issue.numbers is None else {"value": float(issue.numbers[n])})
                    for n, (option_id, value) in enumerate(zip(options, issue.values, strict=True))
                ],
            }
            for issue_id, options, issue in agenda
        ],
        "parties": [
            {
                "id": party_id,
                "name": profile.name,
                "preferences": {
                    "scale": "points",
                    "weights": {
                        issue_id: profile.weights[issue.name] for issue_id, _, issue in agenda
                    },
                    "values": {
                        issue_id: {
                            option_id: profile.utilities[issue.name][value]
                            for option_id, value in zip(options, issue.values, strict=True)
                        }
                        for issue_id, options, issue in agenda
                    },
                    "reservation": 0.0
                    if profile.reservation_bid is None
                    else profile.utility(profile.reservation_bid, issues),
                },
            }
            for party_id, profile in zip(party_ids, profiles, strict=True)
        ],
    }
    sources = ", ".join(str(file.path) for file in [domain_file, *profile_files])
    return validate_data(data, f"GeniusWeb scenario from {sources}")


def _read_domain(file: _JsonFile) -> tuple[list[_Issue], list[Problem]]:
    data = file.data
    if not isinstance(data, dict) or not isinstance(data.get("issuesValues"), dict):
        return [], [file.problem((), "expected a GeniusWeb domain: an object with 'issuesValues'")]
    if not data["issuesValues"]:
        return [], [file.problem(("issuesValues",), "expected at least one issue")]
    issues: list[_Issue] = []
    problems: list[Problem] = []
    for name, value_set in data["issuesValues"].items():
        here: PathKey = ("issuesValues", name)
        if isinstance(value_set, dict) and "range" in value_set:
            numbers = _range(file, (*here, "range"), value_set["range"], problems)
            if numbers is not None:
                issues.append(_Issue(name, tuple(str(n) for n in numbers), numbers))
            continue
        values = value_set.get("values") if isinstance(value_set, dict) else None
        if not isinstance(values, list) or not values:
            message = f"expected 'values': a non-empty list of the values of issue '{name}'"
            problems.append(file.problem(here, message))
            continue
        wrong = [index for index, value in enumerate(values) if not isinstance(value, str)]
        for index in wrong:
            message = f"expected a string, got {values[index]!r}"
            problems.append(file.problem((*here, "values", index), message))
        repeated = sorted({value for value in values if values.count(value) > 1}, key=str)
        if repeated:
            message = f"values listed twice: {_names(repeated)}"
            problems.append(file.problem((*here, "values"), message))
        if not wrong and not repeated:
            issues.append(_Issue(name, tuple(values)))
    return issues, problems


def _read_profile(
    file: _JsonFile, domain_file: _JsonFile, issues: list[_Issue]
) -> tuple[_Profile | None, list[Problem]]:
    data = file.data
    if not isinstance(data, dict) or len(data) != 1:
        return None, [file.problem((), f"expected a GeniusWeb profile: {{'{PROFILE_TYPE}': ...}}")]
    (kind,) = data
    if kind != PROFILE_TYPE:
        message = f"profile type '{kind}' is not supported; Accord reads '{PROFILE_TYPE}'"
        return None, [file.problem((kind,), message, at_key=True)]
    body, root = data[kind], (kind,)
    if not isinstance(body, dict):
        return None, [file.problem(root, "expected an object")]
    against = f"the domain in {domain_file.path}"
    known = {issue.name: issue for issue in issues}
    problems: list[Problem] = []
    written_weights = body.get("issueWeights")
    weights = _numbers(file, (*root, "issueWeights"), written_weights, "weight", problems)
    if not isinstance(written_weights, dict):
        written_weights = {issue.name: None for issue in issues}  # reported: no more noise
    tables = body.get("issueUtilities")
    if not isinstance(tables, dict):
        problems.append(file.problem(root, "expected 'issueUtilities': one entry per issue"))
        tables = {issue.name: None for issue in issues}
    for section, entries in (("issueWeights", written_weights), ("issueUtilities", tables)):
        for name in entries:
            if name not in known:
                message = (
                    f"unknown issue '{name}': not in {against} (issues: {_names(list(known))})"
                )
                problems.append(file.problem((*root, section, name), message, at_key=True))
    for name, weight in weights.items():
        if weight < 0:
            message = f"expected a weight >= 0, got {weight}"
            problems.append(file.problem((*root, "issueWeights", name), message))
    utilities: dict[str, dict[str, float]] = {}
    for issue in issues:
        if issue.name not in written_weights:
            message = f"no weight for issue '{issue.name}' of {against}"
            problems.append(file.problem((*root, "issueWeights"), message))
        if issue.name not in tables:
            message = f"no utilities for issue '{issue.name}' of {against}"
            problems.append(file.problem((*root, "issueUtilities"), message))
            continue
        if tables[issue.name] is None:
            continue
        here = (*root, "issueUtilities", issue.name)
        utilities[issue.name] = _value_utilities(
            file, here, tables[issue.name], issue, against, problems
        )
    problems.extend(
        _embedded_domain(file, (*root, "domain"), body.get("domain"), domain_file, issues)
    )
    bid = None
    if body.get("reservationBid") is not None:
        bid = _bid(
            file, (*root, "reservationBid"), body["reservationBid"], known, against, problems
        )
    if problems:
        return None, problems
    name = body.get("name")
    name = name if isinstance(name, str) and name else file.path.stem
    return _Profile(name, weights, utilities, bid), []


def _value_utilities(
    file: _JsonFile,
    here: PathKey,
    entry: Any,
    issue: _Issue,
    against: str,
    problems: list[Problem],
) -> dict[str, float]:
    readable = _names(list(DISCRETE_UTILITIES))
    if not isinstance(entry, dict) or len(entry) != 1:
        problems.append(
            file.problem(here, f"expected {{{readable}: ...}} for issue '{issue.name}'")
        )
        return {}
    (kind,) = entry
    if kind in NUMBER_UTILITIES and issue.numbers is not None:
        return _interpolated(file, (*here, kind), entry[kind], issue, problems)
    if kind not in DISCRETE_UTILITIES or issue.numbers is not None:
        what = (
            "utilities interpolated over a range of numbers"
            if kind in NUMBER_UTILITIES
            else "unknown"
            if kind not in DISCRETE_UTILITIES
            else "a table of values"
        )
        sort = "discrete" if issue.numbers is None else "number"
        message = (
            f"'{kind}' ({what}) is not supported for the {sort} issue '{issue.name}'; Accord "
            f"reads {readable} for a discrete issue, {_names(list(NUMBER_UTILITIES))} for a "
            "number issue"
        )
        problems.append(file.problem((*here, kind), message, at_key=True))
        return {}
    body = entry[kind]
    at: PathKey = (*here, kind, "valueUtilities")
    written = body.get("valueUtilities") if isinstance(body, dict) else None
    table = _numbers(file, at, written, "utility", problems)
    for value in table:
        if value not in issue.values:
            message = (
                f"unknown value '{value}' of issue '{issue.name}': not in {against} "
                f"(values: {_names(list(issue.values))})"
            )
            problems.append(file.problem((*at, value), message, at_key=True))
    missing = [
        value for value in issue.values if isinstance(written, dict) and value not in written
    ]
    if missing:
        message = f"no utility for value(s) {_names(missing)} of issue '{issue.name}' in {against}"
        problems.append(file.problem(at, message))
    return table


MAX_RANGE_VALUES = 10_000
_EIGHT_PLACES = Decimal("1.00000000")


def _decimal(value: Any) -> Decimal | None:
    """A JSON number or numeric string as GeniusWeb's ``BigDecimal`` reads it."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _range(
    file: _JsonFile, here: PathKey, written: Any, problems: list[Problem]
) -> tuple[Decimal, ...] | None:
    """A ``NumberValueSet``'s values: ``low``, ``low + step``, ... up to ``high``."""
    parts = (
        [written.get(key) for key in ("low", "high", "step")]
        if isinstance(written, dict)
        else written
    )
    numbers = [_decimal(part) for part in parts] if isinstance(parts, list) else []
    if len(numbers) != 3 or None in numbers:
        message = "expected a range: [low, high, step] or {'low', 'high', 'step'}, numbers"
        problems.append(file.problem(here, message))
        return None
    low, high, step = (number for number in numbers if number is not None)
    if step <= 0 or high < low or (high - low) / step >= MAX_RANGE_VALUES:
        message = (
            f"expected low <= high, a positive step and at most {MAX_RANGE_VALUES:,} values, "
            f"got {low}, {high}, {step}"
        )
        problems.append(file.problem(here, message))
        return None
    count = int((high - low) // step) + 1
    return tuple(low + step * k for k in range(count))


def _interpolated(
    file: _JsonFile, here: PathKey, body: Any, issue: _Issue, problems: list[Problem]
) -> dict[str, float]:
    """GeniusWeb's ``NumberValueSetUtilities``: linear between (lowValue, lowUtility) and
    (highValue, highUtility), 0 outside, rounded half up to 8 decimals as it computes it."""
    keys = ("lowValue", "lowUtility", "highValue", "highUtility")
    numbers = [_decimal(body.get(key)) if isinstance(body, dict) else None for key in keys]
    if None in numbers:
        message = f"expected numbers {_names(list(keys))} for issue '{issue.name}'"
        problems.append(file.problem(here, message))
        return {}
    low, low_utility, high, high_utility = (n for n in numbers if n is not None)
    if high <= low or not all(0 <= u <= 1 for u in (low_utility, high_utility)):
        message = "expected lowValue < highValue and utilities in [0, 1] (as GeniusWeb checks)"
        problems.append(file.problem(here, message))
        return {}
    table: dict[str, float] = {}
    assert issue.numbers is not None
    for text, x in zip(issue.values, issue.numbers, strict=True):
        utility = Decimal(0)
        if low <= x <= high:
            exact = low_utility + (high_utility - low_utility) * (x - low) / (high - low)
            utility = exact.quantize(_EIGHT_PLACES, rounding=ROUND_HALF_UP)
        table[text] = float(utility)
    return table


def _numbers(
    file: _JsonFile, here: PathKey, entries: Any, what: str, problems: list[Problem]
) -> dict[str, float]:
    """A JSON object of finite numbers: the weights, or one issue's value utilities."""
    if not isinstance(entries, dict):
        problems.append(file.problem(here, f"expected an object of {what} numbers"))
        return {}
    numbers: dict[str, float] = {}
    for key, number in entries.items():
        finite = isinstance(number, int | float) and not isinstance(number, bool)
        if finite and math.isfinite(number):
            numbers[key] = float(number)
        else:
            problems.append(file.problem((*here, key), f"expected a finite {what}, got {number!r}"))
    return numbers


def _embedded_domain(
    file: _JsonFile, here: PathKey, embedded: Any, domain_file: _JsonFile, issues: list[_Issue]
) -> list[Problem]:
    """A profile carries a copy of its domain: it must list the same issues and values."""
    if embedded is None:
        return []
    copied = embedded.get("issuesValues") if isinstance(embedded, dict) else None
    if copied == domain_file.data.get("issuesValues"):
        return []
    if _value_sets(copied) == {issue.name: frozenset(issue.values) for issue in issues}:
        return []
    message = (
        f"this profile was written for another domain: its copy differs from {domain_file.path}"
    )
    return [file.problem(here, message)]


def _value_sets(issues_values: Any) -> dict[str, frozenset[str]] | None:
    """Each issue's set of values, or ``None`` if ``issues_values`` is not a discrete domain."""
    if not isinstance(issues_values, dict):
        return None
    sets: dict[str, frozenset[str]] = {}
    for name, entry in issues_values.items():
        values = entry.get("values") if isinstance(entry, dict) else None
        if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
            return None
        sets[name] = frozenset(values)
    return sets


def _bid(
    file: _JsonFile,
    here: PathKey,
    bid: Any,
    known: dict[str, _Issue],
    against: str,
    problems: list[Problem],
) -> dict[str, str] | None:
    chosen = bid.get("issuevalues") if isinstance(bid, dict) else None
    if not isinstance(chosen, dict):
        problems.append(file.problem(here, "expected a bid: {'issuevalues': {issue: value}}"))
        return None
    count = len(problems)
    read: dict[str, str] = {}
    for name, value in chosen.items():
        at = (*here, "issuevalues", name)
        issue = known.get(name)
        if issue is None:
            problems.append(
                file.problem(at, f"unknown issue '{name}': not in {against}", at_key=True)
            )
            continue
        if issue.numbers is not None:  # a NumberValue: a number, matched by its value
            number = _decimal(value)
            value = (
                next(
                    (t for t, n in zip(issue.values, issue.numbers, strict=True) if n == number),
                    None,
                )
                if number is not None
                else None
            )
        if value not in issue.values:
            message = f"unknown value {chosen[name]!r} of issue '{name}': not in {against}"
            problems.append(file.problem(at, message))
        else:
            read[name] = value
    return read if len(problems) == count else None


def _unique_ids(names: list[str], kind: str) -> list[str]:
    """Valid, distinct ids for ``names``; a name that is a valid id already keeps it."""
    valid = {name for name in names if _ID.fullmatch(name) and len(name) <= _ID_LENGTH}
    ids: list[str] = []
    for position, name in enumerate(names):
        if name in valid and name not in ids:
            ids.append(name)
            continue
        cleaned = _NOT_LEADING.sub("", _NOT_ID.sub("_", name)).rstrip("_")
        base = cleaned[:_ID_LENGTH] or f"{kind}{position + 1}"
        candidate, number = base, 1
        # A later name that is a valid id keeps it, so a made-up id must not take it.
        while candidate in ids or (candidate in valid and candidate != name):
            number += 1
            candidate = f"{base[: _ID_LENGTH - len(str(number)) - 1]}-{number}"
        ids.append(candidate)
    return ids


def _names(items: list[str]) -> str:
    return ", ".join(f"'{item}'" for item in items)
