"""Connections the API server holds: a request head has a deadline (api/connection.py),
over real sockets to a real uvicorn served as ``irx api`` serves it."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

import orjson

from tests.conftest import Stack, serve_api

LIVE = b"GET /api/v1/health/live HTTP/1.1\r\nHost: irx.test\r\n\r\n"

Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


@asynccontextmanager
async def api_connection(stack: Stack, header_timeout_s: float) -> AsyncIterator[Connection]:
    """A raw TCP connection to the API, served with a head deadline of ``header_timeout_s``."""
    stack.settings.api.header_timeout_s = header_timeout_s
    async with serve_api(stack.app, stack.settings) as url:
        address = urlsplit(url)
        reader, writer = await asyncio.open_connection(address.hostname, address.port)
        try:
            yield reader, writer
        finally:
            writer.close()


async def answer(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    """One HTTP response read off the connection: status, headers, body."""
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    status_line, *lines = head.decode("latin-1").split("\r\n")[:-2]
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return int(status_line.split()[1]), headers, body


async def closed(reader: asyncio.StreamReader, within_s: float = 2.0) -> bool:
    """Whether the server closes the connection (nothing more comes) within ``within_s``."""
    try:
        return await asyncio.wait_for(reader.read(), within_s) == b""
    except TimeoutError:
        return False


def timed_out_envelope(headers: dict[str, str], body: bytes) -> dict[str, Any]:
    error: dict[str, Any] = orjson.loads(body)["error"]
    assert headers["content-type"] == "application/json"
    assert headers["connection"] == "close"
    assert error["code"] == "REQUEST_TIMEOUT"
    assert error["message"]
    assert error["timestamp"]
    assert error["correlationId"] == headers["x-correlation-id"]
    assert headers["x-content-type-options"] == "nosniff"
    return error


async def test_a_head_trickled_a_byte_at_a_time_is_answered_408_and_closed(stack: Stack) -> None:
    """A slow-head client: each byte arrives in time, the head as a whole does not."""
    async with api_connection(stack, 0.3) as (reader, writer):
        begun = time.monotonic()

        async def trickle() -> None:
            with contextlib.suppress(ConnectionError):
                for byte in LIVE[:-2]:  # never the blank line that ends the head
                    writer.write(bytes([byte]))
                    await writer.drain()
                    await asyncio.sleep(0.02)

        trickling = asyncio.create_task(trickle())
        try:
            status, headers, body = await answer(reader)
            took = time.monotonic() - begun
            assert status == 408
            error = timed_out_envelope(headers, body)
            assert error["details"] == {"headerTimeoutS": 0.3}
            assert await closed(reader)
        finally:
            trickling.cancel()
    assert 0.25 < took < 1.0, took  # from the connection's start, not from its last byte


async def test_a_connection_that_sends_nothing_is_closed(stack: Stack) -> None:
    async with api_connection(stack, 0.3) as (reader, _):
        begun = time.monotonic()
        assert await closed(reader)  # nothing to answer: closed without a response
        assert time.monotonic() - begun < 1.0


async def test_kept_alive_connections_still_serve_and_time_out_the_next_head(
    stack: Stack,
) -> None:
    """Idle between requests is uvicorn's keep-alive timeout's (5 s), not the head's: a
    request after longer than the head deadline is served; a partial one is not, its
    deadline counted from its first byte."""
    async with api_connection(stack, 0.3) as (reader, writer):
        writer.write(LIVE)
        assert (await answer(reader))[0] == 200
        await asyncio.sleep(0.6)
        writer.write(LIVE)
        status, headers, _ = await answer(reader)
        assert status == 200
        assert headers.get("connection") != "close"
        await asyncio.sleep(0.6)
        begun = time.monotonic()
        writer.write(LIVE[:20])
        status, headers, body = await answer(reader)
        assert status == 408
        timed_out_envelope(headers, body)
        assert time.monotonic() - begun < 1.0
        assert await closed(reader)


async def test_a_body_is_governed_by_the_body_idle_timeout_not_the_head_deadline(
    stack: Stack,
) -> None:
    """A head that arrived in time stops the clock: a steady body taking 1 s is read
    whole; one that stalls is refused by api/guard.py's idle timeout."""
    stack.settings.api.body_idle_timeout_s = 0.5
    product = orjson.dumps({"code": "STEADY", "name": "Steady"})

    def head(length: int) -> bytes:
        return (
            f"POST /api/v1/products HTTP/1.1\r\nHost: irx.test\r\nX-API-Key: {stack.demo.api_key}"
            f"\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
        ).encode()

    async with api_connection(stack, 0.3) as (reader, writer):
        writer.write(head(len(product)))
        for i in range(0, len(product), 3):
            writer.write(product[i : i + 3])
            await writer.drain()
            await asyncio.sleep(1.0 / (len(product) / 3))
        status, _, body = await answer(reader)
        assert status == 201, body
        writer.write(head(len(product)) + product[:5])  # then nothing
        status, _, body = await answer(reader)
        assert status == 408
        assert orjson.loads(body)["error"]["details"] == {"idleTimeoutS": 0.5}
        assert await closed(reader)  # an answered body that never came: not held either
