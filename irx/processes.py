"""Process entry points: the API, the worker, the reference engine (each its own process)."""

from __future__ import annotations

import asyncio
import logging
import signal

import uvicorn

from models.settings import Settings
from workers.client import connect_client
from workers.worker import rating_worker


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    # One line per outgoing request is noise at INFO on the hot path.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def run_api(settings: Settings) -> None:
    from api.app import create_app

    uvicorn.run(
        create_app(settings),
        host=settings.api.host,
        port=settings.api.port,
        log_level=settings.log_level.lower(),
        access_log=False,
    )


async def _worker(settings: Settings) -> None:
    client = await connect_client(settings.temporal)
    async with rating_worker(client, settings) as worker:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        task = asyncio.create_task(worker.run())
        await stop.wait()
        await worker.shutdown()
        await task


def run_worker(settings: Settings) -> None:
    asyncio.run(_worker(settings))


def run_reference_engine() -> None:
    from reference_engine.app import create_app
    from reference_engine.settings import get_engine_settings

    engine = get_engine_settings()
    uvicorn.run(
        create_app(engine),
        host=engine.host,
        port=engine.port,
        log_level="warning",
        access_log=False,
    )
