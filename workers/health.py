"""A worker's own HTTP endpoints, for its orchestrator and Prometheus.

``/live`` answers while the process serves at all; ``/ready`` while the worker polls
and Temporal answers its health check (a worker cut off from Temporal takes no
work, so it should not count as ready); ``/metrics`` is this process's Prometheus
registry (steps, breakers, pools, runs) and its Temporal SDK runtime's worker
metrics. Served on ``IRX_WORKER__HEALTH_PORT``.

A few lines on ``asyncio`` streams rather than a web framework: three GET routes,
and the worker keeps sole charge of the process's signals.
"""

from __future__ import annotations

import asyncio
import json

from prometheus_client import CONTENT_TYPE_LATEST
from temporalio.client import Client
from temporalio.worker import Worker

from infra.metrics import metrics_exposition
from workers.telemetry import sdk_metrics

CHECK_TIMEOUT_S = 2.0
READ_TIMEOUT_S = 5.0
_REASONS = {200: "OK", 404: "Not Found", 503: "Service Unavailable"}


class WorkerHealth:
    """Answers the three routes for one worker."""

    def __init__(self, client: Client, worker: Worker) -> None:
        self.client = client
        self.worker = worker

    async def answer(self, path: str) -> tuple[int, bytes, str]:
        """(status, body, content type) for a GET of ``path``."""
        if path == "/live":
            return 200, b'{"status":"alive"}', "application/json"
        if path == "/ready":
            try:
                temporal = await asyncio.wait_for(
                    self.client.service_client.check_health(), CHECK_TIMEOUT_S
                )
            except Exception:  # any failure to answer means: not ready
                temporal = False
            polling = self.worker.is_running and not self.worker.is_shutdown
            ok = polling and temporal
            body = {
                "status": "ready" if ok else "not ready",
                "polling": polling,
                "temporal": temporal,
            }
            return (200 if ok else 503), json.dumps(body).encode(), "application/json"
        if path == "/metrics":
            return 200, metrics_exposition() + await sdk_metrics(), CONTENT_TYPE_LATEST
        return 404, b'{"status":"not found"}', "application/json"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readline(), READ_TIMEOUT_S)
            while await asyncio.wait_for(reader.readline(), READ_TIMEOUT_S) not in (b"\r\n", b""):
                pass  # headers: read and ignored (each line bounded by the stream's limit)
            parts = request.split()
            path = parts[1].decode(errors="replace").split("?")[0] if len(parts) >= 2 else ""
            status, body, content_type = await self.answer(path)
            head = (
                f"HTTP/1.1 {status} {_REASONS[status]}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            )
            writer.write(head.encode() + body)
            await writer.drain()
        except (TimeoutError, ValueError, ConnectionError):
            pass  # a slow, oversized or vanished client: just close
        finally:
            writer.close()

    async def serve(self, host: str, port: int) -> asyncio.Server:
        return await asyncio.start_server(self._handle, host, port)
