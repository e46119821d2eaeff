"""The tutorial says what the code does: its commands and its Python print what it shows.

``docs/tutorial.md`` is read as a user reads it. The complete scenario file (the ```yaml
block that starts with ``# A constructed teaching case``) is saved as ``river-treaty.yaml``
in a fresh folder, every ``$ accord ...`` line of every ```console block is run there with
an 80-column terminal, and its output (stdout and stderr together) must be the lines shown
after it; a line ``…`` in the tutorial stands for any number of lines, none included.
``$ echo $?`` checks the exit code of the command before it. The ```python block is run in
the same folder and must print its ```text block.

Section 5 breaks the file on purpose ("on line N, mistype `old` as `new`"): the console
block after that instruction runs in ``broken/``, on a copy with exactly that change (the
reader edits the file in place, then puts it back). The Python block runs beside the
intact file alone: whatever else it reads, it must make itself.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "docs" / "tutorial.md"
SCENARIO = "river-treaty.yaml"
SCENARIO_START = "# A constructed teaching case"
ELLIPSIS = "…"
TIMEOUT = 60

FENCE = re.compile(r"^```(?P<lang>[\w-]*)[ \t]*\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)
TYPO = re.compile(r"on\s+line\s+(\d+),\s+mistype\s+`([^`]+)`\s+as\s+`([^`]+)`")


@dataclass(frozen=True)
class Block:
    lang: str
    body: str
    line: int  # line of the opening fence in the tutorial, 1-based
    before: str  # the prose between the previous block and this one


def _blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    end = 0
    for match in FENCE.finditer(text):
        blocks.append(
            Block(
                match["lang"],
                match["body"],
                text.count("\n", 0, match.start()) + 1,
                text[end : match.start()],
            )
        )
        end = match.end()
    return blocks


BLOCKS = _blocks(TUTORIAL.read_text(encoding="utf-8"))
CONSOLE = [block for block in BLOCKS if block.lang == "console"]
PYTHON = [
    (block, BLOCKS[i + 1] if i + 1 < len(BLOCKS) else None)
    for i, block in enumerate(BLOCKS)
    if block.lang == "python"
]


def _lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _scenario_text() -> str:
    found = [b.body for b in BLOCKS if b.lang == "yaml" and b.body.startswith(SCENARIO_START)]
    assert len(found) == 1, (
        f"{TUTORIAL}: expected one ```yaml block starting with {SCENARIO_START!r}, "
        f"found {len(found)}"
    )
    return found[0]


def _typo() -> tuple[int, str, str]:
    found = TYPO.findall(TUTORIAL.read_text(encoding="utf-8"))
    assert len(found) == 1, (
        f"{TUTORIAL}: expected one instruction 'on line N, mistype `old` as `new`', "
        f"found {len(found)}"
    )
    line, old, new = found[0]
    return int(line), old, new


def _broken(folder: Path) -> Path:
    """``folder/broken``, holding the scenario with the tutorial's typo, made as it says."""
    number, old, new = _typo()
    lines = (folder / SCENARIO).read_text(encoding="utf-8").splitlines(keepends=True)
    line = lines[number - 1] if 1 <= number <= len(lines) else ""
    if line.count(old) != 1:
        pytest.fail(
            f"{TUTORIAL.name}: it says to mistype {old!r} on line {number} of {SCENARIO}, "
            f"but that line is {line!r}",
            pytrace=False,
        )
    lines[number - 1] = line.replace(old, new)
    broken = folder / "broken"
    broken.mkdir(exist_ok=True)
    (broken / SCENARIO).write_text("".join(lines), encoding="utf-8")
    return broken


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder holding the tutorial's complete scenario file."""
    (tmp_path / SCENARIO).write_text(_scenario_text(), encoding="utf-8")
    return tmp_path


def _environment() -> dict[str, str]:
    environment = dict(os.environ)
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "LINES"):
        environment.pop(name, None)
    environment["COLUMNS"] = "80"
    environment["PYTHONIOENCODING"] = "utf-8"
    return environment


def _mismatch(expected: list[str], actual: list[str]) -> str | None:
    """``None`` when ``actual`` fits ``expected`` (``…`` = any lines), else the first difference.

    The pieces of ``expected`` between ``…`` lines are matched in order: the first at the
    start (unless ``expected`` starts with ``…``), the last at the end (unless it ends with
    ``…``), the others each at its earliest place. That finds a match when there is one.
    """

    def differ(what: str, at: int, want: str | None, got: str | None) -> str:
        shown = "(no more lines)" if want is None else repr(want)
        printed = "(the output ends)" if got is None else repr(got)
        return f"{what}, output line {at + 1}:\n  expected: {shown}\n  actual:   {printed}"

    pieces: list[list[str]] = [[]]
    for line in expected:
        if line == ELLIPSIS:
            pieces.append([])
        else:
            pieces[-1].append(line)
    if len(pieces) == 1:
        for i in range(max(len(expected), len(actual))):
            want = expected[i] if i < len(expected) else None
            got = actual[i] if i < len(actual) else None
            if want != got:
                return differ("first differing line", i, want, got)
        return None
    head, *middle, tail = pieces
    for i, want in enumerate(head):
        got = actual[i] if i < len(actual) else None
        if want != got:
            return differ("first differing line", i, want, got)
    start, stop = len(head), len(actual) - len(tail)
    if stop < start:
        return (
            f"the output has {len(actual)} line(s), fewer than the {len(head) + len(tail)} "
            f"shown around the {ELLIPSIS}"
        )
    for i, want in enumerate(tail):
        if actual[stop + i] != want:
            return differ(
                f"first differing line after the last {ELLIPSIS}", stop + i, want, actual[stop + i]
            )
    for piece in middle:
        if not piece:
            continue
        best, best_at = -1, start
        for at in range(start, stop - len(piece) + 1):
            same = 0
            while same < len(piece) and actual[at + same] == piece[same]:
                same += 1
            if same == len(piece):
                break
            if same > best:
                best, best_at = same, at
        else:
            if best < 1:
                return (
                    f"line {piece[0]!r} (after a {ELLIPSIS}) is not in the output after line "
                    f"{start}" + (f" and before line {stop + 1}" if tail else "")
                )
            return differ(
                f"lines after a {ELLIPSIS} only partly found (from output line {best_at + 1})",
                best_at + best,
                piece[best],
                actual[best_at + best] if best_at + best < stop else None,
            )
        start = at + len(piece)
    return None


