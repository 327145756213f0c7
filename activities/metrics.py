"""Prometheus metrics recorded by steps (section 8b of the platform plan)."""

from __future__ import annotations

from prometheus_client import Counter

QUARANTINED = Counter(
    "rating_quarantined_documents_total",
    "Documents refused as invalid and quarantined.",
    ["product", "step_type", "code"],
)
