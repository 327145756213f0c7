"""Closed-loop rating benchmark against an already running stack (``make run`` first).

Prints p50/p95/p99 latency and runs/s of the IMCE flow through the API and
Temporal, beside the same steps run in one process without Temporal, and the
ratio between the two. Bounded: a fixed number of runs, loopback only.

    IRX_BENCH_RUNS=300 IRX_BENCH_CONCURRENCY=8 IRX_BENCH_ENDPOINTS=rate,quote \
        .venv/bin/python -m bench.rating

``make bench`` now runs ``bench.tiers``, which starts its own stack and offers an
open-loop load per payload tier (docs/performance.md); this module keeps its knobs
(``IRX_BENCH_URL``, ``IRX_BENCH_DATA_DIR``, ``IRX_BENCH_PRODUCT``, ``IRX_BENCH_RUNS``,
``IRX_BENCH_CONCURRENCY``, ``IRX_BENCH_ENDPOINTS``) and lends ``bench.tiers`` its
in-process baseline, :class:`InProcessFlow`.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
import uuid
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import orjson

from activities.config_cache import ConfigCache, StoreConfig
from activities.loader import load_step_modules
from activities.registry import registry
from activities.resources import StepResources
from activities.runtime import StepActivities
from irx.devstack import DevStack
from models.flow import StepSpec, hands_over
from models.rating import Doc, RunContext, StepInput
from store.api_keys import find_by_key
from store.blobs import DiskBlobStore
from store.db import create_engine, session_factory
from store.documents import Documents
from store.hot_documents import HotDocuments

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(os.environ.get("IRX_BENCH_DATA_DIR", ROOT / ".irx"))
API = os.environ.get("IRX_BENCH_URL", "http://127.0.0.1:8000")
PRODUCT = os.environ.get("IRX_BENCH_PRODUCT", "IMCE")
RUNS = int(os.environ.get("IRX_BENCH_RUNS", "200"))
CONCURRENCY = int(os.environ.get("IRX_BENCH_CONCURRENCY", "8"))
# IMCE's /rate runs each step as its own activity; /quote runs the same steps
# all local and batched into one local activity (the latency mode).
ENDPOINTS = os.environ.get("IRX_BENCH_ENDPOINTS", "rate,quote").split(",")


def api_key() -> str:
    key = os.environ.get("IRX_DEMO_API_KEY")
    if key:
        return key
    try:
        return (DATA_DIR / "demo-api-key").read_text().strip()
    except FileNotFoundError:
        raise SystemExit(f"no demo key in {DATA_DIR}: start the stack first (make run)") from None


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {"p50": statistics.median(ordered), "p95": pick(0.95), "p99": pick(0.99)}


async def through_api(
    body: bytes, headers: dict[str, str], endpoint: str
) -> tuple[list[float], float]:
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(base_url=API, headers=headers, limits=limits, timeout=60) as http:
        url = f"/api/v1/{PRODUCT}/{endpoint}"
        for _ in range(10):  # warm up connections, caches and the worker
            (await http.post(url, content=body)).raise_for_status()
        latencies: list[float] = []
        for _ in range(RUNS):
            started = time.perf_counter()
            response = await http.post(url, content=body)
            latencies.append((time.perf_counter() - started) * 1000)
            if response.json().get("status") != "completed":
                raise SystemExit(f"run failed: {response.text}")
        done = 0

        async def client_loop() -> None:
            nonlocal done
            while done < RUNS:
                done += 1
                (await http.post(url, content=body)).raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(client_loop() for _ in range(CONCURRENCY)))
        throughput = done / (time.perf_counter() - started)
        return latencies, throughput


class InProcessFlow:
    """A stack's published flow, its steps called directly one after the other.

    The baseline without Temporal: the same step implementations, configuration,
    blob store and reference engine as the stack at ``api`` (whose data is in
    ``data_dir``), in this process.
    """

    def __init__(
        self, api: str, data_dir: Path, headers: dict[str, str], product: str = PRODUCT
    ) -> None:
        self.api, self.data_dir, self.headers, self.product = api, data_dir, headers, product
        self._stack = AsyncExitStack()

    async def __aenter__(self) -> InProcessFlow:
        async with httpx.AsyncClient(base_url=self.api, headers=self.headers) as http:
            versions = (
                await http.get(f"/api/v1/products/{self.product}/flows/rate/versions")
            ).json()
        published = next(v for v in versions if v["status"] == "published")
        self.steps = [StepSpec.model_validate(s) for s in published["steps"]]
        database = DevStack(data_dir=self.data_dir).database_url  # the stack's own choice
        me = await _principal_org(self.headers, database)
        load_step_modules()
        engine = create_engine(database)
        self._stack.push_async_callback(engine.dispose)
        client = await self._stack.enter_async_context(httpx.AsyncClient(timeout=120))
        self.runner = StepActivities(
            StepResources(
                documents=Documents(
                    DiskBlobStore(self.data_dir / "blobs"), 128 * 1024, HotDocuments()
                ),
                http=client,
                config=ConfigCache(StoreConfig(session_factory(engine)), ttl_s=5.0),
                event_log=self.data_dir / "events.jsonl",
            ),
            registry,
        )
        self.context = RunContext(
            transaction_id="bench",
            organization_id=me,
            product_code=self.product,
            endpoint="rate",
            flow_version=published["version"],
            correlation_id="bench",
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._stack.aclose()

    async def once(self, body: bytes) -> list[float]:
        """One rating of ``body``, each step's milliseconds; raises when a step fails."""
        # Its own transaction id: concurrent runs keep their blobs apart.
        run = self.context.model_copy(update={"transaction_id": f"bench-{uuid.uuid4().hex}"})
        data = Doc(inline=orjson.loads(body))
        durations: list[float] = []
        for index, step in enumerate(self.steps):
            out = await self.runner.run(
                registry.get(step.type),
                StepInput(
                    run=run,
                    step=step,
                    index=index,
                    data=data,
                    next_local=hands_over(self.steps, index),  # as the workflow sets it
                ),
            )
            durations.append(out.duration_ms)
            data = out.data or data
        return durations


