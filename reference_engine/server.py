"""The reference engine process: ``irx reference-engine``."""

from __future__ import annotations

import uvicorn

from reference_engine.app import create_app
from reference_engine.settings import get_engine_settings


def serve() -> None:
    """Serves the reference engine on ``IRX_ENGINE_HOST``:``IRX_ENGINE_PORT``."""
    settings = get_engine_settings()
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,
    )
