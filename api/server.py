"""The API process: ``irx api``."""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI

from api.app import create_app
from api.connection import HeadTimeoutProtocol
from models.settings import Settings
from workers.logs import configure_logging
from workers.telemetry import configure_tracing, sdk_runtime


def server_config(app: FastAPI, settings: Settings, **overrides: object) -> uvicorn.Config:
    """How the API is served.

    The h11 parser, because it bounds what it buffers of a request's head
    (request line and headers): a 100 MB header is refused, not held in memory. Its
    protocol (``api.connection``) bounds how long a head may take: a slow one is 408.
    """
    options: dict[str, object] = {
        "host": settings.api.host,
        "port": settings.api.port,
        "http": HeadTimeoutProtocol.bounded(settings.api.header_timeout_s),
        "h11_max_incomplete_event_size": settings.api.max_header_bytes,
        "log_level": settings.log_level.lower(),
        # uvicorn's own lines go through the platform's handler (JSON, masked) too.
        "log_config": None,
        "access_log": False,
        **overrides,
    }
    return uvicorn.Config(app, **options)  # type: ignore[arg-type]


def serve(settings: Settings) -> None:
    """Serves the API on ``IRX_API__HOST``:``IRX_API__PORT``."""
    configure_logging(settings)
    configure_tracing("irx-api")
    sdk_runtime()
    uvicorn.Server(server_config(create_app(settings), settings)).run()
