"""Read GENIUS XML (ANAC 2010–2016): one domain file and one preference profile per party.

Utilities are GENIUS 10.4's own, to the last digit, on the ``points`` scale. The reading is
split by concept:

- :mod:`accord.formats.genius_xml`: parsing as GENIUS's lenient parser does
  (:mod:`accord.formats.xml_recovery`), positions, numbers, ids, elements left out;
- :mod:`accord.formats.genius_domain`: the domain's issues (real issues on GENIUS's grid of
  ``REAL_POINTS``), a profile's issues checked against them;
- :mod:`accord.formats.genius_profiles`: a profile by its ``type``, with its discount factor
  and reservation value: linear and ``UNCERTAIN`` (:mod:`accord.formats.genius_linear`),
  ``nonlinear`` (:mod:`accord.formats.genius_nonlinear`), ``constraint``
  (:mod:`accord.formats.genius_constraints`);
- :mod:`accord.formats.genius_pairing`: which domain of a folder each profile is for.

This module puts them together: a scenario from a domain and its profiles, or every
scenario of a folder. What Accord cannot represent is an error naming it, with file, line
and column; what GENIUS reads in a way a user would not expect is read as GENIUS reads it,
with a warning (file, line; :func:`read_genius` and :func:`read_genius_folder` return them).
The format: ``shared/external/genius/FORMAT.md``; every construct and what Accord does with
it: ``docs/reference/foreign-formats.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accord.errors import Problem, ScenarioError
from accord.formats.genius_domain import (
    REAL_POINTS,
    GeniusDomain,
    GeniusIssue,
    domain_issues,
    issue_kind,
    real_grid,
)
from accord.formats.genius_export import dump_genius
from accord.formats.genius_pairing import Candidate, Issues, best_domains
from accord.formats.genius_profiles import profile_preferences
from accord.formats.genius_xml import (
    ROOTS,
    GeniusXml,
    identifier,
    is_profile,
    natural_order,
    parse_genius,
    read_bytes,
    shown,
    unread_elements,
)
from accord.formats.imported import Imported
from accord.formats.xml_recovery import looks_like_xml
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


def load_genius(domain: Path, profiles: list[Path], *, real_points: int = REAL_POINTS) -> Scenario:
    """A scenario from a GENIUS domain file and profile files (one party per profile)."""
    return read_genius(domain, profiles, real_points=real_points).scenario


def read_genius(domain: Path, profiles: list[Path], *, real_points: int = REAL_POINTS) -> Imported:
    """As :func:`load_genius`, with the warnings: repairs, elements left out, readings of
    GENIUS's that a user would not expect (each with file and line)."""
    profile_xmls = [parse_genius(Path(profile)) for profile in profiles]
    return _scenario(parse_genius(Path(domain)), profile_xmls, Path(domain).stem, real_points)


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
    domains: list[GeniusXml] = []
    profiles: list[GeniusXml] = []
    for path in sorted(folder.iterdir(), key=natural_order):
        if path.is_file() and path.suffix.lower() == ".xml":
            data = read_bytes(path)
            xml = parse_genius(path, data) if looks_like_xml(data) else None
            if xml is not None and xml.root.tag in ROOTS:
                (profiles if is_profile(xml.root) else domains).append(xml)
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


def _chosen_domain(path: Path, folder: Path, domains: list[GeniusXml]) -> GeniusXml:
    if not path.is_file() and (folder / path).is_file():
        path = folder / path
    if not path.is_file():
        raise ScenarioError([Problem("--domain: no such file", source=str(path))])
    xml = parse_genius(path)
    if xml.root.tag not in ROOTS or is_profile(xml.root):
        message = "--domain: expected a GENIUS domain file (without evaluations)"
        raise ScenarioError([Problem(message, source=str(path))])
    return xml


