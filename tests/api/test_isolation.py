"""Tenant isolation: every route of the OpenAPI document, called with another organization's
key on the first organization's ids, reads nothing, changes nothing, confirms nothing."""

from __future__ import annotations

from typing import Any

from models.tables import ApiKeyRow
from store.quarantine import Quarantine
from tests.api.test_impact import until_ended
from tests.conftest import Stack

# Operations that name no tenant's resource: they act on the caller's own
# organization (or on none), so there is nothing of another tenant to reach.
OWN_ORGANIZATION = {
    ("GET", "/api/v1/health"),
    ("GET", "/api/v1/health/live"),
    ("GET", "/api/v1/health/ready"),
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/step-types"),
    ("POST", "/api/v1/products"),
    ("POST", "/api/v1/products/import"),  # into the caller's organization (test_exports)
    ("POST", "/api/v1/systems"),
    ("POST", "/api/v1/api-keys"),
}
# Listings answer the caller's own organization: none of the first one's ids may appear.
LISTINGS = {
    "/api/v1/api-keys",
    "/api/v1/audit-log",
    "/api/v1/audit-log/export",
    "/api/v1/transactions",
    "/api/v1/quarantine",
    "/api/v1/events/dead-letters",
    "/api/v1/products",
    "/api/v1/systems",
    "/api/v1/impact-runs",
}
MAPPING = {"fields": [{"source": "a", "target": "b"}]}
RULE = {"phase": "pre_rating", "actions": [{"type": "set", "target": "x", "value": 1}]}
SYSTEM = {"name": "x", "kind": "rating_engine", "baseUrl": "http://other.example"}
IMPACT = "/api/v1/products/IMCE/flows/rate/impact"
CHALLENGER = "/api/v1/products/IMCE/flows/rate/challenger"
CHALLENGE = {"version": 1, "sample": 0.0}
STEPS = {"steps": [{"name": "v", "type": "validate_request", "config": {"schema": {}}}]}


async def snapshot(stack: Stack) -> list[Any]:
    """What the first organization sees of itself."""
    paths = [
        "/api/v1/products",
        "/api/v1/systems",
        "/api/v1/api-keys",
        "/api/v1/products/IMCE/mappings",
        "/api/v1/products/IMCE/rules",
        "/api/v1/products/IMCE/flows/rate/versions",
        "/api/v1/transactions",
    ]
    return [(await stack.http.get(p, headers=stack.headers)).json() for p in paths]


async def test_another_organization_reaches_nothing_of_the_first(
    stack: Stack, example_request: bytes
) -> None:
    rated = await stack.http.post(
        "/api/v1/IMCE/rate", content=example_request, headers=stack.headers
    )
    transaction_id = rated.json()["transactionId"]
    entry_id = await quarantined(stack, transaction_id)
    impact = await stack.http.post(IMPACT, json={"candidate": 1, "limit": 1}, headers=stack.headers)
    assert impact.status_code == 202, impact.text
    challenger = await stack.http.put(CHALLENGER, json=CHALLENGE, headers=stack.headers)
    assert challenger.status_code == 200, challenger.text
    await until_ended(stack, impact.headers["location"])  # its re-rating is a transaction
    async with stack.sessions() as session:
        key = await session.get(ApiKeyRow, (await first_key_id(stack)))
        assert key is not None
    before = await snapshot(stack)
    other = await stack.new_org(plan="enterprise")
    values = {
        "code": "IMCE",
        "product_code": "IMCE",
        "endpoint": "rate",
        "number": "1",
        "transaction_id": transaction_id,
        "key_id": key.id,
        "event_id": transaction_id,
        "entry_id": entry_id,
        "impact_id": impact.json()["id"],
    }
    secrets = {
        transaction_id,
        key.id,
        stack.demo.organization_id,
        "ref-engine",
        "IMCE",
        impact.json()["id"],
    }
    openapi = (await stack.http.get("/openapi.json")).json()
    walked, own = set(), set()
    for path, operations in openapi["paths"].items():
        v1 = path.replace("/api/v2/", "/api/v1/", 1)  # both versions serve each route
        for method in operations:
            method = method.upper()
            if (method, v1) in OWN_ORGANIZATION:
                own.add((method, path))
                continue
            walked.add((method, path))
            name = "IMCE Request Mapping" if "/mappings/" in path else "Equipment class factor"
            # A system path names one of the first organization's systems.
            code = "ref-engine" if v1.startswith("/api/v1/systems/") else values["code"]
            url = path.format(**{**values, "code": code}, name=name)
            body = _body(method, v1, example_request)
            answer = await stack.http.request(method, url, headers=other, **body)
            if v1 in LISTINGS and method == "GET":
                assert answer.status_code == 200, (method, path, answer.text)
                assert not any(s in answer.text for s in secrets), (method, path, answer.text)
            else:
                assert answer.status_code == 404, (method, path, answer.status_code, answer.text)
                error = answer.json().get("error") or answer.json()  # v2: a problem
                assert error["code"] in (
                    "RESOURCE_NOT_FOUND",
                    "ORCHESTRATOR_NOT_FOUND",
                ), (method, path)
    # Every operation of the document was walked or is listed above as the caller's own.
    every = {(m.upper(), p) for p, ops in openapi["paths"].items() for m in ops}
    assert walked | own == every
    assert {p for _, p in walked} >= {"/api/v1/transactions", "/api/v2/transactions"}
    assert await snapshot(stack) == before


def _body(method: str, path: str, example_request: bytes) -> dict[str, Any]:
    if method not in ("POST", "PUT"):
        return {}
    if path.endswith("/mappings/preview"):
        return {"json": {"mapping": {"name": "m", **MAPPING}, "sample": {"a": 1}}}
    if path.endswith("/rules/validate"):
        return {"json": {"name": "r", **RULE}}
    if path.endswith("/mappings/{name}"):
        return {"json": MAPPING}
    if path.endswith("/rules/{name}"):
        return {"json": RULE}
    if path.endswith(("/versions", "/versions/{number}")):
        return {"json": STEPS}
    if path == "/api/v1/systems/{code}":
        return {"json": SYSTEM}
    if path == "/api/v1/products/{code}":
        return {"json": {"name": "taken over"}}
    if path.endswith("/impact"):
        return {"json": {"candidate": 1}}
    if path.endswith("/challenger"):
        return {"json": CHALLENGE}
    if path.endswith("/rerate"):
        return {"json": {}}
    return {"content": example_request}


async def quarantined(stack: Stack, transaction_id: str) -> str:
    """An entry of the first organization's quarantine, as a refusing step keeps it."""
    keeper = Quarantine(stack.sessions, stack.services.blobs)
    return await keeper.keep(
        organization_id=stack.demo.organization_id,
        transaction_id=transaction_id,
        product_code="IMCE",
        step_index=0,
        step="validate request",
        code="SCHEMA_VALIDATION_FAILED",
        reason="refused",
        details={},
        document=b"<Refused/>",
    )


async def first_key_id(stack: Stack) -> str:
    keys = (await stack.http.get("/api/v1/api-keys", headers=stack.headers)).json()
    key_id: str = keys[0]["id"]
    return key_id
