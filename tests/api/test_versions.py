"""A published flow version pins its product's mappings and rules (issue 8's finding:
editing a rule changed an already-published version, and rollback could not undo it)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from tests.api.test_rate import assert_envelope
from tests.conftest import Stack

FLOW = "/api/v1/products/IMCE/flows/rate/versions"
FEE_RULE = "NY policy fee"


async def total_due(stack: Stack, request: bytes) -> float:
    rated = await stack.http.post("/api/v1/IMCE/rate", content=request, headers=stack.headers)
    body = rated.json()
    assert body["status"] == "completed", body
    due: float = body["result"]["totalDue"]
    assert due == round(body["result"]["premium"] + fee_of(body), 2)
    return due


def fee_of(body: dict[str, Any]) -> float:
    return float(body["result"]["totalDue"]) - float(body["result"]["premium"])


async def set_fee(stack: Stack, fee: int) -> None:
    listed = await stack.http.get("/api/v1/products/IMCE/rules", headers=stack.headers)
    rule = next(r for r in listed.json() if r["name"] == FEE_RULE)
    body = {k: v for k, v in rule.items() if k not in ("name", "revision", "updatedAt")}
    body["actions"][0]["value"] = fee
    headers = {**stack.headers, "If-Match": f'"r{rule["revision"]}"'}
    put = await stack.http.put(
        f"/api/v1/products/IMCE/rules/{FEE_RULE}", json=body, headers=headers
    )
    assert put.status_code == 200, put.text


async def published_version(stack: Stack) -> dict[str, Any]:
    """IMCE /rate's published version, as the API lists it."""
    versions = (await stack.http.get(FLOW, headers=stack.headers)).json()
    found: dict[str, Any] = next(v for v in versions if v["status"] == "published")
    return found


async def test_a_rule_edit_reaches_runs_only_through_a_new_version(
    stack: Stack, example_request: bytes
) -> None:
    h = stack.headers
    first = await total_due(stack, example_request)
    published = await published_version(stack)

    await set_fee(stack, 50)  # the config cache TTL is 0 here: a live read would see it
    assert await total_due(stack, example_request) == first  # the published version is pinned

    draft = {"steps": published["steps"], "changeDescription": "NY fee 50"}
    created = (await stack.http.post(FLOW, json=draft, headers=h)).json()
    assert (await stack.http.post(f"{FLOW}/{created['version']}/publish", headers=h)).is_success
    assert await total_due(stack, example_request) == round(first + 25, 2)

    why = {"reason": "the new NY fee is not approved yet"}
    rollback = await stack.http.post(f"{FLOW}/{published['version']}/publish", json=why, headers=h)
    assert rollback.is_success, rollback.text
    assert await total_due(stack, example_request) == first  # exactly what it ran before
    audit = await stack.http.get("/api/v1/audit-log", params={"action": "ROLLBACK"}, headers=h)
    (entry,) = audit.json()["items"]  # who, when, why
    assert entry["actor"]
    assert entry["createdAt"]
    assert entry["changes"]["after"]["reason"] == why["reason"]


async def test_a_writer_runs_a_draft_or_any_version_with_x_flow_version(
    stack: Stack, example_request: bytes
) -> None:
    h = stack.headers
    first = await total_due(stack, example_request)
    published = await published_version(stack)
    await set_fee(stack, 40)
    draft = (await stack.http.post(FLOW, json={"steps": published["steps"]}, headers=h)).json()

    async def rate(version: str, headers: dict[str, str]) -> Any:
        return await stack.http.post(
            "/api/v1/IMCE/rate",
            content=example_request,
            headers={**headers, "X-Flow-Version": version},
        )

    tried = (await rate("draft", h)).json()
    assert tried["flowVersion"] == draft["version"]
    assert round(fee_of(tried), 2) == 40  # the draft reads the live rules
    assert await total_due(stack, example_request) == first  # the endpoint still runs v1
    assert (await rate(str(published["version"]), h)).json()["result"]["totalDue"] == first

    rater = await rate("draft", {**h, "X-API-Key": await rate_only_key(stack)})
    assert_envelope(rater, 403, "API_KEY_SCOPE_DENIED")  # trying versions is config:write
    assert_envelope(await rate("abc", h), 400, "VALIDATION_FAILED")
    assert_envelope(await rate("99", h), 404, "RESOURCE_NOT_FOUND")


async def rate_only_key(stack: Stack) -> str:
    created = await stack.http.post(
        "/api/v1/api-keys", json={"name": "rater", "scopes": ["rate"]}, headers=stack.headers
    )
    assert created.status_code == 201, created.text
    key: str = created.json()["key"]
    return key


async def test_publishing_mid_run_changes_nothing_for_the_run_in_flight(
    stack: Stack, example_request: bytes
) -> None:
    """A slow engine holds a run; a rule edit and a new version land meanwhile."""
    h = stack.headers
    systems = (await stack.http.get("/api/v1/systems", headers=h)).json()
    xml = next(s for s in systems if s["code"] == "ref-engine-xml")
    slow = {
        **{k: xml[k] for k in ("name", "kind", "protocol", "baseUrl")},
        "code": "slow-xml",
        "auth": {"mode": "header", "name": "X-Engine-Latency-Ms", "value": "1500"},
    }
    assert (await stack.http.post("/api/v1/systems", json=slow, headers=h)).is_success
    exported = (await stack.http.get("/api/v1/products/IMCE/export", headers=h)).text
    document = json.loads(exported.replace('"ref-engine-xml"', '"slow-xml"'))
    document["product"]["code"] = "SLOWIMCE"
    assert (await stack.http.post("/api/v1/products/import", json=document, headers=h)).is_success

    started = await stack.http.post(
        "/api/v1/SLOWIMCE/rate", content=example_request, headers={**h, "Prefer": "respond-async"}
    )
    location = started.headers["location"]
    base = "/api/v1/products/SLOWIMCE"
    rule = await stack.http.get(f"{base}/rules/{FEE_RULE}", headers=h)
    body = {k: v for k, v in rule.json().items() if k not in ("name", "revision", "updatedAt")}
    body["actions"][0]["value"] = 60
    put = await stack.http.put(
        f"{base}/rules/{FEE_RULE}", json=body, headers={**h, "If-Match": rule.headers["etag"]}
    )
    assert put.is_success
    steps = {"steps": document["flows"][1]["steps"]}  # "rate" (flows are sorted by endpoint)
    draft = (await stack.http.post(f"{base}/flows/rate/versions", json=steps, headers=h)).json()
    published = await stack.http.post(
        f"{base}/flows/rate/versions/{draft['version']}/publish", headers=h
    )
    assert published.is_success
    running = (await stack.http.get(location, headers=h)).json()
    assert running["status"] == "running"  # all of that happened while it ran

    for _ in range(200):
        finished = (await stack.http.get(location, headers=h)).json()
        if finished["status"] != "running":
            break
        await asyncio.sleep(0.05)
    assert finished["status"] == "completed", finished
    assert finished["flowVersion"] == 1
    assert round(fee_of(finished), 2) == 25  # the version and rules it started with
    after = await stack.http.post("/api/v1/SLOWIMCE/rate", content=example_request, headers=h)
    assert after.json()["flowVersion"] == draft["version"]
    assert round(fee_of(after.json()), 2) == 60
