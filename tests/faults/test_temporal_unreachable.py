"""Drill: the API loses Temporal while a caller waits for its rating.

The API reaches Temporal through a TCP proxy the test cuts once the run is under way
(the worker keeps its own connection, so the run goes on). The caller is told where its
rating is, 503 with the transaction's id and ``Location``, never a bare 500; and the same
request again, with its key, answers that rating instead of rating twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

from temporalio.client import Client

from tests.api.test_rate import assert_envelope
from tests.conftest import Stack
from workers.client import DATA_CONVERTER

ROOT = Path(__file__).parents[2]


class _Proxy:
    """A TCP proxy to ``target`` that can be cut: every connection through it dropped,
    and new ones refused."""

    def __init__(self, target: str) -> None:
        host, port = target.rsplit(":", 1)
        self.host, self.port = host, int(port)
        self.writers: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._pipe, "127.0.0.1", 0)
        return f"127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(self.host, self.port)
        self.writers += [writer, upstream_writer]

        async def copy(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, OSError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(copy(reader, upstream_writer), copy(upstream_reader, writer))

    async def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in self.writers:
            writer.close()


async def _slow_product(stack: Stack) -> None:
    """SLOWQ: one engine call answered after 3 s."""
    h = stack.headers
    systems = (await stack.http.get("/api/v1/systems", headers=h)).json()
    engine = next(s["baseUrl"] for s in systems if s["code"] == "ref-engine")
    await stack.http.post(
        "/api/v1/systems",
        json={
            "code": "slow-q",
            "name": "Slow engine",
            "kind": "rating_engine",
            "baseUrl": engine,
            "auth": {"mode": "header", "name": "X-Engine-Latency-Ms", "value": "3000"},
            "timeoutMs": 10_000,
        },
        headers=h,
    )
    await stack.http.post("/api/v1/products", json={"code": "SLOWQ", "name": "q"}, headers=h)
    step = {"name": "engine", "type": "call_rating_engine", "config": {"system": "slow-q"}}
    await stack.http.post(
        "/api/v1/products/SLOWQ/flows/rate/versions", json={"steps": [step]}, headers=h
    )
    await stack.http.post("/api/v1/products/SLOWQ/flows/rate/versions/1/publish", headers=h)


@contextlib.asynccontextmanager
async def _api_through(stack: Stack, proxy: _Proxy) -> AsyncIterator[None]:
    """The API starts and waits for runs through ``proxy``; the worker keeps its own
    connection to Temporal."""
    runs = stack.services.runs
    direct = runs.client
    runs.client = await Client.connect(await proxy.start(), data_converter=DATA_CONVERTER)
    try:
        yield
    finally:
        runs.client = direct


async def test_a_caller_waiting_when_temporal_goes_away_is_told_where_its_rating_is(
    stack: Stack,
) -> None:
    await _slow_product(stack)
    example_request = (ROOT / "docs/examples/IMCE-engine-request.json").read_bytes()
    h = stack.headers | {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    proxy = _Proxy(stack.services.client.service_client.config.target_host)
    async with _api_through(stack, proxy):
        waiting = asyncio.create_task(
            stack.http.post("/api/v1/SLOWQ/rate", content=example_request, headers=h)
        )
        await asyncio.sleep(1.0)  # the run is under way: its engine call takes 3 s
        await proxy.cut()
        cut = time.monotonic()
        response = await waiting
        told_after = time.monotonic() - cut
    error = assert_envelope(response, 503, "TEMPORAL_UNAVAILABLE")
    # The API's watch hears Temporal gone within about 2 s (the SDK's retries took 7 s).
    assert told_after < 3.0, told_after
    location = f"/api/v1/transactions/{error['details']['transactionId']}"
    assert error["details"]["location"] == location
    assert response.headers["location"] == location
    assert response.headers["retry-after"] == "1"
    # The run went on without the API: the same request again answers that rating.
    again = await stack.http.post("/api/v1/SLOWQ/rate", content=example_request, headers=h)
    assert again.status_code == 200, again.text
    assert again.json()["status"] == "completed"
    assert again.json()["transactionId"] == error["details"]["transactionId"]
    assert again.headers["x-idempotent-replayed"] == "true"


async def test_a_request_while_temporal_is_unreachable_is_answered_at_once(
    stack: Stack,
) -> None:
    """No Temporal at all: 503 with Retry-After within the start's bound (2 s), not after
    the SDK's own 5-10 s of retries; the same request with its key rates once it is back."""
    await _slow_product(stack)
    example_request = (ROOT / "docs/examples/IMCE-engine-request.json").read_bytes()
    h = stack.headers | {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    proxy = _Proxy(stack.services.client.service_client.config.target_host)
    async with _api_through(stack, proxy):
        await proxy.cut()
        started = time.monotonic()
        response = await stack.http.post("/api/v1/SLOWQ/rate", content=example_request, headers=h)
        took = time.monotonic() - started
    assert_envelope(response, 503, "TEMPORAL_UNAVAILABLE")
    assert response.headers["retry-after"] == "1"
    assert took < 3, took
    again = await stack.http.post("/api/v1/SLOWQ/rate", content=example_request, headers=h)
    assert again.status_code == 200, again.text
    assert again.json()["status"] == "completed"
