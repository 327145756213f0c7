"""Quarantined documents through the API and Temporal: read one, download it, replay its
transaction on its pinned version once the cause (here an engine's answer) is fixed."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from engines.xml_codec import json_to_xml
from models.documents import request_key
from models.tables import QuarantineRow, TransactionRow
from tests.api.test_rate import assert_envelope
from tests.api.test_step_library import product_with_steps
from tests.conftest import Stack, serve_app

# The engine's answer must carry a decimal premium: "n/a" is refused and quarantined.
XSD = (
    '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="Rating">'
    '<xs:complexType><xs:sequence><xs:element name="premium" type="xs:decimal"/>'
    "</xs:sequence></xs:complexType></xs:element></xs:schema>"
)
BROKEN_ANSWER = {"premium": "n/a"}
FIXED_ANSWER = {"premium": 1234.5}


async def _answer(request: Request) -> Response:
    """``/broken`` answers a premium the XSD refuses; ``/fixed`` a valid one, ``/slow`` too,
    after 1.5 s (a replay still running)."""
    state = request.path_params["state"]
    if state == "slow":
        await asyncio.sleep(1.5)
    answer = BROKEN_ANSWER if state == "broken" else FIXED_ANSWER
    return Response(orjson.dumps(answer), media_type="application/json")


@pytest.fixture
async def engine() -> AsyncIterator[str]:
    """A rating engine over real HTTP whose answer depends on the base path its system names."""
    app = Starlette(routes=[Route("/{state}/v1/rate", _answer, methods=["POST"])])
    async with serve_app(app) as url:
        yield url


async def _engine_product(stack: Stack, engine: str) -> tuple[str, str]:
    """A product that rates with a system at ``{engine}/broken``, then writes the answer as
    XML checked by ``XSD``; returns the product and system codes."""
    system = f"eng-{uuid.uuid4().hex[:8]}"
    created = await stack.http.post(
        "/api/v1/systems",
        json={"code": system, "name": "x", "kind": "rating_engine", "baseUrl": f"{engine}/broken"},
        headers=stack.headers,
    )
    assert created.status_code == 201, created.text
    steps = [
        {"name": "engine", "type": "call_rating_engine", "config": {"system": system}},
        {
            "name": "answer to xml",
            "type": "format_transform",
            "config": {"direction": "json_to_xml", "root": "Rating", "xsd": XSD, "target": "xml"},
        },
    ]
    return await product_with_steps(stack, steps), system


async def _fix(stack: Stack, engine: str, system: str, state: str = "fixed") -> None:
    """Points the system at a working engine: outside any pinned flow version."""
    fixed = await stack.http.put(
        f"/api/v1/systems/{system}",
        json={"name": "x", "kind": "rating_engine", "baseUrl": f"{engine}/{state}"},
        headers={**stack.headers, "If-Match": "*"},
    )
    assert fixed.status_code == 200, fixed.text


async def _quarantined(stack: Stack, code: str, body: bytes) -> tuple[dict[str, Any], str]:
    """Rates ``body`` (refused); returns the failed answer and its quarantine entry's id."""
    answer = await stack.http.post(f"/api/v1/{code}/rate", content=body, headers=stack.headers)
    rated = answer.json()
    assert rated["status"] == "failed", rated
    assert rated["error"]["code"] == "SCHEMA_VALIDATION_FAILED"
    entry_id: str = rated["error"]["details"]["quarantineId"]
    return rated, entry_id


async def _ended(stack: Stack, transaction_id: str) -> dict[str, Any]:
    for _ in range(200):
        found: dict[str, Any] = (
            await stack.http.get(f"/api/v1/transactions/{transaction_id}", headers=stack.headers)
        ).json()
        if found["status"] != "running":
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"transaction {transaction_id} is still running")


