"""The public API contract: idempotency, rate limits, plans, keys, limits, headers."""

from __future__ import annotations

import asyncio
import gzip
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from redis.asyncio import Redis
from sqlmodel import func, select
from temporalio.client import Client

from activities.registry import registry
from api.app import create_app
from irx.demo import seed_demo
from models.principal import Actor
from models.settings import Settings
from models.systems import System
from models.tables import ApiKeyRow, OrganizationRow, TransactionRow
from services.rate_limits import RateLimiter
from services.systems import point_system
from store.db import create_engine, session_factory
from store.migrate import upgrade_async
from tests.api.test_rate import assert_envelope
from tests.conftest import Stack, free_port
from workers.client import DATA_CONVERTER

IMCE = "/api/v1/IMCE/rate"


async def transactions_with(stack: Stack, key: str) -> int:
    async with stack.sessions() as session:
        query = select(func.count()).where(TransactionRow.idempotency_key == key)
        return (await session.exec(query)).one()


# --- idempotency -----------------------------------------------------------------


async def test_a_repeat_with_the_same_key_replays_the_transaction(
    stack: Stack, example_request: bytes
) -> None:
    key = {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    first = await stack.http.post(IMCE, content=example_request, headers=stack.headers | key)
    assert first.status_code == 200, first.text
    assert "x-idempotent-replayed" not in first.headers
    again = await stack.http.post(IMCE, content=example_request, headers=stack.headers | key)
    assert again.headers["x-idempotent-replayed"] == "true"
    assert again.json()["transactionId"] == first.json()["transactionId"]
    assert again.json()["result"] == first.json()["result"]
    # The seed's header name names the same key.
    seed = {"X-Idempotency-Key": key["Idempotency-Key"]}
    third = await stack.http.post(IMCE, content=example_request, headers=stack.headers | seed)
    assert third.json()["transactionId"] == first.json()["transactionId"]
    assert await transactions_with(stack, key["Idempotency-Key"]) == 1


async def test_a_start_that_failed_does_not_use_up_its_key(
    stack: Stack, example_request: bytes
) -> None:
    """Temporal down at the start: 503, and the same request again, once it is back,
    rates (the same transaction), rather than replaying the failure for 24 h."""
    key = {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    runs = stack.services.runs
    reachable = runs.client
    # Temporal refusing every start (a namespace it does not have): as during an outage,
    # the start fails with an RPC error.
    runs.client = await Client.connect(
        reachable.service_client.config.target_host,
        namespace=f"absent-{uuid.uuid4().hex[:8]}",
        data_converter=DATA_CONVERTER,
    )
    try:
        down = await stack.http.post(IMCE, content=example_request, headers=stack.headers | key)
    finally:
        runs.client = reachable
    assert_envelope(down, 503, "TEMPORAL_UNAVAILABLE")
    assert down.headers["retry-after"] == "1"
    again = await stack.http.post(IMCE, content=example_request, headers=stack.headers | key)
    assert again.status_code == 200, again.text
    assert again.json()["status"] == "completed"
    assert again.headers["x-idempotent-replayed"] == "true"
    assert await transactions_with(stack, key["Idempotency-Key"]) == 1


async def test_the_same_key_with_another_request_is_refused(
    stack: Stack, example_request: bytes
) -> None:
    key = {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    first = await stack.http.post(IMCE, content=example_request, headers=stack.headers | key)
    other = json.loads(example_request) | {"quote": {"id": "Q-OTHER"}}
    refused = await stack.http.post(IMCE, json=other, headers=stack.headers | key)
    error = assert_envelope(refused, 422, "IDEMPOTENCY_KEY_REUSED")
    assert error["details"]["transactionId"] == first.json()["transactionId"]
    assert await transactions_with(stack, key["Idempotency-Key"]) == 1


async def test_concurrent_duplicates_make_exactly_one_run(
    stack: Stack, example_request: bytes
) -> None:
    key = {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    answers = await asyncio.gather(
        *(
            stack.http.post(IMCE, content=example_request, headers=stack.headers | key)
            for _ in range(20)
        )
    )
    assert {a.status_code for a in answers} == {200}
    assert len({a.json()["transactionId"] for a in answers}) == 1
    assert sum(a.headers.get("x-idempotent-replayed") == "true" for a in answers) == 19
    assert await transactions_with(stack, key["Idempotency-Key"]) == 1


async def test_an_async_repeat_answers_the_same_location(
    stack: Stack, example_request: bytes
) -> None:
    headers = stack.headers | {"Prefer": "respond-async", "Idempotency-Key": str(uuid.uuid4())}
    first = await stack.http.post(IMCE, content=example_request, headers=headers)
    again = await stack.http.post(IMCE, content=example_request, headers=headers)
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["x-idempotent-replayed"] == "true"
    for _ in range(100):  # one run, which finishes (no run is left in flight)
        run = (await stack.http.get(first.headers["location"], headers=stack.headers)).json()
        if run["status"] != "running":
            break
        await asyncio.sleep(0.05)
    assert run["status"] == "completed"


async def test_a_key_past_its_window_runs_again(stack: Stack, example_request: bytes) -> None:
    key = f"k-{uuid.uuid4()}"
    first = await stack.http.post(
        IMCE, content=example_request, headers=stack.headers | {"Idempotency-Key": key}
    )
    async with stack.sessions() as session:  # as if it had run two days ago
        row = await session.get(TransactionRow, first.json()["transactionId"])
        assert row is not None
        row.started_at = datetime.now(UTC) - timedelta(days=2)
        session.add(row)
        await session.commit()
    fresh = await stack.http.post(
        IMCE, content=example_request, headers=stack.headers | {"Idempotency-Key": key}
    )
    assert "x-idempotent-replayed" not in fresh.headers
    assert fresh.json()["transactionId"] != first.json()["transactionId"]


async def test_a_malformed_idempotency_key_is_refused(stack: Stack, example_request: bytes) -> None:
    bad = await stack.http.post(
        IMCE, content=example_request, headers=stack.headers | {"Idempotency-Key": "a b"}
    )
    assert_envelope(bad, 400, "VALIDATION_FAILED")


# --- rate limits -----------------------------------------------------------------


async def test_requests_past_the_plan_rate_are_429(stack: Stack) -> None:
    headers = await stack.new_org(requests_per_minute=3)
    seen = []
    for _ in range(3):
        answer = await stack.http.get("/api/v1/me", headers=headers)
        assert answer.status_code == 200
        seen.append(answer.headers["x-ratelimit-remaining"])
        assert answer.headers["x-ratelimit-limit"] == "3"
    assert seen == ["2", "1", "0"]
    refused = await stack.http.get("/api/v1/me", headers=headers)
    error = assert_envelope(refused, 429, "RATE_LIMIT_EXCEEDED")
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["x-ratelimit-remaining"] == "0"
    assert error["details"]["limit"] == 3
    # Another key is not held back by this one.
    assert (await stack.http.get("/api/v1/me", headers=stack.headers)).status_code == 200


async def test_redis_keeps_one_window_for_every_process(redis: Redis) -> None:
    key = f"test-{uuid.uuid4().hex}"
    one, two = RateLimiter(redis), RateLimiter(redis)  # two API processes
    assert (await one.hit(key, 3)).allowed
    assert (await two.hit(key, 3)).allowed
    third = await one.hit(key, 3)
    assert (third.allowed, third.remaining) == (True, 0)
    refused = await two.hit(key, 3)
    assert not refused.allowed
    assert 1 <= int(refused.headers()["Retry-After"]) <= 60
    assert not one.degraded
    await redis.delete(f"irx:rl:{key}")


async def test_without_redis_the_limit_holds_in_process() -> None:
    dead = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    limiter = RateLimiter(dead)
    decisions = [await limiter.hit("k", 2) for _ in range(3)]
    assert [d.allowed for d in decisions] == [True, True, False]
    assert limiter.degraded  # reported by /api/v1/health
    await dead.aclose()


async def test_health_reports_the_in_process_limiter(stack: Stack) -> None:
    health = (await stack.http.get("/api/v1/health", headers=stack.headers)).json()
    assert health["dependencies"]["rateLimiter"]["status"] == "degraded"


# --- plans and keys --------------------------------------------------------------


async def test_a_plan_count_limit_is_refused(stack: Stack) -> None:
    headers = await stack.new_org(plan="standard")
    for i in range(10):
        made = await stack.http.post(
            "/api/v1/products", json={"code": f"P{i}", "name": "p"}, headers=headers
        )
        assert made.status_code == 201
    refused = await stack.http.post(
        "/api/v1/products", json={"code": "P10", "name": "p"}, headers=headers
    )
    error = assert_envelope(refused, 403, "PLAN_LIMIT_EXCEEDED")
    assert error["details"] == {"plan": "standard", "resource": "products", "limit": 10}


async def test_keys_are_shown_once_scoped_and_revoked_at_once(stack: Stack) -> None:
    created = await stack.http.post(
        "/api/v1/api-keys",
        json={"name": "partner", "scopes": ["rate"], "allowedProducts": ["BOP"]},
        headers=stack.headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    partner = {"X-API-Key": body["key"]}
    assert body["prefix"] == body["key"][:12]
    listed = (await stack.http.get("/api/v1/api-keys", headers=stack.headers)).json()
    assert all("key" not in k for k in listed)
    assert body["id"] in {k["id"] for k in listed}
    me = (await stack.http.get("/api/v1/me", headers=partner)).json()
    assert (me["scopes"], me["allowedProducts"], me["plan"]) == (["rate"], ["BOP"], "enterprise")
    assert me["limits"]["requestsPerMinute"] == 6000
    denied = await stack.http.post("/api/v1/IMCE/rate", json={}, headers=partner)
    assert_envelope(denied, 403, "API_KEY_PRODUCT_DENIED")
    no_scope = await stack.http.get("/api/v1/api-keys", headers=partner)
    assert_envelope(no_scope, 403, "API_KEY_SCOPE_DENIED")
    revoked = await stack.http.delete(f"/api/v1/api-keys/{body['id']}", headers=stack.headers)
    assert revoked.json()["revokedAt"] is not None
    assert_envelope(await stack.http.get("/api/v1/me", headers=partner), 401, "API_KEY_INVALID")


async def test_expired_and_version_pinned_keys(stack: Stack) -> None:
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    expired = await stack.http.post(
        "/api/v1/api-keys",
        json={"name": "old", "scopes": ["rate"], "expiresAt": past},
        headers=stack.headers,
    )
    old = {"X-API-Key": expired.json()["key"]}
    assert_envelope(await stack.http.get("/api/v1/me", headers=old), 401, "API_KEY_EXPIRED")
    pinned = await stack.http.post(
        "/api/v1/api-keys",
        json={"name": "pinned", "scopes": ["rate"], "apiVersion": "v1"},
        headers=stack.headers,
    )
    v1 = {"X-API-Key": pinned.json()["key"]}
    assert (await stack.http.get("/api/v1/me", headers=v1)).status_code == 200
    async with stack.sessions() as session:  # a key pinned to a version this route is not
        row = await session.get(ApiKeyRow, pinned.json()["id"])
        assert row is not None
        row.api_version = "v2"
        session.add(row)
        await session.commit()
    assert_envelope(await stack.http.get("/api/v1/me", headers=v1), 403, "API_KEY_VERSION_DENIED")


# --- payloads, load, timeouts ----------------------------------------------------


async def test_the_plan_caps_the_product_payload_limit(stack: Stack) -> None:
    headers = await stack.new_org(plan="standard")  # 10 MB, whatever the product says
    await stack.http.post(
        "/api/v1/products",
        json={"code": "BIG", "name": "big", "maxPayloadBytes": 50 * 1024 * 1024},
        headers=headers,
    )
    step = {"name": "v", "type": "validate_request", "config": {"schema": {}}}
    await stack.http.post(
        "/api/v1/products/BIG/flows/rate/versions", json={"steps": [step]}, headers=headers
    )
    await stack.http.post("/api/v1/products/BIG/flows/rate/versions/1/publish", headers=headers)

    async def chunks() -> AsyncIterator[bytes]:  # chunked: no Content-Length to go by
        yield b'{"pad": "'
        for _ in range(11):
            yield b"x" * 1024 * 1024
        yield b'"}'

    refused = await stack.http.post("/api/v1/BIG/rate", content=chunks(), headers=headers)
    error = assert_envelope(refused, 413, "PAYLOAD_TOO_LARGE")
    assert error["details"]["limitBytes"] == 10 * 1024 * 1024


async def test_json_deeper_than_the_limit_is_400(stack: Stack) -> None:
    def nested(depth: int) -> str:
        return '{"a":' * (depth - 1) + "{}" + "}" * (depth - 1)

    deep = await stack.http.post("/api/v1/BOP/rate", content=nested(65), headers=stack.headers)
    error = assert_envelope(deep, 400, "VALIDATION_FAILED")
    assert error["details"] == {"maxDepth": 64}
    at_limit = await stack.http.post("/api/v1/BOP/rate", content=nested(64), headers=stack.headers)
    assert at_limit.status_code == 200  # accepted; the flow's own validation decides


async def test_overload_is_shed_with_503(stack: Stack, example_request: bytes) -> None:
    systems = (await stack.http.get("/api/v1/systems", headers=stack.headers)).json()
    engine = next(s["baseUrl"] for s in systems if s["code"] == "ref-engine")
    await stack.http.post(
        "/api/v1/systems",
        json={
            "code": "slowish",
            "name": "Slow engine",
            "kind": "rating_engine",
            "baseUrl": engine,
            "auth": {"mode": "header", "name": "X-Engine-Latency-Ms", "value": "800"},
        },
        headers=stack.headers,
    )
    await stack.http.post(
        "/api/v1/products", json={"code": "SLOW2", "name": "s"}, headers=stack.headers
    )
    step = {"name": "engine", "type": "call_rating_engine", "config": {"system": "slowish"}}
    base = "/api/v1/products/SLOW2/flows/rate/versions"
    await stack.http.post(base, json={"steps": [step]}, headers=stack.headers)
    await stack.http.post(f"{base}/1/publish", headers=stack.headers)
    stack.services.sync.max_inflight = 1
    answers = await asyncio.gather(
        *(
            stack.http.post("/api/v1/SLOW2/rate", content=example_request, headers=stack.headers)
            for _ in range(3)
        )
    )
    assert sorted(a.status_code for a in answers) == [200, 503, 503]
    shed = next(a for a in answers if a.status_code == 503)
    assert_envelope(shed, 503, "API_OVERLOADED")
    assert shed.headers["retry-after"] == "1"
    assert stack.services.sync.inflight == 0


# --- headers and listings ----------------------------------------------------------


async def test_every_answer_carries_ids_and_security_headers(stack: Stack) -> None:
    answer = await stack.http.get(
        "/api/v1/products", headers=stack.headers | {"X-Request-Id": "req-42"}
    )
    assert answer.headers["x-request-id"] == "req-42"
    assert answer.headers["x-correlation-id"]
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["x-ratelimit-limit"] == "6000"
    missing = await stack.http.get("/api/v1/nothing/at/all")
    assert missing.headers["x-request-id"]  # errors too


async def test_large_answers_are_gzipped_unless_the_client_opts_out(stack: Stack) -> None:
    zipped = await stack.http.get(
        "/api/v1/step-types", headers=stack.headers | {"Accept-Encoding": "gzip"}
    )
    assert zipped.headers["content-encoding"] == "gzip"
    plain = await stack.http.get(
        "/api/v1/step-types",
        headers=stack.headers | {"Accept-Encoding": "gzip", "x-no-compression": "1"},
    )
    assert "content-encoding" not in plain.headers
    assert plain.json() == zipped.json()
    assert len(gzip.compress(plain.content)) < len(plain.content)


async def test_the_transaction_list_takes_camel_case_filters_and_refuses_others(
    stack: Stack, example_request: bytes
) -> None:
    rated = await stack.http.post(
        IMCE, content=example_request, headers=stack.headers | {"X-Correlation-Id": "find-me-1"}
    )
    await stack.http.post(IMCE, content=example_request, headers=stack.headers)
    by_correlation = await stack.http.get(
        "/api/v1/transactions", params={"correlationId": "find-me-1"}, headers=stack.headers
    )
    assert [t["transactionId"] for t in by_correlation.json()["items"]] == [
        rated.json()["transactionId"]
    ]
    page = await stack.http.get(
        "/api/v1/transactions",
        params={"productCode": "IMCE", "endpoint": "rate", "pageSize": 1},
        headers=stack.headers,
    )
    assert page.status_code == 200
    body = page.json()
    assert body["pageSize"] == 1
    assert {t["productCode"] for t in body["items"]} == {"IMCE"}
    none = await stack.http.get(
        "/api/v1/transactions", params={"productCode": "BOP"}, headers=stack.headers
    )
    assert none.json()["total"] == 0
    unknown = await stack.http.get(
        "/api/v1/transactions", params={"prodcut": "IMCE"}, headers=stack.headers
    )
    error = assert_envelope(unknown, 400, "VALIDATION_FAILED")
    assert error["details"]["unknown"] == ["prodcut"]
    spec_names = await stack.http.get(
        "/api/v1/transactions", params={"product": "IMCE", "page_size": 2}, headers=stack.headers
    )
    assert spec_names.json()["pageSize"] == 2


async def test_an_api_with_redis_limits_through_it(
    settings: Settings, temporal_client: Client, engine_url: str, redis: Redis
) -> None:
    settings.redis_url = "redis://127.0.0.1:6379/0"  # type: ignore[assignment]
    settings.api.embedded_worker = False
    await upgrade_async(settings.database)
    engine = create_engine(settings.database)
    sessions = session_factory(engine)
    demo = await seed_demo(sessions, registry, engine_url, None)
    async with sessions() as session:
        row = await session.get(OrganizationRow, demo.organization_id)
        assert row is not None
        row.requests_per_minute = 2
        session.add(row)
        await session.commit()
    app = create_app(settings, client=temporal_client)
    headers = {"X-API-Key": demo.api_key}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        statuses = [(await http.get("/api/v1/me", headers=headers)).status_code for _ in range(3)]
        health = (await http.get("/api/v1/health", headers=headers)).json()
    await engine.dispose()
    assert statuses == [200, 200, 429]
    assert health["dependencies"]["redis"]["status"] == "healthy"
    assert "rateLimiter" not in health["dependencies"]  # shared, not degraded
    keys = [k async for k in redis.scan_iter(match="irx:rl:*")]
    assert keys  # the window lives in Redis
    await redis.delete(*keys)


async def test_health_has_the_seed_shape_and_readiness_follows_the_critical_dependencies(
    stack: Stack,
) -> None:
    h = stack.headers
    report = (await stack.http.get("/api/v1/health", headers=h)).json()
    assert {"status", "service", "version", "uptime", "timestamp", "dependencies"} <= report.keys()
    deps = report["dependencies"]
    assert deps["database"]["status"] == deps["temporal"]["status"] == "healthy"
    assert deps["blobStore"]["status"] == "healthy"
    assert deps["database"]["poolMax"] >= 1
    assert all("latencyMs" in deps[name] for name in ("database", "temporal", "blobStore"))
    # Each rating engine, once per URL (the demo's JSON and XML engines share one).
    assert deps["engine:ref-engine"]["status"] == "healthy"
    assert "latencyMs" in deps["engine:ref-engine"]
    assert report["status"] == "degraded"  # no Redis here: events and limits stay local
    # Dependencies are the platform operators' (ops), not a tenant admin's.
    admin = await stack.new_org(scopes=("admin",))
    assert "dependencies" not in (await stack.http.get("/api/v1/health", headers=admin)).json()
    ready = await stack.http.get("/api/v1/health/ready")
    assert (ready.status_code, ready.json()["status"]) == (200, "degraded")
    cached_at = stack.app.state.health_cache.at
    await stack.http.get("/api/v1/health/ready")
    assert stack.app.state.health_cache.at == cached_at  # checks are reused, not repeated

    dead = await Client.connect(f"127.0.0.1:{free_port()}", lazy=True)
    live_client, stack.services.client = stack.services.client, dead
    stack.app.state.health_cache.value = None
    try:
        down = await stack.http.get("/api/v1/health/ready")
        assert (down.status_code, down.json()["status"]) == (503, "not ready")
        report = await stack.http.get("/api/v1/health", headers=h)
        assert report.status_code == 503
        assert report.json()["dependencies"]["temporal"]["status"] == "unhealthy"
        assert (await stack.http.get("/api/v1/health/live")).status_code == 200
    finally:
        stack.services.client = live_client
        stack.app.state.health_cache.value = None

    # An engine that does not answer degrades the platform; it does not make it unready.
    async with stack.sessions() as session:
        await point_system(
            session,
            Actor(organization_id=stack.demo.organization_id),
            System(
                code="gone-engine",
                name="Gone",
                kind="rating_engine",
                protocol="json",
                base_url=f"http://127.0.0.1:{free_port()}",
            ),
            None,
            stack.services.url_policy,
        )
        await session.commit()
    report = await stack.http.get("/api/v1/health", headers=h)
    assert report.json()["dependencies"]["engine:gone-engine"]["status"] == "degraded"
    assert (await stack.http.get("/api/v1/health/ready")).status_code == 200


async def test_an_unreachable_config_store_answers_503_and_retry_after(tmp_path: Path) -> None:
    (tmp_path / "irx.db").mkdir()  # SQLite cannot open a folder: OperationalError
    for url in (
        f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/test",  # connection refused
        f"sqlite+aiosqlite:///{tmp_path / 'irx.db'}",
    ):
        temporal = await Client.connect(f"127.0.0.1:{free_port()}", lazy=True)
        app = create_app(Settings(database_url=url), client=temporal)
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://irx.test") as http,
        ):
            answer = await http.get("/api/v1/products", headers={"X-API-Key": "irx_x"})
        error = assert_envelope(answer, 503, "CONFIG_STORE_UNAVAILABLE")
        assert answer.headers["retry-after"] == "1"
        assert "Traceback" not in answer.text, url
        assert error["message"].startswith("The config store")
