"""Prometheus metrics recorded by steps and caches (section 8b of the platform plan)."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import Counter

QUARANTINED = Counter(
    "rating_quarantined_documents_total",
    "Documents refused as invalid and quarantined.",
    ["product", "step_type", "code"],
)
CACHE_HITS = Counter(
    "rating_cache_hit_total", "Config lookups answered from a process's cache.", ["cache"]
)
CACHE_MISSES = Counter(
    "rating_cache_miss_total", "Config lookups that read the config store.", ["cache"]
)


def cache_counter(cache: str) -> Callable[[bool], None]:
    """Counts one cache's hits and misses (``cache`` is a fixed name, never an id)."""
    hits, misses = CACHE_HITS.labels(cache), CACHE_MISSES.labels(cache)
    return lambda hit: (hits if hit else misses).inc()
