"""publish_event's events, delivered: Redis Streams, signed webhooks, the local event log."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from cloudevents.core.bindings import http
from cloudevents.core.formats.json import JSONFormat
from redis.asyncio import Redis
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from activities.resources import StepResources
from activities.steps.event_sinks import signature, webhook_headers
from activities.steps.publish import OWED, PublishEventConfig, publish_event
from models.errors import ErrorCode, PlatformError
from models.systems import System
from tests.activities.conftest import context, publish

RESULT = {"premium": {"total": 1234.5}, "quoteId": "Q-1"}
SUMMARY = {"premium": "premium.total", "quote": "quoteId"}


async def test_event_goes_to_the_local_log_without_redis(resources: StepResources) -> None:
    config = PublishEventConfig(summary=SUMMARY)
    result = await publish_event(context(resources, "publish_event"), config, RESULT)
    assert result.unchanged
    assert result.detail["sink"] == "file"
    assert not resources.event_log.exists()  # owed, not sent: the run's record sends it
    detail = await publish(resources, config, RESULT)
    event = orjson.loads(resources.event_log.read_bytes().splitlines()[0])
    assert event["eventId"] == detail["eventId"] == result.detail[OWED]["event"]["eventId"]
    assert event["summary"] == {"premium": 1234.5, "quote": "Q-1"}
    assert (event["transactionId"], event["productCode"], event["type"]) == (
        "tx-1",
        "IMCE",
        "rating.completed",
    )


async def test_redis_stream_gets_the_same_event_id_on_a_retry(
    resources: StepResources, redis: Redis
) -> None:
    resources.redis = redis
    stream = f"irx:test:{uuid.uuid4().hex}"
    config = PublishEventConfig(stream=stream, summary=SUMMARY)
    first = await publish(resources, config, RESULT)
    again = await publish(resources, config, RESULT)
    entries: Any = await redis.xrange(stream)
    await redis.delete(stream)
    assert first["eventId"] == again["eventId"]
    assert [e[1][b"eventId"].decode() for e in entries] == [first["eventId"]] * 2
    body = orjson.loads(entries[0][1][b"body"])
    assert body["summary"]["premium"] == 1234.5


async def test_webhook_is_signed_with_hmac(
    resources: StepResources, add_system: Callable[..., Any], serve: Callable[..., Any]
) -> None:
    received: list[tuple[dict[str, str], bytes]] = []

    async def hook(request: Request) -> Response:
        received.append((dict(request.headers), await request.body()))
        return Response(status_code=204)

    url = await serve(Starlette(routes=[Route("/hooks/rating", hook, methods=["POST"])]))
    await add_system("sink", url, kind="event_sink", auth={"signingSecret": "s3cret"})
    config = PublishEventConfig(sink="webhook", system="sink", path="/hooks/rating")
    detail = await publish(resources, config, RESULT)
    assert detail["status"] == 204
    headers, body = received[0]
    assert headers["x-irx-signature"] == signature("s3cret", headers["x-irx-timestamp"], body)
    assert abs(int(headers["x-irx-timestamp"]) - time.time()) < 60
    assert orjson.loads(body)["eventId"] == headers["x-irx-event-id"]
    # Standard Webhooks: what its own library verifies (a plain secret, as its bytes).
    assert headers["webhook-id"] == headers["x-irx-event-id"]
    assert Webhook(b"s3cret").verify(body, headers)["eventId"] == headers["webhook-id"]
    # A CloudEvent in binary mode, as the CloudEvents SDK reads it: the body is the event.
    cloud = http.from_http_event(http.HTTPMessage(headers=headers, body=body))
    assert cloud.get_id() == headers["webhook-id"]
    assert cloud.get_type() == "com.insurratex.rating.completed"
    assert cloud.get_subject() == "tx-1"
    assert cloud.get_source() == "/organizations/org-1/products/IMCE/rate"
    assert cloud.get_data() == orjson.loads(body)


async def test_the_event_log_carries_structured_cloud_events_when_asked(
    resources: StepResources,
) -> None:
    config = PublishEventConfig(sink="file", format="cloudevents", summary=SUMMARY)
    detail = await publish(resources, config, RESULT)
    line = resources.event_log.read_bytes().splitlines()[0]
    cloud = JSONFormat().read(None, line)
    assert cloud.get_specversion() == "1.0"
    assert cloud.get_id() == detail["eventId"]
    assert cloud.get_type() == "com.insurratex.rating.completed"
    data = cloud.get_data()
    assert isinstance(data, dict)
    assert data["eventId"] == detail["eventId"]
    assert data["summary"] == {"premium": 1234.5, "quote": "Q-1"}


EVENT = {
    "eventId": "e-0",
    "type": "rating.completed",
    "occurredAt": "2026-12-07T15:00:00+00:00",
    "transactionId": "tx-1",
    "organizationId": "org-1",
    "productCode": "IMCE",
    "endpoint": "rate",
}
NEW = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
OLD = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"


def test_a_secret_being_rotated_signs_beside_the_new_one() -> None:
    """While receivers move to a new secret, each webhook verifies with either."""
    system = System.model_validate(
        {
            "code": "sink",
            "name": "sink",
            "kind": "event_sink",
            "baseUrl": "https://hooks.example.com",
            "auth": {"signingSecret": NEW, "previousSigningSecret": OLD},
        }
    )
    event = {**EVENT, "eventId": "e-1"}
    body = orjson.dumps({"eventId": "e-1", "type": "rating.completed"})
    headers = webhook_headers(system, event, body, time.time())
    assert len(headers["webhook-signature"].split(" ")) == 2
    for secret in (NEW, OLD):
        assert Webhook(secret).verify(body, headers) == {
            "eventId": "e-1",
            "type": "rating.completed",
        }
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 32).verify(body, headers)
    with pytest.raises(WebhookVerificationError):  # a body changed on the way
        Webhook(NEW).verify(body.replace(b"e-1", b"e-2"), headers)
    stale = {**headers, "webhook-timestamp": str(int(time.time()) - 3600)}
    with pytest.raises(WebhookVerificationError):  # replayed an hour later
        Webhook(NEW).verify(body, stale)


async def test_webhook_down_is_a_retryable_sink_error(
    resources: StepResources, add_system: Callable[..., Any]
) -> None:
    await add_system("gone", "http://127.0.0.1:1", kind="event_sink", timeout_ms=500)
    config = PublishEventConfig(sink="webhook", system="gone")
    with pytest.raises(PlatformError) as caught:
        await publish(resources, config, RESULT)
    assert caught.value.code == ErrorCode.EVENT_SINK_UNAVAILABLE
    assert caught.value.retryable
