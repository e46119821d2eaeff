"""The printable view and the PDF of a version: clean, offline, for its readers only."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from accord.web.app import create_app
from web_world import World, log_in, seed

UKRAINIAN = "Україна зберігає свою адміністрацію; демілітаризована зона з обох боків лінії."


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return seed(f"sqlite:///{tmp_path_factory.mktemp('print') / 'ledger.db'}")


@pytest.fixture(scope="module")
def clients(world: World) -> Iterator[dict[str, TestClient]]:
    app = create_app(world.database_url)
    clients = {}
    for name in ("mediator", "ua-delegate", "ru-delegate", "observer"):
        client = TestClient(app)
        client.__enter__()
        assert log_in(client, name).status_code == 303
        clients[name] = client
    yield clients
    for client in clients.values():
        client.__exit__(None, None, None)
    app.state.database.dispose()


@pytest.fixture(scope="module")
def version_path(world: World, clients: dict[str, TestClient]) -> str:
    """A version with a Ukrainian article, sent to Ukraine only."""
    mediator = clients["mediator"]
    response = mediator.post(
        f"/negotiations/{world.negotiation_id}/drafts",
        data={
            "title": "Territory",
            "note": "After the sixth meeting.",
            "point": ["donetsk=buffer-ua", "ceasefire=on-signing"],
            "text_point": ["donetsk", "ceasefire"],
            "text": [UKRAINIAN, ""],
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    location = str(response.headers["location"])
    assert mediator.post(f"{location}/distribution", data={"party": ["ua"]}).status_code == 200
    return location


def test_the_printable_view_has_the_articles_and_no_navigation(
    clients: dict[str, TestClient], version_path: str
) -> None:
    page = clients["mediator"].get(f"{version_path}/print")
    assert page.status_code == 200
    html = page.text
    assert UKRAINIAN in html
    assert "Territory, version 1" in html and "After the sixth meeting." in html
    assert "Ceasefire on signing" in html
    assert '<link rel="stylesheet" href="/static/accord-print.css">' in html
    # No navigation, no form, no script: the page is the text.
    for absent in ("<nav", "<form", "<script", "accord.css"):
        assert absent not in html
    # Articles in agenda order: Donetsk (point 21) before the ceasefire (point 28).
    assert html.index("Donetsk") < html.index("Ceasefire (point 28)")
    css = clients["mediator"].get("/static/accord-print.css")
    assert css.status_code == 200 and "@media print" in css.text
    assert "display: none" in css.text.split("@media print")[1]


def test_the_version_page_links_to_its_print_view_and_pdf(
    clients: dict[str, TestClient], version_path: str
) -> None:
    html = clients["ua-delegate"].get(version_path).text
    assert f'href="{version_path}/print"' in html and f'href="{version_path}/pdf"' in html


def test_the_pdf_is_a_download_with_the_cyrillic_article(
    clients: dict[str, TestClient], version_path: str
) -> None:
    response = clients["ua-delegate"].get(f"{version_path}/pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert re.fullmatch(
        r'attachment; filename="negotiation-\d+-draft-\d+-version-1\.pdf"',
        response.headers["content-disposition"],
    )
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join("\n".join(page.extract_text() for page in reader.pages).split())
    assert " ".join(UKRAINIAN.split()) in text
    assert "Territory, version 1" in text


@pytest.mark.parametrize("reader", ["ru-delegate", "observer"])
@pytest.mark.parametrize("suffix", ["print", "pdf"])
def test_a_version_not_sent_to_the_viewer_is_not_found(
    clients: dict[str, TestClient], version_path: str, reader: str, suffix: str
) -> None:
    response = clients[reader].get(f"{version_path}/{suffix}")
    assert response.status_code == 404
    assert UKRAINIAN not in response.text


def test_a_new_version_is_rendered_ahead_so_its_first_request_renders_nothing(
    world: World, clients: dict[str, TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.web import pdf_exports

    mediator = clients["mediator"]
    response = mediator.post(
        f"/negotiations/{world.negotiation_id}/drafts",
        data={"title": "Rendered ahead", "point": ["donetsk=buffer-ua"]},
        follow_redirects=False,
    )
    assert response.status_code == 303
    location = str(response.headers["location"])
    # The child process renders it; the request path must not.
    rendered_here: list[object] = []
    monkeypatch.setattr(pdf_exports, "version_pdf", rendered_here.append)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with pdf_exports._lock:
            ready = any(
                printed.title == "Rendered ahead, version 1" for printed in pdf_exports._rendered
            )
        if ready:
            break
        time.sleep(0.1)
    assert ready, "the new version's PDF was not rendered ahead"
    pdf = mediator.get(f"{location}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert rendered_here == []
    # Kept for its readers only: the observer, who may not read it, gets no PDF.
    assert clients["observer"].get(f"{location}/pdf").status_code == 404
