"""The rating workspace (docs/workspace.md): its built single-page app, served at /workspace.

The assets are built from ``workspace/`` and committed (``make workspace-check``), so a
fresh machine serves them with Python alone. Every answer carries a strict
Content-Security-Policy: the app's own scripts, styles and API, nothing inline, nothing
from elsewhere. Hashed assets are cached for a year; the page itself is revalidated, and
any other path under /workspace is one of the app's own routes, answered by its page.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from starlette.responses import FileResponse, JSONResponse, Response

from api.deps import ServicesDep

router = APIRouter(prefix="/workspace", include_in_schema=False)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
HEADERS = {"content-security-policy": CSP}
IMMUTABLE = {**HEADERS, "cache-control": "public, max-age=31536000, immutable"}
REVALIDATE = {**HEADERS, "cache-control": "no-cache"}
# The repository's build, beside the api package (a source checkout, as `make run` serves).
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "workspace" / "dist"


@router.get("/config.json")
async def config(services: ServicesDep) -> Response:
    """What the app cannot learn from the API itself: where the Temporal Web UI is."""
    return JSONResponse(
        {"temporalUiUrl": services.settings.api.temporal_ui_url}, headers=REVALIDATE
    )


@router.get("")
@router.get("/{path:path}")
async def page(services: ServicesDep, path: str = "") -> Response:
    """A built file (``assets/`` are content-hashed), else the app's page for its own route."""
    root = (services.settings.api.workspace_dir or DEFAULT_DIR).resolve()
    index = root / "index.html"
    if not index.is_file():
        return Response(
            "The workspace is not built: run `make workspace-check` (needs npm).",
            status_code=404,
            media_type="text/plain",
            headers=REVALIDATE,
        )
    wanted = (root / path).resolve()
    if path and wanted.is_file() and wanted.is_relative_to(root):
        hashed = wanted.is_relative_to(root / "assets")
        return FileResponse(wanted, headers=IMMUTABLE if hashed else REVALIDATE)
    if path.startswith("assets/"):  # a stale hash: never answer a script with the page
        return Response("Not found.", status_code=404, media_type="text/plain", headers=HEADERS)
    return FileResponse(index, headers=REVALIDATE, media_type="text/html")
