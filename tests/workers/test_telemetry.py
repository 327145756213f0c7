"""Traces leave the process over OTLP only when an OTLP endpoint is configured."""

from __future__ import annotations

import asyncio

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.conftest import serve_app
from workers.telemetry import otlp_tracer_provider


async def test_spans_are_exported_over_otlp_only_when_an_endpoint_is_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    assert otlp_tracer_provider("irx-test") is None

    received: list[tuple[str, str, bytes]] = []

    async def collect(request: Request) -> Response:
        received.append((request.url.path, request.headers["content-type"], await request.body()))
        return Response(b"", media_type="application/x-protobuf")

    collector = Starlette(routes=[Route("/v1/traces", collect, methods=["POST"])])
    async with serve_app(collector) as url:
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", url)
        monkeypatch.setenv("OTEL_SERVICE_NAME", "irx-otlp-test")
        provider = otlp_tracer_provider("irx-test")
        assert provider is not None
        with provider.get_tracer("test").start_as_current_span("rate IMCE"):
            pass
        # The exporter posts from its own thread: flush it off the loop serving the collector.
        assert await asyncio.to_thread(provider.force_flush, 5000)
        provider.shutdown()
    [(path, content_type, body)] = received
    assert (path, content_type) == ("/v1/traces", "application/x-protobuf")
    assert b"rate IMCE" in body
    assert b"irx-otlp-test" in body
