"""Prometheus metrics of this process, and of its Temporal SDK runtime."""

from __future__ import annotations

from fastapi import APIRouter
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.responses import Response

from infra.metrics import metrics_exposition
from workers.telemetry import sdk_metrics

router = APIRouter(tags=["health"])


@router.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    """Prometheus exposition: the platform's series, then the Temporal SDK's own."""
    return Response(metrics_exposition() + await sdk_metrics(), media_type=CONTENT_TYPE_LATEST)
