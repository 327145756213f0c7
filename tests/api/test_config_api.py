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
