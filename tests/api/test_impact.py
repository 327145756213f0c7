"""Impact analysis end to end on a real stack: 200 IMCE ratings, a known rule change in a
draft, and the analysis (a Temporal workflow re-rating each past request as a simulation
in child workflows) reports exactly which premiums change and by how much."""

from __future__ import annotations

import asyncio
import csv
import io
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlmodel import select
from typer.testing import CliRunner

from irx.cli import app
from models.tables import EventOutboxRow, TransactionRow
from store import transaction_chain
from tests.api.test_rate import assert_envelope
from tests.conftest import Stack, serve_api

pytestmark = pytest.mark.slow

RULE = "/api/v1/products/IMCE/rules/NY Building Age Surcharge"
FLOW = "/api/v1/products/IMCE/flows/rate/versions"
IMPACT = "/api/v1/products/IMCE/flows/rate/impact"


def request_for(i: int, base: dict[str, Any]) -> bytes:
    """IMCE request ``i``: NY or CA, old or new building, its own equipment values. NY and
    built before 1950 (every fourth) is what the surcharge applies to."""
    doc = orjson.loads(orjson.dumps(base))
    doc["quote"]["id"] = f"Q-{i:04d}"
    doc["insured"]["address"]["state"] = "NY" if i % 2 == 0 else "CA"
    doc["building"]["yearBuilt"] = 1938 if i % 4 in (0, 1) else 1990
    doc["equipment"][0]["value"] = 100_000 + 1_000 * i
    return orjson.dumps(doc)


async def rate_all(stack: Stack, bodies: list[bytes], headers: dict[str, str]) -> list[Any]:
    answers = []
    for start in range(0, len(bodies), 8):
        batch = await asyncio.gather(
            *(
                stack.http.post("/api/v1/IMCE/rate", content=body, headers=headers)
                for body in bodies[start : start + 8]
            )
        )
        for answer in batch:
            assert answer.status_code == 200, answer.text
            assert answer.json()["status"] == "completed", answer.text
        answers += [a.json() for a in batch]
    return answers


async def until_ended(stack: Stack, location: str, within_s: float = 180) -> dict[str, Any]:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        run = (await stack.http.get(location, headers=stack.headers)).json()
        if run["status"] != "running":
            return dict(run)
        await asyncio.sleep(0.5)
    raise AssertionError(f"the analysis did not end within {within_s} s: {run}")


async def test_an_impact_analysis_reports_exactly_what_a_rule_change_does(
    stack: Stack, example_request: bytes
) -> None:
    h = stack.headers
    base = orjson.loads(example_request)
    bodies = [request_for(i, base) for i in range(200)]
    recorded = await rate_all(stack, bodies, h)
    organization = (
        await stack.http.get(f"/api/v1/transactions/{recorded[0]['transactionId']}", headers=h)
    ).json()
    # The known change: the NY building age surcharge from 1.10 to 1.20, in a draft.
    rule = (await stack.http.get(RULE, headers=h)).json()
    changed_rule = {k: v for k, v in rule.items() if k not in ("name", "revision", "updatedAt")}
    changed_rule["actions"][0]["value"] = 1.2
    put = await stack.http.put(
        RULE, json=changed_rule, headers={**h, "If-Match": f'"r{rule["revision"]}"'}
    )
    assert put.status_code == 200, put.text
    published = next(
        v for v in (await stack.http.get(FLOW, headers=h)).json() if v["status"] == "published"
    )
    draft = await stack.http.post(FLOW, json={"steps": published["steps"]}, headers=h)
    assert draft.status_code == 201, draft.text
    # What the draft gives each request, rated one by one (the independent answer).
    expected = await rate_all(stack, bodies, {**h, "X-Flow-Version": "draft"})
    before_events = await _outbox_size(stack)
    report = await transaction_chain.verify(stack.sessions, await _org_of(stack, recorded[0]))

    started = await stack.http.post(
        IMPACT,
        json={
            "candidate": "draft",
            "days": 1,
            "limit": 500,
            "groupBy": ["insured.address.state"],
            "premiumPath": "premium",
            "concurrency": 8,
        },
        headers=h,
    )

    assert started.status_code == 202, started.text
    location = started.headers["location"]
    assert location == f"/api/v1/impact-runs/{started.json()['id']}"
    run = await until_ended(stack, location)
    assert run["status"] == "completed", run
    assert run["progress"] == {"done": 200, "total": 200}
    summary = run["summary"]
    surcharged = [i for i in range(200) if i % 4 == 0]
    assert summary["rerated"] == 200
    assert summary["changed"] == len(surcharged) == 50
    assert summary["unchanged"] == 150
    assert summary["newlyFailed"] == summary["newlyRated"] == 0
    premium = [r["result"]["premium"] for r in recorded]
    after = [e["result"]["premium"] for e in expected]
    assert summary["premiumBefore"] == pytest.approx(round(sum(premium), 2), abs=0.005)
    assert summary["premiumAfter"] == pytest.approx(round(sum(after), 2), abs=0.005)
    deltas = sorted((after[i] - premium[i]) / premium[i] * 100 for i in surcharged)
    assert summary["deltaPct"]["max"] == pytest.approx(deltas[-1], abs=1e-4)
    assert summary["deltaPct"]["min"] == 0.0  # the unchanged count in the distribution
    assert 9.0 < deltas[0] <= deltas[-1] < 9.2  # 1.20 / 1.10, each line rounded to the cent
    assert sum(b["count"] for b in summary["bands"]) == 200
    assert next(b for b in summary["bands"] if b["from"] == 5.0)["count"] == 50
    assert next(b for b in summary["bands"] if b["from"] == b["to"] == 0.0)["count"] == 150
    groups = {g["key"]["insured.address.state"]: g for g in run["groups"]}
    assert (groups["NY"]["changed"], groups["NY"]["rerated"]) == (50, 100)
    assert (groups["CA"]["changed"], groups["CA"]["rerated"]) == (0, 100)
    assert len(run["largest"]) == 20
    by_id = {r["transactionId"]: (p, a) for r, p, a in zip(recorded, premium, after, strict=True)}
    for change in run["largest"]:
        assert (change["premiumBefore"], change["premiumAfter"]) == by_id[change["transactionId"]]

    # Every comparison, as CSV.
    exported = await stack.http.get(f"{location}/transactions", headers=h)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == 200
    for row in rows:
        before_after = by_id[row["transactionId"]]
        assert (float(row["premiumBefore"]), float(row["premiumAfter"])) == before_after
        assert row["insured.address.state"] in ("NY", "CA")
        assert row["statusAfter"] == "completed"

    # The re-ratings were simulations: no event, no chain link.
    assert await _outbox_size(stack) == before_events
    after_report = await transaction_chain.verify(stack.sessions, await _org_of(stack, recorded[0]))
    assert after_report.intact
    assert after_report.links == report.links
    rerun = (
        await stack.http.get(f"/api/v1/transactions/{rows[0]['rerateTransactionId']}", headers=h)
    ).json()
    assert rerun["mode"] == "simulation"
    assert rerun["replayOf"] == rows[0]["transactionId"]
    assert organization["mode"] == "live"


