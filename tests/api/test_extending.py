"""A plugin (tests/plugins/flat_fee.py) written with the public SDK only, end to end.

``test_the_plugin_step_alone`` is the example docs/extending.md shows: a step
tested without Temporal through the shipped harness.
"""

from __future__ import annotations

import inspect
import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.client import Client

from activities.registry import StepRegistry, registry
from activities.sdk import PlatformError, StepHarness
from api.app import create_app
from irx.demo import seed_demo
from models.settings import Settings
from store.db import create_engine, session_factory
from store.migrate import upgrade_async
from tests.plugins import flat_fee
from workers.worker import rating_worker

Api = tuple[httpx.AsyncClient, dict[str, str]]


async def test_the_plugin_step_alone(tmp_path: Path) -> None:
    async with StepHarness(tmp_path) as harness:
        added = await harness.run("test_flat_fee", {"amount": 25}, {"premium": 100})
        assert added.data == {"premium": 100, "fees": {"flat": 25.0}}
        assert added.detail == {"amount": 25.0}
        scheduled = await harness.run("test_flat_fee", {"schedule": "premium"}, {})
        assert scheduled.data == {"fees": {"flat": 40.0}}
        with pytest.raises(PlatformError) as too_high:
            await harness.run("test_flat_fee", {"amount": 50, "cap": 10}, {})
        assert too_high.value.code == "ACME_FEE_TOO_HIGH"
        assert too_high.value.status == 422
        assert too_high.value.details == {"amount": 50.0, "cap": 10.0}
        with pytest.raises(PlatformError) as invalid:
            await harness.run("test_flat_fee", {"amount": -5}, {})
        assert invalid.value.code == "VALIDATION_FAILED"
        skipped = await harness.run("test_flat_fee", {"amount": 1}, {"a": 1}, condition="b")
        assert (skipped.skipped, skipped.data) == (True, {"a": 1})


@pytest.fixture
async def plugin_api(settings: Settings, temporal_client: Client) -> AsyncIterator[Api]:
    settings.step_modules = ["tests.plugins.flat_fee"]
    await upgrade_async(settings.database)
    engine = create_engine(settings.database)
    demo = await seed_demo(session_factory(engine), registry, "http://127.0.0.1:9", None)
    await engine.dispose()
    app = create_app(settings, client=temporal_client)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://irx.test") as http:
            yield http, {"X-API-Key": demo.api_key}


async def _product_with(http: httpx.AsyncClient, headers: dict[str, str], config: Any) -> str:
    code = f"P{uuid.uuid4().hex[:6]}"
    await http.post("/api/v1/products", json={"code": code, "name": "Plugin"}, headers=headers)
    await http.post(
        f"/api/v1/products/{code}/flows/rate/versions",
        json={"steps": [{"name": "fee", "type": "test_flat_fee", "config": config}]},
        headers=headers,
    )
    return code


async def _publish(http: httpx.AsyncClient, headers: dict[str, str], code: str) -> httpx.Response:
    return await http.post(
        f"/api/v1/products/{code}/flows/rate/versions/1/publish", headers=headers
    )


async def test_plugin_step_is_listed_validated_and_run(plugin_api: Api) -> None:
    http, headers = plugin_api
    opened = flat_fee.FeeBook.opened
    types = (await http.get("/api/v1/step-types", headers=headers)).json()
    fee = next(t for t in types if t["name"] == "test_flat_fee")
    assert fee["description"] == "Adds a flat fee to the working data."
    assert "amount" in fee["configSchema"]["properties"]

    bad = await _product_with(http, headers, {"amount": -5})
    refused = await _publish(http, headers, bad)
    assert refused.status_code == 400
    problem = refused.json()["error"]["details"]["problems"][0]
    assert (problem["step"], problem["field"]) == (0, "config.amount")

    unknown = await _product_with(http, headers, {"schedule": "gold"})
    refused = await _publish(http, headers, unknown)
    assert refused.status_code == 400
    problem = refused.json()["error"]["details"]["problems"][0]
    assert problem["message"] == "unknown acme_fee_schedule 'gold'"

    good = await _product_with(http, headers, {"schedule": "premium"})
    assert (await _publish(http, headers, good)).status_code == 200
    rated = await http.post(f"/api/v1/{good}/rate", json={"premium": 100}, headers=headers)
    assert rated.status_code == 200, rated.text
    body = rated.json()
    assert body["status"] == "completed"
    assert body["result"] == {"premium": 100, "fees": {"flat": 40.0}}
    assert body["steps"][0]["detail"] == {"amount": 40.0}
    assert flat_fee.FeeBook.opened == opened  # opened when the worker started, not per run


