"""An app that stops ends its helper processes (the PDF renderer, the large uploads'
validator): none outlives the server, and their queues' semaphores are released rather
than left for Python's resource tracker to report as leaked."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from accord.drafts_pdf import PrintedPoint, PrintedVersion
from accord.web import pdf_exports, uploads
from accord.web.app import create_app


def test_stopping_the_app_ends_its_helper_processes(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'ledger.db'}")
    version = PrintedVersion(
        "Plan", "Text, version 1", ("Hash 0",), "", (PrintedPoint("1. A", "a", "Слово."),)
    )
    with TestClient(app) as client:
        assert client.get("/api/health").status_code == 200
        assert pdf_exports._render_in_child(version).startswith(b"%PDF")
        assert uploads.read_off_the_request(uploads.LARGE_UPLOAD_BYTES, len, "four") == 4
        renderer, validator = pdf_exports._renderer, uploads._pool
        assert renderer is not None and validator is not None
        children = [*renderer._processes.values(), *validator._processes.values()]
        assert len(children) == 2 and all(child.is_alive() for child in children)
    assert pdf_exports._renderer is None and uploads._pool is None
    assert not any(child.is_alive() for child in children)
    # A later request in the same process starts them again.
    assert uploads.read_off_the_request(uploads.LARGE_UPLOAD_BYTES, len, "again") == 5
    uploads.shutdown()
