"""The API process: ``irx api``."""

from __future__ import annotations

import uvicorn

from api.app import create_app
from models.settings import Settings
from workers.main import configure_logging


def serve(settings: Settings) -> None:
    """Serves the API on ``IRX_API__HOST``:``IRX_API__PORT``."""
    configure_logging(settings.log_level)
    uvicorn.run(
        create_app(settings),
        host=settings.api.host,
        port=settings.api.port,
        log_level=settings.log_level.lower(),
        access_log=False,
    )
