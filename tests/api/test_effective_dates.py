"""Effective dates end to end: a rate change published ahead rates requests dated from its
date on, the version before it keeps rating earlier ones (real app, Temporal, engine)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson

from services.request_body import STREAM_BODY_BYTES
from tests.api.test_exports import copy_systems, import_
from tests.api.test_rate import assert_envelope
from tests.conftest import Stack

FLOWS = "/api/v1/products/IMCE/flows"
V1_PREMIUM = 12893.69  # the demo's NY building age surcharge at 1.1
TODAY = datetime.now(UTC).date()
CHANGE = TODAY + timedelta(days=30)  # a rate change filed ahead


async def set_date_path(stack: Stack, path: str | None, headers: dict[str, str]) -> None:
    read = await stack.http.get("/api/v1/products/IMCE", headers=headers)
    body = {k: v for k, v in read.json().items() if k not in ("id", "status", "createdAt")}
    written = await stack.http.put(
        "/api/v1/products/IMCE",
        json={**body, "effectiveDatePath": path},
        headers={**headers, "If-Match": read.headers["etag"]},
    )
    assert written.status_code == 200, written.text


async def set_surcharge(stack: Stack, factor: float) -> None:
    url = "/api/v1/products/IMCE/rules/NY Building Age Surcharge"
    rule = await stack.http.get(url, headers=stack.headers)
    body = {k: v for k, v in rule.json().items() if k not in ("name", "revision", "updatedAt")}
    body["actions"][0]["value"] = factor
    headers = {**stack.headers, "If-Match": rule.headers["etag"]}
    assert (await stack.http.put(url, json=body, headers=headers)).status_code == 200


async def draft(stack: Stack, endpoint: str = "rate") -> int:
    """A new draft of ``endpoint`` with the steps rate's version 1 runs."""
    v1 = (await stack.http.get(f"{FLOWS}/rate/versions/1", headers=stack.headers)).json()
    made = await stack.http.post(
        f"{FLOWS}/{endpoint}/versions", json={"steps": v1["steps"]}, headers=stack.headers
    )
    assert made.status_code == 201, made.text
    number: int = made.json()["version"]
    return number


async def publish(
    stack: Stack, number: int, effective_from: date | None, endpoint: str = "rate"
) -> dict[str, Any]:
    body = {"reason": "rate change"}
    if effective_from is not None:
        body["effectiveFrom"] = effective_from.isoformat()
    answer = await stack.http.post(
        f"{FLOWS}/{endpoint}/versions/{number}/publish", json=body, headers=stack.headers
    )
    assert answer.status_code == 200, answer.text
    published: dict[str, Any] = answer.json()
    return published


def dated(request: bytes, on: str | None) -> dict[str, Any]:
    document: dict[str, Any] = orjson.loads(request)
    if on is None:
        del document["quote"]["effectiveDate"]
    else:
        document["quote"]["effectiveDate"] = on
    return document


async def rate(stack: Stack, document: dict[str, Any], endpoint: str = "rate") -> Any:
    return await stack.http.post(
        f"/api/v1/IMCE/{endpoint}", content=orjson.dumps(document), headers=stack.headers
    )