def _pairings(
    folder: Path,
    domains: list[GeniusXml],
    profiles: list[GeniusXml],
    real_points: int,
    first_only: bool,
) -> list[tuple[GeniusXml, list[GeniusXml]]]:
    """Each domain with the profiles that go with it (domains without any left out)."""
    if len(domains) == 1:  # one domain: its profiles' mismatches are errors, said in full
        return [(domains[0], profiles)]
    candidates = [Candidate(xml.path.name, _domain_signature(xml, real_points)) for xml in domains]
    grouped: dict[int, list[GeniusXml]] = {}
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


def _domain_signature(xml: GeniusXml, real_points: int) -> Issues:
    return {
        issue.index: (issue.kind, frozenset(issue.labels))
        for issue in domain_issues(xml, real_points, [])
    }


def _profile_signature(xml: GeniusXml) -> Issues:
    """The issues a profile scores, read loosely: what does not parse fits no domain."""
    signature: Issues = {}
    try:
        elements = xml.objective.findall("issue")
    except ScenarioError:
        return {}
    for element in elements:
        try:
            index = int((element.get("index") or "").strip())
            kind = issue_kind(xml, element)
        except (ValueError, ScenarioError):
            return {}
        values = (
            frozenset(item.get("value") or "" for item in element.findall("item"))
            if kind == "discrete"
            else frozenset()
        )
        signature[index] = (kind, values)
    return signature


def _scenario(
    domain_xml: GeniusXml, profiles: list[GeniusXml], name: str, real_points: int
) -> Imported:
    if real_points < 2:
        raise ValueError(f"real_points must be at least 2 (both bounds), got {real_points}")
    warnings = [problem for xml in (domain_xml, *profiles) for problem in xml.repairs]
    scenario = _checked_scenario(domain_xml, profiles, name, real_points, warnings)
    for xml in (domain_xml, *profiles):
        warnings.extend(unread_elements(xml))
    return Imported(scenario, tuple(warnings))


def _checked_scenario(
    domain_xml: GeniusXml,
    profiles: list[GeniusXml],
    name: str,
    real_points: int,
    warnings: list[Problem],
) -> Scenario:
    domain = GeniusDomain(domain_xml, domain_issues(domain_xml, real_points, warnings), warnings)
    notes: list[str] = []
    parties: list[dict[str, Any]] = []
    taken: set[str] = set()
    for profile in profiles:
        preferences = profile_preferences(profile, domain, notes)
        party_id = identifier(profile.path.stem, "party", taken)
        parties.append(
            {
                "id": party_id,
                "name": profile.path.name,
                "role": "negotiator",
                "preferences": preferences,
            }
        )
    data = {
        "id": identifier(name, "genius", set()),
        "title": name,
        "description": _description(domain, profiles, notes, real_points),
        "issues": [_issue_data(issue) for issue in domain.issues],
        "parties": parties,
    }
    return validate_data(data, str(domain_xml.path))


def _issue_data(issue: GeniusIssue) -> dict[str, Any]:
    options: list[dict[str, Any]]
    if issue.kind == "discrete":
        options = [
            {"id": o, "label": v} for o, v in zip(issue.option_ids, issue.labels, strict=True)
        ]
    else:
        options = [
            {"id": o, "label": shown(v), "value": v}
            for o, v in zip(issue.option_ids, issue.numbers, strict=True)
        ]
    return {"id": issue.id, "title": issue.name, "options": options}


def _description(
    domain: GeniusDomain, profiles: list[GeniusXml], notes: list[str], points: int
) -> str:
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
        count = len(real_grid(low, high, points))
        step = f" in steps of {shown((high - low) / (points - 1))}" if count > 1 else ""
        lines.append(
            f"Real issue(s) {', '.join(issue_names)} discretised: {count} values from "
            f"{shown(low)} to {shown(high)}{step}, both bounds included. GENIUS allows any "
            "value in between: utilities are exact at these values, but frontiers and "
            "solutions are found on this grid only."
        )
    return "\n\n".join([*lines, *notes])