async def test_an_impact_analysis_is_cancelled_and_refuses_what_it_cannot_do(
    stack: Stack, example_request: bytes
) -> None:
    h = stack.headers
    base = orjson.loads(example_request)
    await rate_all(stack, [request_for(i, base) for i in range(16)], h)
    started = await stack.http.post(
        IMPACT, json={"candidate": 1, "days": 1, "concurrency": 1}, headers=h
    )
    assert started.status_code == 202, started.text
    location = started.headers["location"]
    cancelled = await stack.http.delete(location, headers=h)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    await asyncio.sleep(1)
    again = (await stack.http.get(location, headers=h)).json()
    assert again["status"] == "cancelled"
    assert again["progress"]["done"] < 16

    # Refused: a reader, another organization, a bad window, an unknown candidate.
    reader = await stack.new_org(scopes=("rate", "config:read"))
    assert_envelope(
        await stack.http.post(IMPACT, json={"candidate": "draft"}, headers=reader),
        403,
        "API_KEY_SCOPE_DENIED",
    )
    other = await stack.new_org()
    assert_envelope(await stack.http.get(location, headers=other), 404, "RESOURCE_NOT_FOUND")
    backwards = {"candidate": 1, "from": "2026-12-02T00:00:00Z", "to": "2026-12-01T00:00:00Z"}
    assert_envelope(
        await stack.http.post(IMPACT, json=backwards, headers=h), 400, "VALIDATION_FAILED"
    )
    unknown = await stack.http.post(IMPACT, json={"candidate": 99}, headers=h)
    assert unknown.status_code == 404, unknown.text
    extra = await stack.http.post(IMPACT, json={"candidate": 1, "nope": 1}, headers=h)
    assert extra.status_code == 400, extra.text


async def _outbox_size(stack: Stack) -> int:
    async with stack.sessions() as session:
        return len((await session.exec(select(EventOutboxRow.id))).all())


async def _org_of(stack: Stack, answer: dict[str, Any]) -> str:
    async with stack.sessions() as session:
        row = await session.get(TransactionRow, answer["transactionId"])
    assert row is not None
    return row.organization_id


async def test_irx_impact_follows_an_analysis_and_draws_its_chart(
    stack: Stack, example_request: bytes, tmp_path: Path
) -> None:
    base = orjson.loads(example_request)
    await rate_all(stack, [request_for(i, base) for i in range(8)], stack.headers)
    chart = tmp_path / "impact.png"
    args = ["impact", "IMCE", "rate", "--candidate", "1", "--days", "1", "--chart", str(chart)]
    async with serve_api(stack.app, stack.settings) as url:
        env = {"IRX_API_URL": url, "IRX_API_KEY": stack.demo.api_key}
        text = await asyncio.to_thread(CliRunner().invoke, app, args, env=env)
        as_json = await asyncio.to_thread(
            CliRunner().invoke, app, ["--output", "json", *args], env=env
        )
    assert text.exit_code == 0, text.output
    assert "re-rated          8   changed 0, unchanged 8" in text.output
    assert f"chart: {chart}" in text.output
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert as_json.exit_code == 0, as_json.output
    run = orjson.loads(as_json.stdout)
    assert run["summary"]["unchanged"] == 8
    assert run["status"] == "completed"
