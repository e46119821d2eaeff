"""A version as a PDF: the articles in any script, with the font embedded."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from accord.drafts_pdf import PrintedPoint, PrintedVersion, version_pdf, wrapped

UKRAINIAN = "Частина Донецької області, яку утримує Україна, стає демілітаризованою зоною; ґ, є, ї."


def _version(*points: PrintedPoint) -> PrintedVersion:
    return PrintedVersion(
        negotiation="Peace plan (illustrative)",
        title="Territory, version 2",
        facts=("The mediator's text, version 2, issued 2026-12-01 10:00 UTC", "Hash " + "a" * 64),
        note="After the sixth meeting.",
        points=points,
    )


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_cyrillic_article_is_in_the_pdf() -> None:
    pdf = version_pdf(_version(PrintedPoint("21. Donetsk", "Buffer zone", UKRAINIAN)))
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    assert " ".join(UKRAINIAN.split()) in " ".join(text.split())
    assert "Territory, version 2" in text and "Option: Buffer zone" in text


def test_the_font_is_embedded_so_the_file_reads_anywhere() -> None:
    reader = PdfReader(io.BytesIO(version_pdf(_version(PrintedPoint("1", "a", "é à ü ñ ř")))))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [
        font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for font in fonts.values()
    ]
    assert all("/FontFile2" in descriptor for descriptor in descriptors)
    assert "é à ü ñ ř" in _text(version_pdf(_version(PrintedPoint("1", "a", "é à ü ñ ř"))))


def test_a_long_version_runs_onto_more_pages_in_order() -> None:
    points = [
        PrintedPoint(f"{n}. Point {n}", "option", f"Article {n}. " * 60) for n in range(1, 28)
    ]
    reader = PdfReader(io.BytesIO(version_pdf(_version(*points))))
    assert len(reader.pages) > 1
    text = _text(version_pdf(_version(*points)))
    positions = [text.index(f"{n}. Point {n}\n") for n in range(1, 28)]
    assert positions == sorted(positions)


def test_a_version_written_before_words_says_it_has_no_text() -> None:
    text = _text(version_pdf(_version(PrintedPoint("6. Armed forces", "Cap at 800,000", None))))
    assert "(no text: written before drafts had words)" in text


def test_lines_are_broken_between_words_and_a_word_too_long_is_cut() -> None:
    def measure(text: str) -> float:
        return float(len(text))

    assert wrapped("the zone lies on both sides", 10, measure) == [
        "the zone",
        "lies on",
        "both sides",
    ]
    assert wrapped("a demilitarisation zone", 6, measure) == [
        "a",
        "demili",
        "tarisa",
        "tion",
        "zone",
    ]
    assert wrapped("first\n\nthird", 10, measure) == ["first", "", "third"]


@given(st.text(alphabet="ab ґє\n", max_size=80), st.integers(min_value=1, max_value=12))
def test_wrapped_lines_fit_and_keep_every_word_in_order(text: str, width: int) -> None:
    lines = wrapped(text, width, lambda piece: float(len(piece)))
    assert all(len(line) <= width for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())
    assert len(lines) >= text.count("\n") + 1
