"""A version as a PDF: the articles in any script, with the font embedded."""

from __future__ import annotations

import io

from pypdf import PdfReader

from accord.drafts_pdf import PrintedPoint, PrintedVersion, version_pdf

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
