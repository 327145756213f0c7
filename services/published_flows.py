"""The published flows the rate path runs: cached per process, forgotten everywhere on a
publish.

The rate path keeps each product endpoint's published versions (with their effective
dates, ``store.flows.EffectiveFlows``) in process (no config store
read per rating). A publish (or a product's new limits, or an import) is a service step
that forgets the flow once its database transaction commits (:meth:`published_on_commit`),
here at once and in every other API process through Redis pub/sub (:meth:`listen`).
Without Redis, or while it is unreachable, ``IRX_CONFIG_CACHE_TTL_S`` bounds how long
another process runs the previous version.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Literal

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import event
from sqlmodel.ext.asyncio.session import AsyncSession

from activities.registry import StepRegistry
from engines.cache import TTLCache
from infra.metrics import cache_counter
from models.errors import ErrorCode, PlatformError
from models.flow import ENDPOINT, StepDraft
from models.principal import Principal
from models.products import PRODUCT_CODE
from models.rating import Mode
from store.db import SessionFactory
from store.flows import EffectiveFlows, PublishedFlow, chosen_version, published_flows, runnable

CHANNEL = "irx:flows:published"
log = logging.getLogger(__name__)


class PublishedFlows:
    def __init__(self, sessions: SessionFactory, cache_ttl_s: float, redis: Redis | None) -> None:
        self.sessions = sessions
        self.redis = redis
        self.cache: TTLCache[EffectiveFlows] = TTLCache(cache_ttl_s, observe=cache_counter("flow"))
        self._announcing: set[asyncio.Task[None]] = set()

    async def for_rating(self, principal: Principal, product: str, endpoint: str) -> EffectiveFlows:
        """The product endpoint's published versions (cached), as the caller's organization
        sees them: the rate path picks the one in force on the request's date."""
        if not (re.match(PRODUCT_CODE, product) and re.match(ENDPOINT, endpoint)):
            # No flow can have such a name: answer as for any unknown one.
            raise PlatformError(
                ErrorCode.ORCHESTRATOR_NOT_FOUND,
                details={"productCode": product[:50], "endpoint": endpoint[:100]},
                product=product[:50],
                endpoint=endpoint[:100],
            )

        async def load() -> EffectiveFlows:
            async with self.sessions() as session:
                return await published_flows(session, principal.organization_id, product, endpoint)

        return await self.cache.get((principal.organization_id, product, endpoint), load)

    async def chosen(
        self,
        principal: Principal,
        product: str,
        endpoint: str,
        wanted: int | Literal["draft"],
        steps: StepRegistry,
    ) -> tuple[PublishedFlow, Mode]:
        """A given version of the flow (``X-Flow-Version``), a draft included, to test it
        before publishing: never cached; a draft's steps are validated as publishing
        would, and it reads the live mappings and rules (nothing is pinned yet). Its
        mode: live for the version in force, a simulation for any other."""
        principal.require_scope("config:write")
        async with self.sessions() as session:
            row, version = await chosen_version(
                session, principal.organization_id, product, endpoint, wanted
            )
        if not version.steps:
            raise PlatformError(ErrorCode.NO_STEPS_CONFIGURED, product=product, endpoint=endpoint)
        # A draft's steps are resolved as publishing would; a published version's are pinned.
        specs = None
        if version.status == "draft":
            specs = steps.resolve([StepDraft.model_validate(s) for s in version.steps])
        mode: Mode = "live" if version.status == "published" else "simulation"
        return runnable(row, version, endpoint, specs), mode

    def published_on_commit(
        self, session: AsyncSession, organization_id: str, product: str, endpoint: str
    ) -> None:
        """Once ``session`` commits (never if it rolls back), the endpoint's cached flow is
        forgotten here and in every API process."""
        key = (organization_id, product, endpoint)
        pending: set[tuple[str, str, str]] = session.info.setdefault("published_flows", set())
        pending.add(key)
        if not event.contains(session.sync_session, "after_commit", self._committed):
            event.listen(session.sync_session, "after_commit", self._committed)

    def _committed(self, sync_session: object) -> None:
        info = getattr(sync_session, "info", {})
        for key in info.pop("published_flows", set()):
            self.cache.invalidate(key)
            if self.redis is not None:
                task = asyncio.get_running_loop().create_task(self._announce(*key))
                self._announcing.add(task)
                task.add_done_callback(self._announcing.discard)

    async def _announce(self, organization_id: str, product: str, endpoint: str) -> None:
        assert self.redis is not None
        message = json.dumps(
            {"organization": organization_id, "product": product, "endpoint": endpoint}
        )
        try:
            await self.redis.publish(CHANNEL, message)
        except (RedisError, OSError):
            log.warning(
                "could not announce a publish on Redis; other processes see it within the cache TTL"
            )

    async def listen(self) -> None:
        """Forgets what other processes announce; reconnects with backoff; runs until cancelled."""
        assert self.redis is not None
        delay = 0.5
        while True:
            try:
                async with self.redis.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    delay = 0.5
                    async for message in pubsub.listen():
                        if message["type"] == "message":
                            self._forget(message["data"])
            except (RedisError, OSError) as exc:
                log.warning("flow cache channel lost (%s); retrying in %.1f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)

    def _forget(self, data: bytes | str) -> None:
        try:
            found = json.loads(data)
            self.cache.invalidate((found["organization"], found["product"], found["endpoint"]))
        except (ValueError, KeyError, TypeError):
            log.warning("ignored a malformed message on %s", CHANNEL)
