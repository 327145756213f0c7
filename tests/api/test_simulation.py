"""Simulations and re-rating through the API on a real stack (Temporal dev server, the
reference engine over HTTP, the config store): a draft or an older version runs without
side effects, every request is kept (sealed) with its transaction, and any transaction
re-rates to an identical result on the version it ran."""

from __future__ import annotations

import uuid
from typing import Any

import orjson
import pytest
from prometheus_client import REGISTRY
from sqlmodel import select

from models import search_attributes as sa
from models.tables import EventOutboxRow, TransactionRow
from models.transactions import workflow_id
from store import transaction_chain
from store.kept_requests import kept_request
from store.sealing import Keyring, SealError, is_sealed
from tests.api.test_impact import RULE, rate_all, request_for
from tests.api.test_rate import assert_envelope
from tests.conftest import Stack

FLOW = "/api/v1/products/IMCE/flows/rate/versions"


async def _draft_of_published(stack: Stack) -> dict[str, Any]:
    """A draft with the published version's steps."""
    h = stack.headers
    published = next(
        v for v in (await stack.http.get(FLOW, headers=h)).json() if v["status"] == "published"
    )
    created = await stack.http.post(FLOW, json={"steps": published["steps"]}, headers=h)
    assert created.status_code == 201, created.text
    return dict(created.json())


async def _row(stack: Stack, transaction_id: str) -> TransactionRow:
    async with stack.sessions() as session:
        row = await session.get(TransactionRow, transaction_id)
    assert row is not None
    return row


async def _events_of(stack: Stack, transaction_id: str) -> list[EventOutboxRow]:
    async with stack.sessions() as session:
        query = select(EventOutboxRow).where(EventOutboxRow.transaction_id == transaction_id)
        return list((await session.exec(query)).all())


def _counted(status: str, mode: str) -> float:
    labels = {"product": "IMCE", "flow": "rate", "status": status, "api_version": "v1"}
    value = REGISTRY.get_sample_value("rating_request_total", {**labels, "mode": mode})
    return value or 0.0


async def test_a_draft_runs_as_a_simulation_without_side_effects(
    stack: Stack, example_request: bytes
) -> None:
    h = stack.headers
    live = await stack.http.post("/api/v1/IMCE/rate", content=example_request, headers=h)
    assert live.status_code == 200, live.text
    assert live.json()["mode"] == "live"
    organization = (await _row(stack, live.json()["transactionId"])).organization_id
    chain_before = await transaction_chain.verify(stack.sessions, organization)
    simulations_before = _counted("completed", "simulation")
    await _draft_of_published(stack)

    simulated = await stack.http.post(
        "/api/v1/IMCE/rate", content=example_request, headers={**h, "X-Flow-Version": "draft"}
    )

    assert simulated.status_code == 200, simulated.text
    body = simulated.json()
    assert body["mode"] == "simulation"
    assert body["status"] == "completed"
    assert body["result"] == live.json()["result"]  # the same steps, the same premium
    publish = next(s for s in body["steps"] if s["type"] == "publish_event")
    assert publish["detail"]["simulated"] is True
    assert publish["detail"]["event"]["transactionId"] == body["transactionId"]
    assert await _events_of(stack, body["transactionId"]) == []
    assert len(await _events_of(stack, live.json()["transactionId"])) == 1
    row = await _row(stack, body["transactionId"])
    assert (row.mode, row.chain_seq, row.chain_hash) == ("simulation", None, None)
    chain_after = await transaction_chain.verify(stack.sessions, organization)
    assert chain_after.intact
    assert chain_after.links == chain_before.links
    assert chain_after.unlinked == chain_before.unlinked  # a simulation is not "unlinked"
    assert _counted("completed", "simulation") == simulations_before + 1
    # Temporal knows it for a simulation too.
    described = await stack.services.client.get_workflow_handle(
        workflow_id(body["transactionId"])
    ).describe()
    assert described.typed_search_attributes.get(sa.MODE) == "simulation"
    listed = await stack.http.get("/api/v1/transactions?productCode=IMCE", headers=h)
    modes = {t["transactionId"]: t["mode"] for t in listed.json()["items"]}
    assert modes[body["transactionId"]] == "simulation"
    assert modes[live.json()["transactionId"]] == "live"


async def test_the_published_version_named_explicitly_rates_live(
    stack: Stack, example_request: bytes
) -> None:
    h = stack.headers
    published = next(
        v for v in (await stack.http.get(FLOW, headers=h)).json() if v["status"] == "published"
    )
    named = await stack.http.post(
        "/api/v1/IMCE/rate",
        content=example_request,
        headers={**h, "X-Flow-Version": str(published["version"])},
    )
    assert named.status_code == 200, named.text
    assert named.json()["mode"] == "live"


