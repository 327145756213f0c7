"""Builds the rating worker: its workflows and activities, listed explicitly."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from redis.asyncio import Redis
from temporalio.client import Client
from temporalio.common import VersioningBehavior, WorkerDeploymentVersion
from temporalio.worker import (
    UnsandboxedWorkflowRunner,
    Worker,
    WorkerDeploymentConfig,
)
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from activities.archival import ArchivalActivities
from activities.challengers import Challengers
from activities.config_cache import ConfigCache, StoreConfig
from activities.event_relay import EventRelay
from activities.impact import ImpactActivities
from activities.loader import load_step_modules
from activities.pinned_flows import PinnedFlows
from activities.registry import StepRegistry, registry
from activities.resources import StepResources
from activities.retention import RetentionActivities
from activities.runtime import StepActivities
from activities.transactions import TransactionActivities
from engines.pii import Masker
from engines.url_policy import UrlPolicy
from infra.circuit_breaker import Breakers, LocalBreakers, RedisBreakers
from infra.egress import GuardedTransport
from infra.metrics import watch_pool
from models.settings import Settings, WorkerSettings
from store.archive import Archive
from store.blobs import BlobStore, create_blob_store
from store.db import SessionFactory, create_engine, session_factory
from store.documents import Documents
from store.hot_documents import HotDocuments
from store.quarantine import Quarantine
from store.sealing import Keyring, keyring_from
from workers.client import connect_redis
from workers.telemetry import tracing
from workflows.impact import ImpactWorkflow
from workflows.rating import RatingWorkflow
from workflows.retention import RetentionWorkflow

log = logging.getLogger(__name__)


def deployment_config(settings: WorkerSettings) -> WorkerDeploymentConfig | None:
    """This worker as a version of its worker deployment, when one is configured.

    Runs are pinned: each finishes on the build it started on, so a deploy that changes
    the workflow never replays an in-flight run on new code; the new build takes new
    runs once it is made current (docs/deployment.md).
    """
    if settings.deployment_name is None or settings.build_id is None:
        return None
    return WorkerDeploymentConfig(
        version=WorkerDeploymentVersion(settings.deployment_name, settings.build_id),
        use_worker_versioning=True,
        default_versioning_behavior=VersioningBehavior.PINNED,
    )


@asynccontextmanager
async def rating_worker(
    client: Client,
    settings: Settings,
    *,
    steps: StepRegistry = registry,
    breakers: Breakers | None = None,
) -> AsyncIterator[Worker]:
    """A configured (not yet running) rating worker and the clients it owns.

    ``breakers`` lets a worker embedded in the API share the API's breakers, so
    the health endpoint reports what this process's steps see.
    """
    load_step_modules(settings.step_modules)
    engine = create_engine(settings.database, settings.db_pool_size, settings.db_max_overflow)
    watch_pool(engine, "worker")
    sessions = session_factory(engine)
    redis = connect_redis(settings)
    if redis is None:
        log.warning(
            "no Redis configured (IRX_REDIS_URL): publish_event's redis sink appends to %s",
            settings.events.log_path,
        )
    async with httpx.AsyncClient(transport=_egress_transport(settings)) as http:
        # Every outbound call (engines, enrichment, webhooks) is a span of the run's trace.
        if tracing():
            HTTPXClientInstrumentor.instrument_client(http)
        blobs = create_blob_store(settings.blobs)
        keyring = keyring_from(settings.secret_keys)
        resources = _step_resources(settings, sessions, keyring, blobs, http, redis, breakers)
        relay = EventRelay(sessions, resources, settings.events)
        # Documents read as runs stored them, never as they hand them over in memory.
        documents = Documents(blobs, settings.blobs.inline_threshold_bytes)
        challengers = Challengers(
            sessions,
            client,
            documents,
            keyring,
            settings.temporal.task_queue,
            settings.config_cache_ttl_s,
        )
        masker = Masker(settings.log_mask_fields)
        records = TransactionActivities(sessions, masker, relay, challengers)
        retention = RetentionActivities(sessions, blobs, settings.blobs.temporal_payload_days)
        impact = ImpactActivities(sessions, documents, keyring)
        archival = ArchivalActivities(sessions, Archive(blobs), settings.archive.hot_days)
        relaying = None
        try:
            await resources.open_clients(steps.clients.values())
            # Every worker delivers what the event outbox holds (claims keep them apart).
            relaying = asyncio.create_task(relay.run())
            yield _worker(
                client,
                settings,
                [
                    *StepActivities(
                        resources, steps, PinnedFlows(client), records.record
                    ).definitions(),
                    records.record_transaction,
                    retention.purge_expired,
                    impact.select,
                    impact.prepare,
                    impact.compare,
                    impact.finish,
                    impact.end,
                    archival.archive_transactions,
                ],
            )
        finally:
            if relaying is not None:
                relaying.cancel()
                await asyncio.wait([relaying])
            await resources.aclose()
            if redis is not None:
                await redis.aclose()
            await engine.dispose()


def _step_resources(
    settings: Settings,
    sessions: SessionFactory,
    keyring: Keyring | None,
    blobs: BlobStore,
    http: httpx.AsyncClient,
    redis: Redis | None,
    breakers: Breakers | None,
) -> StepResources:
    """What every step is handed: documents, HTTP, config, breakers, Redis, quarantine."""
    return StepResources(
        documents=Documents(blobs, settings.blobs.inline_threshold_bytes, HotDocuments()),
        http=http,
        config=ConfigCache(
            StoreConfig(sessions, keyring),
            settings.config_cache_ttl_s,
        ),
        breakers=breakers or (RedisBreakers(redis) if redis is not None else LocalBreakers()),
        redis=redis,
        event_log=settings.events.log_path,
        quarantine=Quarantine(sessions, blobs),
    )


def _egress_transport(settings: Settings) -> GuardedTransport:
    """The steps' HTTP transport: the egress policy checked on every call."""
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
    return GuardedTransport(
        UrlPolicy.of(settings.egress),
        httpx.AsyncHTTPTransport(limits=limits),
        max_response_bytes=settings.egress.max_response_bytes,
    )


def _worker(client: Client, settings: Settings, activities: Sequence[Callable[..., Any]]) -> Worker:
    """The Temporal worker of the rating task queue: both workflows and ``activities``."""
    return Worker(
        client,
        task_queue=settings.temporal.task_queue,
        workflows=[RatingWorkflow, RetentionWorkflow, ImpactWorkflow],
        activities=activities,
        workflow_runner=(
            SandboxedWorkflowRunner() if settings.worker.sandboxed else UnsandboxedWorkflowRunner()
        ),
        max_concurrent_activities=settings.worker.max_concurrent_activities,
        max_concurrent_local_activities=settings.worker.max_concurrent_local_activities,
        max_concurrent_workflow_tasks=settings.worker.max_concurrent_workflow_tasks,
        sticky_queue_schedule_to_start_timeout=timedelta(seconds=settings.worker.sticky_timeout_s),
        deployment_config=deployment_config(settings.worker),
    )
