"""Challenger traffic on a real stack: live ratings answered as ever while a sample of them
is re-rated in the background under a draft, as simulations, and compared."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import orjson
from prometheus_client import REGISTRY

from tests.api.test_impact import FLOW, RULE, rate_all, request_for
from tests.api.test_rate import assert_envelope
from tests.conftest import Stack

CHALLENGER = "/api/v1/products/IMCE/flows/rate/challenger"


async def results_when(stack: Stack, count: int, within_s: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        found = (await stack.http.get(f"{CHALLENGER}/results", headers=stack.headers)).json()
        if len(found["items"]) >= count:
            return dict(found)
        await asyncio.sleep(0.25)
    raise AssertionError(f"{count} challenger results did not come within {within_s} s: {found}")


def counted(outcome: str) -> float:
    labels = {"product": "IMCE", "flow": "rate", "version": "2", "outcome": outcome}
    return REGISTRY.get_sample_value("rating_challenger_total", labels) or 0.0


async def test_a_draft_challenges_live_traffic_without_touching_it(
    stack: Stack, example_request: bytes
) -> None:
    h = stack.headers
    base = orjson.loads(example_request)
    bodies = [request_for(i, base) for i in range(8)]
    champion = [a["result"]["premium"] for a in await rate_all(stack, bodies, h)]
    rule = (await stack.http.get(RULE, headers=h)).json()
    edit = {k: v for k, v in rule.items() if k not in ("name", "revision", "updatedAt")}
    edit["actions"][0]["value"] = 1.2  # the NY building age surcharge, 1.10 -> 1.20
    put = await stack.http.put(RULE, json=edit, headers={**h, "If-Match": f'"r{rule["revision"]}"'})
    assert put.status_code == 200, put.text
    published = next(
        v for v in (await stack.http.get(FLOW, headers=h)).json() if v["status"] == "published"
    )
    await stack.http.post(FLOW, json={"steps": published["steps"]}, headers=h)
    changed_before = counted("changed")

    challenger = await stack.http.put(
        CHALLENGER, json={"version": "draft", "sample": 1.0}, headers=h
    )

    assert challenger.status_code == 200, challenger.text
    assert (challenger.json()["version"], challenger.json()["asked"]) == (2, "draft")
    live = await rate_all(stack, bodies, h)
    # The live answers are the champion's, as before the challenger.
    assert [a["result"]["premium"] for a in live] == champion
    assert {a["mode"] for a in live} == {"live"}
    found = await results_when(stack, 8)
    by_live = {item["transactionId"]: item for item in found["items"]}
    assert set(by_live) == {a["transactionId"] for a in live}
    for i, answer in enumerate(live):
        item = by_live[answer["transactionId"]]
        assert item["premiumBefore"] == champion[i]
        assert item["statusAfter"] == "completed"
        surcharged = i % 4 == 0  # NY, built before 1950
        assert (item["premiumAfter"] != item["premiumBefore"]) is surcharged
    assert found["summary"]["changed"] == 2
    assert found["summary"]["unchanged"] == 6
    assert found["challenger"]["sample"] == 1.0
    assert counted("changed") == changed_before + 2
    rerun = by_live[live[0]["transactionId"]]["challengerTransactionId"]
    simulated = (await stack.http.get(f"/api/v1/transactions/{rerun}", headers=h)).json()
    assert simulated["mode"] == "simulation"
    assert simulated["replayOf"] == live[0]["transactionId"]
    assert simulated["flowVersion"] == 2

    # No sample, no re-rating; stopped, it is gone and its results stay.
    await stack.http.put(CHALLENGER, json={"version": "draft", "sample": 0.0}, headers=h)
    await rate_all(stack, bodies[:2], h)
    assert len((await results_when(stack, 8))["items"]) == 8
    stopped = await stack.http.delete(CHALLENGER, headers=h)
    assert stopped.status_code == 204
    assert_envelope(await stack.http.get(CHALLENGER, headers=h), 404, "RESOURCE_NOT_FOUND")
    kept = await results_when(stack, 8)
    assert kept["challenger"] is None
    audit = await stack.http.get("/api/v1/audit-log?entityType=challenger", headers=h)
    assert [e["action"] for e in audit.json()["items"]][:3] == ["STOP", "CHALLENGE", "CHALLENGE"]


async def test_a_challenger_is_refused_what_it_cannot_be(stack: Stack) -> None:
    h = stack.headers
    wrong = await stack.http.put(CHALLENGER, json={"version": "draft", "sample": 1.5}, headers=h)
    assert wrong.status_code == 400, wrong.text
    missing = await stack.http.put(CHALLENGER, json={"version": 99, "sample": 0.5}, headers=h)
    assert missing.status_code == 404, missing.text
    reader = await stack.new_org(scopes=("rate", "config:read"))
    assert_envelope(
        await stack.http.put(CHALLENGER, json={"version": 1, "sample": 0.5}, headers=reader),
        403,
        "API_KEY_SCOPE_DENIED",
    )
