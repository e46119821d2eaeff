"""Local assets: the stylesheet, the favicon, and the plotly.js of the ``plotly`` package.

The dashboard must work with no internet, so plotly.js is never taken from a CDN.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from accord.errors import AccordError

STATIC = Path(__file__).parents[1] / "static"

router = APIRouter(include_in_schema=False)


@cache
def plotly_js_path() -> Path:
    """The ``plotly.min.js`` file shipped inside the installed ``plotly`` Python package."""
    try:
        import plotly
    except ImportError:  # pragma: no cover - plotly is a dependency of the web extra
        raise AccordError("the dashboard needs plotly: install accord[web]") from None
    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not path.is_file():  # pragma: no cover - a broken plotly installation
        raise AccordError(f"plotly.js is missing from the plotly package: expected {path}")
    return path


@router.get("/static/plotly.min.js")
def plotly_js() -> FileResponse:
    # Long cache: the file only changes when plotly is upgraded, and then the server restarts.
    return FileResponse(
        plotly_js_path(),
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@router.get("/static/accord-charts.js")
def charts_js() -> FileResponse:
    return FileResponse(STATIC / "accord-charts.js", media_type="text/javascript")


@router.get("/static/accord-preferences.js")
def preferences_js() -> FileResponse:
    return FileResponse(STATIC / "accord-preferences.js", media_type="text/javascript")


@router.get("/static/accord-drafts.js")
def drafts_js() -> FileResponse:
    return FileResponse(STATIC / "accord-drafts.js", media_type="text/javascript")


@router.get("/static/accord-print.css")
def print_stylesheet() -> FileResponse:
    return FileResponse(STATIC / "accord-print.css", media_type="text/css")


@router.get("/static/accord.css")
def stylesheet() -> FileResponse:
    return FileResponse(STATIC / "accord.css", media_type="text/css")


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    # The path browsers ask for without a <link rel="icon">; drawn by scripts/make_favicon.py.
    return FileResponse(
        STATIC / "favicon.ico",
        media_type="image/vnd.microsoft.icon",
        headers={"Cache-Control": "public, max-age=86400"},
    )
