"""Read a game of the LLM-Deliberation benchmark as a scenario.

A game folder (Abdelnabi et al., "Cooperation, Competition, and Maliciousness:
LLM-Stakeholders Interactive Negotiation", NeurIPS 2024 Datasets & Benchmarks) holds:

- ``config.txt``: one line per party, ``<name>,<file>,<role>[,<incentive>,<model>]``, role
  ``p1`` (the proposer), ``p2`` (the veto party), ``player`` or ``target``;
- ``scores_files/<file>.txt``: one line of comma-separated integer option scores per issue,
  then the party's minimum acceptable total on the last line;
- optionally ``global_instructions.txt``: the game's text, where ``Issue A: "Name"``
  introduces an issue and ``A1 ...`` its options.

Issue ids come from the names in the text (``Infrastructure_Mix``, the full name as the
title) or, without a text, from the issue's letter (``A``). Option ids are always the
game's own codes (``A1``, ``A2``): they are what the game calls its options (every party's
instructions, ``initial_deal.txt`` and the agents' deals use them), where the text after
a code is prose, not a name; that prose is kept as the option's label.

A deal passes when at least n - 1 parties reach their minimum (>=), p1 and p2 among them:
a quorum of n - 1 with p1 and p2 holding a veto.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.errors import Problem, ScenarioError
from accord.scenario.loader import validate_data
from accord.scenario.model import Scenario

_ROLES = ("p1", "p2", "player", "target")
_ISSUE_HEADER = re.compile(r"^\s*(?:-\s*)?Issue\s+([A-Z])\s*:\s*(.*?)\s*$")
_OPTION_LINE = re.compile(r"^\s*(?:-\s*)?([A-Z])(\d+)\b\s*:?\s*(.*?)\s*$")
# A quoted name may itself contain quotes: 'Compensation to "neighbouring cities"'.
_QUOTED_NAME = re.compile(r'^"(.*)"(?=\s*(?:[.:]|$))')
_NOT_IN_ID = re.compile(r"[^A-Za-z0-9_.\-]+")
_MAX_ID = 80


@dataclass(frozen=True)
class _Member:
    """One line of ``config.txt``."""

    name: str
    file: str
    role: str
    line: int


@dataclass(frozen=True)
class _Scores:
    """One party's scores file: option scores per issue and the minimum acceptable total."""

    path: Path
    scores: tuple[tuple[int, ...], ...]
    minimum: int


@dataclass(frozen=True)
class _Issue:
    """An issue as named in the game's text."""

    letter: str
    title: str
    labels: tuple[str, ...]
    line: int


def load_llm_game(folder: str | Path) -> Scenario:
    """Read an LLM-Deliberation game folder; raise :class:`ScenarioError` on bad input.

    Parameters
    ----------
    folder
        A folder with ``config.txt`` and ``scores_files/<file>.txt`` for every party it
        names (and optionally the game's ``global_instructions.txt``).

    Returns
    -------
    Scenario
        Points-scale preferences (each score as written, the minimum as reservation) and
        a quorum of n - 1 parties in which p1 and p2 hold a veto.
    """
    folder = Path(folder)
    config = folder / "config.txt"
    problems: list[Problem] = []
    members = _read_config(config, problems)
    if problems:
        raise ScenarioError(problems)
    score_sheets: list[_Scores] = []
    for member in members:
        path = folder / "scores_files" / f"{member.file}.txt"
        if not path.is_file():
            problems.append(
                Problem(
                    f"party '{member.name}': no scores file {path}",
                    source=str(config),
                    line=member.line,
                )
            )
            continue
        sheet = _read_scores(path, problems)
        if sheet is not None:
            score_sheets.append(sheet)
    if problems:
        raise ScenarioError(problems)
    shape = _common_shape(score_sheets, problems)
    if problems:
        raise ScenarioError(problems)
    issues = _read_agenda(folder / "global_instructions.txt", shape, problems)
    if problems:
        raise ScenarioError(problems)
    return validate_data(_scenario_data(folder, members, score_sheets, issues), str(folder))


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    try:
        # utf-8-sig: a file saved with a byte-order mark reads the same.
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        problems.append(Problem("no such file", source=str(path)))
    except IsADirectoryError:
        problems.append(Problem("is a folder, expected a text file", source=str(path)))
    except UnicodeDecodeError as error:
        problems.append(Problem(f"not UTF-8 text ({error.reason})", source=str(path)))
    return None