async def test_a_rate_change_published_ahead_rates_from_its_date_on(
    stack: Stack, example_request: bytes
) -> None:
    await set_date_path(stack, "quote.effectiveDate", stack.headers)
    await set_surcharge(stack, 1.2)  # version 2 pins it; version 1 keeps 1.1
    published = await publish(stack, await draft(stack), CHANGE)
    assert (published["version"], published["status"]) == (2, "published")
    assert published["effectiveFrom"] == CHANGE.isoformat()
    timeline = [
        {"version": 1, "effectiveFrom": None, "effectiveUntil": CHANGE.isoformat()},
        {"version": 2, "effectiveFrom": CHANGE.isoformat(), "effectiveUntil": None},
    ]
    assert published["timeline"] == timeline
    assert published["warnings"] == []
    read = await stack.http.get(f"{FLOWS}/rate/timeline", headers=stack.headers)
    assert read.json()["timeline"] == timeline
    assert read.json()["effectiveDatePath"] == "quote.effectiveDate"
    versions = (await stack.http.get(f"{FLOWS}/rate/versions", headers=stack.headers)).json()
    assert [(v["version"], v["status"]) for v in versions] == [(2, "published"), (1, "published")]

    # Dated the day before: version 1 and its premium; today's ratings are unchanged.
    before = await rate(stack, dated(example_request, (CHANGE - timedelta(days=1)).isoformat()))
    assert (before.json()["flowVersion"], before.json()["status"]) == (1, "completed")
    assert before.json()["result"]["premium"] == V1_PREMIUM
    today = await rate(stack, dated(example_request, TODAY.isoformat()))
    assert today.json()["flowVersion"] == 1
    # Dated on the change: version 2, the new surcharge.
    on = await rate(stack, dated(example_request, CHANGE.isoformat()))
    assert (on.json()["flowVersion"], on.json()["status"]) == (2, "completed"), on.text
    assert on.json()["result"]["premium"] > V1_PREMIUM
    tx = await stack.http.get(
        f"/api/v1/transactions/{on.json()['transactionId']}", headers=stack.headers
    )
    assert tx.json()["flowVersion"] == 2  # the transaction records the version chosen
    # A date-time counts by its own date (this product's schema then wants a date).
    stamped = await rate(stack, dated(example_request, f"{CHANGE.isoformat()}T00:30:00+02:00"))
    assert stamped.json()["flowVersion"] == 2
    # Without a date: today's version (which then refuses it: its schema needs the date).
    undated = await rate(stack, dated(example_request, None))
    assert undated.json()["flowVersion"] == 1
    # X-Flow-Version still names a version outright: a simulation where it is not the
    # version in force on the request's date, live where it is.
    forced = await stack.http.post(
        "/api/v1/IMCE/rate",
        content=orjson.dumps(dated(example_request, TODAY.isoformat())),
        headers={**stack.headers, "X-Flow-Version": "2"},
    )
    assert forced.json()["flowVersion"] == 2
    assert forced.json()["mode"] == "simulation"
    in_force = await stack.http.post(
        "/api/v1/IMCE/rate",
        content=orjson.dumps(dated(example_request, CHANGE.isoformat())),
        headers={**stack.headers, "X-Flow-Version": "2"},
    )
    assert in_force.json()["mode"] == "live"

    # A date the request cannot mean is refused, naming where it was read.
    malformed = await rate(stack, dated(example_request, "next tuesday"))
    error = assert_envelope(malformed, 400, "VALIDATION_FAILED")
    assert error["details"]["problems"][0]["path"] == "quote.effectiveDate"

    # The audit trail keeps the date; the export cannot hold two pinned rule sets.
    audit = await stack.http.get(
        "/api/v1/audit-log", params={"action": "PUBLISH"}, headers=stack.headers
    )
    assert audit.json()["items"][0]["changes"]["after"]["effectiveFrom"] == CHANGE.isoformat()
    diverged = await stack.http.get("/api/v1/products/IMCE/export", headers=stack.headers)
    error = assert_envelope(diverged, 409, "PUBLISHED_VERSIONS_DIVERGE")
    assert error["details"] == {"versions": {"quote": 1, "rate": [1, 2]}}

    # Rollback: version 1 again for every date; then version 2 again from its date.
    rolled = await publish(stack, 1, None)
    assert rolled["timeline"] == [{"version": 1, "effectiveFrom": None, "effectiveUntil": None}]
    after = await rate(stack, dated(example_request, CHANGE.isoformat()))
    assert after.json()["flowVersion"] == 1
    again = await publish(stack, 2, CHANGE)
    assert again["timeline"] == timeline


async def test_a_large_request_picks_its_version_by_its_date(
    stack: Stack, example_request: bytes
) -> None:
    """A body streamed into the blob store carries its date too."""
    await set_date_path(stack, "quote.effectiveDate", stack.headers)
    await publish(stack, await draft(stack), CHANGE)
    document = dated(example_request, CHANGE.isoformat())
    item = document["equipment"][0]
    document["equipment"] = [{**item, "serial": f"EQ-{i}"} for i in range(16_000)]
    assert len(orjson.dumps(document)) > STREAM_BODY_BYTES
    answer = await rate(stack, document)
    assert (answer.json()["flowVersion"], answer.json()["status"]) == (2, "completed")


