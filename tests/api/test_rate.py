"""The rate API end to end: real app, real Temporal, real worker, real reference engine."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from temporalio.client import Client

from bench.limit import Limit
from bench.steps import payload
from models import search_attributes as sa
from models.flow import activity_name, flow_digest
from models.rating import RatingInput
from services.request_body import STREAM_BODY_BYTES
from tests.conftest import Stack

IMCE_STEP_TYPES = [
    "validate_request",
    "field_mapping",
    "apply_rules",
    "format_transform",
    "call_rating_engine",
    "format_transform",
    "field_mapping",
    "apply_rules",
    "publish_event",
]


def assert_envelope(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert error["correlationId"] == response.headers["x-correlation-id"]
    assert error["timestamp"]
    return error


async def test_imce_example_rates_synchronously(stack: Stack, example_request: bytes) -> None:
    response = await stack.http.post(
        "/api/v1/IMCE/rate",
        content=example_request,
        headers={**stack.headers, "X-Correlation-Id": "corr-123"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["x-correlation-id"] == "corr-123"
    body = response.json()
    assert body["status"] == "completed"
    assert (body["productCode"], body["endpoint"], body["flowVersion"]) == ("IMCE", "rate", 1)
    assert [(s["type"], s["status"]) for s in body["steps"]] == [
        (t, "completed") for t in IMCE_STEP_TYPES
    ]
    result = body["result"]
    # The reference engine's exact premium with the pre-rating factors the rules set
    # (class 1.05, NY building age 1.10, schedule credit 0.97), then the NY fee.
    assert result["premium"] == 12893.69
    assert result["totalDue"] == 12918.69
    assert {f["name"] for f in result["factors"]} >= {"classFactor", "bldgAge", "scheduleCredit"}
    assert [line["id"] for line in result["lines"]] == ["EQ-1", "EQ-2", "EQ-3"]
    assert body["durationMs"] > 0
    # No Redis configured here: the event went to the local event log.
    published = body["steps"][-1]["detail"]
    assert published["sink"] == "file"
    log = stack.settings.blobs.root.parent / "events.jsonl"
    events = [orjson.loads(line) for line in log.read_bytes().splitlines()]
    event = next(e for e in events if e["eventId"] == published["eventId"])
    assert event["transactionId"] == body["transactionId"]
    assert event["summary"] == {"quoteId": "Q-2026-0001", "premium": 12893.69, "totalDue": 12918.69}


async def test_transaction_is_recorded_with_its_steps(stack: Stack, example_request: bytes) -> None:
    rated = (
        await stack.http.post("/api/v1/IMCE/rate", content=example_request, headers=stack.headers)
    ).json()
    response = await stack.http.get(
        f"/api/v1/transactions/{rated['transactionId']}", headers=stack.headers
    )
    assert response.status_code == 200
    tx = response.json()
    assert tx["status"] == "completed"
    assert tx["requestHash"] == hashlib.sha256(example_request).hexdigest()
    assert tx["requestBytes"] == len(example_request)
    assert tx["result"] == rated["result"]
    assert [s["status"] for s in tx["steps"]] == ["completed"] * 9
    assert tx["workflowId"] == f"rate-{rated['transactionId']}"


async def test_run_carries_search_attributes_and_summary(
    stack: Stack, example_request: bytes, temporal_client: Client
) -> None:
    rated = (
        await stack.http.post("/api/v1/IMCE/rate", content=example_request, headers=stack.headers)
    ).json()
    handle = temporal_client.get_workflow_handle(f"rate-{rated['transactionId']}")
    described = await handle.describe()
    attrs = described.typed_search_attributes
    assert attrs.get(sa.PRODUCT) == "IMCE"
    assert attrs.get(sa.ENDPOINT) == "rate"
    assert attrs.get(sa.FLOW_VERSION) == "1"
    assert attrs.get(sa.ORGANIZATION) == "demo"
    # A completed run writes no IrxStatus (one visibility write less): a failed one does.
    assert attrs.get(sa.STATUS) is None
    assert await described.static_summary() == "IMCE /rate v1"
    summaries = [
        e.user_metadata.summary
        for e in (await handle.fetch_history()).events
        if e.HasField("user_metadata") and e.user_metadata.HasField("summary")
    ]
    assert summaries, "steps carry their names as summaries"


async def test_steps_name_their_spec_by_the_flow_digest(
    stack: Stack, example_request: bytes, temporal_client: Client
) -> None:
    """The pinned flow travels once, in the run's input; each regular step's input names
    its step by the flow's digest and index, which the worker resolves (from the run's
    start event the first time: this worker has not seen the flow), and its activity by
    the step's type and name."""
    rated = (
        await stack.http.post("/api/v1/IMCE/rate", content=example_request, headers=stack.headers)
    ).json()
    assert rated["status"] == "completed", rated.get("error")
    history = await temporal_client.get_workflow_handle(
        f"rate-{rated['transactionId']}"
    ).fetch_history()
    converter = temporal_client.data_converter
    started = history.events[0].workflow_execution_started_event_attributes
    (run,) = await converter.decode(started.input.payloads, [RatingInput])
    scheduled = [
        e.activity_task_scheduled_event_attributes
        for e in history.events
        if e.HasField("activity_task_scheduled_event_attributes")
    ]
    assert scheduled, "IMCE runs regular steps"
    for attributes in scheduled:
        (step_input,) = await converter.decode(attributes.input.payloads, [dict])
        assert step_input.get("step") is None
        assert step_input["flowDigest"] == run.flow_digest == flow_digest(run.flow)
        # Named by its type and its name: the Web UI tells two steps of a type apart.
        assert attributes.activity_type.name == activity_name(run.flow.steps[step_input["index"]])


