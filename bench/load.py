"""A bounded open-loop load generator.

Requests are offered at a fixed rate (request ``i`` is due at ``i / rate`` seconds),
whatever the answers' latency, with at most ``max_in_flight`` outstanding: when
that many wait, the next due request waits for a slot, and its latency still counts
from the moment it was due (no coordinated omission: a slow system is not excused
by the generator slowing down with it). Bounded: a fixed number of requests.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

# One request: returns None when it succeeded, else a short label of the failure.
Call = Callable[[], Awaitable[str | None]]


@dataclass
class LoadResult:
    offered_rps: float | None  # None: closed loop
    sent: int
    max_in_flight: int
    elapsed_s: float = 0.0
    # From the first answer to the last: the span throughput is measured over.
    answering_s: float = 0.0
    # From the moment each request was due (includes waiting for a slot).
    latencies_ms: list[float] = field(default_factory=list)
    # From the moment each request was actually sent.
    service_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> int:
        return len(self.latencies_ms)

    @property
    def throughput_rps(self) -> float:
        """Successful answers per second between the first answer and the last.

        At a steady state that is the rate answers come at (the offered rate when the
        system keeps up), without the first request's latency diluting it.
        """
        if self.ok < 2 or not self.answering_s:
            return self.ok / self.elapsed_s if self.elapsed_s else 0.0
        return (self.ok - 1) / self.answering_s

    def summary(self) -> dict[str, Any]:
        return {
            "offered_rps": self.offered_rps,
            "requests": self.sent,
            "max_in_flight": self.max_in_flight,
            "ok": self.ok,
            "errors": sum(self.errors.values()),
            "error_kinds": dict(self.errors),
            "elapsed_s": round(self.elapsed_s, 2),
            "throughput_rps": round(self.throughput_rps, 2),
            "latency_ms": percentiles(self.latencies_ms),
            "service_ms": percentiles(self.service_ms),
        }


def percentiles(samples: list[float]) -> dict[str, float | None]:
    """p50 (median), p95, p99 and max, rounded to 0.1 ms; None without samples."""
    if not samples:
        return {"p50": None, "p95": None, "p99": None, "max": None}
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    values = {
        "p50": statistics.median(ordered),
        "p95": pick(0.95),
        "p99": pick(0.99),
        "max": ordered[-1],
    }
    return {k: round(v, 1) for k, v in values.items()}


async def open_loop(call: Call, rate: float | None, count: int, max_in_flight: int) -> LoadResult:
    """Offers ``count`` calls at ``rate`` per second, at most ``max_in_flight`` at once.

    ``rate`` None: closed loop, each call due when a slot frees (``max_in_flight``
    clients, each sending its next request when its answer came).
    """
    result = LoadResult(offered_rps=rate, sent=count, max_in_flight=max_in_flight)
    slots = asyncio.Semaphore(max_in_flight)
    started = time.perf_counter()
    first_ok: float | None = None
    last_ok = finished = started

    async def one(due: float) -> None:
        nonlocal finished, first_ok, last_ok
        sent = time.perf_counter()
        try:
            failure = await call()
        except Exception as exc:  # a benchmark counts failures, it does not stop on them
            failure = type(exc).__name__
        finally:
            slots.release()
        done = time.perf_counter()
        finished = max(finished, done)
        if failure is None:
            first_ok = done if first_ok is None else min(first_ok, done)
            last_ok = max(last_ok, done)
            result.latencies_ms.append((done - due) * 1000)
            result.service_ms.append((done - sent) * 1000)
        else:
            result.errors[failure] += 1

    tasks: list[asyncio.Task[None]] = []
    for i in range(count):
        if rate is None:
            await slots.acquire()
            due = time.perf_counter()
        else:
            due = started + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            await slots.acquire()
        tasks.append(asyncio.create_task(one(due)))
    await asyncio.gather(*tasks)
    result.elapsed_s = finished - started
    result.answering_s = last_ok - first_ok if first_ok is not None else 0.0
    return result
