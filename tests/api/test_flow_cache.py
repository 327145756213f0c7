"""Every API process runs a newly published version within a second (Redis pub/sub)."""

from __future__ import annotations

import time

import httpx
import pytest
from prometheus_client import REGISTRY
from redis.asyncio import Redis

from api.app import create_app
from models.settings import Settings
from tests.conftest import Stack

FLOW = "/api/v1/products/IMCE/flows/rate/versions"


@pytest.fixture
def settings(settings: Settings, redis: Redis) -> Settings:
    # A minute's TTL: without the announcement, the other process would keep v1 that long.
    return settings.model_copy(
        update={"redis_url": "redis://127.0.0.1:6379/0", "config_cache_ttl_s": 60}
    )


def counted(name: str) -> float:
    return REGISTRY.get_sample_value(name, {"cache_key_type": "flow"}) or 0.0


async def test_a_publish_reaches_every_api_process_within_a_second(
    stack: Stack, example_request: bytes
) -> None:
    h = stack.headers
    api = stack.settings.api.model_copy(update={"embedded_worker": False})
    other = create_app(stack.settings.model_copy(update={"api": api}), client=stack.services.client)
    async with other.router.lifespan_context(other):
        transport = httpx.ASGITransport(app=other)
        async with httpx.AsyncClient(transport=transport, base_url="http://b.test") as b:

            async def version_on_b() -> int:
                rated = await b.post("/api/v1/IMCE/rate", content=example_request, headers=h)
                version: int = rated.json()["flowVersion"]
                return version

            hits, misses = counted("rating_cache_hit_total"), counted("rating_cache_miss_total")
            before = await version_on_b()
            assert await version_on_b() == before  # cached on B
            assert counted("rating_cache_hit_total") >= hits + 1
            assert counted("rating_cache_miss_total") >= misses + 1

            versions = (await stack.http.get(FLOW, headers=h)).json()
            published = next(v for v in versions if v["status"] == "published")
            draft = {"steps": published["steps"]}
            created = (await stack.http.post(FLOW, json=draft, headers=h)).json()
            done = await stack.http.post(f"{FLOW}/{created['version']}/publish", headers=h)
            assert done.is_success, done.text
            published_at = time.monotonic()
            while (seen := await version_on_b()) != created["version"]:
                assert time.monotonic() - published_at < 1.0, f"B still runs v{seen}"
