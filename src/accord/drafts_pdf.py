"""A draft version as a PDF, rendered offline: the articles in any script.

fpdf2 lays the text out and embeds a subset of Roboto (from the ``font-roboto`` package,
Apache 2.0), which covers Latin with its accents, Greek and Cyrillic (Ukrainian ї, є, ґ
included): the standard PDF fonts cover Latin-1 alone. Nothing is fetched from the network.
The input is plain data, so that this module needs neither the ledger nor the web.
"""

from __future__ import annotations

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
        # Each paragraph starts at the left margin, below the one before.
        pdf.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

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
