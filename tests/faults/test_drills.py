"""Fault drills on the production topology (tests/faults/topology.py).

Each drill loads the platform with keyed ratings, injects one fault into one real
process, lets it recover, and audits what the callers were told against the records
and the event stream (tests/faults/ledger.py): no disagreement, no duplicate event, no
rating lost. The figures each prints are those of docs/reliability.md.
"""

from __future__ import annotations

import asyncio
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from tests.faults.ledger import Answer, Ledger, audit, rate, rate_until_answered
from tests.faults.topology import Topology

ROOT = Path(__file__).parents[2]
BODY = (ROOT / "docs/examples/IMCE-engine-request.json").read_bytes()
MAX_ANSWER_BYTES = 4 * 1024 * 1024


@pytest.fixture(scope="module")
def topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    deployment = Topology(tmp_path_factory.mktemp("topology"))
    deployment.env |= {
        "IRX_EVENTS__RETRY_BASE_S": "0.5",
        "IRX_EGRESS__MAX_RESPONSE_BYTES": str(MAX_ANSWER_BYTES),
    }
    try:
        deployment.up()
        yield deployment
    finally:
        deployment.down()


@pytest.fixture(scope="module")
async def products(topology: Topology) -> None:
    """One product per engine behaviour: an engine call, then the rating event."""
    async with topology.client() as client:
        for _ in range(100):  # the API serves once it reaches its stores
            try:
                if (await client.get("/api/v1/health")).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
        await _product(client, "DRILL", "X-Engine-Latency-Ms", "1000", timeout_ms=15_000)
        await _product(client, "SLOW", "X-Engine-Latency-Ms", "1500", timeout_ms=5_000)
        await _product(client, "FAST", "X-Engine-Latency-Ms", "0", timeout_ms=10_000)
        for fault in ("500", "timeout", "oversized"):
            await _product(client, f"E{fault.upper()}", "X-Engine-Fault", fault, 15_000)


async def _product(
    client: httpx.AsyncClient, code: str, header: str, value: str, timeout_ms: int
) -> None:
    systems = (await client.get("/api/v1/systems")).json()
    engine = next(s["baseUrl"] for s in systems if s["code"] == "ref-engine")
    system = {
        "code": code.lower(),
        "name": f"{code} engine",
        "kind": "rating_engine",
        "baseUrl": engine,
        "auth": {"mode": "header", "name": header, "value": value},
        "timeoutMs": 2_000 if value == "timeout" else 10_000,
    }
    steps = [
        {"name": "engine", "type": "call_rating_engine", "config": {"system": code.lower()}},
        {"name": "publish", "type": "publish_event", "config": {"summary": {"total": "total"}}},
    ]
    for path, body in (
        ("/api/v1/systems", system),
        ("/api/v1/products", {"code": code, "name": code, "timeoutMs": timeout_ms}),
        (f"/api/v1/products/{code}/flows/rate/versions", {"steps": steps}),
        (f"/api/v1/products/{code}/flows/rate/versions/1/publish", None),
    ):
        answer = await client.post(path, json=body)
        assert answer.status_code in (200, 201), answer.text


async def _load(
    topology: Topology, product: str, count: int, fault: object, at: float = 0.5
) -> list[Answer]:
    """``count`` keyed ratings at once; ``fault()`` runs ``at`` seconds in."""
    async with topology.client() as client:
        keys = [f"drill-{uuid.uuid4()}" for _ in range(count)]
        calls = [asyncio.create_task(rate(client, product, key, BODY)) for key in keys]
        await asyncio.sleep(at)
        await fault()  # type: ignore[operator]
        return list(await asyncio.gather(*calls))


def _holds(ledger: Ledger, drill: str) -> None:
    print(f"\n{drill}: {ledger.figures()}")
    assert ledger.disagreements == [], ledger.disagreements
    assert ledger.lost == [], ledger.lost
    assert ledger.duplicate_events == 0


# Ten drills on a whole production topology: about 2.5 minutes.
pytestmark = [pytest.mark.usefixtures("products"), pytest.mark.slow]


async def test_a_worker_killed_during_engine_calls(topology: Topology) -> None:
    topology.stop("worker-2")  # every run starts on worker-1

    async def kill() -> None:
        topology.stop("worker-1", signal.SIGKILL)
        topology.start("worker-2")

    started = time.monotonic()
    answers = await _load(topology, "DRILL", 12, kill)
    took = time.monotonic() - started
    topology.start("worker-1")
    assert [a.status for a in answers] == [200] * 12, [a.body for a in answers]
    assert took < 12, took  # taken over within seconds, not lost to the 15 s timeout
    _holds(await audit(topology, "DRILL", BODY, answers), "worker SIGKILL")


async def test_a_worker_frozen_past_the_deadline(topology: Topology) -> None:
    topology.stop("worker-2")  # every run starts on worker-1

    async def freeze() -> None:
        topology.send("worker-1", signal.SIGSTOP)
        topology.start("worker-2")
        await asyncio.sleep(8)  # past the product's 5 s timeout
        topology.send("worker-1", signal.SIGCONT)

    answers = await _load(topology, "SLOW", 12, freeze)
    assert {a.status for a in answers} <= {200, 408}, [a.body for a in answers]
    _holds(await audit(topology, "SLOW", BODY, answers), "worker SIGSTOP")


