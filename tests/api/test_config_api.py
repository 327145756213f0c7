"""Config entities under optimistic concurrency: read the ETag, send it back."""

from __future__ import annotations

from tests.api.test_rate import assert_envelope
from tests.conftest import Stack

RULES = "/api/v1/products/IMCE/rules"
MAPPINGS = "/api/v1/products/IMCE/mappings"
FEE = f"{RULES}/NY policy fee"


async def test_a_replace_needs_the_current_etag(stack: Stack) -> None:
    h = stack.headers
    read = await stack.http.get(FEE, headers=h)
    assert read.status_code == 200, read.text
    rule = read.json()
    body = {k: v for k, v in rule.items() if k not in ("name", "revision", "updatedAt")}
    missing = await stack.http.put(FEE, json=body, headers=h)
    error = assert_envelope(missing, 428, "PRECONDITION_REQUIRED")
    assert error["details"]["current"] == read.headers["etag"]
    body["priority"] = 21
    saved = await stack.http.put(FEE, json=body, headers={**h, "If-Match": read.headers["etag"]})
    assert saved.status_code == 200, saved.text
    stale = await stack.http.put(FEE, json=body, headers={**h, "If-Match": read.headers["etag"]})
    assert_envelope(stale, 412, "VERSION_CONFLICT")  # two editors never overwrite each other
    anyway = await stack.http.put(FEE, json=body, headers={**h, "If-Match": "*"})
    assert anyway.status_code == 200  # RFC 9110's "whatever is there", said explicitly
    new = await stack.http.put(f"{RULES}/brand new", json=body, headers=h)
    assert new.status_code == 200  # creating needs no If-Match
    assert_envelope(await stack.http.get(f"{RULES}/nope", headers=h), 404, "RESOURCE_NOT_FOUND")


async def test_deleting_a_mapping_leaves_published_versions_as_they_were(
    stack: Stack, example_request: bytes
) -> None:
    h = stack.headers
    name = f"{MAPPINGS}/IMCE Request Mapping"
    before = await stack.http.post("/api/v1/IMCE/rate", content=example_request, headers=h)
    read = await stack.http.get(name, headers=h)
    assert_envelope(await stack.http.delete(name, headers=h), 428, "PRECONDITION_REQUIRED")
    gone = await stack.http.delete(name, headers={**h, "If-Match": read.headers["etag"]})
    assert gone.status_code == 204
    assert_envelope(await stack.http.get(name, headers=h), 404, "RESOURCE_NOT_FOUND")
    after = await stack.http.post("/api/v1/IMCE/rate", content=example_request, headers=h)
    assert after.json()["status"] == "completed"  # the version pinned its copy
    assert after.json()["result"] == before.json()["result"]
    audit = await stack.http.get(
        "/api/v1/audit-log", params={"entityType": "mapping", "action": "DELETE"}, headers=h
    )
    assert audit.json()["items"][0]["entityName"] == "IMCE Request Mapping"


async def test_systems_are_read_replaced_and_deleted_under_their_etag(stack: Stack) -> None:
    h = stack.headers
    system = {
        "code": "lookup-2",
        "name": "Lookup",
        "kind": "enrichment",
        "baseUrl": "http://lookup.example",
        "auth": {"mode": "bearer", "token": "t-1"},
    }
    assert (await stack.http.post("/api/v1/systems", json=system, headers=h)).status_code == 201
    read = await stack.http.get("/api/v1/systems/lookup-2", headers=h)
    assert read.json()["authMode"] == "bearer"
    assert "t-1" not in read.text
    body = {k: v for k, v in system.items() if k != "code"} | {"baseUrl": "http://lookup2.example"}
    url = "/api/v1/systems/lookup-2"
    assert_envelope(await stack.http.put(url, json=body, headers=h), 428, "PRECONDITION_REQUIRED")
    replaced = await stack.http.put(url, json=body, headers={**h, "If-Match": read.headers["etag"]})
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["baseUrl"] == "http://lookup2.example/"
    assert replaced.headers["etag"] != read.headers["etag"]

    used = await stack.http.delete("/api/v1/systems/ref-engine-xml", headers={**h, "If-Match": "*"})
    error = assert_envelope(used, 409, "RESOURCE_CONFLICT")
    assert "IMCE/rate v1" in error["details"]["usedBy"]
    gone = await stack.http.delete(url, headers={**h, "If-Match": replaced.headers["etag"]})
    assert gone.status_code == 204
    assert_envelope(await stack.http.get(url, headers=h), 404, "RESOURCE_NOT_FOUND")


