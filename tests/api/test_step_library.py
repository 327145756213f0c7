"""The step library through the API and Temporal: BOP, bad input, quarantine, rules."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import orjson

from tests.api.test_rate import assert_envelope
from tests.conftest import Stack

EXAMPLES = Path(__file__).parents[2] / "docs/examples"


async def product_with_steps(
    stack: Stack,
    steps: list[dict[str, Any]],
    setup: Callable[[str], Awaitable[None]] | None = None,
) -> str:
    """A new product whose rate flow is ``steps``; ``setup(code)`` runs before publishing."""
    code = f"T{uuid.uuid4().hex[:6].upper()}"
    h = stack.headers
    assert (
        await stack.http.post("/api/v1/products", json={"code": code, "name": code}, headers=h)
    ).status_code == 201
    if setup is not None:
        await setup(code)
    created = await stack.http.post(
        f"/api/v1/products/{code}/flows/rate/versions", json={"steps": steps}, headers=h
    )
    assert created.status_code == 201, created.text
    published = await stack.http.post(
        f"/api/v1/products/{code}/flows/rate/versions/1/publish", headers=h
    )
    assert published.status_code == 200, published.text
    return code


async def test_bop_example_rates_with_enrichment(stack: Stack) -> None:
    body = (EXAMPLES / "BOP-rate-request.json").read_bytes()
    answer = (await stack.http.post("/api/v1/BOP/rate", content=body, headers=stack.headers)).json()
    assert answer["status"] == "completed", answer
    assert [s["type"] for s in answer["steps"]] == [
        "validate_request",
        "enrich",
        "field_mapping",
        "call_rating_engine",
        "field_mapping",
    ]
    assert answer["steps"][1]["detail"]["hit"] is True
    assert answer["result"]["premium"] == 4645.03
    assert [loc["location"] for loc in answer["result"]["locations"]] == ["LOC-1", "LOC-2"]


async def test_unknown_equipment_type_fails_the_mapping_step(
    stack: Stack, example_request: bytes
) -> None:
    request = orjson.loads(example_request)
    request["equipment"][0]["type"] = "hovercraft"
    answer = (
        await stack.http.post("/api/v1/IMCE/rate", json=request, headers=stack.headers)
    ).json()
    assert answer["status"] == "failed"
    assert (answer["error"]["code"], answer["error"]["step"]) == ("MAPPING_FAILED", "map request")
    assert "'hovercraft' is not in the lookup table" in answer["error"]["message"]
    assert answer["steps"][-1]["attempts"] == 1


async def test_schema_failure_is_quarantined(stack: Stack) -> None:
    xsd = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="R">'
        '<xs:complexType><xs:sequence><xs:element name="Limit" type="xs:integer"/>'
        "</xs:sequence></xs:complexType></xs:element></xs:schema>"
    )
    code = await product_with_steps(
        stack,
        [
            {
                "name": "to xml",
                "type": "format_transform",
                "config": {"direction": "json_to_xml", "root": "R", "xsd": xsd, "target": "xml"},
            }
        ],
    )
    answer = (
        await stack.http.post(f"/api/v1/{code}/rate", json={"Limit": "lots"}, headers=stack.headers)
    ).json()
    assert answer["error"]["code"] == "SCHEMA_VALIDATION_FAILED"
    assert answer["error"]["details"]["errors"][0]["element"] == "/R/Limit"
    listed = (
        await stack.http.get(
            "/api/v1/quarantine",
            params={"transaction_id": answer["transactionId"]},
            headers=stack.headers,
        )
    ).json()
    assert len(listed) == 1
    assert listed[0]["code"] == "SCHEMA_VALIDATION_FAILED"
    assert listed[0]["step"] == "to xml"
    assert answer["error"]["details"]["quarantineId"] == listed[0]["id"]


async def test_rules_are_checked_on_save_and_reject_at_run_time(stack: Stack) -> None:
    h = stack.headers

    async def save_rules(code: str) -> None:  # before publishing: the version pins them
        bad = await stack.http.put(
            f"/api/v1/products/{code}/rules/broken",
            json={
                "phase": "pre_rating",
                "conditions": ["value >>"],
                "actions": [{"type": "reject"}],
            },
            headers=h,
        )
        error = assert_envelope(bad, 400, "VALIDATION_FAILED")
        assert error["details"]["problems"][0]["at"] == "conditions[0]"
        saved = await stack.http.put(
            f"/api/v1/products/{code}/rules/too-big",
            json={
                "phase": "pre_rating",
                "conditions": ["value > 1000000"],
                "actions": [{"type": "reject", "reason": "needs underwriter review"}],
            },
            headers=h,
        )
        assert saved.status_code == 200, saved.text
        assert saved.headers["etag"] == '"r1"'
        stale = await stack.http.put(
            f"/api/v1/products/{code}/rules/too-big",
            json={"phase": "pre_rating", "actions": [{"type": "reject"}]},
            headers={**h, "If-Match": '"r0"'},
        )
        assert_envelope(stale, 412, "VERSION_CONFLICT")

    code = await product_with_steps(
        stack,
        [{"name": "rules", "type": "apply_rules", "config": {"phase": "pre_rating"}}],
        save_rules,
    )
    ok = (await stack.http.post(f"/api/v1/{code}/rate", json={"value": 5}, headers=h)).json()
    assert ok["status"] == "completed"
    assert ok["steps"][0]["detail"]["worksheet"][0]["fired"] is False
    refused = (await stack.http.post(f"/api/v1/{code}/rate", json={"value": 5e6}, headers=h)).json()
    assert refused["error"]["code"] == "RULE_REJECTED"
    assert "needs underwriter review" in refused["error"]["message"]


async def test_mappings_are_compiled_on_save(stack: Stack) -> None:
    async def save_mapping(code: str) -> None:
        bad = await stack.http.put(
            f"/api/v1/products/{code}/mappings/m",
            json={"fields": [{"source": "a[?", "target": "x"}, {"target": "bad path!"}]},
            headers=stack.headers,
        )
        error = assert_envelope(bad, 400, "VALIDATION_FAILED")
        assert len(error["details"]["problems"]) == 2
        good = await stack.http.put(
            f"/api/v1/products/{code}/mappings/m",
            json={"fields": [{"source": "a", "target": "b.c", "transform": "upper"}]},
            headers=stack.headers,
        )
        assert good.status_code == 200, good.text
        assert good.headers["etag"] == '"r1"'

    code = await product_with_steps(
        stack, [{"name": "map", "type": "field_mapping", "config": {"mapping": "m"}}], save_mapping
    )
    answer = (
        await stack.http.post(f"/api/v1/{code}/rate", json={"a": "x"}, headers=stack.headers)
    ).json()
    assert answer["result"] == {"b": {"c": "X"}}


async def test_engine_garbage_is_refused_without_retries(
    stack: Stack, example_request: bytes
) -> None:
    from tests.api.test_rate import _engine_flow

    await _engine_flow(stack, "GARB", "garbage")
    answer = (
        await stack.http.post("/api/v1/GARB/rate", content=example_request, headers=stack.headers)
    ).json()
    assert answer["error"]["code"] == "RATING_ENGINE_REJECTED"
    assert "not JSON" in answer["error"]["message"]
    assert answer["steps"][0]["attempts"] == 1


async def test_publish_refuses_unknown_systems_and_mappings(stack: Stack) -> None:
    h = stack.headers
    await stack.http.post("/api/v1/products", json={"code": "REFS", "name": "Refs"}, headers=h)
    steps = [
        {"name": "map", "type": "field_mapping", "config": {"mapping": "nope"}},
        {"name": "rate", "type": "call_rating_engine", "config": {"system": "ghost"}},
        {"name": "rate ok", "type": "call_rating_engine", "config": {"system": "ref-engine"}},
    ]
    await stack.http.post(
        "/api/v1/products/REFS/flows/rate/versions", json={"steps": steps}, headers=h
    )
    refused = await stack.http.post(
        "/api/v1/products/REFS/flows/rate/versions/1/publish", headers=h
    )
    error = assert_envelope(refused, 400, "VALIDATION_FAILED")
    assert [(p["step"], p["message"]) for p in error["details"]["problems"]] == [
        (0, "unknown mapping 'nope'"),
        (1, "unknown system 'ghost'"),
    ]


async def test_publishing_reports_every_problem_at_once(stack: Stack) -> None:
    """Bad settings, missing references and limits that disagree, in one answer."""
    h = stack.headers
    product = {"code": "ALL", "name": "All", "maxPayloadBytes": 50 * 1024 * 1024}
    await stack.http.post("/api/v1/products", json=product, headers=h)
    steps = [
        {"name": "check", "type": "validate_request", "config": {}},
        {"name": "map", "type": "field_mapping", "config": {"mapping": "nope"}},
        {
            "name": "read xml",
            "type": "format_transform",
            "config": {"direction": "xml_to_json", "max_bytes": 1024 * 1024},
        },
        {"name": "write xml", "type": "format_transform", "config": {"direction": "json_to_xml"}},
    ]
    await stack.http.post(
        "/api/v1/products/ALL/flows/rate/versions", json={"steps": steps}, headers=h
    )
    refused = await stack.http.post("/api/v1/products/ALL/flows/rate/versions/1/publish", headers=h)
    error = assert_envelope(refused, 400, "VALIDATION_FAILED")
    problems = error["details"]["problems"]
    assert [(p["step"], p["field"]) for p in problems] == [
        (0, "config"),
        (1, "config"),
        (2, "config"),
    ]
    assert problems[0]["message"] == "the step names no schema and the product has no requestSchema"
    assert problems[1]["message"] == "unknown mapping 'nope'"
    assert problems[2]["message"].startswith(
        f"reads documents up to {1024 * 1024} bytes, but the product accepts requests up to "
        f"{50 * 1024 * 1024}"
    )


async def test_quick_quote_batches_the_same_nine_steps(
    stack: Stack, example_request: bytes, temporal_client: Any
) -> None:
    h = stack.headers
    rate = (await stack.http.post("/api/v1/IMCE/rate", content=example_request, headers=h)).json()
    quote = (await stack.http.post("/api/v1/IMCE/quote", content=example_request, headers=h)).json()
    assert quote["status"] == "completed", quote
    assert quote["result"] == rate["result"]
    assert [s["name"] for s in quote["steps"]] == [s["name"] for s in rate["steps"]]
    history = await temporal_client.get_workflow_handle(
        f"rate-{quote['transactionId']}"
    ).fetch_history()
    kinds = [e.event_type for e in history.events]
    from temporalio.api.enums.v1 import EventType

    assert EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED not in kinds  # all local
    assert kinds.count(EventType.EVENT_TYPE_MARKER_RECORDED) == 1  # the batch, which records


async def test_an_xml_bomb_of_attributes_is_refused_at_once(stack: Stack) -> None:
    """The review's 1 MB value with 100,000 attributes took 42.6 s and stalled the API."""
    code = await product_with_steps(
        stack,
        [
            {
                "name": "read",
                "type": "format_transform",
                "config": {"direction": "xml_to_json", "source": "xml", "target": "doc"},
            }
        ],
    )
    attributes = " ".join(f'a{i}="v"' for i in range(100_000))
    body = {"xml": f"<r><x {attributes}/></r>"}
    answer = await stack.http.post(f"/api/v1/{code}/rate", json=body, headers=stack.headers)
    rated = answer.json()
    assert rated["status"] == "failed", rated
    assert rated["error"]["code"] == "TRANSFORM_FAILED"
    assert "at most 256" in rated["error"]["message"]