async def test_a_chained_row_marked_simulation_afterwards_breaks_the_chain(
    stack: Stack, example_request: bytes
) -> None:
    rated = await stack.http.post(
        "/api/v1/IMCE/rate", content=example_request, headers=stack.headers
    )
    row = await _row(stack, rated.json()["transactionId"])
    async with stack.sessions() as session:
        row.mode = "simulation"  # hiding a real rating among simulations
        session.add(row)
        await session.commit()
    report = await transaction_chain.verify(stack.sessions, row.organization_id)
    assert not report.intact
    assert any("marked simulation" in broken for broken in report.broken)


async def test_every_small_request_is_kept_sealed_byte_for_byte(
    stack: Stack, example_request: bytes
) -> None:
    rated = await stack.http.post(
        "/api/v1/IMCE/rate", content=example_request, headers=stack.headers
    )
    row = await _row(stack, rated.json()["transactionId"])
    assert row.request_ref is None
    assert row.request_kept is not None
    assert is_sealed(row.request_kept)
    assert b"Acme" not in row.request_kept.encode()  # nothing readable at rest
    keyring = stack.services.runs.keyring
    assert kept_request(keyring, row) == example_request
    # Moved to another row, or opened without its key, it does not open.
    moved = row.model_copy(update={"id": str(uuid.uuid4())})
    with pytest.raises(SealError):
        kept_request(keyring, moved)
    with pytest.raises(SealError):
        kept_request(Keyring.parse(Keyring.new_key("other")), row)


async def test_a_transaction_rerates_identical_on_the_version_it_ran(
    stack: Stack, example_request: bytes
) -> None:
    h = stack.headers
    rated = await stack.http.post("/api/v1/IMCE/rate", content=example_request, headers=h)
    original = rated.json()
    # A live edit after the rating changes nothing: the version pinned its rules.
    rules = (await stack.http.get("/api/v1/products/IMCE/rules", headers=h)).json()
    assert rules, "IMCE has rules"

    rerated = await stack.http.post(
        f"/api/v1/transactions/{original['transactionId']}/rerate", headers=h
    )

    assert rerated.status_code == 200, rerated.text
    body = rerated.json()
    assert body["identical"] is True, body["differences"]
    assert body["differences"] == []
    assert body["differenceCount"] == 0
    assert body["rerateOf"] == original["transactionId"]
    assert body["flowVersion"] == original["flowVersion"]
    again = await stack.http.get(f"/api/v1/transactions/{body['transactionId']}", headers=h)
    assert again.json()["mode"] == "simulation"
    assert again.json()["replayOf"] == original["transactionId"]
    assert again.json()["result"] == original["result"]
    assert await _events_of(stack, body["transactionId"]) == []
    audit = await stack.http.get("/api/v1/audit-log?entityType=transaction", headers=h)
    (entry,) = (e for e in audit.json()["items"] if e["entityId"] == original["transactionId"])
    assert entry["action"] == "RERATE"
    assert entry["changes"]["after"]["identical"] is True


async def test_a_rerate_reports_each_difference(stack: Stack, example_request: bytes) -> None:
    """A recorded result changed behind the platform's back: the re-rating finds where."""
    h = stack.headers
    rated = (await stack.http.post("/api/v1/IMCE/rate", content=example_request, headers=h)).json()
    row = await _row(stack, rated["transactionId"])
    tampered = orjson.loads(orjson.dumps(row.result))
    premium_path = next(k for k in tampered if isinstance(tampered[k], dict))
    tampered["extra"] = 1
    async with stack.sessions() as session:
        row.result = tampered
        session.add(row)
        await session.commit()

    body = (
        await stack.http.post(f"/api/v1/transactions/{rated['transactionId']}/rerate", headers=h)
    ).json()

    assert body["identical"] is False
    assert body["differences"] == [
        {"path": "extra", "before": 1, "after": None, "kind": "removed"}
    ], premium_path
    assert body["differenceCount"] == 1


async def test_rerate_needs_config_write_and_an_ended_transaction_of_ones_own(
    stack: Stack, example_request: bytes
) -> None:
    h = stack.headers
    rated = (await stack.http.post("/api/v1/IMCE/rate", content=example_request, headers=h)).json()
    url = f"/api/v1/transactions/{rated['transactionId']}/rerate"
    rater = await stack.new_org(scopes=("rate",))
    assert_envelope(await stack.http.post(url, headers=rater), 403, "API_KEY_SCOPE_DENIED")
    other = await stack.new_org()
    assert_envelope(await stack.http.post(url, headers=other), 404, "RESOURCE_NOT_FOUND")
    missing = f"/api/v1/transactions/{uuid.uuid4()}/rerate"
    assert_envelope(await stack.http.post(missing, headers=h), 404, "RESOURCE_NOT_FOUND")


