"""PDF exports are rendered one at a time and kept: asking again costs no rendering, and a
request that cannot start in time is told to retry instead of holding a thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from accord import drafts_pdf
from accord.drafts_pdf import PrintedPoint, PrintedVersion
from accord.web import pdf_exports


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    pdf_exports.forget()
    yield
    pdf_exports.forget()


def _version(text: str) -> PrintedVersion:
    return PrintedVersion(
        "Plan", "Text, version 1", ("Hash 0",), "", (PrintedPoint("1. A", "a", text),)
    )


def test_a_version_asked_for_again_is_not_rendered_again(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[PrintedVersion] = []
    render = drafts_pdf.version_pdf

    def counting(version: PrintedVersion) -> bytes:
        calls.append(version)
        return render(version)

    monkeypatch.setattr(pdf_exports, "version_pdf", counting)
    first = pdf_exports.pdf_of(_version("Перше слово."))
    again = pdf_exports.pdf_of(_version("Перше слово."))
    other = pdf_exports.pdf_of(_version("Друге слово."))
    assert first is not None and first == again and other is not None and other != first
    assert len(calls) == 2


def test_while_one_pdf_renders_another_request_is_told_to_retry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started, release = threading.Event(), threading.Event()

    def slow(version: PrintedVersion) -> bytes:
        started.set()
        release.wait(10)
        return b"%PDF-slow"

    monkeypatch.setattr(pdf_exports, "version_pdf", slow)
    results: list[bytes | None] = []
    worker = threading.Thread(target=lambda: results.append(pdf_exports.pdf_of(_version("a"))))
    worker.start()
    assert started.wait(10)
    assert pdf_exports.pdf_of(_version("b"), wait=0.05) is None
    release.set()
    worker.join(10)
    assert results == [b"%PDF-slow"]
    # Once the first is done, the next one renders.
    monkeypatch.setattr(pdf_exports, "version_pdf", lambda version: b"%PDF-b")
    assert pdf_exports.pdf_of(_version("b"), wait=0.05) == b"%PDF-b"


def test_the_kept_pdfs_stay_under_their_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_exports, "CACHE_BYTES", 25)
    monkeypatch.setattr(pdf_exports, "version_pdf", lambda version: b"x" * 10)
    for text in "abcd":
        pdf_exports.pdf_of(_version(text))
    assert pdf_exports._cached_bytes == 20 and len(pdf_exports._rendered) == 2
    assert list(pdf_exports._rendered) == [_version("c"), _version("d")]