async def test_a_gap_is_reported_and_requests_dated_in_it_are_refused(
    stack: Stack, example_request: bytes
) -> None:
    await set_date_path(stack, "quote.effectiveDate", stack.headers)
    first = await publish(stack, await draft(stack, "renew"), CHANGE, "renew")
    assert first["timeline"] == [
        {"version": 1, "effectiveFrom": CHANGE.isoformat(), "effectiveUntil": None}
    ]
    (gap,) = first["warnings"]
    assert (gap["kind"], gap["effectiveFrom"]) == ("gap", CHANGE.isoformat())

    refused = await rate(stack, dated(example_request, TODAY.isoformat()), "renew")
    error = assert_envelope(refused, 422, "NO_EFFECTIVE_VERSION")
    assert error["details"] == {
        "effectiveDate": TODAY.isoformat(),
        "earliestEffectiveFrom": CHANGE.isoformat(),
    }
    rated = await rate(stack, dated(example_request, CHANGE.isoformat()), "renew")
    assert (rated.json()["flowVersion"], rated.json()["status"]) == (1, "completed")


async def test_an_older_version_dated_after_a_newer_one_is_an_overlap(stack: Stack) -> None:
    """Version 2 rates every date; version 1 re-published from a date would rate none."""
    await publish(stack, await draft(stack), None)
    republished = await publish(stack, 1, CHANGE)
    assert republished["timeline"] == [
        {"version": 2, "effectiveFrom": None, "effectiveUntil": None}
    ]
    (overlap,) = republished["warnings"]
    assert (overlap["kind"], overlap["version"], overlap["shadowedBy"]) == ("overlap", 1, 2)


async def test_export_and_import_keep_the_dates(stack: Stack, example_request: bytes) -> None:
    await set_date_path(stack, "quote.effectiveDate", stack.headers)
    await publish(stack, await draft(stack), CHANGE)  # same rules: one document holds both
    exported = await stack.http.get("/api/v1/products/IMCE/export", headers=stack.headers)
    assert exported.status_code == 200, exported.text
    assert exported.headers["x-irx-exported-versions"] == "quote=1, rate=1, rate=2"
    document = exported.json()
    assert document["product"]["effectiveDatePath"] == "quote.effectiveDate"
    rates = [f["effectiveFrom"] for f in document["flows"] if f["endpoint"] == "rate"]
    assert rates == [None, CHANGE.isoformat()]

    other = await stack.new_org(plan="enterprise")
    await copy_systems(stack, other)
    done = await import_(stack, document, other)
    assert done.status_code == 200, done.text
    timeline = await stack.http.get(f"{FLOWS}/rate/timeline", headers=other)
    assert timeline.json()["effectiveDatePath"] == "quote.effectiveDate"
    assert [e["effectiveFrom"] for e in timeline.json()["timeline"]] == [None, CHANGE.isoformat()]
    again = await stack.http.get("/api/v1/products/IMCE/export", headers=other)
    assert again.content == exported.content
    on = await stack.http.post(
        "/api/v1/IMCE/rate",
        content=orjson.dumps(dated(example_request, CHANGE.isoformat())),
        headers=other,
    )
    assert on.json()["flowVersion"] == timeline.json()["timeline"][1]["version"]


async def test_an_import_without_a_dated_endpoint_withdraws_it(stack: Stack) -> None:
    """The document names a dated version ``rate@<date>``: dropping the endpoint withdraws
    it once, by its endpoint, with all its versions."""
    await set_date_path(stack, "quote.effectiveDate", stack.headers)
    await publish(stack, await draft(stack), CHANGE)
    document = (await stack.http.get("/api/v1/products/IMCE/export", headers=stack.headers)).json()
    other = await stack.new_org(plan="enterprise")
    await copy_systems(stack, other)
    assert (await import_(stack, document, other)).status_code == 200
    without = {**document, "flows": [f for f in document["flows"] if f["endpoint"] != "rate"]}
    dry = (await import_(stack, without, other, dryRun=True)).json()
    assert [c["name"] for c in dry["diff"]["removed"]] == ["rate", f"rate@{CHANGE}"]
    done = await import_(stack, without, other, overwrite=True)
    assert done.status_code == 200, done.text
    versions = (await stack.http.get(f"{FLOWS}/rate/versions", headers=other)).json()
    assert {v["status"] for v in versions} == {"archived"}
