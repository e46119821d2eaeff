"""The local assets: the favicon is served to anyone, from the package, as drawn."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

from fastapi.testclient import TestClient

from accord.web.app import create_app
from accord.web.pages.static import STATIC

ROOT = Path(__file__).resolve().parents[1]


def test_the_favicon_is_served_without_a_login(tmp_path: Path) -> None:
    app = create_app(db_path=tmp_path / "accord.db")
    with TestClient(app) as client:
        response = client.get("/favicon.ico")
    app.state.database.dispose()
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/vnd.microsoft.icon"
    assert response.content == (STATIC / "favicon.ico").read_bytes()
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO directory


def test_the_favicon_is_what_the_script_draws_and_is_packaged() -> None:
    spec = importlib.util.spec_from_file_location("make_favicon", ROOT / "scripts/make_favicon.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.ico((16, 32)) == (STATIC / "favicon.ico").read_bytes()
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["accord"]
    assert "web/static/*.ico" in package_data
