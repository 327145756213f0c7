"""The door: authentication and body bounds come before the body is read."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlmodel import select

from engines.url_policy import UrlPolicy
from models.errors import ErrorCode, PlatformError
from models.settings import EgressSettings
from models.tables import AuditRow
from store import systems
from tests.api.test_rate import assert_envelope
from tests.conftest import Stack, serve_api

MB = 1024 * 1024


class Body:
    """A streamed body that counts how much of it the server pulled."""

    def __init__(self, megabytes: int) -> None:
        self.megabytes = megabytes
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"code": "BIG", "name": "'
        for _ in range(self.megabytes):
            self.sent += 1
            yield b"x" * MB
        yield b'"}'


async def test_no_key_is_refused_before_the_body_is_read(stack: Stack) -> None:
    body = Body(200)
    answer = await stack.http.post("/api/v1/products", content=body)
    assert_envelope(answer, 401, "API_KEY_INVALID")
    assert body.sent == 0


async def test_unknown_routes_need_a_key_too(stack: Stack) -> None:
    assert_envelope(await stack.http.get("/api/v1/no/such/route"), 401, "API_KEY_INVALID")
    found = await stack.http.get("/api/v1/no/such/route", headers=stack.headers)
    assert_envelope(found, 404, "RESOURCE_NOT_FOUND")


async def test_a_config_body_is_bounded_by_length_and_while_streaming(stack: Stack) -> None:
    declared = await stack.http.post(
        "/api/v1/products",
        content=b"{}",
        headers=stack.headers | {"Content-Length": str(400 * MB)},
    )
    assert_envelope(declared, 413, "PAYLOAD_TOO_LARGE")
    body = Body(20)
    streamed = await stack.http.post("/api/v1/products", content=body, headers=stack.headers)
    error = assert_envelope(streamed, 413, "PAYLOAD_TOO_LARGE")
    assert error["details"]["limitBytes"] == MB
    assert body.sent <= 2  # refused as it passed 1 MiB, not after 20
    products = (await stack.http.get("/api/v1/products", headers=stack.headers)).json()
    assert "BIG" not in {p["code"] for p in products}


async def test_an_address_that_keeps_failing_is_throttled(stack: Stack) -> None:
    stack.settings.api.auth_failures_per_minute = 3
    wrong = {"X-API-Key": "irx_wrong"}
    statuses = [(await stack.http.get("/api/v1/me", headers=wrong)).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]  # three failures a minute, then refused
    throttled = await stack.http.get("/api/v1/me", headers=wrong)
    assert_envelope(throttled, 429, "RATE_LIMIT_EXCEEDED")
    assert throttled.headers["retry-after"] == "60"
    # While throttled, even a good key from that address is not checked.
    assert (await stack.http.get("/api/v1/me", headers=stack.headers)).status_code == 429


async def test_public_health_says_only_whether_the_platform_is_up(stack: Stack) -> None:
    public = (await stack.http.get("/api/v1/health")).json()
    assert public["status"] == "degraded"  # this stack has no Redis: up, working around it
    assert "dependencies" not in public
    assert "circuitBreakers" not in public
    operator = (await stack.http.get("/api/v1/health", headers=stack.headers)).json()
    assert operator["dependencies"]["database"]["status"] == "healthy"
    assert "circuitBreakers" in operator
    bearer = {"Authorization": f"Bearer {stack.demo.api_key}"}  # either header, as everywhere
    assert "dependencies" in (await stack.http.get("/api/v1/health", headers=bearer)).json()


async def test_a_product_restricted_key_reads_only_its_products(
    stack: Stack, example_request: bytes
) -> None:
    imce = await stack.http.post(
        "/api/v1/IMCE/rate", content=example_request, headers=stack.headers
    )
    created = await stack.http.post(
        "/api/v1/api-keys",
        json={"name": "bop only", "scopes": ["rate", "config:read"], "allowedProducts": ["BOP"]},
        headers=stack.headers,
    )
    bop = {"X-API-Key": created.json()["key"]}
    hidden = await stack.http.get(
        f"/api/v1/transactions/{imce.json()['transactionId']}", headers=bop
    )
    assert_envelope(hidden, 404, "RESOURCE_NOT_FOUND")
    listed = (await stack.http.get("/api/v1/transactions", headers=bop)).json()
    assert all(t["productCode"] == "BOP" for t in listed["items"])
    products = (await stack.http.get("/api/v1/products", headers=bop)).json()
    assert [p["code"] for p in products] == ["BOP"]
    assert_envelope(
        await stack.http.get("/api/v1/products/IMCE", headers=bop), 404, "RESOURCE_NOT_FOUND"
    )
    rules = await stack.http.get("/api/v1/products/IMCE/rules", headers=bop)
    assert_envelope(rules, 404, "RESOURCE_NOT_FOUND")


async def test_system_urls_never_carry_credentials_nor_reach_metadata(stack: Stack) -> None:
    for url in (
        "http://user:secret@engine.example:8100",
        "http://169.254.169.254/latest/meta-data",
        "http://metadata.google.internal/computeMetadata",
        "http://[fe80::1]:8080/",
    ):
        refused = await stack.http.post(
            "/api/v1/systems",
            json={"code": "x", "name": "x", "kind": "rating_engine", "baseUrl": url},
            headers=stack.headers,
        )
        assert_envelope(refused, 400, "VALIDATION_FAILED")
    stack.services.url_policy = UrlPolicy.of(EgressSettings(allow_hosts=[".acme.com"]))
    system = {"code": "x", "name": "x", "kind": "rating_engine"}
    elsewhere = {**system, "baseUrl": "http://engine.example:8100"}
    refused = await stack.http.post("/api/v1/systems", json=elsewhere, headers=stack.headers)
    error = assert_envelope(refused, 400, "VALIDATION_FAILED")
    assert error["details"]["problems"][0]["path"] == "baseUrl"
    allowed = {**system, "baseUrl": "https://rating.acme.com/v1"}
    assert (
        await stack.http.post("/api/v1/systems", json=allowed, headers=stack.headers)
    ).is_success


async def test_names_and_numbers_are_checked_at_the_door(stack: Stack) -> None:
    versions = "/api/v1/products/IMCE/flows/rate/versions"
    huge = await stack.http.post(f"{versions}/{2**63}/publish", headers=stack.headers)
    assert_envelope(huge, 400, "VALIDATION_FAILED")
    step = {"name": "../../etc/x", "type": "validate_request", "config": {"schema": {}}}
    named = await stack.http.post(versions, json={"steps": [step]}, headers=stack.headers)
    error = assert_envelope(named, 400, "VALIDATION_FAILED")
    assert error["details"]["problems"][0]["path"].endswith("name")


async def test_the_server_refuses_a_huge_request_head(stack: Stack) -> None:
    async with serve_api(stack.app, stack.settings) as url, httpx.AsyncClient(base_url=url) as http:
        fine = await http.get("/api/v1/health/live", headers={"X-Note": "x" * 1000})
        assert fine.status_code == 200
        try:
            huge = await http.get("/api/v1/health/live", headers={"X-Note": "x" * (10 * MB)})
        except httpx.HTTPError:
            pass  # the connection was closed on it: refused either way
        else:
            assert huge.status_code in (400, 431)


async def test_system_credentials_are_sealed_at_rest(stack: Stack) -> None:
    """Stored sealed (AES-256-GCM, bound to their system), never shown, refused without keys."""
    system = {
        "code": "sealed",
        "name": "Sealed",
        "kind": "rating_engine",
        "baseUrl": "http://engine.example",
        "auth": {"mode": "bearer", "token": "tok-do-not-leak"},
    }
    created = await stack.http.post("/api/v1/systems", json=system, headers=stack.headers)
    assert created.status_code == 201, created.text
    listed = await stack.http.get("/api/v1/systems", headers=stack.headers)
    assert "tok-do-not-leak" not in created.text + listed.text
    async with stack.sessions() as session:
        row = await systems.find_system(session, stack.demo.organization_id, "sealed")
        assert row is not None
        assert row.auth["token"].startswith("irx1:test:")
        dump = json.dumps(
            [r.model_dump(mode="json") for r in (await session.exec(select(AuditRow))).all()]
        )
        assert "tok-do-not-leak" not in json.dumps(row.auth) + dump
        keyring = stack.services.keyring
        token = systems.system_of(row, keyring).auth.token
        assert token is not None
        assert token.get_secret_value() == "tok-do-not-leak"
        moved = row.model_copy(update={"code": "other"})  # a sealed value copied elsewhere
        with pytest.raises(PlatformError) as caught:
            systems.system_of(moved, keyring)
        assert caught.value.code == ErrorCode.SECRETS_UNAVAILABLE
    stack.services.keyring = None
    refused = await stack.http.post(
        "/api/v1/systems", json={**system, "code": "unsealed"}, headers=stack.headers
    )
    assert_envelope(refused, 503, "SECRETS_UNAVAILABLE")
    plain = {**system, "code": "plain", "auth": {"mode": "none"}}
    assert (await stack.http.post("/api/v1/systems", json=plain, headers=stack.headers)).is_success


async def test_a_body_that_stops_arriving_is_refused_and_leaves_nothing(stack: Stack) -> None:
    """A slow-body client cannot hold a connection: 408 once its body stalls."""
    stack.settings.api.body_idle_timeout_s = 0.3
    root = stack.settings.blobs.root
    before = {p for p in root.rglob("*") if p.is_file()}

    async def stalling(items: int) -> AsyncIterator[bytes]:
        yield b'{"equipment": [' + b'{"serial": "EQ-1", "value": 1000},' * items
        await asyncio.sleep(2)  # then nothing: the client stalls mid-body
        yield b"]}"

    # A rating's body past 1 MiB streams into the blob store; a config write's is small.
    for path, items in (("/api/v1/IMCE/rate", 40_000), ("/api/v1/products", 100)):
        response = await stack.http.post(path, content=stalling(items), headers=stack.headers)
        error = assert_envelope(response, 408, "REQUEST_TIMEOUT")
        assert error["details"] == {"idleTimeoutS": 0.3}
    assert {p for p in root.rglob("*") if p.is_file()} == before
