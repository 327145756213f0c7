"""A step type from a plugin module, registered as docs/extending.md shows, runs in a flow."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from temporalio.client import Client

from activities.registry import registry
from api.app import create_app
from irx.demo import seed_demo
from models.settings import Settings
from store.db import create_engine, session_factory
from store.migrate import upgrade_async


@pytest.fixture
async def plugin_api(
    settings: Settings, temporal_client: Client
) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str]]]:
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


async def test_plugin_step_is_listed_validated_and_run(
    plugin_api: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    http, headers = plugin_api
    types = (await http.get("/api/v1/step-types", headers=headers)).json()
    fee = next(t for t in types if t["name"] == "test_flat_fee")
    assert fee["description"] == "Adds a flat fee to the working data."
    assert "amount" in fee["configSchema"]["properties"]

    code = f"P{uuid.uuid4().hex[:6]}"
    await http.post("/api/v1/products", json={"code": code, "name": "Plugin"}, headers=headers)
    bad = await http.post(
        f"/api/v1/products/{code}/flows/rate/versions",
        json={"steps": [{"name": "fee", "type": "test_flat_fee", "config": {"amount": -5}}]},
        headers=headers,
    )
    assert bad.status_code == 201
    refused = await http.post(
        f"/api/v1/products/{code}/flows/rate/versions/1/publish", headers=headers
    )
    assert refused.status_code == 400
    problem = refused.json()["error"]["details"]["problems"][0]
    assert (problem["step"], problem["field"]) == (0, "config.amount")

    await http.post(
        f"/api/v1/products/{code}/flows/rate/versions",
        json={"steps": [{"name": "fee", "type": "test_flat_fee", "config": {"amount": 25}}]},
        headers=headers,
    )
    published = await http.post(
        f"/api/v1/products/{code}/flows/rate/versions/2/publish", headers=headers
    )
    assert published.status_code == 200, published.text
    rated = await http.post(f"/api/v1/{code}/rate", json={"premium": 100}, headers=headers)
    assert rated.status_code == 200, rated.text
    body = rated.json()
    assert body["status"] == "completed"
    assert body["result"] == {"premium": 100, "fees": {"flat": 25.0}}
    assert body["steps"][0]["detail"] == {"amount": 25.0}
