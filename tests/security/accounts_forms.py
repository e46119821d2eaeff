"""Posting the pages' forms as a browser does: with the hidden fields the form page
carries (a CSRF token, where the app puts one in its forms)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from httpx import Response

HIDDEN = re.compile(r'<input type="hidden" name="(csrf_token)" value="([^"]*)"')


def post_form(client: TestClient, page: str, action: str, data: dict[str, str]) -> Response:
    """GET ``page`` (for its hidden fields), then POST ``data`` to ``action``."""
    hidden = dict(HIDDEN.findall(client.get(page).text))
    return client.post(action, data=hidden | data, follow_redirects=False)


def log_in(client: TestClient, username: str, password: str) -> Response:
    client.cookies.clear()
    return post_form(client, "/login", "/login", {"username": username, "password": password})