async def test_products_are_replaced_and_deleted_under_their_etag(stack: Stack) -> None:
    h = stack.headers
    assert (
        await stack.http.post("/api/v1/products", json={"code": "TMP", "name": "Tmp"}, headers=h)
    ).status_code == 201
    read = await stack.http.get("/api/v1/products/TMP", headers=h)
    body = {"name": "Temporary", "maxPayloadBytes": 1024 * 1024}
    url = "/api/v1/products/TMP"
    assert_envelope(await stack.http.put(url, json=body, headers=h), 428, "PRECONDITION_REQUIRED")
    put = await stack.http.put(url, json=body, headers={**h, "If-Match": read.headers["etag"]})
    assert put.status_code == 200, put.text
    assert put.json()["name"] == "Temporary"
    steps = {"steps": [{"name": "v", "type": "validate_request", "config": {"schema": {}}}]}
    await stack.http.post(f"{url}/flows/rate/versions", json=steps, headers=h)
    await stack.http.post(f"{url}/flows/rate/versions/1/publish", headers=h)
    busy = await stack.http.delete(url, headers={**h, "If-Match": put.headers["etag"]})
    assert assert_envelope(busy, 409, "RESOURCE_CONFLICT")["details"]["published"] == ["rate v1"]

    read_xml = {
        "name": "read",
        "type": "format_transform",
        "config": {"direction": "xml_to_json", "max_bytes": 1024 * 1024},
    }
    await stack.http.post(f"{url}/flows/rate/versions", json={"steps": [read_xml]}, headers=h)
    assert (await stack.http.post(f"{url}/flows/rate/versions/2/publish", headers=h)).is_success
    now = await stack.http.get(url, headers=h)
    larger = {**body, "maxPayloadBytes": 2 * 1024 * 1024}
    refused = await stack.http.put(url, json=larger, headers={**h, "If-Match": now.headers["etag"]})
    error = assert_envelope(refused, 400, "VALIDATION_FAILED")
    assert (
        "rate v2 step 'read' reads at most 1048576 bytes"
        in error["details"]["problems"][0]["message"]
    )

    empty = await stack.http.post("/api/v1/products", json={"code": "GONE", "name": "g"}, headers=h)
    assert empty.status_code == 201
    gone = await stack.http.delete("/api/v1/products/GONE", headers={**h, "If-Match": '"r1"'})
    assert gone.status_code == 204
    assert_envelope(
        await stack.http.get("/api/v1/products/GONE", headers=h), 404, "RESOURCE_NOT_FOUND"
    )


async def test_a_draft_is_edited_and_deleted_a_published_version_never(stack: Stack) -> None:
    h = stack.headers
    flow = "/api/v1/products/IMCE/flows/rate/versions"
    published = next(
        v for v in (await stack.http.get(flow, headers=h)).json() if v["status"] == "published"
    )
    draft = (await stack.http.post(flow, json={"steps": published["steps"]}, headers=h)).json()
    url = f"{flow}/{draft['version']}"
    read = await stack.http.get(url, headers=h)
    edit = {
        "steps": published["steps"][:3],
        "batchLocalSteps": True,
        "changeDescription": "shorter",
    }
    assert_envelope(await stack.http.put(url, json=edit, headers=h), 428, "PRECONDITION_REQUIRED")
    edited = await stack.http.put(url, json=edit, headers={**h, "If-Match": read.headers["etag"]})
    assert edited.status_code == 200, edited.text
    assert len(edited.json()["steps"]) == 3
    assert edited.json()["batchLocalSteps"] is True
    v1 = f"{flow}/{published['version']}"
    frozen = await stack.http.put(v1, json=edit, headers={**h, "If-Match": "*"})
    assert_envelope(frozen, 409, "RESOURCE_CONFLICT")
    assert_envelope(
        await stack.http.delete(v1, headers={**h, "If-Match": "*"}), 409, "RESOURCE_CONFLICT"
    )
    deleted = await stack.http.delete(url, headers={**h, "If-Match": edited.headers["etag"]})
    assert deleted.status_code == 204
    assert_envelope(await stack.http.get(url, headers=h), 404, "RESOURCE_NOT_FOUND")


async def test_config_lists_paginate_with_link_headers(stack: Stack) -> None:
    h = stack.headers
    everything = await stack.http.get(RULES, headers=h)
    total = int(everything.headers["x-total-count"])
    assert len(everything.json()) == total > 2  # the default page holds them all
    first = await stack.http.get(RULES, params={"pageSize": 2}, headers=h)
    assert first.json() == everything.json()[:2]
    assert 'rel="next"' in first.headers["link"]
    assert 'rel="prev"' not in first.headers["link"]
    second = await stack.http.get(RULES, params={"pageSize": 2, "page": 2}, headers=h)
    assert second.json() == everything.json()[2:4]
    assert f'page={-(-total // 2)}>; rel="last"' in second.headers["link"]
    for listing in ("/api/v1/products", "/api/v1/systems", MAPPINGS, f"{RULES}"):
        answer = await stack.http.get(listing, params={"page_size": 1}, headers=h)
        assert len(answer.json()) == 1
        assert int(answer.headers["x-total-count"]) >= 1
