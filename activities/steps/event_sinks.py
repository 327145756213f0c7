"""Where rating events go: Redis Streams, a signed webhook, Kafka, or a local file.

Every sink receives the same event (a dict with a deterministic ``eventId``), so
consumers de-duplicate on ``eventId`` whatever the transport and however many
times a retried step delivered it.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
from redis.asyncio import Redis

from infra.circuit_breaker import Breakers
from infra.systems import call_system
from models.errors import ErrorCode, PlatformError
from models.systems import System


async def to_redis_stream(redis: Redis, stream: str, event: dict[str, Any], maxlen: int) -> str:
    """XADDs the event (its id as a field, the body as JSON); returns the entry id."""
    try:
        entry = await redis.xadd(
            stream,
            {"eventId": event["eventId"], "type": event["type"], "body": orjson.dumps(event)},
            maxlen=maxlen,
            approximate=True,
        )
    except Exception as exc:
        raise PlatformError(
            ErrorCode.EVENT_SINK_UNAVAILABLE, f"Redis stream '{stream}' is unavailable: {exc}."
        ) from exc
    return entry.decode() if isinstance(entry, bytes) else str(entry)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of "{timestamp}.{body}">``: what receivers recompute."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


async def to_webhook(
    http: httpx.AsyncClient,
    breakers: Breakers,
    breaker_name: str,
    system: System,
    path: str,
    event: dict[str, Any],
) -> int:
    """POSTs the event, signed with the system's ``auth.signingSecret`` when it has one."""
    body = orjson.dumps(event)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-IRX-Event-Id": event["eventId"],
        "X-IRX-Timestamp": timestamp,
    }
    secret = system.auth.signing_secret
    if secret is not None:
        headers["X-IRX-Signature"] = signature(secret.get_secret_value(), timestamp, body)
    response = await call_system(
        http,
        breakers,
        breaker_name,
        system,
        "POST",
        path,
        unavailable=ErrorCode.EVENT_SINK_UNAVAILABLE,
        rejected=ErrorCode.EVENT_SINK_UNAVAILABLE,
        content=body,
        headers=headers,
    )
    return response.status_code


async def to_kafka(producer: Any, topic: str, event: dict[str, Any]) -> dict[str, Any]:
    """Sends the event keyed by its id (same key, same partition: ordered de-duplication)."""
    try:
        meta = await producer.send_and_wait(
            topic, orjson.dumps(event), key=event["eventId"].encode()
        )
    except Exception as exc:
        raise PlatformError(
            ErrorCode.EVENT_SINK_UNAVAILABLE, f"Kafka topic '{topic}' is unavailable: {exc}."
        ) from exc
    return {"partition": meta.partition, "offset": meta.offset}


async def to_file(path: Path, event: dict[str, Any]) -> None:
    """Appends the event as one JSON line (the sink of a stack without Redis)."""

    def append() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("ab") as out:
            out.write(orjson.dumps(event) + b"\n")

    await asyncio.to_thread(append)
