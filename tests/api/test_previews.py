"""Live feedback for the workspace: a mapping previewed on a sample and a rule validated,
each checked by the engines exactly as saving would, nothing saved, with config:read."""

from __future__ import annotations

import json
from urllib.parse import quote

from store.api_keys import add_key, generate_key
from tests.conftest import Stack

MAPPINGS = "/api/v1/products/IMCE/mappings"
RULES = "/api/v1/products/IMCE/rules"
SURCHARGE = f"{RULES}/{quote('NY Building Age Surcharge')}"


async def reader(stack: Stack) -> dict[str, str]:
    """A key of the demo organization that may only read configuration."""
    key = generate_key()
    async with stack.sessions() as session:
        add_key(session, stack.demo.organization_id, key, "reader", ["config:read"])
        await session.commit()
    return {"X-API-Key": key}


async def test_a_mapping_previews_on_a_sample_as_its_step_would_map_it(
    stack: Stack, example_request: bytes
) -> None:
    saved = (
        await stack.http.get(f"{MAPPINGS}/IMCE%20Request%20Mapping", headers=stack.headers)
    ).json()
    mapping = {k: saved[k] for k in ("name", "direction", "fields")}
    sample = json.loads(example_request)
    body = {"mapping": mapping, "sample": sample}
    answer = await stack.http.post(f"{MAPPINGS}/preview", json=body, headers=await reader(stack))
    assert answer.status_code == 200, answer.text
    preview = answer.json()
    assert preview["document"]["QuoteId"] == sample["quote"]["id"]
    assert preview["document"]["Product"] == "IMCE"
    assert preview["document"]["State"] == sample["insured"]["address"]["state"].upper()
    assert preview["fieldsApplied"] > 5
    # v2 says the same in camelCase.
    v2 = await stack.http.post(
        f"{MAPPINGS.replace('/v1/', '/v2/')}/preview", json=body, headers=stack.headers
    )
    assert v2.json() == preview


async def test_a_preview_is_refused_at_the_field_as_saving_would_refuse_it(stack: Stack) -> None:
    fields = [
        {"source": "a", "target": "ok"},
        {"source": "b", "target": "bad", "transform": "no_such_transform"},
    ]
    body = {"mapping": {"name": "m", "fields": fields}, "sample": {"a": 1}}
    answer = await stack.http.post(f"{MAPPINGS}/preview", json=body, headers=stack.headers)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "VALIDATION_FAILED"
    assert [p["field"] for p in error["details"]["problems"]] == ["fields[1]"]
    saving = await stack.http.put(f"{MAPPINGS}/m", json={"fields": fields}, headers=stack.headers)
    assert saving.json()["error"]["details"] == error["details"]


async def test_a_preview_says_what_applying_it_to_the_sample_failed_on(stack: Stack) -> None:
    fields = [{"source": "quote.id", "target": "QuoteId", "required": True}]
    body = {"mapping": {"name": "m", "fields": fields}, "sample": {"quote": {}}}
    answer = await stack.http.post(
        f"{MAPPINGS.replace('/v1/', '/v2/')}/preview", json=body, headers=stack.headers
    )
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["code"] == "MAPPING_FAILED"
    assert problem["missing"] == ["quote.id"]


async def test_a_rule_validates_without_being_saved(stack: Stack) -> None:
    before = await stack.http.get(SURCHARGE, headers=stack.headers)
    rule = {k: v for k, v in before.json().items() if k not in ("revision", "updatedAt")}
    rule["actions"][0]["value"] = 1.2
    answer = await stack.http.post(f"{RULES}/validate", json=rule, headers=await reader(stack))
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"name": "NY Building Age Surcharge", "valid": True, "expressions": 1}
    after = await stack.http.get(SURCHARGE, headers=stack.headers)
    assert after.json() == before.json()
    assert after.headers["etag"] == before.headers["etag"]


async def test_a_rule_with_a_bad_expression_is_refused_where_it_is(stack: Stack) -> None:
    rule = {
        "name": "broken",
        "phase": "pre_rating",
        "conditions": ["building.yearBuilt < 1950", "building.yearBuilt <"],
        "actions": [{"type": "set", "target": "x", "value": "round(("}],
    }
    answer = await stack.http.post(f"{RULES}/validate", json=rule, headers=stack.headers)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "VALIDATION_FAILED"
    assert [p["at"] for p in error["details"]["problems"]] == ["conditions[1]", "actions[0].value"]
    listed = (await stack.http.get(RULES, headers=stack.headers)).json()
    assert "broken" not in {r["name"] for r in listed}
