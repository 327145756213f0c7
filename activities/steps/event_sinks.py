"""Where rating events go: Redis Streams, a signed webhook, Kafka, or a local file.

Webhooks are signed per Standard Webhooks (``webhook-id``, ``webhook-timestamp``,
``webhook-signature``: what its libraries verify), with every secret of a rotation,
and still with the ``X-IRX-*`` headers receivers written before it check.

Every sink receives the same event (a dict with a deterministic ``eventId``), so
consumers de-duplicate on ``eventId`` whatever the transport and however many
times a retried step delivered it.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
from redis.asyncio import Redis

from activities.steps import cloud_events
from infra.circuit_breaker import Breakers
from infra.systems import call_system
from models.errors import ErrorCode, PlatformError
from models.systems import System


def encoded(event: dict[str, Any], form: str) -> bytes:
    """The event as JSON: as it is (``irx``), or a structured CloudEvent (``cloudevents``)."""
    return orjson.dumps(cloud_events.structured(event) if form == "cloudevents" else event)


async def to_redis_stream(
    redis: Redis, stream: str, event: dict[str, Any], maxlen: int, form: str = "irx"
) -> str:
    """XADDs the event (its id as a field, the body as JSON); returns the entry id."""
    try:
        entry = await redis.xadd(
            stream,
            {"eventId": event["eventId"], "type": event["type"], "body": encoded(event, form)},
            maxlen=maxlen,
            approximate=True,
        )
    except Exception as exc:
        raise PlatformError(
            ErrorCode.EVENT_SINK_UNAVAILABLE, f"Redis stream '{stream}' is unavailable: {exc}."
        ) from exc
    return entry.decode() if isinstance(entry, bytes) else str(entry)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of "{timestamp}.{body}">``: the ``X-IRX-Signature``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


WHSEC = "whsec_"


def standard_key(secret: str) -> bytes:
    """The key a secret signs with: a Standard Webhooks secret (``whsec_<base64>``) is
    its decoded bytes, any other text its UTF-8 bytes (what a receiver hands the
    ``standardwebhooks`` library: the ``whsec_`` text, or ``secret.encode()``)."""
    if secret.startswith(WHSEC):
        try:
            return base64.b64decode(secret.removeprefix(WHSEC) + "==", validate=False)
        except binascii.Error:
            pass
    return secret.encode()


def standard_signatures(secrets: list[str], event_id: str, timestamp: str, body: bytes) -> str:
    """``webhook-signature``: ``v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">``
    for each secret, space-separated (receivers accept a match with any one: rotation)."""
    signed = f"{event_id}.{timestamp}.".encode() + body
    return " ".join(
        "v1,"
        + base64.b64encode(hmac.new(standard_key(s), signed, hashlib.sha256).digest()).decode()
        for s in secrets
    )


def webhook_headers(
    system: System, event: dict[str, Any], body: bytes, now: float
) -> dict[str, str]:
    """The headers of a webhook: the CloudEvent's (binary mode), Standard Webhooks', and
    the ``X-IRX-*`` ones."""
    event_id = event["eventId"]
    timestamp = str(int(now))
    headers = {
        **cloud_events.http_headers(event),
        "webhook-id": event_id,
        "webhook-timestamp": timestamp,
        "X-IRX-Event-Id": event_id,
        "X-IRX-Timestamp": timestamp,
    }
    secrets = [
        s.get_secret_value()
        for s in (system.auth.signing_secret, system.auth.previous_signing_secret)
        if s is not None
    ]
    if secrets:
        headers["webhook-signature"] = standard_signatures(secrets, event_id, timestamp, body)
        headers["X-IRX-Signature"] = signature(secrets[0], timestamp, body)
    return headers


async def to_webhook(
    http: httpx.AsyncClient,
    breakers: Breakers,
    breaker_name: str,
    system: System,
    path: str,
    event: dict[str, Any],
) -> int:
    """POSTs the event, signed with the system's ``auth.signingSecret`` (and, while it is
    being rotated out, ``auth.previousSigningSecret``) when it has one."""
    body = orjson.dumps(event)
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
        headers=webhook_headers(system, event, body, time.time()),
    )
    return response.status_code


async def to_kafka(producer: Any, topic: str, event: dict[str, Any]) -> dict[str, Any]:
    """Sends the event keyed by its id (same key, same partition: ordered de-duplication)."""
    try:
        meta = await producer.send_and_wait(
            topic,
            orjson.dumps(event),
            key=event["eventId"].encode(),
            headers=cloud_events.kafka_headers(event),
        )
    except Exception as exc:
        raise PlatformError(
            ErrorCode.EVENT_SINK_UNAVAILABLE, f"Kafka topic '{topic}' is unavailable: {exc}."
        ) from exc
    return {"partition": meta.partition, "offset": meta.offset}


async def to_file(path: Path, event: dict[str, Any], form: str = "irx") -> None:
    """Appends the event as one JSON line (the sink of a stack without Redis)."""
    line = encoded(event, form) + b"\n"

    def append() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("ab") as out:
            out.write(line)

    await asyncio.to_thread(append)
