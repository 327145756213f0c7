"""The worker process: ``irx worker``."""

from __future__ import annotations

import asyncio
import logging
import signal

from models.settings import Settings
from workers.client import connect_client
from workers.health import WorkerHealth
from workers.worker import rating_worker


def configure_logging(level: str) -> None:
    """Plain text logs at ``level`` for every platform process."""
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    # One line per outgoing request is noise at INFO on the hot path.
    logging.getLogger("httpx").setLevel(logging.WARNING)


async def _worker(settings: Settings) -> None:
    client = await connect_client(settings.temporal)
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
    configure_logging(settings.log_level)
    asyncio.run(_worker(settings))