def _read_config(path: Path, problems: list[Problem]) -> list[_Member]:
    text = _read_text(path, problems)
    if text is None:
        return []
    members: list[_Member] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        fields = [field.strip() for field in line.split(",")]
        if len(fields) < 3 or not fields[0] or not fields[1]:
            problems.append(
                Problem(
                    "expected '<name>,<scores file>,<role>[,<incentive>,<model>]'",
                    source=str(path),
                    line=number,
                )
            )
            continue
        name, file, role = fields[:3]
        if role not in _ROLES:
            problems.append(
                Problem(
                    f"party '{name}': unknown role '{role}' (expected one of {', '.join(_ROLES)})",
                    source=str(path),
                    line=number,
                )
            )
            continue
        if any(member.file == file for member in members):
            problems.append(
                Problem(f"scores file '{file}' named twice", source=str(path), line=number)
            )
            continue
        members.append(_Member(name, file, role, number))
    for role, what in (("p1", "proposer"), ("p2", "veto party")):
        holders = [member for member in members if member.role == role]
        if not holders and not problems:
            problems.append(Problem(f"no party has role {role} (the {what})", source=str(path)))
        for extra in holders[1:]:
            problems.append(
                Problem(
                    f"party '{extra.name}': a second {role} (already '{holders[0].name}')",
                    source=str(path),
                    line=extra.line,
                )
            )
    return members


def _read_scores(path: Path, problems: list[Problem]) -> _Scores | None:
    text = _read_text(path, problems)
    if text is None:
        return None
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if len(lines) < 2:
        problems.append(
            Problem(
                "expected one line of scores per issue, then the minimum acceptable total",
                source=str(path),
            )
        )
        return None
    found = len(problems)
    rows: list[tuple[int, ...]] = []
    for number, line in enumerate(lines[:-1], start=1):
        fields = line.split(",")
        row: list[int] = []
        for column, field in enumerate(fields, start=1):
            try:
                row.append(int(field))
            except ValueError:
                problems.append(
                    Problem(
                        f"score {column} of issue {_letter(number - 1)}: expected an integer, "
                        f"got {field.strip()!r}",
                        source=str(path),
                        line=number,
                    )
                )
        rows.append(tuple(row))
    last = lines[-1]
    try:
        minimum = int(last)
    except ValueError:
        problems.append(
            Problem(
                f"expected the minimum acceptable total (one integer), got {last.strip()!r}",
                source=str(path),
                line=len(lines),
            )
        )
        minimum = 0
    return None if len(problems) > found else _Scores(path, tuple(rows), minimum)


def _common_shape(sheets: list[_Scores], problems: list[Problem]) -> tuple[int, ...]:
    """Options per issue, the same in every scores file (the first one sets it)."""
    first = sheets[0]
    shape = tuple(len(row) for row in first.scores)
    for sheet in sheets[1:]:
        if len(sheet.scores) != len(shape):
            problems.append(
                Problem(
                    f"{len(sheet.scores)} lines of scores (issues) before the minimum, "
                    f"but {first.path.name} has {len(shape)}",
                    source=str(sheet.path),
                    # The first extra line, or the minimum where an issue was due.
                    line=min(len(sheet.scores), len(shape)) + 1,
                )
            )
            continue
        for number, (row, expected) in enumerate(zip(sheet.scores, shape, strict=True), start=1):
            if len(row) != expected:
                problems.append(
                    Problem(
                        f"{len(row)} scores for issue {_letter(number - 1)}, "
                        f"but {first.path.name} has {expected}",
                        source=str(sheet.path),
                        line=number,
                    )
                )
    return shape


def _read_agenda(path: Path, shape: tuple[int, ...], problems: list[Problem]) -> list[_Issue]:
    """Issue names and option texts from the game's text; none if there is no text."""
    if not path.exists():
        return []
    text = _read_text(path, problems)
    if text is None:
        return []
    issues: list[_Issue] = []
    labels: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        header = _ISSUE_HEADER.match(line)
        if header is not None:
            if issues:
                issues[-1] = _with_labels(issues[-1], labels)
            labels = []
            issues.append(_Issue(header.group(1), _issue_title(header.group(2)), (), number))
            continue
        option = _OPTION_LINE.match(line)
        if (
            issues
            and option is not None
            and option.group(1) == issues[-1].letter
            and int(option.group(2)) == len(labels) + 1
        ):
            labels.append(option.group(3).lstrip(":").strip())
    if not issues:
        return []
    issues[-1] = _with_labels(issues[-1], labels)
    found = len(problems)
    if [issue.letter for issue in issues] != [_letter(i) for i in range(len(issues))]:
        problems.append(
            Problem(
                f"issues are lettered {', '.join(i.letter for i in issues)}, "
                f"expected {', '.join(_letter(i) for i in range(len(issues)))}",
                source=str(path),
            )
        )
    elif len(issues) != len(shape):
        problems.append(
            Problem(
                f"{len(issues)} issues described, but the scores files have {len(shape)}",
                source=str(path),
                line=issues[-1].line,
            )
        )
    else:
        for issue, count in zip(issues, shape, strict=True):
            if len(issue.labels) != count:
                problems.append(
                    Problem(
                        f"issue {issue.letter} lists {len(issue.labels)} options "
                        f"({issue.letter}1, {issue.letter}2, ...), but the scores files "
                        f"give {count}",
                        source=str(path),
                        line=issue.line,
                    )
                )
    return issues if len(problems) == found else []