async def in_process(body: bytes, headers: dict[str, str]) -> tuple[list[float], float]:
    """The published flow's steps called directly, one after the other."""
    async with InProcessFlow(API, DATA_DIR, headers) as flow:
        for _ in range(10):
            await flow.once(body)
        latencies: list[float] = []
        for _ in range(RUNS):
            started = time.perf_counter()
            await flow.once(body)
            latencies.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        per_task = max(1, RUNS // CONCURRENCY)

        async def loop() -> None:
            for _ in range(per_task):
                await flow.once(body)

        await asyncio.gather(*(loop() for _ in range(CONCURRENCY)))
        throughput = per_task * CONCURRENCY / (time.perf_counter() - started)
    return latencies, throughput


async def _principal_org(headers: dict[str, str], database: str) -> str:
    engine = create_engine(database)
    async with session_factory(engine)() as session:
        found = await find_by_key(session, headers["X-API-Key"])
    await engine.dispose()
    if found is None:
        raise SystemExit("the demo API key is unknown to this stack's database")
    org_id: str = found[1].id
    return org_id


def row(name: str, latencies: list[float], throughput: float) -> str:
    p = percentiles(latencies)
    return f"{name:<28}{p['p50']:>9.1f}{p['p95']:>9.1f}{p['p99']:>9.1f}{throughput:>11.1f}"


async def main() -> None:
    try:
        async with httpx.AsyncClient(timeout=5) as http:
            (await http.get(f"{API}/api/v1/health/live")).raise_for_status()
    except httpx.HTTPError:
        raise SystemExit(f"no API at {API}: start the stack first (make run)") from None
    body = (ROOT / "docs/examples" / f"{PRODUCT}-rate-request.json").read_bytes()
    headers = {"X-API-Key": api_key(), "Content-Type": "application/json"}
    measured = {e: await through_api(body, headers, e) for e in ENDPOINTS}
    local_lat, local_tput = await in_process(body, headers)
    print(
        f"{PRODUCT} flows, {len(body)} B request, {RUNS} sequential runs, "
        f"throughput with {CONCURRENCY} concurrent clients"
    )
    print(f"{'':<28}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'runs/s':>11}")
    for endpoint, (latencies, throughput) in measured.items():
        print(row(f"/{endpoint} via API + Temporal", latencies, throughput))
    print(row("same steps in one process", local_lat, local_tput))
    for endpoint, (latencies, throughput) in measured.items():
        ratio = statistics.median(latencies) / statistics.median(local_lat)
        print(
            f"/{endpoint}: p50 ratio (Temporal / in-process) {ratio:.1f}x, "
            f"throughput ratio {throughput / local_tput:.2f}"
        )


if __name__ == "__main__":
    asyncio.run(main())
