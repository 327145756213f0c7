"""The worker process: ``irx worker``."""

from __future__ import annotations

import asyncio
import signal

from models.settings import Settings
from store.blobs import create_blob_store
from workers.client import connect_client
from workers.health import WorkerHealth
from workers.logs import configure_logging
from workers.telemetry import configure_tracing, sdk_runtime
from workers.worker import rating_worker


async def _worker(settings: Settings) -> None:
    client = await connect_client(settings.temporal, create_blob_store(settings.blobs))
    async with rating_worker(client, settings) as worker:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        task = asyncio.create_task(worker.run())
        health = None
        if settings.worker.health_port is not None:
            health = await WorkerHealth(client, worker).serve(
                settings.worker.health_host, settings.worker.health_port
            )
        await stop.wait()
        await worker.shutdown()
        await task
        if health is not None:
            health.close()
            await health.wait_closed()


def run_worker(settings: Settings) -> None:
    """Runs a rating worker until SIGINT or SIGTERM."""
    configure_logging(settings)
    configure_tracing("irx-worker")
    sdk_runtime()
    # uvloop's event loop, as the API's uvicorn chooses: the worker's loop wakes for every
    # task and activity, and uvloop cut the worker's CPU per rating by about a tenth
    # (docs/performance.md). Where it is not installed (it comes with uvicorn[standard],
    # not on Windows), asyncio's.
    try:
        import uvloop
    except ImportError:
        asyncio.run(_worker(settings))
    else:
        uvloop.run(_worker(settings))
