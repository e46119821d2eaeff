"""``/docs``: the API's Swagger UI, served from this server with no CDN.

FastAPI's own ``/docs`` page loads Swagger UI from a CDN and starts it with an inline
script, which the Content-Security-Policy (:mod:`accord.web.headers`) forbids and which
fails without internet. The same Swagger UI (version 5: it renders OpenAPI 3.1) ships
inside the ``fastapi-offline`` package; its files are served from there, and a static
script starts it on ``/openapi.json``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

router = APIRouter(include_in_schema=False)
SWAGGER_FILES = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css"}
START = Path(__file__).parent / "static" / "swagger-start.js"
PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Accord API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-start.js"></script>
</body>
</html>
"""


@cache
def swagger_folder() -> Path | None:
    """The Swagger UI files bundled in the installed ``fastapi-offline`` package, if any."""
    try:
        import fastapi_offline
    except ImportError:
        return None
    folder = Path(fastapi_offline.__file__).parent / "static"
    return folder if all((folder / name).is_file() for name in SWAGGER_FILES) else None


@router.get("/docs")
def docs_page() -> HTMLResponse:
    if swagger_folder() is None:
        raise HTTPException(
            404, "the API docs need the fastapi-offline package; /openapi.json has the spec"
        )
    return HTMLResponse(PAGE)


@router.get("/docs/swagger-start.js")
def swagger_start() -> FileResponse:
    return FileResponse(START, media_type="text/javascript")


@router.get("/docs/{name}")
def swagger_asset(name: str) -> FileResponse:
    folder = swagger_folder()
    if folder is None or name not in SWAGGER_FILES:
        raise HTTPException(404, f"no file {name[:80]!r} here")
    return FileResponse(
        folder / name,
        media_type=SWAGGER_FILES[name],
        headers={"Cache-Control": "public, max-age=86400"},
    )
