"""One IMCE rating seen by an operator: its trace (one tree, API to engine) and the
metrics it moves, scraped over HTTP from the API's /metrics."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client.parser import text_string_to_metric_families
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from infra.metrics import watch_pool
from store.db import create_engine
from tests.conftest import Stack
from workers.client import DATA_CONVERTER
from workers.telemetry import sdk_runtime, temporal_interceptors

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_spans = InMemorySpanExporter()


@pytest.fixture(scope="module")
def exporter() -> Iterator[InMemorySpanExporter]:
    """Spans of this process, kept in memory while this module runs (the global
    provider can be set only once: later spans are dropped, not kept)."""
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(_spans))
    trace.set_tracer_provider(provider)
    yield _spans
    provider.shutdown()


@pytest.fixture
async def temporal_client(
    temporal_env: WorkflowEnvironment, exporter: InMemorySpanExporter
) -> Client:
    """The stack's client as `irx api` connects it: tracing interceptors and an SDK
    runtime that serves the SDK's metrics (so /metrics carries them)."""
    return await Client.connect(
        temporal_env.client.service_client.config.target_host,
        data_converter=DATA_CONVERTER,
        interceptors=temporal_interceptors(),
        runtime=sdk_runtime(),
    )


async def scrape(stack: Stack) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = await stack.http.get("/metrics")
    assert response.status_code == 200
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def moved(before: dict[Any, float], after: dict[Any, float], name: str, **labels: str) -> float:
    key = (name, frozenset(labels.items()))
    assert key in after, f"{name}{labels} is not exposed"
    return after[key] - before.get(key, 0.0)


async def test_one_rating_is_one_trace_from_request_to_engine(
    stack: Stack, example_request: bytes, exporter: InMemorySpanExporter
) -> None:
    exporter.clear()
    caller = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    response = await stack.http.post(
        "/api/v1/IMCE/rate",
        content=example_request,
        headers={**stack.headers, "X-Correlation-Id": "trace-corr-1", "traceparent": caller},
    )
    assert response.status_code == 200, response.text
    steps = response.json()["steps"]
    await stack.app.state.services.client.get_workflow_handle(
        f"rate-{response.json()['transactionId']}"
    ).result()  # the run has recorded itself

    spans = exporter.get_finished_spans()
    by_id = {s.context.span_id: s for s in spans if s.context is not None}
    # One trace, the caller's.
    assert {f"{s.context.trace_id:032x}" for s in spans if s.context} == {
        "4bf92f3577b34da6a3ce929d0e0e4736"
    }

    def parent(span: ReadableSpan) -> ReadableSpan | None:
        return by_id.get(span.parent.span_id) if span.parent is not None else None

    def chain(span: ReadableSpan) -> list[str]:
        names = []
        node: ReadableSpan | None = span
        while node is not None:
            names.append(node.name)
            node = parent(node)
        return names

    server = next(s for s in spans if s.name == "POST /api/v1/{product_code}/{endpoint}")
    assert server.parent is not None
    assert f"{server.parent.span_id:016x}" == "00f067aa0ba902b7"
    assert server.attributes is not None
    assert server.attributes["irx.correlation_id"] == "trace-corr-1"
    start = next(s for s in spans if s.name == "StartWorkflow:RatingWorkflow")
    assert parent(start) is server
    assert parent(next(s for s in spans if s.name == "RunWorkflow:RatingWorkflow")) is start
    # Each step: the workflow schedules its activity, a worker runs it (the SDK's
    # interceptor parents both on the workflow's start, so the whole run is one tree).
    # Its activity is named by the step's type and name, so each step is a span of its own.
    for step in steps:
        activity = f"{step['type']}: {step['name']}"
        scheduled = [s for s in spans if s.name == f"StartActivity:{activity}"]
        assert len(scheduled) == 1, activity
        assert parent(scheduled[0]) is start
        ran = [s for s in spans if s.name == f"RunActivity:{activity}"]
        assert ran, activity
        assert all(parent(s) is scheduled[0] for s in ran)
    engine_activity = next(
        s for s in spans if s.name == "RunActivity:call_rating_engine: rate with Ratabase engine"
    )
    assert engine_activity.attributes is not None
    assert engine_activity.attributes["irx.correlation_id"] == "trace-corr-1"
    assert engine_activity.attributes["irx.product"] == "IMCE"
    # The outbound call to the engine is a client span under its step's activity.
    outbound = [s for s in spans if s.name == "POST" and parent(s) is engine_activity]
    assert len(outbound) == 1
    assert outbound[0].kind == trace.SpanKind.CLIENT


