"""Prometheus metrics of the platform (the table of section 8b of the platform plan).

Label values are bounded: product codes, endpoints, step types and names, systems and
phases come from published configuration, never from a request (a product no flow
knows is counted as ``unknown``); no label holds an id or free text. Each process
serves its own series (``/metrics`` of the API, the worker's health port); with
``PROMETHEUS_MULTIPROC_DIR`` set, several processes of one server share them
(``metrics_exposition``).
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

# Seconds, from 5 ms (a batched quote) to a minute (the sync limit).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
# Bytes, from 1 KB (BOP) to 50 MB (treaties).
SIZE_BUCKETS = tuple(float(2**n) for n in range(10, 27, 2))  # 1 KiB .. 64 MiB
UNKNOWN = "unknown"

REQUESTS = Counter(
    "rating_request_total",
    "Ratings by outcome: completed, failed, timed_out, or rejected before a run started; "
    "api_version: the API version asked (v1 is deprecated); mode: live or simulation.",
    ["product", "flow", "status", "api_version", "mode"],
)
CHALLENGER_RESULTS = Counter(
    "rating_challenger_total",
    "Live ratings re-rated under their endpoint's challenger, by what the challenger gave: "
    "changed, unchanged, newly_failed, newly_rated or failing (both failed).",
    ["product", "flow", "version", "outcome"],
)
CHALLENGER_DELTA = Histogram(
    "rating_challenger_premium_delta_pct",
    "The premium change in percent the challenger gives a live rating (both rated).",
    ["product", "flow", "version"],
    buckets=(-20, -10, -5, -2, -1, -0.01, 0.01, 1, 2, 5, 10, 20),
)
REQUEST_SECONDS = Histogram(
    "rating_request_duration_seconds",
    "Live ratings' duration from the transaction's start to its recorded outcome.",
    ["product", "flow"],
    buckets=LATENCY_BUCKETS,
)
STEP_SECONDS = Histogram(
    "rating_step_duration_seconds",
    "One attempt of one step.",
    ["product", "step_type", "step_name"],
    buckets=LATENCY_BUCKETS,
)
PAYLOAD_BYTES = Histogram(
    "rating_payload_size_bytes",
    "Request (in) and result (out) documents.",
    ["product", "direction"],
    buckets=SIZE_BUCKETS,
)
RULES_EVALUATED = Counter(
    "rating_rules_evaluated_total", "Rules evaluated by apply_rules.", ["product", "phase"]
)
RULES_APPLIED = Counter(
    "rating_rules_applied_total", "Rules whose actions fired.", ["product", "phase"]
)
MAPPING_FIELDS = Counter(
    "rating_mapping_fields_applied",
    "Fields a field_mapping step wrote.",
    ["product", "direction"],
)
ENGINE_SECONDS = Histogram(
    "rating_engine_call_duration_seconds",
    "Calls to rating engines, by system code; is_mock marks the reference engine.",
    ["engine", "is_mock"],
    buckets=LATENCY_BUCKETS,
)
CACHE_HITS = Counter(
    "rating_cache_hit_total", "Config lookups answered from a process's cache.", ["cache_key_type"]
)
CACHE_MISSES = Counter(
    "rating_cache_miss_total", "Config lookups that read the config store.", ["cache_key_type"]
)
BREAKER_STATE = Gauge(
    "rating_circuit_breaker_state",
    "Circuit breaker of a system as this process last saw it: 0 closed, 1 half-open, 2 open.",
    ["system"],
    multiprocess_mode="max",
)
QUARANTINED = Counter(
    "rating_quarantined_documents_total",
    "Documents refused as invalid and quarantined.",
    ["product", "step_type", "code"],
)


def cache_counter(cache: str) -> Callable[[bool], None]:
    """Counts one cache's hits and misses (``cache`` is a fixed name, never an id)."""
    hits, misses = CACHE_HITS.labels(cache), CACHE_MISSES.labels(cache)
    return lambda hit: (hits if hit else misses).inc()


class PoolCollector(Collector):
    """``db_pool_*`` gauges read from the connection pools at scrape time.

    Pools are held weakly: an engine disposed of stops being reported.
    """

    def __init__(self) -> None:
        self._pools: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()

    def watch(self, pool: Any, service: str) -> None:
        self._pools[pool] = service

    def collect(self) -> Iterator[GaugeMetricFamily]:
        figures: dict[str, list[int]] = {}
        for pool, service in list(self._pools.items()):
            if not hasattr(pool, "checkedout"):
                continue  # SQLite's pool has no size to exhaust
            active, waiting, most = figures.setdefault(service, [0, 0, 0])
            figures[service] = [
                active + pool.checkedout(),
                waiting + _waiting(pool),
                most + pool.size() + max(getattr(pool, "_max_overflow", 0), 0),
            ]
        names = (
            ("db_pool_active_connections", "Connections checked out of the pool."),
            ("db_pool_waiting_requests", "Requests waiting for a pooled connection."),
            ("db_pool_max_connections", "The most connections the pool opens."),
        )
        for index, (name, doc) in enumerate(names):
            family = GaugeMetricFamily(name, doc, labels=["service"])
            for service, values in figures.items():
                family.add_metric([service], values[index])
            yield family


def _waiting(pool: Any) -> int:
    # SQLAlchemy's async queue pool parks waiters on an asyncio.Queue; it has no
    # public count of them.
    queue = getattr(getattr(pool, "_pool", None), "_queue", None)
    return len(getattr(queue, "_getters", ()))


POOLS = PoolCollector()
REGISTRY.register(POOLS)


def watch_pool(engine: Any, service: str) -> None:
    """Reports ``engine``'s pool as ``service`` (api or worker) in the db_pool gauges."""
    POOLS.watch(engine.pool, service)


def metrics_exposition() -> bytes:
    """This process's metrics, or every process's of the server in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        registry.register(POOLS)
        return generate_latest(registry)
    return generate_latest()