async def test_the_product_request_schema_is_what_validate_request_checks(stack: Stack) -> None:
    h = stack.headers
    schema = {
        "type": "object",
        "required": ["effectiveDate"],
        "properties": {"effectiveDate": {"type": "string", "format": "date"}},
    }
    code = f"S{uuid.uuid4().hex[:6].upper()}"
    product = {"code": code, "name": code, "requestSchema": schema}
    assert (await stack.http.post("/api/v1/products", json=product, headers=h)).status_code == 201
    flow = f"/api/v1/products/{code}/flows/rate/versions"
    steps = {"steps": [{"name": "check", "type": "validate_request", "config": {}}]}
    assert (await stack.http.post(flow, json=steps, headers=h)).status_code == 201
    assert (await stack.http.post(f"{flow}/1/publish", headers=h)).status_code == 200

    bad = await stack.http.post(
        f"/api/v1/{code}/rate", json={"effectiveDate": "2027-02-30"}, headers=h
    )
    rated = bad.json()
    assert rated["error"]["code"] == "VALIDATION_FAILED"
    assert rated["error"]["details"]["errors"][0]["path"] == "$.effectiveDate"
    good = await stack.http.post(
        f"/api/v1/{code}/rate", json={"effectiveDate": "2027-02-28"}, headers=h
    )
    assert good.json()["status"] == "completed"

    bare = f"B{uuid.uuid4().hex[:6].upper()}"
    await stack.http.post("/api/v1/products", json={"code": bare, "name": bare}, headers=h)
    await stack.http.post(f"/api/v1/products/{bare}/flows/rate/versions", json=steps, headers=h)
    refused = await stack.http.post(
        f"/api/v1/products/{bare}/flows/rate/versions/1/publish", headers=h
    )
    error = assert_envelope(refused, 400, "VALIDATION_FAILED")
    assert error["details"]["problems"][0]["message"] == (
        "the step names no schema and the product has no requestSchema"
    )
    broken = {"code": "BADSCHEMA", "name": "x", "requestSchema": {"type": "no-such-type"}}
    assert_envelope(
        await stack.http.post("/api/v1/products", json=broken, headers=h), 400, "VALIDATION_FAILED"
    )


async def test_stored_step_records_carry_no_personal_data(stack: Stack) -> None:
    schema = {
        "type": "object",
        "properties": {"ssn": {"type": "integer"}, "email": {"type": "integer"}},
    }
    code = await product_with_steps(
        stack, [{"name": "check", "type": "validate_request", "config": {"schema": schema}}]
    )
    request = {"ssn": "123-45-6789", "email": "jane.doe@example.com"}
    answer = await stack.http.post(f"/api/v1/{code}/rate", json=request, headers=stack.headers)
    rated = answer.json()
    assert rated["error"]["code"] == "VALIDATION_FAILED"
    stored = await stack.http.get(
        f"/api/v1/transactions/{rated['transactionId']}", headers=stack.headers
    )
    text = stored.text
    assert stored.json()["steps"][0]["status"] == "failed"
    assert "123-45-6789" not in text
    assert "jane.doe@example.com" not in text
    assert "***" in text
