"""Recognise what a path holds, by content, and load it as a scenario.

A file is an Accord scenario (YAML or JSON). A folder is an LLM-negotiation game
(``config.txt`` with ``scores_files/``), a NegMAS scenario folder (what NegMAS's
``Scenario.dumpas`` writes: ``_domain.yml`` or ``_domain.json`` and one file per utility
function), a GeniusWeb scenario (a JSON domain with ``issuesValues`` and JSON profiles) or
a GENIUS scenario (XML domains and profiles; one folder may hold several).

:func:`import_all` returns every scenario a path holds, each with the reader's warnings;
:func:`import_any` the one scenario it holds; :func:`load_any` just that scenario.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from accord.errors import AccordError, Problem, ScenarioError
from accord.formats.imported import Imported
from accord.scenario.loader import load_scenario
from accord.scenario.model import Scenario

Format = Literal["accord", "genius", "geniusweb", "llm-game", "negmas"]


def detect_format(path: Path) -> Format:
    """Which format ``path`` holds; a :class:`ScenarioError` saying what was expected if none."""
    if path.is_file():
        if path.suffix.lower() == ".xml":
            raise _problem(path, "a GENIUS file: give the folder holding the domain and profiles")
        if path.suffix.lower() == ".json" and _is_geniusweb_domain(path):
            raise _problem(path, "a GeniusWeb domain: give the folder holding it and its profiles")
        return "accord"
    if not path.is_dir():
        raise _problem(path, "no such file or folder")
    if (path / "config.txt").is_file() and (path / "scores_files").is_dir():
        return "llm-game"
    files = sorted(p for p in path.iterdir() if p.is_file())
    if any(_is_negmas_outcome_space(p) for p in files):
        return "negmas"
    if any(p.suffix.lower() == ".json" and _is_geniusweb_domain(p) for p in files):
        return "geniusweb"
    if any(p.suffix.lower() == ".xml" for p in files):
        return "genius"
    raise _problem(
        path,
        "no scenario found: expected an LLM-negotiation game (config.txt and scores_files/), "
        "a NegMAS scenario folder (_domain.yml), a GeniusWeb domain and profiles (JSON) or "
        "a GENIUS domain and profiles (XML)",
    )


def load_any(path: str | Path) -> Scenario:
    """Load an Accord scenario file, or a folder in any format Accord reads."""
    return import_any(path).scenario


def import_any(
    path: str | Path, *, domain: Path | None = None, real_points: int | None = None
) -> Imported:
    """The one scenario ``path`` holds, with the reader's warnings; a folder holding several
    (GENIUS domains side by side) is an error listing them."""
    found = import_all(path, domain=domain, real_points=real_points)
    if len(found) > 1:
        listed = "; ".join(
            f"{imported.scenario.title} ({', '.join(p.name for p in imported.scenario.parties)})"
            for imported in found
        )
        message = f"this folder holds {len(found)} scenarios: {listed}; give --domain FILE"
        raise _problem(Path(path), message)
    return found[0]


def import_all(
    path: str | Path, *, domain: Path | None = None, real_points: int | None = None
) -> list[Imported]:
    """Every scenario ``path`` holds, each with the reader's warnings (file, line).

    ``domain`` picks one GENIUS domain file of a folder holding several; ``real_points`` is
    the number of values a GENIUS real issue is read on (GENIUS's default: 21). Both are
    GENIUS's only: given for another format, they are an error.
    """
    location = Path(path)
    kind = detect_format(location)
    if kind != "genius":
        for given, flag in ((domain, "--domain"), (real_points, "--real-points")):
            if given is not None:
                raise AccordError(f"{flag} applies to GENIUS folders only; {path} is {kind}")
    if kind == "accord":
        return [Imported(load_scenario(location))]
    if kind == "llm-game":
        from accord.formats.llm_games import load_llm_game

        return [Imported(load_llm_game(location))]
    if kind == "negmas":
        from accord.formats.negmas_folder import read_negmas_folder

        return [read_negmas_folder(location)]
    if kind == "geniusweb":
        from accord.formats.geniusweb import load_geniusweb_folder

        return [Imported(load_geniusweb_folder(location))]
    from accord.formats.genius import REAL_POINTS, read_genius_folder

    points = REAL_POINTS if real_points is None else real_points
    if points < 2:
        raise AccordError(f"--real-points: expected at least 2 (both bounds), got {points}")
    return read_genius_folder(location, domain=domain, real_points=points)


def _is_negmas_outcome_space(path: Path) -> bool:
    """A YAML or JSON file whose ``type`` names a NegMAS outcome space (read cheaply: the
    ``type`` line of a YAML file, the keys of a JSON one)."""
    suffix = path.suffix.lower()
    if path.name.startswith(".") or suffix not in (".yml", ".yaml", ".json"):
        return False
    if suffix == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return False
        return isinstance(data, dict) and "OutcomeSpace" in str(data.get("type", ""))
    try:
        with path.open(encoding="utf-8-sig") as lines:
            return any(line.startswith("type:") and "OutcomeSpace" in line for line in lines)
    except (OSError, UnicodeDecodeError):
        return False


def _is_geniusweb_domain(path: Path) -> bool:
    """Whether a JSON file's top level has GeniusWeb's ``issuesValues``.

    A file whose text never names it is not parsed here, so that an Accord scenario in
    JSON is parsed once, by the loader.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
        if "issuesValues" not in text:
            return False
        data = json.loads(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return False  # not a GeniusWeb domain; the scenario loader says what is wrong
    return isinstance(data, dict) and "issuesValues" in data


def _problem(path: Path, message: str) -> ScenarioError:
    return ScenarioError([Problem(message, source=str(path))])