def _with_labels(issue: _Issue, labels: list[str]) -> _Issue:
    return _Issue(issue.letter, issue.title, tuple(labels), issue.line)


def _issue_title(rest: str) -> str:
    """The quoted name after ``Issue A:``, or else its first sentence."""
    quoted = _QUOTED_NAME.match(rest)
    if quoted is not None:
        return quoted.group(1).strip()
    return re.split(r"\.(?:\s|$)|:", rest, maxsplit=1)[0].strip()


def _identifier(title: str) -> str:
    """``title`` as an id: parentheses dropped, other characters not allowed become ``_``."""
    plain = re.sub(r"\([^)]*\)", " ", title)
    ident = _NOT_IN_ID.sub("_", plain).strip("_.-")
    if len(ident) > _MAX_ID:
        ident = ident[:_MAX_ID].rsplit("_", 1)[0]
    return ident


def _letter(index: int) -> str:
    return string.ascii_uppercase[index] if index < 26 else f"I{index + 1}"


def _issue_ids(issues: list[_Issue], count: int) -> list[str]:
    """Ids from the names where the text gives usable ones, else the issue letters."""
    ids: list[str] = []
    for index in range(count):
        named = _identifier(issues[index].title) if issues else ""
        ids.append(named if named and named not in ids else _letter(index))
    return ids


def _party_id(file: str) -> str:
    return _NOT_IN_ID.sub("_", file).strip("_.-") or "party"


def _scenario_data(
    folder: Path, members: list[_Member], sheets: list[_Scores], issues: list[_Issue]
) -> dict[str, Any]:
    shape = [len(row) for row in sheets[0].scores]
    issue_ids = _issue_ids(issues, len(shape))
    option_ids = [
        [f"{_letter(index)}{number}" for number in range(1, count + 1)]
        for index, count in enumerate(shape)
    ]
    issue_data: list[dict[str, Any]] = []
    for index, issue_id in enumerate(issue_ids):
        entry: dict[str, Any] = {"id": issue_id}
        labels: tuple[str, ...] = ()
        if issues:
            entry["title"] = issues[index].title
            labels = issues[index].labels
        entry["options"] = [
            {"id": option, "label": labels[number]} if labels else {"id": option}
            for number, option in enumerate(option_ids[index])
        ]
        issue_data.append(entry)
    parties: list[dict[str, Any]] = []
    for member, sheet in zip(members, sheets, strict=True):
        parties.append(
            {
                "id": _party_id(member.file),
                "name": member.name,
                "role": "negotiator",
                "required": member.role in ("p1", "p2"),
                "preferences": {
                    "scale": "points",
                    "values": {
                        issue_id: dict(zip(option_ids[index], sheet.scores[index], strict=True))
                        for index, issue_id in enumerate(issue_ids)
                    },
                    "reservation": sheet.minimum,
                },
            }
        )
    veto = [_party_id(m.file) for role in ("p1", "p2") for m in members if m.role == role]
    data: dict[str, Any] = {
        "id": _identifier(folder.resolve().name) or "llm-game",
        "title": f"LLM-Deliberation game '{folder.resolve().name}'",
        "issues": issue_data,
        "parties": parties,
        "agreement": {"kind": "quorum", "min_parties": len(members) - 1, "veto": veto},
    }
    description = _first_paragraph(folder / "global_instructions.txt")
    if description:
        data["description"] = description
    return data


def _first_paragraph(path: Path) -> str:
    if not path.is_file():
        return ""
    text = path.read_text(encoding="utf-8-sig").strip()
    return re.split(r"\n\s*\n", text, maxsplit=1)[0].strip() if text else ""