def _commands(block: Block) -> list[tuple[str, list[str]]]:
    """The block's ``$`` lines, each with the lines shown after it."""
    steps: list[tuple[str, list[str]]] = []
    for number, line in enumerate(block.body.splitlines(), start=block.line + 1):
        if line.startswith("$ "):
            steps.append((line[2:].strip(), []))
        elif not steps:
            raise AssertionError(f"{TUTORIAL}:{number}: output before any `$` command: {line!r}")
        else:
            steps[-1][1].append(line)
    return [(command, _lines("\n".join(shown))) for command, shown in steps]


def _full(lines: list[str]) -> str:
    return "\n".join(lines) if lines else "(nothing)"


def test_the_tutorial_has_what_this_test_reads() -> None:
    assert CONSOLE, f"{TUTORIAL}: no ```console block found"
    assert PYTHON, f"{TUTORIAL}: no ```python block found"
    for block in CONSOLE:
        assert _commands(block), f"{TUTORIAL}:{block.line}: a ```console block with no command"
    _scenario_text()
    _typo()


@pytest.mark.parametrize("block", CONSOLE, ids=[f"line{b.line}" for b in CONSOLE])
def test_console_block_prints_what_the_tutorial_shows(block: Block, folder: Path) -> None:
    where = _broken(folder) if TYPO.search(block.before) else folder
    previous: tuple[str, int] | None = None
    for command, shown in _commands(block):
        label = f"{TUTORIAL.name}:{block.line}: `$ {command}`"
        if command == "echo $?":
            assert previous is not None, f"{label}: no command before it"
            assert shown == [str(previous[1])], (
                f"{label}: `$ {previous[0]}` exited with {previous[1]}, the tutorial shows "
                f"{_full(shown)}"
            )
            continue
        words = shlex.split(command)
        assert words and words[0] == "accord", f"{label}: this test runs only `accord` commands"
        result = subprocess.run(
            [sys.executable, "-m", "accord", *words[1:]],
            cwd=where,
            env=_environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            encoding="utf-8",
            timeout=TIMEOUT,
            check=False,
        )
        actual = _lines(result.stdout)
        problem = _mismatch(shown, actual)
        if problem is not None:
            pytest.fail(
                f"{label} (run in {where}) does not print what the tutorial shows: {problem}\n"
                f"--- the whole output (exit code {result.returncode}) ---\n{_full(actual)}",
                pytrace=False,
            )
        previous = (command, result.returncode)


@pytest.mark.parametrize(("code", "text"), PYTHON, ids=[f"line{code.line}" for code, _ in PYTHON])
def test_python_block_prints_the_text_after_it(
    code: Block, text: Block | None, folder: Path
) -> None:
    label = f"{TUTORIAL.name}:{code.line}: the ```python block"
    assert text is not None and text.lang == "text", f"{label} is not followed by a ```text block"
    result = subprocess.run(
        [sys.executable, "-c", code.body],
        cwd=folder,
        env=_environment(),
        capture_output=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, f"{label} failed (exit {result.returncode}):\n{result.stderr}"
    actual = _lines(result.stdout)
    problem = _mismatch(_lines(text.body), actual)
    if problem is not None:
        pytest.fail(
            f"{label} does not print the ```text block at line {text.line}: {problem}\n"
            f"--- the whole output ---\n{_full(actual)}",
            pytrace=False,
        )


@pytest.mark.parametrize(
    "block",
    [b for b in BLOCKS if b.lang == "yaml" and not b.body.startswith(SCENARIO_START)],
    ids=lambda b: f"line{b.line}",
)
def test_yaml_excerpt_is_part_of_the_complete_file(block: Block) -> None:
    excerpt = block.body.splitlines()
    whole = _scenario_text().splitlines()
    found = any(
        whole[i : i + len(excerpt)] == excerpt for i in range(len(whole) - len(excerpt) + 1)
    )
    assert found, (
        f"{TUTORIAL.name}:{block.line}: this ```yaml excerpt is not a run of lines of the "
        "complete scenario file"
    )
