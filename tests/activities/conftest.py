"""Fixtures for calling step implementations directly (no Temporal)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from activities.config_cache import ConfigCache, StoreConfig
from activities.registry import StepContext
from activities.resources import StepResources
from models.flow import RetrySpec, StepSpec
from models.rating import RunContext
from models.systems import System
from models.tables import OrganizationRow
from store.blobs import DiskBlobStore
from store.db import SessionFactory, create_engine, session_factory
from store.documents import Documents
from store.migrate import upgrade_async
from store.sealing import Keyring
from store.systems import insert_system
from tests.conftest import serve_app

ORG = "org-1"
KEYRING = Keyring.parse(Keyring.new_key("test"))


@pytest.fixture
async def step_sessions(sqlite_url: str) -> AsyncIterator[SessionFactory]:
    await upgrade_async(sqlite_url)
    engine = create_engine(sqlite_url)
    sessions = session_factory(engine)
    async with sessions() as session:
        session.add(OrganizationRow(id=ORG, slug="org-1", name="Org"))
        await session.commit()
    yield sessions
    await engine.dispose()


@pytest.fixture
async def resources(tmp_path: Path, step_sessions: SessionFactory) -> AsyncIterator[StepResources]:
    async with httpx.AsyncClient() as http:
        yield StepResources(
            documents=Documents(DiskBlobStore(tmp_path / "blobs"), 1024),
            http=http,
            config=ConfigCache(StoreConfig(step_sessions, KEYRING), ttl_s=0),
            event_log=tmp_path / "events.jsonl",
        )


@pytest.fixture
def add_system(step_sessions: SessionFactory) -> Callable[..., Any]:
    async def add(code: str, base_url: str, **fields: Any) -> None:
        system = System(
            code=code,
            name=code,
            kind=fields.pop("kind", "rating_engine"),
            base_url=base_url,
            **fields,
        )
        async with step_sessions() as session:
            await insert_system(session, ORG, system, KEYRING)
            await session.commit()

    return add


def context(resources: StepResources, step_type: str, index: int = 0) -> StepContext:
    run = RunContext(
        transaction_id="tx-1",
        organization_id=ORG,
        product_code="IMCE",
        endpoint="rate",
        flow_version=1,
        correlation_id="corr-1",
    )
    step = StepSpec(
        name=step_type, type=step_type, config={}, local=False, timeout_ms=1000, retry=RetrySpec()
    )
    return StepContext(run, step, index, 1, resources, time.monotonic() + 1)


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Starlette], Any]]:
    """Serves ASGI apps over real HTTP on free ports; each call returns a base URL."""
    async with AsyncExitStack() as stack:

        async def start(app: Starlette) -> str:
            return await stack.enter_async_context(serve_app(app))

        yield start


async def publish(
    resources: StepResources, config: Any, data: Any, index: int = 0
) -> dict[str, Any]:
    """publish_event's event, delivered at once as the run's record does: the step's
    detail and what the sink answered."""
    from activities.event_relay import deliver_event
    from activities.steps.publish import OWED, publish_event

    result = await publish_event(context(resources, "publish_event", index), config, data)
    owed = result.detail[OWED]
    answer = await deliver_event(resources, ORG, owed["sink"], owed["event"])
    return {**result.detail, **answer}
