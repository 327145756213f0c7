"""Traces and the Temporal SDK's own metrics, set up once per process.

Tracing follows OpenTelemetry's conventions: spans are exported over OTLP (HTTP)
when ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``) is
set, and not at all otherwise; ``OTEL_SERVICE_NAME`` and the other standard
variables apply. Temporal's client and workers carry the trace through workflows and
activities with the SDK's own :class:`TracingInterceptor`, so one rating is one trace.

The SDK's worker metrics (poll latencies, slots, schedule-to-start...) come from its
Rust core, which serves them itself; :func:`sdk_runtime` binds that endpoint on a
loopback port of its own choosing and :func:`sdk_metrics` reads it, so a process's
``/metrics`` carries both its own and the SDK's series.
"""

from __future__ import annotations

import logging
import os
import socket

import httpx
from opentelemetry import trace
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from temporalio.contrib.opentelemetry import TracingInterceptor
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

log = logging.getLogger(__name__)

OTLP_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
# Where this process's SDK runtime serves its metrics (None until sdk_runtime ran).
_sdk_metrics_url: str | None = None


def otlp_tracer_provider(service: str) -> TracerProvider | None:
    """A tracer provider exporting over OTLP, when an OTLP endpoint is configured."""
    if not any(os.environ.get(name) for name in OTLP_VARIABLES):
        return None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    name = os.environ.get("OTEL_SERVICE_NAME", service)
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider


def configure_tracing(service: str) -> None:
    """Makes the OTLP-exporting provider the process's own, when one is configured.

    Without it, the global provider stays OpenTelemetry's no-op one: spans cost
    next to nothing and go nowhere.
    """
    provider = otlp_tracer_provider(service)
    if provider is not None:
        trace.set_tracer_provider(provider)
        log.info("exporting traces over OTLP as %s", provider.resource.attributes[SERVICE_NAME])


def tracing() -> bool:
    """Whether this process records spans: a real tracer provider is set (OTLP export,
    or a test's), not OpenTelemetry's default no-op one."""
    return isinstance(trace.get_tracer_provider(), TracerProvider)


def temporal_interceptors() -> list[TracingInterceptor]:
    """The client (and so worker) interceptors that put workflows and activities in the
    caller's trace, when this process traces: without a provider their no-op spans
    and context headers still cost about 5 % of a worker's CPU on IMCE ``/rate``."""
    return [TracingInterceptor()] if tracing() else []


def sdk_runtime() -> Runtime:
    """The process's Temporal runtime, serving the SDK's metrics on a loopback port.

    Made the default runtime, so every client this process connects reports there.
    """
    global _sdk_metrics_url
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"127.0.0.1:{port}"
    runtime = Runtime(
        telemetry=TelemetryConfig(
            metrics=PrometheusConfig(
                bind_address=address,
                counters_total_suffix=True,
                unit_suffix=True,
                durations_as_seconds=True,
            )
        )
    )
    Runtime.set_default(runtime, error_if_already_set=False)
    _sdk_metrics_url = f"http://{address}/metrics"
    return runtime


async def sdk_metrics() -> bytes:
    """The SDK's metrics in Prometheus text format, or nothing when they are not served."""
    if _sdk_metrics_url is None:
        return b""
    try:
        async with httpx.AsyncClient(timeout=1.0) as http:
            response = await http.get(_sdk_metrics_url)
        return response.content if response.status_code == 200 else b""
    except httpx.HTTPError as exc:
        log.warning("the Temporal SDK's metrics could not be read: %s", exc)
        return b""
