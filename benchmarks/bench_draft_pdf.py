"""Time to render a draft version as a PDF (accord.drafts_pdf), beside fpdf2's multi_cell.

A 27-article version, each article about 1,600 characters of Ukrainian: the whole of
``version_pdf``, then its line breaking alone against the baseline measured in the same
run — the same articles laid out with fpdf2's ``multi_cell``, which re-measures the line
at every character. Medians of several runs; on a shared machine read the ratio.

    python benchmarks/bench_draft_pdf.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from accord.drafts_pdf import PrintedPoint, PrintedVersion, _font_files, version_pdf, wrapped

RUNS = 5
ARTICLE = "Частина Донецької області, яку утримує Україна, стає демілітаризованою зоною. " * 20
ARTICLES = 27


def _layout(own_breaking: bool) -> bytes:
    regular, _ = _font_files()
    pdf = FPDF(format="A4")
    pdf.add_font("Roboto", "", str(regular))
    pdf.add_page()
    pdf.set_font("Roboto", "", 11)
    for _ in range(ARTICLES):
        if own_breaking:
            for line in wrapped(ARTICLE, pdf.epw, pdf.get_string_width):
                pdf.cell(0, 5.5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            pdf.multi_cell(0, 5.5, ARTICLE, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def _median_seconds(run: Callable[[], object]) -> float:
    run()  # warm: imports and the font file in the page cache
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    version = PrintedVersion(
        negotiation="Peace plan (illustrative)",
        title="Territory, version 2",
        facts=("The mediator's text, version 2", "Hash " + "0" * 64),
        note="",
        points=tuple(
            PrintedPoint(f"{n}. Point {n}", "option", ARTICLE) for n in range(1, ARTICLES + 1)
        ),
    )
    whole = _median_seconds(lambda: version_pdf(version))
    baseline = _median_seconds(lambda: _layout(own_breaking=False))
    own = _median_seconds(lambda: _layout(own_breaking=True))
    print(f"version_pdf, {ARTICLES} articles of {len(ARTICLE):,} characters: {whole:.2f} s")
    print(f"layout with fpdf2 multi_cell (baseline): {baseline:.2f} s")
    print(f"layout with accord.drafts_pdf.wrapped:   {own:.2f} s ({baseline / own:.1f}x faster)")


if __name__ == "__main__":
    main()