async def test_a_plugin_error_code_reaches_the_caller(plugin_api: Api) -> None:
    http, headers = plugin_api
    code = await _product_with(http, headers, {"amount": 5000, "cap": 100})
    assert (await _publish(http, headers, code)).status_code == 200
    rated = await http.post(
        f"/api/v1/{code}/rate", json={}, headers={**headers, "X-Correlation-Id": "fee-1"}
    )
    body = rated.json()
    assert body["status"] == "failed"
    error = body["error"]
    assert (error["code"], error["step"]) == ("ACME_FEE_TOO_HIGH", "fee")
    assert error["details"] == {"amount": 5000.0, "cap": 100.0}
    assert error["correlationId"] == "fee-1"
    assert error["timestamp"].endswith("Z") or "+00:00" in error["timestamp"]
    assert body["steps"][0]["attempts"] == 1  # the plugin's code is not retryable
    stored = (
        await http.get(f"/api/v1/transactions/{body['transactionId']}", headers=headers)
    ).json()
    assert stored["error"]["code"] == "ACME_FEE_TOO_HIGH"
    assert stored["error"]["correlationId"] == "fee-1"


async def test_clients_close_with_their_worker(settings: Settings, temporal_client: Client) -> None:
    closed = flat_fee.FeeBook.closed
    async with rating_worker(temporal_client, settings):
        assert flat_fee.FeeBook.closed == closed
    assert flat_fee.FeeBook.closed == closed + 1


async def test_a_worker_without_the_step_type_answers_step_handler_not_found(
    settings: Settings, temporal_client: Client
) -> None:
    """The API knows the plugin; the only worker polling does not have it installed."""
    settings.step_modules = ["tests.plugins.flat_fee"]
    settings.api.embedded_worker = False
    await upgrade_async(settings.database)
    engine = create_engine(settings.database)
    demo = await seed_demo(session_factory(engine), registry, "http://127.0.0.1:9", None)
    await engine.dispose()
    without_plugin = StepRegistry()
    for step in registry:
        if step.name != "test_flat_fee":
            without_plugin.register(step)
    headers = {"X-API-Key": demo.api_key}
    app = create_app(settings, client=temporal_client)
    async with (
        app.router.lifespan_context(app),
        rating_worker(temporal_client, settings, steps=without_plugin) as worker,
        worker,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        code = await _product_with(http, headers, {"amount": 5})
        assert (await _publish(http, headers, code)).status_code == 200
        body = (await http.post(f"/api/v1/{code}/rate", json={}, headers=headers)).json()
    assert body["status"] == "failed"
    assert body["error"]["code"] == "STEP_HANDLER_NOT_FOUND"
    assert body["error"]["message"] == "No step type named 'test_flat_fee' is registered."
    assert body["steps"][0]["attempts"] == 1


def test_the_docs_show_the_plugin_and_its_test_as_they_are() -> None:
    root = Path(__file__).resolve().parents[2]
    blocks = re.findall(r"```python\n(.*?)```", (root / "docs/extending.md").read_text(), re.S)
    assert blocks[0] == (root / "tests/plugins/flat_fee.py").read_text()
    assert blocks[1].strip() == inspect.getsource(test_the_plugin_step_alone).strip()
