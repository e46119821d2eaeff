"""A draft version as a PDF, rendered offline: the articles in any script.

fpdf2 lays the text out and embeds a subset of Roboto (from the ``font-roboto`` package,
Apache 2.0), which covers Latin with its accents, Greek and Cyrillic (Ukrainian ї, є, ґ
included): the standard PDF fonts cover Latin-1 alone. Nothing is fetched from the network.
The input is plain data, so that this module needs neither the ledger nor the web.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from accord.errors import AccordError


@dataclass(frozen=True)
class PrintedPoint:
    """One article: its heading (number and title), the option chosen and its text."""

    heading: str
    option: str
    text: str | None  # None: a version written before drafts had words


@dataclass(frozen=True)
class PrintedVersion:
    """What a printed version shows: its titles, the facts of its issue, its articles."""

    negotiation: str
    title: str
    facts: tuple[str, ...]
    note: str
    points: tuple[PrintedPoint, ...]


@cache
def _font_files() -> tuple[Path, Path]:
    try:
        import font_roboto
    except ImportError:  # pragma: no cover - font-roboto is a dependency
        raise AccordError(
            "the PDF export needs the font-roboto package: pip install accord"
        ) from None
    files = font_roboto.font_files
    regular, bold = Path(files["Roboto"]), Path(files["RobotoBold"])
    for path in (regular, bold):
        if not path.is_file():  # pragma: no cover - a broken installation
            raise AccordError(f"the Roboto font is missing from font-roboto: expected {path}")
    return regular, bold


def wrapped(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """``text`` in lines no wider than ``width`` (as ``measure`` gives widths): words kept
    whole where they fit, a word wider than a line cut between characters, the text's own
    line breaks kept (an empty line stays, as a blank line)."""
    lines: list[str] = []
    space = measure(" ")
    for paragraph in text.split("\n"):
        line, line_width = "", 0.0
        for word in paragraph.split():
            word_width = measure(word)
            if word_width > width:  # a word longer than a line: cut it
                if line:
                    lines.append(line)
                pieces, line, line_width = _cut(word, width, measure), "", 0.0
                lines.extend(pieces[:-1])
                word, word_width = pieces[-1], measure(pieces[-1])
            if line and line_width + space + word_width > width:
                lines.append(line)
                line, line_width = "", 0.0
            line = f"{line} {word}" if line else word
            line_width += (space if line_width else 0.0) + word_width
        lines.append(line)
    return lines


def _cut(word: str, width: float, measure: Callable[[str], float]) -> list[str]:
    pieces, piece, piece_width = [], "", 0.0
    for character in word:
        character_width = measure(character)
        if piece and piece_width + character_width > width:
            pieces.append(piece)
            piece, piece_width = "", 0.0
        piece += character
        piece_width += character_width
    pieces.append(piece)
    return pieces


def version_pdf(version: PrintedVersion) -> bytes:
    """The version as an A4 PDF: a title block, then one article per point."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    regular, bold = _font_files()
    pdf = FPDF(format="A4")
    pdf.set_title(f"{version.title}")
    pdf.set_creator("Accord")
    pdf.add_font("Roboto", "", str(regular))
    pdf.add_font("Roboto", "B", str(bold))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(20, 18, 20)
    pdf.add_page()

    def paragraph(height: float, text: str) -> None:
        # Lines broken here, one cell each from the left margin: fpdf2's multi_cell
        # re-measures the growing line at every character, which takes seconds for an
        # article of a few thousand words; this measures each word once.
        measure: Callable[[str], float] = pdf.get_string_width
        for line in wrapped(text, pdf.epw, measure):
            pdf.cell(0, height, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    pdf.set_font("Roboto", "", 10)
    paragraph(5, version.negotiation)
    pdf.set_font("Roboto", "B", 16)
    paragraph(8, version.title)
    pdf.set_font("Roboto", "", 9)
    for fact in version.facts:
        paragraph(4.5, fact)
    if version.note:
        pdf.ln(2)
        pdf.set_font("Roboto", "", 10)
        paragraph(5, version.note)
    for point in version.points:
        pdf.ln(4)
        pdf.set_font("Roboto", "B", 11)
        paragraph(5.5, point.heading)
        pdf.set_font("Roboto", "", 9)
        paragraph(4.5, f"Option: {point.option}")
        pdf.set_font("Roboto", "", 11)
        text = (
            point.text if point.text is not None else "(no text: written before drafts had words)"
        )
        paragraph(5.5, text)
    return bytes(pdf.output())
