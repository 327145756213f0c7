"""The audit log: every config write, readable, filterable, exportable, unchangeable."""

from __future__ import annotations

import csv
import io
import json

from store import transaction_chain
from tests.api.test_rate import assert_envelope
from tests.conftest import Stack

RULE = "/api/v1/products/IMCE/rules/NY policy fee"


async def test_config_writes_are_audited_filtered_paged_and_exported(stack: Stack) -> None:
    h = {**stack.headers, "User-Agent": "audit-test/1.0", "X-Correlation-Id": "audit-corr-1"}
    me = (await stack.http.get("/api/v1/me", headers=h)).json()
    rules = (await stack.http.get("/api/v1/products/IMCE/rules", headers=h)).json()
    rule = next(r for r in rules if r["name"] == "NY policy fee")
    body = {k: v for k, v in rule.items() if k not in ("name", "revision", "updatedAt")}
    body["actions"][0]["value"] = 30
    put = await stack.http.put(RULE, json=body, headers={**h, "If-Match": f'"r{rule["revision"]}"'})
    assert put.status_code == 200, put.text

    mine = {"actor": me["apiKeyId"], "entityType": "rule"}
    page = (await stack.http.get("/api/v1/audit-log", params=mine, headers=h)).json()
    assert page["total"] == 1
    (entry,) = page["items"]
    assert entry["action"] == "UPDATE"
    assert entry["entityName"] == "NY policy fee"
    assert entry["correlationId"] == "audit-corr-1"
    assert entry["userAgent"] == "audit-test/1.0"
    assert entry["ipAddress"]
    changes = json.dumps(entry["changes"])
    assert '"value": 25' in changes
    assert '"value": 30' in changes

    everything = (await stack.http.get("/api/v1/audit-log?pageSize=2", headers=h)).json()
    assert everything["total"] > 2  # the demo's own writes (actor null) are there too
    assert everything["links"]["next"].endswith("page=2")
    assert everything["items"][0]["id"] == entry["id"]  # newest first

    exported = await stack.http.get(
        "/api/v1/audit-log/export", params={**mine, "format": "csv"}, headers=h
    )
    assert exported.headers["content-type"].startswith("text/csv")
    (row,) = list(csv.DictReader(io.StringIO(exported.text)))
    assert row["id"] == str(entry["id"])
    assert json.loads(row["changes"]) == entry["changes"]
    lines = (
        await stack.http.get("/api/v1/audit-log/export?format=json", headers=h)
    ).text.splitlines()
    assert len(lines) == everything["total"]
    assert json.loads(lines[-1])["id"] == entry["id"]  # oldest first

    for method in ("PUT", "PATCH", "DELETE", "POST"):
        refused = await stack.http.request(method, "/api/v1/audit-log", headers=h)
        assert_envelope(refused, 405, "METHOD_NOT_ALLOWED")
    assert_envelope(
        await stack.http.get("/api/v1/audit-log?actr=x", headers=h), 400, "VALIDATION_FAILED"
    )


async def test_other_organizations_and_product_limited_keys_see_nothing(stack: Stack) -> None:
    other = await stack.new_org()
    page = (await stack.http.get("/api/v1/audit-log", headers=other)).json()
    assert page["total"] == 0
    limited = await stack.http.post(
        "/api/v1/api-keys",
        json={"name": "bop only", "scopes": ["config:read"], "allowedProducts": ["BOP"]},
        headers=stack.headers,
    )
    key = {"X-API-Key": limited.json()["key"]}
    assert_envelope(
        await stack.http.get("/api/v1/audit-log", headers=key), 403, "API_KEY_PRODUCT_DENIED"
    )


async def test_every_rating_joins_its_organizations_hash_chain(
    stack: Stack, example_request: bytes
) -> None:
    for _ in range(3):
        rated = await stack.http.post(
            "/api/v1/IMCE/rate", content=example_request, headers=stack.headers
        )
        assert rated.json()["status"] == "completed"
    report = await transaction_chain.verify(stack.sessions, stack.demo.organization_id)
    assert (report.links, report.unlinked, report.intact) == (3, 0, True)
