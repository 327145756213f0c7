"""Configuration as code: export a product, import it elsewhere or under a new code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from reference_engine.app import create_app as create_engine_app
from reference_engine.settings import EngineSettings
from tests.api.test_rate import assert_envelope
from tests.conftest import Stack


async def export(stack: Stack, code: str, headers: dict[str, str]) -> bytes:
    answer = await stack.http.get(f"/api/v1/products/{code}/export", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.content


async def import_(
    stack: Stack, document: dict[str, Any], headers: dict[str, str], **flags: bool
) -> Any:
    return await stack.http.post(
        "/api/v1/products/import", json={**document, **flags}, headers=headers
    )


async def copy_systems(stack: Stack, headers: dict[str, str]) -> None:
    """The target environment has its own systems, under the same codes."""
    for system in (await stack.http.get("/api/v1/systems", headers=stack.headers)).json():
        body = {k: system[k] for k in ("code", "name", "kind", "protocol", "baseUrl")}
        assert (await stack.http.post("/api/v1/systems", json=body, headers=headers)).is_success


async def test_export_import_into_an_empty_organization_then_export_is_identical(
    stack: Stack, example_request: bytes
) -> None:
    exported = await export(stack, "IMCE", stack.headers)
    document = json.loads(exported)
    assert exported == json.dumps(document, indent=2, sort_keys=True).encode() + b"\n"
    assert [m["name"] for m in document["mappings"]] == sorted(
        m["name"] for m in document["mappings"]
    )
    assert {f["endpoint"] for f in document["flows"]} == {"rate", "quote"}

    other = await stack.new_org(plan="enterprise")
    await copy_systems(stack, other)
    dry = (await import_(stack, document, other, dryRun=True)).json()
    assert dry["created"] is True
    added = {(c["entity"], c["name"]) for c in dry["diff"]["added"]}
    assert ("product", "IMCE") in added
    assert ("rule", "NY policy fee") in added
    assert ("flow", "quote") in added
    assert_envelope(
        await stack.http.get("/api/v1/products/IMCE", headers=other), 404, "RESOURCE_NOT_FOUND"
    )

    done = (await import_(stack, document, other)).json()
    assert done["published"] == {"quote": 1, "rate": 1}
    assert await export(stack, "IMCE", other) == exported  # byte-identical
    theirs = await stack.http.post("/api/v1/IMCE/rate", content=example_request, headers=other)
    ours = await stack.http.post(
        "/api/v1/IMCE/rate", content=example_request, headers=stack.headers
    )
    assert theirs.json()["result"] == ours.json()["result"]
    again = (await import_(stack, document, other)).json()  # nothing changed: nothing written
    assert again["diff"] == {"added": [], "changed": [], "removed": []}
    assert again["published"] == {}


async def test_import_under_a_new_code_with_a_diff_first_and_overwrite_to_replace(
    stack: Stack, example_request: bytes
) -> None:
    h = stack.headers
    document = json.loads(await export(stack, "IMCE", h))
    document["product"]["code"] = "IMCE2"
    assert (await import_(stack, document, h)).is_success
    fee = next(r for r in document["rules"] if r["name"] == "NY policy fee")
    fee["actions"][0]["value"] = 35
    document["rules"] = [r for r in document["rules"] if r["name"] != "Large schedule credit"]

    dry = (await import_(stack, document, h, dryRun=True)).json()
    assert dry["diff"]["changed"] == [
        {"entity": "rule", "name": "NY policy fee", "fields": ["actions"]}
    ]
    assert dry["diff"]["removed"] == [
        {"entity": "rule", "name": "Large schedule credit", "fields": []}
    ]
    assert_envelope(await import_(stack, document, h), 409, "RESOURCE_CONFLICT")
    replaced = (await import_(stack, document, h, overwrite=True)).json()
    assert replaced["published"] == {"quote": 2, "rate": 2}
    rated = (await stack.http.post("/api/v1/IMCE2/rate", content=example_request, headers=h)).json()
    assert round(rated["result"]["totalDue"] - rated["result"]["premium"], 2) == 35


async def test_a_failing_import_writes_nothing(stack: Stack) -> None:
    h = stack.headers
    document = json.loads(await export(stack, "IMCE", h))
    document["product"]["code"] = "BROKEN"
    document["flows"][0]["steps"].append(
        {"name": "ghost map", "type": "field_mapping", "config": {"mapping": "no such mapping"}}
    )
    refused = await import_(stack, document, h)
    error = assert_envelope(refused, 400, "VALIDATION_FAILED")
    assert "unknown mapping 'no such mapping'" in json.dumps(error["details"])
    assert_envelope(
        await stack.http.get("/api/v1/products/BROKEN", headers=h), 404, "RESOURCE_NOT_FOUND"
    )
    audit = (await stack.http.get("/api/v1/audit-log?entityType=product", headers=h)).json()
    assert all(entry["entityName"] != "BROKEN" for entry in audit["items"])


async def test_engine_tables_travel_with_the_product_into_the_reference_engine(
    stack: Stack, tmp_path: Path
) -> None:
    h = stack.headers
    read = await stack.http.get("/api/v1/products/IMCE", headers=h)
    assert read.json()["engineTables"] is None
    tables = {
        "IMCE-MS": {
            "classRates": {"EXC": 1.1},
            "stateClassRates": {"TX": {"EXC": 0.9, "CRN": 1.2}},
            "stateMinimums": {"TX": 750},
        }
    }
    put = await stack.http.put(
        "/api/v1/products/IMCE",
        json={**read.json(), "engineTables": tables},
        headers={**h, "If-Match": read.headers["etag"]},
    )
    assert put.status_code == 200, put.text
    assert (await stack.http.get("/api/v1/products/IMCE", headers=h)).json()["engineTables"] == (
        tables
    )
    document = json.loads(await export(stack, "IMCE", h))
    assert document["product"]["engineTables"] == tables

    document["product"]["code"] = "IMCE-MS"
    assert (await import_(stack, document, h)).is_success
    copied = json.loads(await export(stack, "IMCE-MS", h))
    assert copied["product"]["engineTables"] == tables
    document["product"]["engineTables"]["IMCE-MS"]["stateMinimums"]["TX"] = 800
    dry = (await import_(stack, document, h, dryRun=True)).json()
    assert dry["diff"]["changed"] == [
        {"entity": "product", "name": "IMCE-MS", "fields": ["engineTables"]}
    ]

    # The same document loads the tables into a reference engine, which rates with them.
    engine_app = create_engine_app(EngineSettings(store_path=tmp_path / "engine-tables.json"))
    transport = httpx.ASGITransport(app=engine_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://engine") as engine:
        loaded = await engine.post("/v1/tables/import", json=document)
        assert loaded.json() == {"loaded": ["IMCE-MS"]}
        request = {
            "quoteId": "Q",
            "product": "IMCE-MS",
            "state": "NY",
            "effectiveDate": "2026-12-01",
            "exposures": [{"id": "a", "classCode": "CRN", "value": 10000, "state": "TX"}],
        }
        rated = (await engine.post("/v1/rate", json=request)).json()
    # 10000 / 100 x 1.2 x 0.95 = 114.00, raised to TX's minimum of 800.
    assert rated["premium"]["states"][0]["base"] == 114.0
    assert rated["premium"]["total"] == 800.0


async def republish(stack: Stack, endpoint: str) -> int:
    """A new version of ``endpoint`` with the steps it runs, published: it pins the
    product's mappings and rules as they are now."""
    base = f"/api/v1/products/IMCE/flows/{endpoint}/versions"
    versions = (await stack.http.get(base, headers=stack.headers)).json()
    current = next(v for v in versions if v["status"] == "published")
    draft = await stack.http.post(base, json={"steps": current["steps"]}, headers=stack.headers)
    assert draft.status_code == 201, draft.text
    number: int = draft.json()["version"]
    published = await stack.http.post(f"{base}/{number}/publish", headers=stack.headers)
    assert published.status_code == 200, published.text
    return number


