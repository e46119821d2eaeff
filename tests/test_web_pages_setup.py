"""Setting up a negotiation from pages: blank, uploaded files in any importable format, a
copy (preferences only from its mediator); creating needs the permission."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import select

import accord.web.uploads
from accord.ledger.models import Negotiation, User
from accord.web.app import create_app
from accord.web.uploads import LARGE_UPLOAD_BYTES
from web_world import PEACE_PLAN, PRIVATE_MARKERS, log_in, seed

DATA = Path(__file__).parent / "data"
ERRORS = re.compile(r'data-errors-for="([^"]*)">(.*?)</ul>', re.S)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[TestClient]:
    world = seed(f"sqlite:///{tmp_path / 'ledger.db'}")
    application = create_app(world.database_url)
    with application.state.database.transaction() as session:
        for name in ("mediator", "ua-delegate"):
            user = session.scalar(select(User).where(User.username == name))
            assert user is not None
            user.can_create_negotiations = True
    with TestClient(application) as client:
        yield client
    application.state.database.dispose()


def errors(page: str) -> dict[str, str]:
    """Each form's error messages as text."""
    return {
        form: html.unescape(re.sub(r"<[^>]+>", " ", body)) for form, body in ERRORS.findall(page)
    }


def negotiation(client: TestClient, negotiation_id: int) -> Negotiation:
    with client.app.state.database.session() as session:  # type: ignore[attr-defined]
        found = session.get(Negotiation, negotiation_id)
        assert found is not None
        session.expunge_all()
        return found


def created_id(response: object) -> int:
    location = response.headers["location"]  # type: ignore[attr-defined]
    found = re.fullmatch(r"/negotiations/(\d+)/agenda", location)
    assert found, location
    return int(found.group(1))


def test_creating_needs_the_permission(app: TestClient) -> None:
    log_in(app, "observer")
    assert "Creating negotiations needs permission" in app.get("/negotiations/new").text
    response = app.post("/negotiations/new", data={"id": "mine"})
    assert response.status_code == 403
    assert "needs permission" in response.text


