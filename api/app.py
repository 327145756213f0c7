"""The FastAPI application: ``create_app()`` and the lifespan that owns its clients."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from redis.asyncio import Redis
from temporalio.client import Client
from temporalio.worker import Worker

from activities.loader import load_step_modules
from activities.registry import registry
from api.deps import Services
from api.errors import install_error_handlers
from api.guard import RequestGuard
from api.listing import camel_case_query
from api.middleware import OptionalGZipMiddleware, StandardHeadersMiddleware
from api.openapi_extras import install_openapi
from api.problems import PROBLEM_SCHEMA
from api.routes import (
    api_keys,
    audit,
    challenger,
    codec,
    events,
    flows,
    health,
    impact,
    mappings,
    me,
    metrics,
    products,
    quarantine,
    rate,
    rules,
    step_types,
    systems,
    transactions,
    workspace,
)
from api.versions import VERSIONS
from engines.pii import Masker
from engines.url_policy import UrlPolicy
from infra.circuit_breaker import Breakers, LocalBreakers, RedisBreakers
from infra.metrics import watch_pool
from models.errors import ErrorEnvelope
from models.settings import Settings, get_settings
from services.auth import Authenticator
from services.challengers import ChallengerTraffic
from services.impact import ImpactAnalyses
from services.published_flows import PublishedFlows
from services.rate_limits import RateLimiter
from services.replays import Replays
from services.rerates import Rerates
from services.runs import RunStarter, TaskQueues
from services.sync_runs import SyncRuns
from services.transactions import TransactionReader
from store.blobs import BlobStore, create_blob_store
from store.db import SessionFactory, create_engine, session_factory
from store.documents import Documents
from store.sealing import keyring_from
from workers.client import connect_client, connect_redis
from workers.telemetry import tracing
from workers.worker import rating_worker


def create_app(settings: Settings | None = None, client: Client | None = None) -> FastAPI:
    """The API app. ``client`` lets tests share one Temporal client."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        config = settings or get_settings()
        load_step_modules(config.step_modules)
        engine = create_engine(config.database, config.db_pool_size, config.db_max_overflow)
        watch_pool(engine, "api")
        sessions = session_factory(engine)
        blobs = create_blob_store(config.blobs)
        temporal = client or await connect_client(config.temporal, blobs)
        redis = connect_redis(config)
        services = _services(config, sessions, blobs, temporal, redis)
        app.state.services = services
        async with AsyncExitStack() as stack:
            if config.api.embedded_worker:
                await _start_embedded_worker(stack, temporal, config, services.breakers)
            stack.push_async_callback(engine.dispose)
            if redis is not None:
                stack.push_async_callback(redis.aclose)
                listener = asyncio.create_task(services.flows.listen())
                stack.push_async_callback(_cancel, listener)
            yield

    app = FastAPI(
        title="InsurRateX",
        version="0.1.0",
        summary="Insurance rating orchestration on Temporal.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.add_middleware(RequestGuard)
    app.add_middleware(OptionalGZipMiddleware, minimum_size=1024)
    app.add_middleware(StandardHeadersMiddleware)
    _include_routers(app)
    install_openapi(app)
    # The request's server span (a caller's W3C traceparent is its parent), when this
    # process traces; probes and scrapes would only add noise to the traces.
    if tracing():
        FastAPIInstrumentor.instrument_app(
            app,
            excluded_urls="/api/v1/health,/api/v2/health,/metrics",
            exclude_spans=["receive", "send"],
        )
    return app


def _services(
    config: Settings,
    sessions: SessionFactory,
    blobs: BlobStore,
    temporal: Client,
    redis: Redis | None,
) -> Services:
    """The services the routes share, built over the lifespan's clients."""
    documents = Documents(blobs, config.blobs.inline_threshold_bytes)
    keyring = keyring_from(config.secret_keys)
    runs = RunStarter(
        temporal,
        sessions,
        documents,
        TaskQueues.of(config.temporal),
        idempotency_window_s=config.api.idempotency_window_s,
        max_async_in_flight=config.api.max_async_in_flight,
        start_timeout_s=config.api.temporal_start_timeout_s,
        keyring=keyring,
    )
    transactions = TransactionReader(temporal, sessions, documents)
    sync = SyncRuns(
        runs,
        max_inflight=config.api.max_inflight_ratings,
        sync_timeout_s=config.api.sync_timeout_s,
        masker=Masker(config.log_mask_fields),
    )
    replays = Replays(runs, transactions, registry)
    flows = PublishedFlows(sessions, config.config_cache_ttl_s, redis)
    return Services(
        settings=config,
        sessions=sessions,
        client=temporal,
        runs=runs,
        sync=sync,
        flows=flows,
        blobs=blobs,
        transactions=transactions,
        replays=replays,
        rerates=Rerates(replays, sync, flows),
        challengers=ChallengerTraffic(sessions, flows, registry),
        impact=ImpactAnalyses(
            temporal,
            sessions,
            flows,
            registry,
            config.temporal.task_queue,
            config.api.temporal_start_timeout_s,
        ),
        auth=Authenticator(sessions),
        limiter=RateLimiter(redis),
        steps=registry,
        breakers=RedisBreakers(redis) if redis is not None else LocalBreakers(),
        redis=redis,
        keyring=keyring,
        url_policy=UrlPolicy.of(config.egress),
    )


async def _start_embedded_worker(
    stack: AsyncExitStack, temporal: Client, config: Settings, breakers: Breakers
) -> None:
    """Runs a rating worker in this process until ``stack`` closes.

    Same client and task queue as the API: start_workflow's eager start hands the
    first workflow task straight to this worker.
    """
    worker = await stack.enter_async_context(rating_worker(temporal, config, breakers=breakers))
    task = asyncio.create_task(worker.run())
    stack.push_async_callback(_stop, worker, task)


def _include_routers(app: FastAPI) -> None:
    """Every router under each API version (one handler per route, served twice), each
    error of each route answering the standard envelope."""
    # The rate route's /api/{version}/{product}/{endpoint} pattern goes last.
    versioned = (
        health,
        me,
        api_keys,
        audit,
        transactions,
        impact,
        challenger,
        quarantine,
        events,
        products,
        flows,
        mappings,
        rules,
        systems,
        step_types,
        rate,
    )
    # Every error answers the standard envelope; say so once, for every route.
    errors: dict[int | str, dict[str, Any]] = {
        "4XX": {"model": ErrorEnvelope, "description": "The request was refused."},
        "5XX": {"model": ErrorEnvelope, "description": "The platform or a dependency failed."},
    }
    problems: dict[int | str, dict[str, Any]] = {
        status: {"content": {"application/problem+json": {"schema": PROBLEM_SCHEMA}}, **spec}
        for status, spec in (
            ("4XX", {"description": "The request was refused (RFC 9457)."}),
            ("5XX", {"description": "The platform or a dependency failed (RFC 9457)."}),
        )
    }
    for module in (metrics, codec):
        app.include_router(module.router, responses=errors)
    app.include_router(workspace.router)
    for version in VERSIONS:
        v2 = version == "v2"
        for module in versioned:
            app.include_router(
                module.router,
                prefix=f"/api/{version}",
                responses=problems if v2 else errors,
                deprecated=None if v2 else True,
                dependencies=[Depends(camel_case_query)] if v2 else None,
            )


async def _stop(worker: Worker, task: asyncio.Task[None]) -> None:
    await worker.shutdown()
    await task


async def _cancel(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