async def test_respond_async_returns_202_and_location(stack: Stack, example_request: bytes) -> None:
    response = await stack.http.post(
        "/api/v1/IMCE/rate",
        content=example_request,
        headers={**stack.headers, "Prefer": "respond-async"},
    )
    assert response.status_code == 202
    location = response.headers["location"]
    assert location == f"/api/v1/transactions/{response.json()['transactionId']}"
    for _ in range(100):
        tx = (await stack.http.get(location, headers=stack.headers)).json()
        if tx["status"] != "running":
            break
        await asyncio.sleep(0.05)
    assert tx["status"] == "completed"
    assert tx["result"]["premium"] > 0


async def test_gzip_request_body_is_accepted(stack: Stack, example_request: bytes) -> None:
    response = await stack.http.post(
        "/api/v1/IMCE/rate",
        content=gzip.compress(example_request),
        headers={**stack.headers, "Content-Encoding": "gzip"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "completed"


async def test_unknown_product_or_endpoint_is_404(stack: Stack, example_request: bytes) -> None:
    for path in ("/api/v1/NOPE/rate", "/api/v1/IMCE/renew"):
        response = await stack.http.post(path, content=example_request, headers=stack.headers)
        error = assert_envelope(response, 404, "ORCHESTRATOR_NOT_FOUND")
        assert error["details"]["endpoint"] == path.rsplit("/", 1)[1]


async def test_flow_without_steps_is_404(stack: Stack) -> None:
    await stack.http.post(
        "/api/v1/products", json={"code": "EMPTY", "name": "Empty"}, headers=stack.headers
    )
    created = await stack.http.post(
        "/api/v1/products/EMPTY/flows/rate/versions", json={"steps": []}, headers=stack.headers
    )
    assert created.status_code == 201, created.text
    published = await stack.http.post(
        "/api/v1/products/EMPTY/flows/rate/versions/1/publish", headers=stack.headers
    )
    assert published.status_code == 200, published.text
    response = await stack.http.post("/api/v1/EMPTY/rate", json={}, headers=stack.headers)
    assert_envelope(response, 404, "NO_STEPS_CONFIGURED")


async def test_failed_step_answers_200_with_its_error_code(stack: Stack) -> None:
    bad = {
        "quote": {"id": ""},
        "insured": {"name": "Acme", "address": {"state": "New York"}},
        "equipment": [],
    }
    response = await stack.http.post("/api/v1/IMCE/rate", json=bad, headers=stack.headers)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "failed"
    assert body["error"]["code"] == "VALIDATION_FAILED"
    assert body["error"]["step"] == "validate request"
    # A failed run's error has the standard shape, correlation id and time included.
    assert body["error"]["correlationId"] == response.headers["x-correlation-id"]
    assert body["error"]["timestamp"]
    paths = {e["path"] for e in body["error"]["details"]["errors"]}
    assert {"$.quote", "$.quote.id", "$.insured.address.state", "$.equipment"} <= paths
    assert [s["status"] for s in body["steps"]] == ["failed"]


async def test_malformed_json_is_400(stack: Stack) -> None:
    response = await stack.http.post(
        "/api/v1/IMCE/rate", content=b'{"quoteId": ', headers=stack.headers
    )
    assert_envelope(response, 400, "VALIDATION_FAILED")


async def test_a_wrong_method_is_405_with_its_own_code(stack: Stack) -> None:
    response = await stack.http.delete("/api/v1/products", headers=stack.headers)
    assert_envelope(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"]
    missing = await stack.http.get("/api/v1/nothing/here/at/all", headers=stack.headers)
    assert_envelope(missing, 404, "RESOURCE_NOT_FOUND")


async def test_health_says_where_events_go_without_redis(stack: Stack) -> None:
    health = (await stack.http.get("/api/v1/health", headers=stack.headers)).json()
    events = health["dependencies"]["events"]
    assert events["status"] == "degraded"
    assert str(stack.settings.events.log_path) in events["detail"]


async def test_missing_or_unknown_key_is_401(stack: Stack, example_request: bytes) -> None:
    response = await stack.http.post("/api/v1/IMCE/rate", content=example_request)
    assert_envelope(response, 401, "API_KEY_INVALID")
    response = await stack.http.post(
        "/api/v1/IMCE/rate",
        content=example_request,
        headers={"Authorization": "Bearer irx_not-a-key"},
    )
    assert_envelope(response, 401, "API_KEY_INVALID")


async def test_bearer_key_is_accepted(stack: Stack, example_request: bytes) -> None:
    response = await stack.http.post(
        "/api/v1/IMCE/rate",
        content=example_request,
        headers={"Authorization": f"Bearer {stack.demo.api_key}"},
    )
    assert response.status_code == 200


async def test_body_over_the_product_limit_is_413(stack: Stack) -> None:
    await stack.http.post(
        "/api/v1/products",
        json={"code": "TINY", "name": "Tiny", "maxPayloadBytes": 64},
        headers=stack.headers,
    )
    body = orjson.dumps({"pad": "x" * 200})
    await stack.http.post(
        "/api/v1/products/TINY/flows/rate/versions",
        json={"steps": [{"name": "v", "type": "validate_request", "config": {"schema": {}}}]},
        headers=stack.headers,
    )
    await stack.http.post(
        "/api/v1/products/TINY/flows/rate/versions/1/publish", headers=stack.headers
    )
    response = await stack.http.post("/api/v1/TINY/rate", content=body, headers=stack.headers)
    error = assert_envelope(response, 413, "PAYLOAD_TOO_LARGE")
    assert error["details"]["limitBytes"] == 64
    gz = await stack.http.post(
        "/api/v1/TINY/rate",
        content=gzip.compress(body),
        headers={**stack.headers, "Content-Encoding": "gzip"},
    )
    assert_envelope(gz, 413, "PAYLOAD_TOO_LARGE")


async def _engine_flow(stack: Stack, code: str, fault: str) -> None:
    """A product whose engine system always answers with ``fault``."""
    await stack.http.post(
        "/api/v1/systems",
        json={
            "code": f"faulty-{code}",
            "name": "Faulty engine",
            "kind": "rating_engine",
            "baseUrl": (await _engine_url(stack)),
            "auth": {"mode": "header", "name": "X-Engine-Fault", "value": fault},
            "timeoutMs": 2000,
        },
        headers=stack.headers,
    )
    await stack.http.post(
        "/api/v1/products", json={"code": code, "name": code}, headers=stack.headers
    )
    step = {
        "name": "engine",
        "type": "call_rating_engine",
        "config": {"system": f"faulty-{code}"},
        "retry": {"maxAttempts": 3, "initialIntervalMs": 10, "maxIntervalMs": 20},
    }
    await stack.http.post(
        f"/api/v1/products/{code}/flows/rate/versions",
        json={"steps": [step]},
        headers=stack.headers,
    )
    await stack.http.post(
        f"/api/v1/products/{code}/flows/rate/versions/1/publish", headers=stack.headers
    )


async def _engine_url(stack: Stack) -> str:
    systems = (await stack.http.get("/api/v1/systems", headers=stack.headers)).json()
    url: str = next(s["baseUrl"] for s in systems if s["code"] == "ref-engine")
    return url


async def test_engine_5xx_is_retried_and_4xx_is_not(stack: Stack, example_request: bytes) -> None:
    await _engine_flow(stack, "E503", "503")
    await _engine_flow(stack, "E400", "400")
    down = (
        await stack.http.post("/api/v1/E503/rate", content=example_request, headers=stack.headers)
    ).json()
    assert down["status"] == "failed"
    assert down["error"]["code"] == "RATING_ENGINE_UNAVAILABLE"
    assert down["steps"][0]["attempts"] == 3
    health = (await stack.http.get("/api/v1/health", headers=stack.headers)).json()
    breaker = health["circuitBreakers"][f"{stack.demo.organization_id}:faulty-E503"]
    assert breaker == {"state": "closed", "failures": 3}  # the threshold is 5
    refused = (
        await stack.http.post("/api/v1/E400/rate", content=example_request, headers=stack.headers)
    ).json()
    assert refused["error"]["code"] == "RATING_ENGINE_REJECTED"
    assert refused["steps"][0]["attempts"] == 1


async def test_an_open_breaker_fails_the_step_at_once(stack: Stack, example_request: bytes) -> None:
    await _engine_flow(stack, "EOPEN", "503")
    for _ in range(2):  # 3 failed attempts, then 2 more: the breaker's threshold of 5
        await stack.http.post("/api/v1/EOPEN/rate", content=example_request, headers=stack.headers)
    answer = (
        await stack.http.post("/api/v1/EOPEN/rate", content=example_request, headers=stack.headers)
    ).json()
    assert answer["error"]["code"] == "RATING_ENGINE_UNAVAILABLE"
    assert "circuit breaker is open" in answer["error"]["message"]
    assert answer["error"]["details"]["retryInS"] > 0
    # Not retried: another attempt now would only find the breaker open again.
    assert answer["steps"][0]["attempts"] == 1


async def test_large_request_travels_by_reference(
    stack: Stack, example_request: bytes, temporal_client: Client
) -> None:
    request = orjson.loads(example_request)
    item = request["equipment"][0]
    request["equipment"] = [{**item, "serial": f"EQ-{i}"} for i in range(6000)]
    body = orjson.dumps(request)
    assert len(body) > 3 * stack.settings.blobs.inline_threshold_bytes
    answer = (
        await stack.http.post("/api/v1/IMCE/rate", content=body, headers=stack.headers)
    ).json()
    assert answer["status"] == "completed", answer.get("error")
    assert len(answer["result"]["lines"]) == 6000
    history = await temporal_client.get_workflow_handle(
        f"rate-{answer['transactionId']}"
    ).fetch_history()
    # Every large document went to the blob store: history holds references.
    assert len(history.to_json()) < len(body)
    assert (stack.settings.blobs.root / answer["transactionId"] / "request.json").exists()
    # The large result is answered from the blob store as stored, here and when read again.
    stored = (
        await stack.http.get(
            f"/api/v1/transactions/{answer['transactionId']}", headers=stack.headers
        )
    ).json()
    assert stored["result"] == answer["result"]
    assert stored["responseBytes"] > stack.settings.blobs.inline_threshold_bytes


async def test_run_over_the_product_timeout_is_408(stack: Stack, example_request: bytes) -> None:
    h = stack.headers
    await stack.http.post(
        "/api/v1/systems",
        json={
            "code": "slow-engine",
            "name": "Slow engine",
            "kind": "rating_engine",
            "baseUrl": await _engine_url(stack),
            "auth": {"mode": "header", "name": "X-Engine-Latency-Ms", "value": "3000"},
            "timeoutMs": 5000,
        },
        headers=h,
    )
    await stack.http.post(
        "/api/v1/products", json={"code": "SLOW", "name": "Slow", "timeoutMs": 500}, headers=h
    )
    step = {"name": "engine", "type": "call_rating_engine", "config": {"system": "slow-engine"}}
    await stack.http.post(
        "/api/v1/products/SLOW/flows/rate/versions", json={"steps": [step]}, headers=h
    )
    await stack.http.post("/api/v1/products/SLOW/flows/rate/versions/1/publish", headers=h)
    response = await stack.http.post("/api/v1/SLOW/rate", content=example_request, headers=h)
    error = assert_envelope(response, 408, "REQUEST_TIMEOUT")
    assert (
        error["details"]["location"] == f"/api/v1/transactions/{error['details']['transactionId']}"
    )
    assert response.headers["location"] == error["details"]["location"]
    stored = await stack.http.get(error["details"]["location"], headers=h)
    assert stored.json()["status"] == "timed_out"
    assert stored.json()["error"]["code"] == "REQUEST_TIMEOUT"
    assert stored.json()["error"]["step"] == "engine"  # the step under way at the deadline
    # The run ended itself: Temporal's visibility says timed_out too, not running.
    handle = stack.services.client.get_workflow_handle(f"rate-{error['details']['transactionId']}")
    attributes = (await handle.describe()).typed_search_attributes
    assert attributes.get(sa.STATUS) == "timed_out"


async def test_a_lost_outcome_is_taken_back_from_temporal(
    stack: Stack, example_request: bytes
) -> None:
    from models.tables import TransactionRow

    rated = (
        await stack.http.post("/api/v1/IMCE/rate", content=example_request, headers=stack.headers)
    ).json()
    async with stack.sessions() as session:  # as if recording had failed
        row = await session.get(TransactionRow, rated["transactionId"])
        assert row is not None
        row.status, row.result, row.steps = "running", None, []
        session.add(row)
        await session.commit()
    tx = (
        await stack.http.get(
            f"/api/v1/transactions/{rated['transactionId']}", headers=stack.headers
        )
    ).json()
    assert tx["status"] == "completed"
    assert tx["result"] == rated["result"]
    assert len(tx["steps"]) == 9


async def test_a_large_request_streams_in_and_its_result_streams_out(
    stack: Stack, example_request: bytes
) -> None:
    request = orjson.loads(example_request)
    item = request["equipment"][0]
    request["equipment"] = [{**item, "serial": f"EQ-{i}"} for i in range(16_000)]
    body = orjson.dumps(request)
    assert len(body) > STREAM_BODY_BYTES  # past it, the API streams the body to the store
    root = stack.settings.blobs.root
    before = set(root.glob("*/request.json"))
    headers = {
        **stack.headers,
        "Content-Encoding": "gzip",
        "Accept-Encoding": "gzip",
        "Idempotency-Key": f"stream-{uuid.uuid4()}",
    }
    response = await stack.http.post(
        "/api/v1/IMCE/rate", content=gzip.compress(body), headers=headers
    )
    answer = response.json()
    assert answer["status"] == "completed", answer.get("error")
    assert len(answer["result"]["lines"]) == 16_000
    # The result went out piece by piece from the blob store, compressed on its way.
    assert response.headers["content-encoding"] == "gzip"
    assert "content-length" not in response.headers
    stored = (
        await stack.http.get(f"/api/v1/transactions/{answer['transactionId']}", headers=headers)
    ).json()
    assert stored["requestBytes"] == len(body)
    assert stored["requestHash"] == hashlib.sha256(body).hexdigest()
    assert stored["result"] == answer["result"]
    # The same request again is the same transaction; its second copy is not kept.
    again = await stack.http.post("/api/v1/IMCE/rate", content=gzip.compress(body), headers=headers)
    assert again.headers["x-idempotent-replayed"] == "true"
    assert again.json()["transactionId"] == answer["transactionId"]
    assert set(root.glob("*/request.json")) - before == {
        root / answer["transactionId"] / "request.json"
    }


async def test_a_large_body_that_is_not_json_fails_its_first_step(stack: Stack) -> None:
    body = b'{"equipment": [' + b'{"serial": "EQ-1", "value": 1000},' * 40_000 + b"]}"
    assert len(body) > STREAM_BODY_BYTES
    response = await stack.http.post("/api/v1/IMCE/rate", content=body, headers=stack.headers)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["status"] == "failed"
    assert answer["error"]["code"] == "VALIDATION_FAILED"
    assert answer["error"]["message"] == "The request body is not valid JSON."
    assert [s["status"] for s in answer["steps"]] == ["failed"]


async def test_a_streamed_body_over_the_limit_leaves_nothing_behind(stack: Stack) -> None:
    h = stack.headers
    limit = 2 * STREAM_BODY_BYTES
    await stack.http.post(
        "/api/v1/products",
        json={"code": "BIGISH", "name": "Big", "maxPayloadBytes": limit},
        headers=h,
    )
    await stack.http.post(
        "/api/v1/products/BIGISH/flows/rate/versions",
        json={"steps": [{"name": "v", "type": "validate_request", "config": {"schema": {}}}]},
        headers=h,
    )
    await stack.http.post("/api/v1/products/BIGISH/flows/rate/versions/1/publish", headers=h)
    root = stack.settings.blobs.root
    before = {p for p in root.rglob("*") if p.is_file()}

    async def chunked() -> AsyncIterator[bytes]:  # no Content-Length: counted as it comes
        for _ in range(3 * STREAM_BODY_BYTES // 65536):
            yield b" " * 65536

    response = await stack.http.post("/api/v1/BIGISH/rate", content=chunked(), headers=h)
    assert_envelope(response, 413, "PAYLOAD_TOO_LARGE")
    assert {p for p in root.rglob("*") if p.is_file()} == before


async def test_a_large_request_failing_its_schema_at_its_last_item_names_the_path(
    stack: Stack, example_request: bytes
) -> None:
    request = orjson.loads(example_request)
    item = request["equipment"][0]
    request["equipment"] = [{**item, "serial": f"EQ-{i}"} for i in range(20_000)]
    request["equipment"][-1]["value"] = -5
    body = orjson.dumps(request)
    assert len(body) > STREAM_BODY_BYTES  # read by the run's first step, not the API
    response = await stack.http.post("/api/v1/IMCE/rate", content=body, headers=stack.headers)
    answer = response.json()
    assert answer["status"] == "failed"
    assert answer["error"]["code"] == "VALIDATION_FAILED"
    errors = answer["error"]["details"]["errors"]
    assert [e["path"] for e in errors] == ["$.equipment[19999].value"]
    assert [s["status"] for s in answer["steps"]] == ["failed"]


@pytest.mark.parametrize("described", [True, False])
async def test_a_large_rating_equals_the_same_work_written_by_hand(
    stack: Stack, engine_url: str, described: bool
) -> None:
    """The platform's answer, document for document, is bench.limit's: the IMCE flow's
    validation, mapping, rules and XML written out by hand, against the same engine."""
    body = payload(1_500_000, described)  # thousands of items, by reference, handed over
    answer = (
        await stack.http.post("/api/v1/IMCE/rate", content=body, headers=stack.headers)
    ).json()
    assert answer["status"] == "completed", answer.get("error")
    limit = Limit(engine_url)
    try:
        assert answer["result"] == orjson.loads(await limit.once(body))
    finally:
        await limit.aclose()


async def test_async_requests_past_the_runs_in_flight_are_shed(stack: Stack) -> None:
    """Async intake is bounded: past IRX_API__MAX_ASYNC_IN_FLIGHT runs of a product in
    flight (counted in the transaction log), a new async request is 503 before its body is
    read; a repeat of an accepted one still finds its run; other products and, once the
    runs end, the product itself accept again."""
    h = stack.headers
    await stack.http.post(
        "/api/v1/systems",
        json={
            "code": "unhurried",
            "name": "Unhurried engine",
            "kind": "rating_engine",
            "baseUrl": await _engine_url(stack),
            "auth": {"mode": "header", "name": "X-Engine-Latency-Ms", "value": "1500"},
        },
        headers=h,
    )
    await stack.http.post("/api/v1/products", json={"code": "PILE", "name": "p"}, headers=h)
    step = {"name": "engine", "type": "call_rating_engine", "config": {"system": "unhurried"}}
    await stack.http.post(
        "/api/v1/products/PILE/flows/rate/versions", json={"steps": [step]}, headers=h
    )
    await stack.http.post("/api/v1/products/PILE/flows/rate/versions/1/publish", headers=h)
    examples = Path(__file__).parents[2] / "docs/examples"
    engine_request = (examples / "IMCE-engine-request.json").read_bytes()
    stack.services.runs.max_async_in_flight = 2
    later = {**h, "Prefer": "respond-async"}
    keyed = {**later, "Idempotency-Key": str(uuid.uuid4())}
    accepted = [
        await stack.http.post("/api/v1/PILE/rate", content=engine_request, headers=headers)
        for headers in (keyed, later)
    ]
    assert [a.status_code for a in accepted] == [202, 202], accepted[-1].text
    shed = await stack.http.post("/api/v1/PILE/rate", content=engine_request, headers=later)
    error = assert_envelope(shed, 503, "API_OVERLOADED")
    assert shed.headers["retry-after"] == "1"
    assert error["details"] == {"reason": "asyncInFlight", "inFlight": 2, "limit": 2}
    again = await stack.http.post("/api/v1/PILE/rate", content=engine_request, headers=keyed)
    assert again.status_code == 202
    assert again.headers["x-idempotent-replayed"] == "true"
    imce = (examples / "IMCE-rate-request.json").read_bytes()
    other = await stack.http.post("/api/v1/IMCE/rate", content=imce, headers=later)
    assert other.status_code == 202
    for answer in accepted:
        for _ in range(200):
            tx = (await stack.http.get(answer.headers["location"], headers=h)).json()
            if tx["status"] != "running":
                break
            await asyncio.sleep(0.05)
        assert tx["status"] == "completed", tx
    after = await stack.http.post("/api/v1/PILE/rate", content=engine_request, headers=later)
    assert after.status_code == 202


async def test_a_product_whose_runs_take_most_of_their_timeout_sheds_new_requests(
    stack: Stack,
) -> None:
    """Admission by queue time: new requests wait (503, Retry-After) rather than join runs
    that already take most of the product's timeout; other products rate on."""
    h = stack.headers
    await stack.http.post(
        "/api/v1/systems",
        json={
            "code": "sluggish",
            "name": "Sluggish engine",
            "kind": "rating_engine",
            "baseUrl": await _engine_url(stack),
            "auth": {"mode": "header", "name": "X-Engine-Latency-Ms", "value": "800"},
        },
        headers=h,
    )
    await stack.http.post(
        "/api/v1/products", json={"code": "BUSY", "name": "b", "timeoutMs": 1500}, headers=h
    )
    step = {"name": "engine", "type": "call_rating_engine", "config": {"system": "sluggish"}}
    await stack.http.post(
        "/api/v1/products/BUSY/flows/rate/versions", json={"steps": [step]}, headers=h
    )
    await stack.http.post("/api/v1/products/BUSY/flows/rate/versions/1/publish", headers=h)
    examples = Path(__file__).parents[2] / "docs/examples"
    engine_request = (examples / "IMCE-engine-request.json").read_bytes()
    for _ in range(5):  # each takes over half of its 1.5 s
        rated = await stack.http.post("/api/v1/BUSY/rate", content=engine_request, headers=h)
        assert rated.json()["status"] == "completed", rated.text
    shed = await stack.http.post("/api/v1/BUSY/rate", content=engine_request, headers=h)
    error = assert_envelope(shed, 503, "API_OVERLOADED")
    assert shed.headers["retry-after"] == "1"
    assert error["details"]["reason"] == "queueTime"
    assert error["details"]["recentMedianMs"] > 750
    imce = (examples / "IMCE-rate-request.json").read_bytes()
    other = await stack.http.post("/api/v1/IMCE/rate", content=imce, headers=h)
    assert other.json()["status"] == "completed"