async def test_a_rating_moves_the_metrics_with_bounded_labels(
    stack: Stack, example_request: bytes
) -> None:
    before = await scrape(stack)
    response = await stack.http.post(
        "/api/v1/IMCE/rate", content=example_request, headers=stack.headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    await stack.app.state.services.client.get_workflow_handle(
        f"rate-{body['transactionId']}"
    ).result()
    refused = await stack.http.post("/api/v1/IMCE/rate", content=b"{", headers=stack.headers)
    assert refused.status_code == 400
    unknown = await stack.http.post("/api/v1/NOPE/rate", content=b"{}", headers=stack.headers)
    assert unknown.status_code == 404
    after = await scrape(stack)

    assert (
        moved(
            before,
            after,
            "rating_request_total",
            product="IMCE",
            flow="rate",
            status="completed",
            api_version="v1",
            mode="live",
        )
        == 1
    )
    assert (
        moved(
            before,
            after,
            "rating_request_total",
            product="IMCE",
            flow="rate",
            status="rejected",
            api_version="v1",
            mode="live",
        )
        == 1
    )
    assert (
        moved(
            before,
            after,
            "rating_request_total",
            product="unknown",
            flow="unknown",
            status="rejected",
            api_version="v1",
            mode="live",
        )
        == 1
    )
    assert (
        moved(before, after, "rating_request_duration_seconds_count", product="IMCE", flow="rate")
        == 1
    )
    assert (
        moved(before, after, "rating_payload_size_bytes_count", product="IMCE", direction="in") == 2
    )
    assert moved(
        before, after, "rating_payload_size_bytes_sum", product="IMCE", direction="in"
    ) >= len(example_request)
    assert (
        moved(before, after, "rating_payload_size_bytes_count", product="IMCE", direction="out")
        == 1
    )
    for step in body["steps"]:
        count = moved(
            before,
            after,
            "rating_step_duration_seconds_count",
            product="IMCE",
            step_type=step["type"],
            step_name=step["name"],
        )
        assert count >= 1, step
    for family, wanted in (
        ("rating_rules_evaluated_total", {"phase": "pre_rating"}),
        ("rating_rules_applied_total", {"phase": "pre_rating"}),
        ("rating_mapping_fields_applied_total", {"direction": "request"}),
        ("rating_mapping_fields_applied_total", {"direction": "response"}),
    ):
        assert moved(before, after, family, product="IMCE", **wanted) > 0, (family, wanted)
    engine = moved(
        before,
        after,
        "rating_engine_call_duration_seconds_count",
        engine="ref-engine-xml",
        is_mock="true",
    )
    assert engine == 1
    flow_lookups = moved(before, after, "rating_cache_hit_total", cache_key_type="flow") + moved(
        before, after, "rating_cache_miss_total", cache_key_type="flow"
    )
    assert flow_lookups >= 2
    # The Temporal SDK's own worker metrics are served beside the platform's, under the
    # names the alert rules use (deploy/monitoring/alerts.yml: WorkerBacklog).
    assert any(
        name == "temporal_activity_schedule_to_start_latency_seconds_bucket" for name, _ in after
    )
    # No label carries an id or free text.
    for name, labels in after:
        if name.startswith("temporal_"):
            continue
        for label, value in labels:
            assert not UUID.search(value), (name, label, value)
            assert value not in (body["transactionId"], response.headers["x-correlation-id"])


async def test_pool_gauges_follow_checked_out_connections(stack: Stack, postgres_url: str) -> None:
    engine = create_engine(postgres_url, pool_size=2, max_overflow=1)
    watch_pool(engine, "test-pool")
    try:
        async with engine.connect() as conn:
            await conn.exec_driver_sql("SELECT 1")
            held = await scrape(stack)
        released = await scrape(stack)
    finally:
        await engine.dispose()
    labels = frozenset({("service", "test-pool")})
    assert held[("db_pool_active_connections", labels)] == 1
    assert held[("db_pool_max_connections", labels)] == 3
    assert held[("db_pool_waiting_requests", labels)] == 0
    assert released[("db_pool_active_connections", labels)] == 0