def test_a_blank_negotiation_lands_in_the_editor_with_what_it_still_needs(
    app: TestClient,
) -> None:
    log_in(app, "mediator")
    assert 'href="/negotiations/new"' in app.get("/negotiations").text
    response = app.post(
        "/negotiations/new",
        data={"id": "camp-david", "title": "Camp David 1978", "description": "Egypt, Israel"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    created = created_id(response)
    page = app.get(f"/negotiations/{created}/agenda").text
    assert "the agenda has no points yet" in page
    assert "no party sits at the table yet" in page
    stored = negotiation(app, created)
    assert (stored.scenario_key, stored.title, stored.agenda) == (
        "camp-david",
        "Camp David 1978",
        {"blocks": [], "issues": []},
    )
    history = app.get(f"/negotiations/{created}/agenda/history").text
    assert "a blank agenda" in history


def test_a_bad_id_is_refused_beside_the_form_with_what_was_typed(app: TestClient) -> None:
    log_in(app, "mediator")
    response = app.post("/negotiations/new", data={"id": "no spaces", "title": "Kept title"})
    assert response.status_code == 422
    assert "'no spaces' is not an id" in errors(response.text)["blank"]
    assert 'value="Kept title"' in response.text
    assert app.post("/negotiations/new", data={"id": "x" * 81}).status_code == 422


def test_uploading_an_accord_scenario(app: TestClient) -> None:
    log_in(app, "mediator")
    files = [("files", ("plan.yaml", PEACE_PLAN.read_bytes(), "application/yaml"))]
    response = app.post("/negotiations/new/upload", files=files, follow_redirects=False)
    created = created_id(response)
    stored = negotiation(app, created)
    assert len(stored.agenda["issues"]) == 27


@pytest.mark.parametrize(
    ("folder", "points", "warned"),
    [("genius/lenient", 2, True), ("geniusweb/salary", 3, False), ("negmas/market", 3, False)],
)
def test_uploading_the_files_of_a_foreign_folder(
    app: TestClient, folder: str, points: int, warned: bool
) -> None:
    log_in(app, "mediator")
    files = [
        ("files", (path.name, path.read_bytes(), "application/octet-stream"))
        for path in sorted((DATA / folder).iterdir())
    ]
    response = app.post("/negotiations/new/upload", files=files, follow_redirects=False)
    if warned:
        # The reader's warnings are shown as `accord import` prints them, file:line first.
        assert response.status_code == 200
        assert "phone_buyer.xml:10:35: repaired" in response.text
        assert "accord-upload-" not in response.text
        created = int(re.findall(r'href="/negotiations/(\d+)/agenda"', response.text)[0])
    else:
        created = created_id(response)
    assert len(negotiation(app, created).agenda["issues"]) == points


def test_a_broken_upload_names_the_file_and_line(app: TestClient) -> None:
    log_in(app, "mediator")
    broken = b"id: plan\nissues: 3\nparties: [{id: a}]\n"
    response = app.post("/negotiations/new/upload", files=[("files", ("plan.yaml", broken))])
    assert response.status_code == 422
    assert "plan.yaml:2:9: issues: Input should be a valid tuple" in errors(response.text)["upload"]
    lone_domain = (DATA / "genius/lenient/phone_domain.xml").read_bytes()
    response = app.post(
        "/negotiations/new/upload", files=[("files", ("phone_domain.xml", lone_domain))]
    )
    assert response.status_code == 422
    assert "accord-upload-" not in response.text and "Traceback" not in response.text


def test_a_large_upload_is_read_in_the_validation_process(app: TestClient) -> None:
    log_in(app, "mediator")
    data = yaml.safe_load(PEACE_PLAN.read_text(encoding="utf-8"))
    data["description"] = "x" * LARGE_UPLOAD_BYTES
    files = [("files", ("large.yaml", yaml.safe_dump(data).encode(), "application/yaml"))]
    response = app.post("/negotiations/new/upload", files=files, follow_redirects=False)
    assert len(negotiation(app, created_id(response)).description) == LARGE_UPLOAD_BYTES


def test_the_server_process_reads_nothing_of_a_large_upload(
    app: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real worker reads the files and serialises the scenario (tripwires set here are
    not in its process); the server only copies bytes. A small upload, read in the
    request's thread, trips them."""
    log_in(app, "mediator")
    data = yaml.safe_load(PEACE_PLAN.read_text(encoding="utf-8"))
    data["description"] = "x" * LARGE_UPLOAD_BYTES
    large = [("files", ("large.yaml", yaml.safe_dump(data).encode(), "application/yaml"))]
    app.post("/negotiations/new/upload", files=large)  # the worker starts
    real_dumps = json.dumps

    def small_dumps(value: Any, *arguments: Any, **options: Any) -> str:
        text = real_dumps(value, *arguments, **options)
        assert len(text) < 10_000, "the scenario was serialised in the server's process"
        return text

    def tripwire(*_: Any, **__: Any) -> Any:
        raise AssertionError("a scenario was read in the server's process")

    monkeypatch.setattr(accord.web.uploads, "import_any", tripwire)
    monkeypatch.setattr(accord.web.uploads, "validate_data", tripwire)
    monkeypatch.setattr(BaseModel, "model_validate", tripwire)
    monkeypatch.setattr(BaseModel, "model_dump", tripwire)
    monkeypatch.setattr(json, "dumps", small_dumps)
    response = app.post("/negotiations/new/upload", files=large, follow_redirects=False)
    assert response.status_code == 303
    small = [("files", ("plan.yaml", PEACE_PLAN.read_bytes(), "application/yaml"))]
    with pytest.raises(AssertionError, match="in the server's process"):
        app.post("/negotiations/new/upload", files=small)
    monkeypatch.undo()
    assert len(negotiation(app, created_id(response)).description) == LARGE_UPLOAD_BYTES


def test_a_copy_carries_preferences_only_from_its_mediator(app: TestClient) -> None:
    log_in(app, "mediator")
    response = app.post(
        "/negotiations/new/copy",
        data={"source": "1", "id": "plan-copy", "title": "Copy"},
        follow_redirects=False,
    )
    copied = negotiation(app, created_id(response))
    original = negotiation(app, 1)
    assert copied.agenda == original.agenda and copied.agreement == original.agreement
    with app.app.state.database.session() as session:  # type: ignore[attr-defined]
        copy_row = session.get(Negotiation, copied.id)
        assert copy_row is not None
        assert all(party.preferences is not None for party in copy_row.parties)

    log_in(app, "ua-delegate")
    page = app.get("/negotiations/new").text
    assert "(without preferences)" in page
    response = app.post(
        "/negotiations/new/copy",
        data={"source": "1", "id": "ua-copy"},
        follow_redirects=False,
    )
    created = created_id(response)
    with app.app.state.database.session() as session:  # type: ignore[attr-defined]
        row = session.get(Negotiation, created)
        assert row is not None
        assert [party.preferences for party in row.parties] == [None] * len(row.parties)
        assert [party.key for party in row.parties] == ["ru", "ua", "us", "eu"]
    # Nothing private of another party reached the delegate on the way.
    agenda_page = app.get(f"/negotiations/{created}/agenda").text
    for party, markers in PRIVATE_MARKERS.items():
        for marker in markers:
            assert marker not in agenda_page, party
    # A negotiation it has no role in is answered as one that does not exist.
    for source in (created + 1, 10_000):
        refused = app.post("/negotiations/new/copy", data={"source": str(source), "id": "z"})
        assert refused.status_code == 422
        assert f"you have no role in negotiation {source}" in errors(refused.text)["copy"]


def test_a_folder_of_two_domains_is_refused_in_an_uploads_words(app: TestClient) -> None:
    log_in(app, "mediator")
    files = [
        ("files", (path.name, path.read_bytes()))
        for path in sorted((DATA / "genius/two-domains").iterdir())
    ]
    response = app.post("/negotiations/new/upload", files=files)
    assert response.status_code == 422
    message = errors(response.text)["upload"]
    assert "fits several domains equally" in message and "domain.xml, domain_v2.xml" in message
    assert "upload the files of one domain at a time" in message and "--domain" not in message


def test_odd_file_names_are_refused(app: TestClient) -> None:
    log_in(app, "mediator")
    twice = [("files", ("a.yaml", b"x")), ("files", ("a.yaml", b"y"))]
    response = app.post("/negotiations/new/upload", files=twice)
    assert "files: 'a.yaml' was given twice" in errors(response.text)["upload"]
    hidden = [("files", (".env", b"x"))]
    response = app.post("/negotiations/new/upload", files=hidden)
    assert "is not a file name Accord can keep" in errors(response.text)["upload"]
    # A path in the name keeps only its last part: nothing is written outside the upload.
    escaping = [("files", ("../../plan.yaml", PEACE_PLAN.read_bytes()))]
    response = app.post("/negotiations/new/upload", files=escaping, follow_redirects=False)
    assert response.status_code == 303
