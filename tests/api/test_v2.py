"""/api/v2: every v1 route, its errors as RFC 9457 problems, the IETF rate-limit fields,
camelCase list queries only; v1's deprecation headers; keys pinned to either version."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

import httpx
from temporalio.client import Client

from api.app import create_app
from engines.pii import Masker
from models.errors import CATALOG
from models.settings import Settings
from tests.api.test_rate import assert_envelope
from tests.api.test_telemetry import moved, scrape
from tests.conftest import Stack, free_port
from workers.logs import JsonFormatter

V2_RATE = "/api/v2/IMCE/rate"
PROBLEM_MEMBERS = {"type", "title", "status", "detail", "instance", "code", "correlationId"}


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The answer is the problem of ``code``, every member as RFC 9457 and the docs say."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body.keys() >= PROBLEM_MEMBERS
    assert "error" not in body  # not v1's envelope
    assert body["type"] == f"/docs/errors.md#{code.lower()}"
    assert "{" not in body["title"]
    assert body["title"]
    if "{" not in CATALOG[code].message:
        assert body["title"] == CATALOG[code].message
    assert (body["status"], body["code"]) == (status, code)
    assert body["detail"]
    assert body["instance"] == response.request.url.path
    assert body["correlationId"] == response.headers["x-correlation-id"]
    return body


def assert_v2_limits(response: httpx.Response, limit: int, remaining: int) -> None:
    assert response.headers["ratelimit-policy"] == f'"default";q={limit};w=60'
    policy, r, t = response.headers["ratelimit"].split(";")
    assert (policy, r) == ('"default"', f"r={remaining}")
    assert 0 <= int(t.removeprefix("t=")) <= 60
    assert not any(h.startswith("x-ratelimit") for h in response.headers)
    assert "deprecation" not in response.headers
    assert "sunset" not in response.headers


async def test_v2_rates_and_reads_and_lists_its_transaction(
    stack: Stack, example_request: bytes
) -> None:
    rated = await stack.http.post(V2_RATE, content=example_request, headers=stack.headers)
    assert rated.status_code == 200, rated.text
    body = rated.json()
    assert (body["status"], body["productCode"], body["flowVersion"]) == ("completed", "IMCE", 1)
    assert "ratelimit" in rated.headers
    assert "deprecation" not in rated.headers

    found = await stack.http.get(
        f"/api/v2/transactions/{body['transactionId']}", headers=stack.headers
    )
    assert found.status_code == 200
    assert found.json()["transactionId"] == body["transactionId"]

    listed = await stack.http.get(
        "/api/v2/transactions", params={"pageSize": 1, "productCode": "IMCE"}, headers=stack.headers
    )
    assert listed.status_code == 200, listed.text
    page = listed.json()
    assert (page["pageSize"], len(page["items"])) == (1, 1)
    assert page["links"]["self"].startswith("/api/v2/transactions?")

    async_run = await stack.http.post(
        V2_RATE, content=example_request, headers=stack.headers | {"Prefer": "respond-async"}
    )
    assert async_run.status_code == 202
    assert async_run.headers["location"].startswith("/api/v2/transactions/")


async def test_v2_lists_take_only_camel_case_parameters(stack: Stack) -> None:
    for path, query in (
        ("/api/v2/transactions", {"page_size": "1"}),
        ("/api/v2/transactions", {"product": "IMCE"}),
        ("/api/v2/products", {"page_size": "1"}),
        ("/api/v2/products", {"sort": "code"}),
        ("/api/v2/quarantine", {"transaction_id": "abc"}),
        ("/api/v2/api-keys", {"limit": "1"}),
    ):
        refused = await stack.http.get(path, params=query, headers=stack.headers)
        problem = assert_problem(refused, 400, "VALIDATION_FAILED")
        assert problem["unknown"] == sorted(query), path
    for path, query in (
        ("/api/v2/products", {"pageSize": "1", "page": "1"}),
        ("/api/v2/quarantine", {"transactionId": "abc", "limit": "5"}),
        ("/api/v2/events/dead-letters", {"limit": "5"}),
        ("/api/v2/audit-log", {"pageSize": "5"}),
    ):
        assert (await stack.http.get(path, params=query, headers=stack.headers)).status_code == 200
    # v1 keeps every spelling it took.
    for path, query in (
        ("/api/v1/transactions", {"page_size": "1", "product": "IMCE"}),
        ("/api/v1/products", {"page_size": "1", "sort": "code"}),
        ("/api/v1/quarantine", {"transaction_id": "abc"}),
    ):
        answer = await stack.http.get(path, params=query, headers=stack.headers)
        assert answer.status_code == 200, (path, answer.text)


async def test_v2_product_config_routes(stack: Stack) -> None:
    product = await stack.http.get("/api/v2/products/IMCE", headers=stack.headers)
    assert product.status_code == 200
    assert product.json()["code"] == "IMCE"
    assert product.headers["etag"]
    listed = await stack.http.get("/api/v2/products", params={"pageSize": 1}, headers=stack.headers)
    assert listed.status_code == 200
    assert "/api/v2/products?" in listed.headers["link"]
    missing = await stack.http.get("/api/v2/products/NOPE", headers=stack.headers)
    assert_problem(missing, 404, "RESOURCE_NOT_FOUND")


async def test_v2_errors_are_problems(stack: Stack) -> None:
    unknown = await stack.http.get("/api/v2/no/such/route", headers=stack.headers)
    assert_problem(unknown, 404, "RESOURCE_NOT_FOUND")

    wrong_method = await stack.http.delete("/api/v2/me", headers=stack.headers)
    assert_problem(wrong_method, 405, "METHOD_NOT_ALLOWED")
    assert wrong_method.headers["allow"] == "GET"

    invalid = await stack.http.post("/api/v2/api-keys", json={"name": ""}, headers=stack.headers)
    problem = assert_problem(invalid, 400, "VALIDATION_FAILED")
    assert {p["path"] for p in problem["problems"]} >= {"body.name", "body.scopes"}

    no_key = await stack.http.get("/api/v2/me")
    assert_problem(no_key, 401, "API_KEY_INVALID")

    too_large = await stack.http.post(
        "/api/v2/products",
        content=b"x" * (stack.settings.api.max_config_body_bytes + 1),
        headers=stack.headers,
    )
    limit = assert_problem(too_large, 413, "PAYLOAD_TOO_LARGE")["limitBytes"]
    assert limit == stack.settings.api.max_config_body_bytes

    unknown_product = await stack.http.post(
        V2_RATE.replace("IMCE", "NOPE"), content=b"{}", headers=stack.headers
    )
    missing_flow = assert_problem(unknown_product, 404, "ORCHESTRATOR_NOT_FOUND")
    # The error's details are members of the problem; the title is the catalog's template.
    assert (missing_flow["productCode"], missing_flow["endpoint"]) == ("NOPE", "rate")
    assert missing_flow["title"] == "No flow configured for product '…' endpoint '…'."
    assert missing_flow["detail"] == "No flow configured for product 'NOPE' endpoint 'rate'."

    # v1 keeps its envelope for the same refusals.
    assert_envelope(
        await stack.http.get("/api/v1/no/such/route", headers=stack.headers),
        404,
        "RESOURCE_NOT_FOUND",
    )
    assert_envelope(await stack.http.get("/api/v1/me"), 401, "API_KEY_INVALID")


async def test_v2_rate_limits_say_the_ietf_fields_and_refuse_as_problems(stack: Stack) -> None:
    headers = await stack.new_org(requests_per_minute=2)
    first = await stack.http.get("/api/v2/me", headers=headers)
    assert_v2_limits(first, 2, 1)
    v1 = await stack.http.get("/api/v1/me", headers=headers)
    assert (v1.headers["x-ratelimit-limit"], v1.headers["x-ratelimit-remaining"]) == ("2", "0")
    assert "ratelimit" not in v1.headers
    assert "ratelimit-policy" not in v1.headers

    refused = await stack.http.get("/api/v2/me", headers=headers)
    problem = assert_problem(refused, 429, "RATE_LIMIT_EXCEEDED")
    assert_v2_limits(refused, 2, 0)
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert (problem["limit"], problem["retryAfterS"]) == (2, int(refused.headers["retry-after"]))
    refused_v1 = await stack.http.get("/api/v1/me", headers=headers)
    assert_envelope(refused_v1, 429, "RATE_LIMIT_EXCEEDED")
    assert refused_v1.headers["retry-after"]
    assert refused_v1.headers["x-ratelimit-remaining"] == "0"


async def test_every_v1_answer_says_it_is_deprecated_and_names_its_successor(
    stack: Stack,
) -> None:
    # The defaults: v2 released on 7 December 2026, v1's sunset a year later.
    assert (str(stack.settings.api.v2_released), str(stack.settings.api.v1_sunset_day)) == (
        "2026-12-07",
        "2027-12-07",
    )
    for path, status in (
        ("/api/v1/me", 200),
        ("/api/v1/products/IMCE", 200),
        ("/api/v1/no/such/route", 404),
        ("/api/v1/health/live", 200),
    ):
        answer = await stack.http.get(path, headers=stack.headers)
        assert answer.status_code == status
        assert answer.headers["deprecation"] == "@1796601600"  # 2026-12-07T00:00:00Z
        assert answer.headers["sunset"] == "Tue, 07 Dec 2027 00:00:00 GMT"
        successor = path.replace("/api/v1/", "/api/v2/")
        assert answer.headers["link"] == f'<{successor}>; rel="successor-version"'
    # A paged list keeps its own links beside the successor's.
    listed = await stack.http.get("/api/v1/products", params={"pageSize": 1}, headers=stack.headers)
    links = listed.headers["link"]
    assert "<" + "/api/v2/products" + '>; rel="successor-version"' in links
    assert 'rel="first"' in links
    for path in ("/api/v2/me", "/metrics"):
        answer = await stack.http.get(path, headers=stack.headers)
        assert "deprecation" not in answer.headers
        assert "sunset" not in answer.headers


async def test_keys_pinned_to_either_version_are_refused_on_the_other(stack: Stack) -> None:
    keys = {}
    for version in ("v1", "v2"):
        created = await stack.http.post(
            f"/api/{version}/api-keys",
            json={"name": f"pinned to {version}", "scopes": ["rate"], "apiVersion": version},
            headers=stack.headers,
        )
        assert created.status_code == 201, created.text
        assert created.json()["apiVersion"] == version
        keys[version] = {"X-API-Key": created.json()["key"]}
    assert (await stack.http.get("/api/v1/me", headers=keys["v1"])).status_code == 200
    assert (await stack.http.get("/api/v2/me", headers=keys["v2"])).status_code == 200
    denied = assert_problem(
        await stack.http.get("/api/v2/me", headers=keys["v1"]), 403, "API_KEY_VERSION_DENIED"
    )
    assert denied["detail"] == "The API key is pinned to API v1; this route is v2."
    assert_envelope(
        await stack.http.get("/api/v1/me", headers=keys["v2"]), 403, "API_KEY_VERSION_DENIED"
    )
    other = await stack.http.post(
        "/api/v2/api-keys",
        json={"name": "v3", "scopes": ["rate"], "apiVersion": "v3"},
        headers=stack.headers,
    )
    assert_problem(other, 400, "VALIDATION_FAILED")


async def test_the_document_describes_both_versions(stack: Stack) -> None:
    document = (await stack.http.get("/openapi.json")).json()
    paths = document["paths"]
    v1 = {p for p in paths if p.startswith("/api/v1/")}
    assert v1
    assert {p.replace("/api/v1/", "/api/v2/", 1) for p in v1} <= set(paths)
    ids = [op["operationId"] for item in paths.values() for op in item.values()]
    assert len(ids) == len(set(ids))
    assert paths["/api/v1/me"]["get"]["deprecated"] is True
    assert "deprecated" not in paths["/api/v2/me"]["get"]
    errors = paths["/api/v2/me"]["get"]["responses"]["4XX"]["content"]
    assert list(errors) == ["application/problem+json"]


async def test_ratings_are_counted_per_api_version(stack: Stack, example_request: bytes) -> None:
    before = await scrape(stack)
    rated = await stack.http.post(V2_RATE, content=example_request, headers=stack.headers)
    assert rated.json()["status"] == "completed"
    await stack.http.post("/api/v2/NOPE/rate", content=b"{}", headers=stack.headers)
    await stack.http.post("/api/v1/IMCE/rate", content=example_request, headers=stack.headers)
    after = await scrape(stack)
    imce = {"product": "IMCE", "flow": "rate", "mode": "live"}
    unknown = {"product": "unknown", "flow": "unknown", "mode": "live"}
    counted = "rating_request_total"
    assert moved(before, after, counted, **imce, status="completed", api_version="v2") == 1
    assert moved(before, after, counted, **unknown, status="rejected", api_version="v2") == 1
    assert moved(before, after, counted, **imce, status="completed", api_version="v1") == 1


async def test_the_log_lines_of_a_v1_call_say_it_is_deprecated(stack: Stack) -> None:
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(JsonFormatter(Masker()))
    logger = logging.getLogger("api.errors")  # where a refusal is logged, at INFO
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        for version in ("v1", "v2"):
            await stack.http.get(f"/api/{version}/products/NOPE", headers=stack.headers)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    v1, v2 = (json.loads(line) for line in lines.getvalue().splitlines())
    assert v1["message"].startswith("GET /api/v1/products/NOPE answered 404")
    assert v1["deprecated"] == "true"
    assert v2["message"].startswith("GET /api/v2/products/NOPE answered 404")
    assert "deprecated" not in v2


async def test_an_unreachable_config_store_is_a_v2_problem(tmp_path: Path) -> None:
    (tmp_path / "irx.db").mkdir()  # SQLite cannot open a folder: OperationalError
    temporal = await Client.connect(f"127.0.0.1:{free_port()}", lazy=True)
    app = create_app(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'irx.db'}"), temporal)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://irx.test") as http,
    ):
        answer = await http.get("/api/v2/products", headers={"X-API-Key": "irx_x"})
    assert_problem(answer, 503, "CONFIG_STORE_UNAVAILABLE")
    assert answer.headers["retry-after"] == "1"
