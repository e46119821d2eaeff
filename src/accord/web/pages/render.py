"""Rendering pages from the Jinja2 templates, always with HTML escaping on."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from accord.web.csrf import csrf_field, page_token

TEMPLATES = Path(__file__).parents[1] / "templates"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        # A missing variable is a bug in the page, not an empty string shown to the user.
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # The templates ship with the package and change only with it: compiled once,
        # not checked against their files at every page.
        auto_reload=False,
    )
    env.filters["figure_json"] = figure_json
    env.globals["csrf_field"] = csrf_field
    env.globals["csrf_token"] = page_token
    return env


def figure_json(figure: dict[str, Any]) -> Markup:
    """A figure as JSON safe to place inside a ``<script>`` element."""
    text = json.dumps(figure, separators=(",", ":"))
    # "</" would close the script element early; "\u003c" is the same character to JSON.
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def render(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("user", None)
    context.setdefault("notice", None)
    html = environment().get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code)