async def _replay(
    stack: Stack, entry_id: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    return await stack.http.post(
        f"/api/v1/quarantine/{entry_id}/replay", headers=headers or stack.headers
    )


async def _audited(stack: Stack, entry_id: str) -> list[dict[str, Any]]:
    page = await stack.http.get(
        "/api/v1/audit-log",
        params={"entityType": "quarantine", "entityId": entry_id},
        headers=stack.headers,
    )
    items: list[dict[str, Any]] = page.json()["items"]
    return items


async def test_an_entry_is_read_and_its_document_downloaded_audited(
    stack: Stack, engine: str
) -> None:
    code, _ = await _engine_product(stack, engine)
    rated, entry_id = await _quarantined(stack, code, b'{"quote": "Q-1"}')
    listed = (
        await stack.http.get(
            "/api/v1/quarantine",
            params={"transaction_id": rated["transactionId"]},
            headers=stack.headers,
        )
    ).json()
    one = await stack.http.get(f"/api/v1/quarantine/{entry_id}", headers=stack.headers)
    assert one.status_code == 200, one.text
    assert one.json() == listed[0]
    assert one.json()["step"] == "answer to xml"

    document = await stack.http.get(
        f"/api/v1/quarantine/{entry_id}/document",
        headers={**stack.headers, "X-Correlation-Id": "download-1"},
    )
    assert document.status_code == 200, document.text
    assert document.headers["content-type"].startswith("application/xml")
    assert document.content == json_to_xml(BROKEN_ANSWER, "Rating")
    assert len(document.content) == one.json()["documentBytes"]
    (entry,) = await _audited(stack, entry_id)
    assert (entry["action"], entry["entityName"], entry["correlationId"]) == (
        "DOWNLOAD",
        code,
        "download-1",
    )
    assert_envelope(
        await stack.http.get(
            f"/api/v1/quarantine/{rated['transactionId']}:9", headers=stack.headers
        ),
        404,
        "RESOURCE_NOT_FOUND",
    )


async def test_other_organizations_and_products_and_scopes_are_refused(
    stack: Stack, engine: str
) -> None:
    code, _ = await _engine_product(stack, engine)
    _, entry_id = await _quarantined(stack, code, b'{"quote": "Q-1"}')
    other = await stack.new_org(plan="enterprise")
    for suffix, method in (("", "GET"), ("/document", "GET"), ("/replay", "POST")):
        answer = await stack.http.request(
            method, f"/api/v1/quarantine/{entry_id}{suffix}", headers=other
        )
        assert_envelope(answer, 404, "RESOURCE_NOT_FOUND")

    async def key(scopes: list[str], products: list[str] | None = None) -> dict[str, str]:
        body = {"name": "k", "scopes": scopes, "allowedProducts": products}
        created = await stack.http.post("/api/v1/api-keys", json=body, headers=stack.headers)
        return {"X-API-Key": created.json()["key"]}

    bop = await key(["rate", "config:read"], ["BOP"])
    for path in (entry_id, f"{entry_id}/document"):
        hidden = await stack.http.get(f"/api/v1/quarantine/{path}", headers=bop)
        assert_envelope(hidden, 404, "RESOURCE_NOT_FOUND")
    assert_envelope(await _replay(stack, entry_id, bop), 404, "RESOURCE_NOT_FOUND")
    reader = assert_envelope(
        await _replay(stack, entry_id, await key(["config:read"])), 403, "API_KEY_SCOPE_DENIED"
    )
    assert "'rate'" in reader["message"]
    rater = assert_envelope(
        await _replay(stack, entry_id, await key(["rate"])), 403, "API_KEY_SCOPE_DENIED"
    )
    assert "'config:read'" in rater["message"]
    assert await _audited(stack, entry_id) == []  # nothing was served


async def test_a_replay_rates_on_the_pinned_version_once_the_engine_is_fixed(
    stack: Stack, engine: str
) -> None:
    code, system = await _engine_product(stack, engine)
    request = orjson.dumps({"quote": "Q-1", "insured": "Acme"})
    rated, entry_id = await _quarantined(stack, code, request)
    original = rated["transactionId"]
    # Version 2 would rate anew; the replay must keep to version 1, its transaction's.
    steps = {"steps": [{"name": "other", "type": "validate_request", "config": {"schema": {}}}]}
    versions = f"/api/v1/products/{code}/flows/rate/versions"
    assert (await stack.http.post(versions, json=steps, headers=stack.headers)).status_code == 201
    published = await stack.http.post(f"{versions}/2/publish", headers=stack.headers)
    assert published.status_code == 200, published.text

    still_broken = await _replay(stack, entry_id)
    assert still_broken.status_code == 202, still_broken.text
    failed = await _ended(stack, still_broken.json()["transactionId"])
    assert failed["error"]["code"] == "SCHEMA_VALIDATION_FAILED"  # the same cause, the same end

    await _fix(stack, engine, system)
    replayed = await _replay(stack, entry_id, {**stack.headers, "X-Correlation-Id": "replay-1"})
    assert replayed.status_code == 202, replayed.text
    accepted = replayed.json()
    new = accepted["transactionId"]
    assert new not in (original, failed["transactionId"])
    assert accepted["replayOf"] == original
    assert replayed.headers["location"] == accepted["location"] == f"/api/v1/transactions/{new}"
    assert "x-idempotent-replayed" not in replayed.headers
    done = await _ended(stack, new)
    assert done["status"] == "completed", done
    assert (done["replayOf"], done["flowVersion"]) == (original, 1)
    assert [s["name"] for s in done["steps"]] == ["engine", "answer to xml"]
    assert done["result"]["premium"] == 1234.5
    # The request came back from the original run's input in Temporal, unchanged.
    assert done["requestHash"] == (await _ended(stack, original))["requestHash"]
    assert done["correlationId"] == "replay-1"
    replays = [e for e in await _audited(stack, entry_id) if e["action"] == "REPLAY"]
    assert [e["changes"]["after"]["transactionId"] for e in replays] == [
        new,
        failed["transactionId"],
    ]
    assert replays[0]["changes"]["after"]["replayOf"] == original


async def test_a_large_request_is_replayed_from_the_blob_store(stack: Stack, engine: str) -> None:
    code, system = await _engine_product(stack, engine)
    request = orjson.dumps({"quote": "Q-1", "notes": "x" * 200_000})
    assert len(request) > stack.settings.blobs.inline_threshold_bytes
    rated, entry_id = await _quarantined(stack, code, request)
    await _fix(stack, engine, system)
    replayed = await _replay(stack, entry_id)
    assert replayed.status_code == 202, replayed.text
    done = await _ended(stack, replayed.json()["transactionId"])
    assert done["status"] == "completed", done
    original = await _ended(stack, rated["transactionId"])
    assert (done["requestHash"], done["requestBytes"]) == (
        original["requestHash"],
        original["requestBytes"],
    )


async def test_a_replay_still_running_is_the_answer_until_it_ends(
    stack: Stack, engine: str
) -> None:
    code, system = await _engine_product(stack, engine)
    rated, entry_id = await _quarantined(stack, code, b'{"quote": "Q-1"}')
    await _fix(stack, engine, system, "slow")
    first = await _replay(stack, entry_id)
    assert first.status_code == 202, first.text
    running = first.json()["transactionId"]
    again = await _replay(stack, entry_id)
    assert again.status_code == 202
    assert again.json()["transactionId"] == running
    assert again.headers["x-idempotent-replayed"] == "true"
    assert (await _ended(stack, running))["status"] == "completed"

    # Asked twice at once after it ended: one new run, both answered with it.
    together = await asyncio.gather(_replay(stack, entry_id), _replay(stack, entry_id))
    ids = {r.json()["transactionId"] for r in together}
    assert len(ids) == 1, [r.text for r in together]
    assert ids != {running}
    assert (await _ended(stack, ids.pop()))["replayOf"] == rated["transactionId"]
    listed = await stack.http.get(
        "/api/v1/transactions", params={"productCode": code}, headers=stack.headers
    )
    assert listed.json()["total"] == 3  # the original and two replays


async def test_a_request_no_longer_kept_cannot_be_replayed(stack: Stack, engine: str) -> None:
    code, system = await _engine_product(stack, engine)
    small, small_entry = await _quarantined(stack, code, b'{"quote": "Q-1"}')
    large, large_entry = await _quarantined(
        stack, code, orjson.dumps({"quote": "Q-2", "notes": "x" * 200_000})
    )
    await _fix(stack, engine, system)
    past_retention = await _without_history(stack, small["transactionId"], small_entry)
    gone = assert_envelope(await _replay(stack, past_retention), 410, "REPLAY_UNAVAILABLE")
    assert gone["details"] == {"transactionId": past_retention.split(":")[0]}
    assert "history" in gone["message"]

    blobs = stack.services.blobs
    await blobs.delete(request_key(large["transactionId"]))
    gone = assert_envelope(await _replay(stack, large_entry), 410, "REPLAY_UNAVAILABLE")
    assert "request document" in gone["message"]
    listed = await stack.http.get(
        "/api/v1/transactions", params={"productCode": code}, headers=stack.headers
    )
    assert listed.json()["total"] == 3  # the two ratings and the copy: nothing started


async def _without_history(stack: Stack, transaction_id: str, entry_id: str) -> str:
    """A copy of the transaction and its entry under an id Temporal never ran, its request
    not kept: a transaction written before requests were kept, older than the namespace's
    retention (the dev server does not delete histories on request); returns the copy's
    entry id."""
    copy = str(uuid.uuid4())
    async with stack.sessions() as session:
        row = await session.get(TransactionRow, transaction_id)
        entry = await session.get(QuarantineRow, entry_id)
        assert row is not None
        assert entry is not None
        own = {"id", "chain_seq", "chain_hash", "request_kept"}  # what is the copy's alone
        session.add(TransactionRow(**row.model_dump(exclude=own), id=copy))
        copied = entry.model_dump(exclude={"id", "transaction_id"})
        session.add(QuarantineRow(**copied, id=f"{copy}:1", transaction_id=copy))
        await session.commit()
    return f"{copy}:1"


async def test_a_draft_run_replays_the_draft_for_config_writers(stack: Stack, engine: str) -> None:
    code, system = await _engine_product(stack, engine)
    versions = f"/api/v1/products/{code}/flows/rate/versions"
    steps = (await stack.http.get(f"{versions}/1", headers=stack.headers)).json()["steps"]
    drafted = await stack.http.post(versions, json={"steps": steps}, headers=stack.headers)
    assert drafted.status_code == 201, drafted.text
    answer = await stack.http.post(
        f"/api/v1/{code}/rate",
        content=b'{"quote": "Q-1"}',
        headers={**stack.headers, "X-Flow-Version": "draft"},
    )
    rated = answer.json()
    assert (rated["flowVersion"], rated["error"]["code"]) == (2, "SCHEMA_VALIDATION_FAILED")
    entry_id = rated["error"]["details"]["quarantineId"]
    await _fix(stack, engine, system)
    body = {"name": "k", "scopes": ["rate", "config:read"]}
    created = await stack.http.post("/api/v1/api-keys", json=body, headers=stack.headers)
    refused = await _replay(stack, entry_id, {"X-API-Key": created.json()["key"]})
    assert "'config:write'" in assert_envelope(refused, 403, "API_KEY_SCOPE_DENIED")["message"]
    replayed = await _replay(stack, entry_id)
    assert replayed.status_code == 202, replayed.text
    done = await _ended(stack, replayed.json()["transactionId"])
    assert (done["status"], done["flowVersion"]) == ("completed", 2), done
