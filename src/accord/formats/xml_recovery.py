"""Parse XML the way GENIUS's lenient reader accepts it, saying what had to be repaired.

GENIUS reads its files with its own ``SimpleDOMParser`` (``genius.core.xml``), through a
``FileReader`` in the platform's encoding, and that parser never decodes entities or checks
the spacing between attributes. Files written by hand for GENIUS therefore hold what a
conforming XML parser refuses. A file is first parsed strictly (expat, keeping every
element's line and column); only if that fails are these repairs tried, each reported as a
:class:`~accord.errors.Problem` naming the file and line:

- bytes that are not UTF-8 in a file that declares no other encoding are read as
  Windows-1252 (the encoding GENIUS's ``FileReader`` used on the Windows machines these
  files were written on: ``0x80`` is ``€``);
- an ``&`` that starts no entity reference ("AT & T") is read as the character ``&``
  (GENIUS keeps every ``&`` as written);
- two attributes with no space between them (``type="discrete"vtype="discrete"``) are read
  as two attributes, as GENIUS reads them.

Anything else malformed is an error with its line and column. A repair inserts characters
(``amp;``, a space), so on a repaired line the columns of later problems are a few
characters off; lines are exact.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from accord.errors import Problem, ScenarioError

MAX_REPAIRS = 1_000
_BOM = b"\xef\xbb\xbf"
_PROLOG_JUNK = re.compile(rb"(?:\s|<!--.*?-->)*", re.DOTALL)
_DECLARATION = re.compile(rb"<\?xml\b.*?\?>", re.DOTALL)
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")
_ENTITY_TAIL = re.compile(rb"[A-Za-z0-9_#.\-]*")
_NAME_START = re.compile(rb"[A-Za-z_:]")


@dataclass(frozen=True, eq=False)
class ParsedXml:
    """A parsed file: its root, where each element starts (line, column; 1-based), and
    what was repaired to read it."""

    root: ET.Element
    positions: dict[ET.Element, tuple[int, int]]
    repairs: tuple[Problem, ...]


def parse_xml(path: Path, data: bytes) -> ParsedXml:
    """``data`` (the bytes of ``path``) parsed, strictly if it can be, else repaired."""
    data = declaration_first(data)
    try:
        root, positions = _expat(data)
        return ParsedXml(root, positions, ())
    except _Malformed as failure:
        first = failure
    repairs: list[Problem] = []
    data = _as_utf8(path, data, repairs)
    for _ in range(MAX_REPAIRS):
        try:
            root, positions = _expat(data)
            in_order = sorted(repairs, key=lambda problem: (problem.line or 0, problem.column or 0))
            return ParsedXml(root, positions, tuple(in_order))
        except _Malformed as failure:
            repaired = _repair(path, data, failure.byte_index, repairs)
            if repaired is None:
                raise failure.problem(path) from None
            data = repaired
    raise first.problem(path)


def declaration_first(data: bytes) -> bytes:
    """The text with an XML declaration that follows comments or blank lines (FORMAT.md §5)
    moved to the start, where XML wants it; what follows keeps its line and column."""
    bom = _BOM if data.startswith(_BOM) else b""
    body = data[len(bom) :]
    junk = _PROLOG_JUNK.match(body)
    start = junk.end() if junk else 0
    declaration = _DECLARATION.match(body, start)
    if start == 0 or declaration is None:
        return data
    newlines = body[:start].count(b"\n")
    shift = len(body[: declaration.end()].rsplit(b"\n", 1)[-1]) if newlines else start
    return bom + declaration.group() + b"\n" * newlines + b" " * shift + body[declaration.end() :]


def looks_like_xml(data: bytes) -> bool:
    """Whether the first thing after blanks and comments is a tag (GENIUS ships plain-text
    Pareto frontiers named ``pareto.xml``)."""
    body = data.removeprefix(_BOM)
    junk = _PROLOG_JUNK.match(body)
    start = junk.end() if junk else 0
    return body[start : start + 1] == b"<"


def _expat(data: bytes) -> tuple[ET.Element, dict[ET.Element, tuple[int, int]]]:
    """Parse with expat (as ElementTree does) to keep every element's line and column."""
    parser = expat.ParserCreate()
    builder = ET.TreeBuilder()
    positions: dict[ET.Element, tuple[int, int]] = {}

    def start(tag: str, attributes: dict[str, str]) -> None:
        element = builder.start(tag, attributes)
        positions[element] = (parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise _Malformed(error, parser.ErrorByteIndex) from None
    return builder.close(), positions


class _Malformed(Exception):
    """An expat error and the byte where it was found."""

    def __init__(self, error: expat.ExpatError, byte_index: int) -> None:
        super().__init__(str(error))
        self.error, self.byte_index = error, byte_index

    def problem(self, path: Path) -> ScenarioError:
        problem = Problem(
            f"malformed XML: {expat.ErrorString(self.error.code)}",
            source=str(path),
            line=self.error.lineno,
            column=self.error.offset + 1,
        )
        return ScenarioError([problem])


def _as_utf8(path: Path, data: bytes, repairs: list[Problem]) -> bytes:
    """``data`` as UTF-8: bytes that are not are read as Windows-1252, unless the file
    declares an encoding other than UTF-8 (expat then decodes it)."""
    declared = _DECLARATION.match(data.removeprefix(_BOM))
    encoding = _ENCODING.search(declared.group()) if declared else None
    name = encoding.group(1).decode("ascii", "replace").lower() if encoding else "utf-8"
    if name.replace("_", "-") not in ("utf-8", "utf8"):
        return data
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    for number, line in enumerate(lines, 1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as error:
            text = line.decode("cp1252", errors="replace")
            byte = line[error.start]
            shown = bytes([byte]).decode("cp1252", errors="replace")
            said = "declares UTF-8" if encoding else "declares no encoding"
            repairs.append(
                Problem(
                    f"repaired: byte 0x{byte:02X} is not UTF-8 and the file {said}: the line "
                    f"is read as Windows-1252 ('{shown}'), as GENIUS's reader does on Windows",
                    source=str(path),
                    line=number,
                    column=error.start + 1,
                )
            )
            lines[number - 1] = text.encode("utf-8")
    return b"\n".join(lines)


def _repair(path: Path, data: bytes, at: int, repairs: list[Problem]) -> bytes | None:
    """``data`` with the cause of the error found at byte ``at`` repaired, or ``None`` if
    it is not one GENIUS reads through."""
    if at < 0 or at > len(data):
        return None
    line_start = data.rfind(b"\n", 0, at) + 1
    line = data.count(b"\n", 0, line_start) + 1
    # expat stops after what it took for an entity's name: the bare '&' is the last before.
    ampersand = data.rfind(b"&", line_start, at)
    if ampersand >= 0 and _ENTITY_TAIL.fullmatch(data, ampersand + 1, at):
        repairs.append(
            Problem(
                "repaired: an '&' that starts no entity reference is read as the character "
                "'&' (GENIUS keeps it as written; XML wants '&amp;')",
                source=str(path),
                line=line,
                column=ampersand - line_start + 1,
            )
        )
        return data[:ampersand] + b"&amp;" + data[ampersand + 1 :]
    if at > 0 and data[at - 1 : at] in (b'"', b"'") and _NAME_START.match(data, at):
        repairs.append(
            Problem(
                "repaired: no space between two attributes; read as two attributes, as "
                "GENIUS reads them",
                source=str(path),
                line=line,
                column=at - line_start + 1,
            )
        )
        return data[:at] + b" " + data[at:]
    return None
