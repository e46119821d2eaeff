"""Recognise what a path holds, by content, and load it as a scenario.

A file is an Accord scenario (YAML or JSON). A folder is an LLM-negotiation game
(``config.txt`` with ``scores_files/``), a GeniusWeb scenario (a JSON domain with
``issuesValues`` and JSON profiles) or a GENIUS scenario (an XML domain and XML profiles).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from accord.errors import Problem, ScenarioError
from accord.scenario.loader import load_scenario
from accord.scenario.model import Scenario

Format = Literal["accord", "genius", "geniusweb", "llm-game"]


def detect_format(path: Path) -> Format:
    """Which format ``path`` holds; a :class:`ScenarioError` saying what was expected if none."""
    if path.is_file():
        if path.suffix.lower() == ".xml":
            raise _problem(path, "a GENIUS file: give the folder holding the domain and profiles")
        if path.suffix.lower() == ".json" and _json_keys(path) >= {"issuesValues"}:
            raise _problem(path, "a GeniusWeb domain: give the folder holding it and its profiles")
        return "accord"
    if not path.is_dir():
        raise _problem(path, "no such file or folder")
    if (path / "config.txt").is_file() and (path / "scores_files").is_dir():
        return "llm-game"
    files = sorted(p for p in path.iterdir() if p.is_file())
    if any(p.suffix.lower() == ".json" and "issuesValues" in _json_keys(p) for p in files):
        return "geniusweb"
    if any(p.suffix.lower() == ".xml" for p in files):
        return "genius"
    raise _problem(
        path,
        "no scenario found: expected an LLM-negotiation game (config.txt and scores_files/), "
        "a GeniusWeb domain and profiles (JSON) or a GENIUS domain and profiles (XML)",
    )


def load_any(path: str | Path) -> Scenario:
    """Load an Accord scenario file, or a folder in any format Accord reads."""
    location = Path(path)
    kind = detect_format(location)
    if kind == "accord":
        return load_scenario(location)
    if kind == "llm-game":
        from accord.formats.llm_games import load_llm_game

        return load_llm_game(location)
    if kind == "geniusweb":
        from accord.formats.geniusweb import load_geniusweb_folder

        return load_geniusweb_folder(location)
    from accord.formats.genius import load_genius_folder

    return load_genius_folder(location)


def _json_keys(path: Path) -> set[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return set()  # not a GeniusWeb domain; the scenario loader says what is wrong
    return set(data) if isinstance(data, dict) else set()


def _problem(path: Path, message: str) -> ScenarioError:
    return ScenarioError([Problem(message, source=str(path))])