async def test_the_export_is_what_the_published_versions_pinned_never_live_edits(
    stack: Stack, example_request: bytes
) -> None:
    """A rule changed and published on one endpoint, then rolled back: the export holds
    what production runs, and re-imported elsewhere it rates to the same premium."""
    h = stack.headers
    rule_url = "/api/v1/products/IMCE/rules/NY Building Age Surcharge"
    rule = await stack.http.get(rule_url, headers=h)
    body = {k: v for k, v in rule.json().items() if k not in ("name", "revision", "updatedAt")}
    body["actions"][0]["value"] = 1.2
    changed = await stack.http.put(
        rule_url, json=body, headers={**h, "If-Match": rule.headers["etag"]}
    )
    assert changed.status_code == 200, changed.text

    def surcharge(document: dict[str, Any]) -> Any:
        return next(
            r["actions"][0]["value"]
            for r in document["rules"]
            if r["name"] == "NY Building Age Surcharge"
        )

    # Not published yet: the export still says what runs.
    live_edit = await stack.http.get("/api/v1/products/IMCE/export", headers=h)
    assert surcharge(live_edit.json()) == 1.1
    assert live_edit.headers["x-irx-exported-versions"] == "quote=1, rate=1"

    # Published on rate only: the two endpoints run different rules; no one document.
    await republish(stack, "rate")
    diverged = await stack.http.get("/api/v1/products/IMCE/export", headers=h)
    error = assert_envelope(diverged, 409, "PUBLISHED_VERSIONS_DIVERGE")
    assert error["details"] == {"versions": {"quote": 1, "rate": 2}}

    # Rolled back: rate runs version 1 again, and the export is version 1's.
    rollback = await stack.http.post(
        "/api/v1/products/IMCE/flows/rate/versions/1/publish", headers=h
    )
    assert rollback.status_code == 200, rollback.text
    exported = await stack.http.get("/api/v1/products/IMCE/export", headers=h)
    assert exported.status_code == 200, exported.text
    assert surcharge(exported.json()) == 1.1
    other = await stack.new_org(plan="enterprise")
    await copy_systems(stack, other)
    done = await import_(stack, exported.json(), other)
    assert done.status_code == 200, done.text
    theirs = await stack.http.post("/api/v1/IMCE/rate", content=example_request, headers=other)
    ours = await stack.http.post("/api/v1/IMCE/rate", content=example_request, headers=h)
    assert theirs.json()["result"] == ours.json()["result"]
    assert ours.json()["result"]["premium"] == 12893.69  # the NY surcharge at 1.1


async def test_an_unknown_step_config_key_is_refused_at_publish(stack: Stack) -> None:
    """`asOf` for `as_of` would have been dropped, and the rules rated as of today."""
    base = "/api/v1/products/IMCE/flows/quote/versions"
    step = {
        "name": "rules",
        "type": "apply_rules",
        "config": {"phase": "pre_rating", "asOf": "quote.effectiveDate"},
    }
    draft = await stack.http.post(base, json={"steps": [step]}, headers=stack.headers)
    assert draft.status_code == 201, draft.text  # a draft may be unfinished
    number = draft.json()["version"]
    refused = await stack.http.post(f"{base}/{number}/publish", headers=stack.headers)
    error = assert_envelope(refused, 400, "VALIDATION_FAILED")
    assert {
        "step": 0,
        "name": "rules",
        "field": "config.asOf",
        "message": "unknown config key 'asOf': did you mean 'as_of'?",
    } in error["details"]["problems"]