async def test_simulations_go_to_the_systems_simulation_endpoint_or_are_refused(
    stack: Stack, example_request: bytes
) -> None:
    h = stack.headers
    draft_steps = (await _draft_of_published(stack))["steps"]
    code = next(s["config"]["system"] for s in draft_steps if s["type"] == "call_rating_engine")
    engine = (await stack.http.get(f"/api/v1/systems/{code}", headers=h)).json()
    url = f"/api/v1/systems/{engine['code']}"
    current = await stack.http.get(url, headers=h)
    keep = {k: current.json()[k] for k in ("name", "kind", "protocol", "baseUrl", "timeoutMs")}
    draft = {**h, "X-Flow-Version": "draft"}

    # A test region that is down: the simulation fails there, production rates on.
    region = {**keep, "simulationBaseUrl": "http://127.0.0.1:9/", "simulationMaxConcurrency": 2}
    put = await stack.http.put(url, json=region, headers={**h, "If-Match": current.headers["etag"]})
    assert put.status_code == 200, put.text
    assert put.json()["simulationBaseUrl"] == "http://127.0.0.1:9/"
    simulated = await stack.http.post("/api/v1/IMCE/rate", content=example_request, headers=draft)
    assert simulated.json()["status"] == "failed", simulated.text
    assert simulated.json()["error"]["code"] == "RATING_ENGINE_UNAVAILABLE"
    live = await stack.http.post("/api/v1/IMCE/rate", content=example_request, headers=h)
    assert live.json()["status"] == "completed", live.text

    # No simulations at all.
    refused = {**keep, "simulation": False}
    put = await stack.http.put(url, json=refused, headers={**h, "If-Match": put.headers["etag"]})
    assert put.status_code == 200, put.text
    simulated = await stack.http.post("/api/v1/IMCE/rate", content=example_request, headers=draft)
    assert simulated.json()["status"] == "failed"
    assert simulated.json()["error"]["code"] == "SIMULATION_REFUSED"
    assert engine["code"] in simulated.json()["error"]["message"]
    rerate = await stack.http.post(
        f"/api/v1/transactions/{live.json()['transactionId']}/rerate", headers=h
    )
    assert rerate.json()["identical"] is False
    assert rerate.json()["differences"][0]["path"] == "$status"


async def test_every_transaction_of_a_window_rerates_identical_after_a_new_version(
    stack: Stack, example_request: bytes
) -> None:
    """Small requests kept sealed in their rows, a large one in the blob store, all rated
    by v1, then a rule changed and v2 published: each re-rates on v1, identically."""
    h = stack.headers
    base = orjson.loads(example_request)
    bodies = [request_for(i, base) for i in range(12)]
    large = orjson.loads(example_request)
    large["equipment"] = [{**large["equipment"][0], "serial": f"EQ-{i}"} for i in range(3000)]
    bodies.append(orjson.dumps(large))
    assert len(bodies[-1]) > stack.settings.blobs.inline_threshold_bytes
    window = await rate_all(stack, bodies, h)
    rule = (await stack.http.get(RULE, headers=h)).json()
    edit = {k: v for k, v in rule.items() if k not in ("name", "revision", "updatedAt")}
    edit["actions"][0]["value"] = 1.3
    await stack.http.put(RULE, json=edit, headers={**h, "If-Match": f'"r{rule["revision"]}"'})
    draft = await _draft_of_published(stack)
    publish = f"{FLOW}/{draft['version']}/publish"
    assert (await stack.http.post(publish, headers=h)).status_code == 200
    changed = await stack.http.post("/api/v1/IMCE/rate", content=bodies[0], headers=h)
    assert changed.json()["flowVersion"] == 2
    assert changed.json()["result"]["premium"] != window[0]["result"]["premium"]

    for original in window:
        url = f"/api/v1/transactions/{original['transactionId']}/rerate"
        rerated = (await stack.http.post(url, headers=h)).json()
        assert rerated["identical"] is True, rerated
        assert rerated["flowVersion"] == 1


async def test_a_transaction_rerated_on_the_draft_shows_what_the_draft_changes(
    stack: Stack, example_request: bytes
) -> None:
    h = stack.headers
    rated = (await stack.http.post("/api/v1/IMCE/rate", content=example_request, headers=h)).json()
    rule = (await stack.http.get(RULE, headers=h)).json()
    edit = {k: v for k, v in rule.items() if k not in ("name", "revision", "updatedAt")}
    edit["actions"][0]["value"] = 1.2
    await stack.http.put(RULE, json=edit, headers={**h, "If-Match": f'"r{rule["revision"]}"'})
    draft = await _draft_of_published(stack)
    url = f"/api/v1/transactions/{rated['transactionId']}/rerate"

    on_draft = (await stack.http.post(url, json={"version": "draft"}, headers=h)).json()
    as_ran = (await stack.http.post(url, headers=h)).json()

    assert on_draft["flowVersion"] == draft["version"]
    assert on_draft["identical"] is False
    changed = {d["path"]: d for d in on_draft["differences"]}
    assert changed["premium"]["before"] == rated["result"]["premium"]
    assert changed["premium"]["after"] > changed["premium"]["before"]
    assert as_ran["identical"] is True
    assert as_ran["flowVersion"] == rated["flowVersion"]
    unknown = await stack.http.post(url, json={"version": 99}, headers=h)
    assert unknown.status_code == 404, unknown.text
    wrong = await stack.http.post(url, json={"version": "latest"}, headers=h)
    assert wrong.status_code == 400, wrong.text