async def test_temporal_stopped_and_restarted(topology: Topology) -> None:
    refused: list[tuple[Answer, float]] = []

    async def outage() -> None:
        topology.stop("temporal")
        async with topology.client() as client:
            started = time.monotonic()
            refused.append((await rate(client, "FAST", "drill-outage", BODY), started))
        refused[0] = (refused[0][0], time.monotonic() - refused[0][1])
        topology.start("temporal")

    answers = await _load(topology, "DRILL", 10, outage)
    new, took = refused[0]
    assert new.status == 503, new.body
    assert new.body["error"]["code"] == "TEMPORAL_UNAVAILABLE"
    assert took < 2.5, took
    assert {a.status for a in answers} <= {200, 503}, [a.body for a in answers]
    _holds(await audit(topology, "DRILL", BODY, answers), "Temporal restarted")


async def test_redis_killed(topology: Topology) -> None:
    async def outage() -> None:
        topology.stop("redis", signal.SIGKILL)
        async with topology.client() as client:
            health = await client.get("/api/v1/health")
            assert health.status_code in (200, 503), health.text
            during = [await rate(client, "FAST", f"drill-{uuid.uuid4()}", BODY) for _ in range(3)]
        topology.start("redis")
        answers_during.extend(during)

    answers_during: list[Answer] = []
    answers = await _load(topology, "DRILL", 10, outage)
    everything = answers + answers_during
    assert {a.status for a in everything} == {200}, [a.body for a in everything]
    _holds(await audit(topology, "DRILL", BODY, answers), "Redis killed")


async def test_postgresql_restarted(topology: Topology) -> None:
    async def restart() -> None:
        topology.stop("postgres", signal.SIGINT)  # a fast shutdown, as an upgrade does
        await asyncio.sleep(2)
        topology.start("postgres")

    answers = await _load(topology, "DRILL", 10, restart)
    assert {a.status for a in answers} <= {200, 503}, [a.body for a in answers]
    for answer in answers:
        if answer.status == 503:
            assert answer.body["error"]["code"] in ("CONFIG_STORE_UNAVAILABLE",), answer.body
    _holds(await audit(topology, "DRILL", BODY, answers), "PostgreSQL restarted")


@pytest.mark.parametrize(
    ("product", "code"),
    [
        ("E500", "RATING_ENGINE_UNAVAILABLE"),
        ("ETIMEOUT", "RATING_ENGINE_UNAVAILABLE"),
        ("EOVERSIZED", "RATING_ENGINE_REJECTED"),
    ],
)
async def test_engine_faults_fail_cleanly(topology: Topology, product: str, code: str) -> None:
    async def nothing() -> None:
        return None

    workers = [psutil.Process(topology.procs[n].pid) for n in topology.worker_names]
    answers = await _load(topology, product, 3, nothing)
    for answer in answers:  # a run that failed is answered with its record
        assert answer.status == 200, answer.body
        assert answer.body["status"] == "failed"
        assert answer.body["error"]["code"] == code, answer.body
    # An endless answer is cut at the limit: the workers never hold much more than it.
    assert all(w.memory_info().rss < 600 * 1024 * 1024 for w in workers)
    _holds(await audit(topology, product, BODY, answers), f"engine {product}")


async def test_the_api_killed_under_keyed_retries(topology: Topology) -> None:
    async def kill() -> None:
        topology.stop("api", signal.SIGKILL)
        topology.start("api")

    answers = await _load(topology, "DRILL", 20, kill)
    assert any(a.status == 0 for a in answers)  # the kill cut callers off
    async with topology.client() as client:
        retried = [
            a if a.status != 0 else await rate_until_answered(client, "DRILL", a.key, BODY)
            for a in answers
        ]
    assert {a.status for a in retried} == {200}, [a.body for a in retried]
    _holds(await audit(topology, "DRILL", BODY, retried), "API SIGKILL")


async def test_a_burst_at_four_times_the_sustainable_rate(topology: Topology) -> None:
    async with topology.client() as client:
        started, done = time.monotonic(), 0
        while time.monotonic() - started < 3:
            await asyncio.gather(
                *(rate(client, "FAST", f"warm-{uuid.uuid4()}", BODY) for _ in range(4))
            )
            done += 4
        sustainable = done / (time.monotonic() - started)
        keys = [f"drill-{uuid.uuid4()}" for _ in range(int(sustainable * 4 * 5))]
        calls = []
        for key in keys:  # open loop: arrivals do not wait for answers
            calls.append(asyncio.create_task(rate(client, "FAST", key, BODY)))
            await asyncio.sleep(1 / (sustainable * 4))
        answers = list(await asyncio.gather(*calls))
    # Admitted ones finish inside their timeout; the rest are shed, told to come back.
    assert {a.status for a in answers} <= {200, 429, 503}, {a.status for a in answers}
    print(
        f"\nburst: sustainable {sustainable:.1f}/s, statuses {sorted({a.status for a in answers})}"
    )
    _holds(await audit(topology, "FAST", BODY, answers), "burst 4x")
