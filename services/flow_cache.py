"""Every API process forgets a cached flow within a second of a publish anywhere.

The rate path keeps each product endpoint's published flow in process (no config
store read per rating). A publish through one API process clears its own cache at
once and announces it on Redis pub/sub; every other API process listens and clears
the same entry. Without Redis, or while it is unreachable, ``IRX_CONFIG_CACHE_TTL_S``
bounds how long another process runs the previous version.
"""

from __future__ import annotations

import asyncio
import json
import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

from services.runs import RunStarter

CHANNEL = "irx:flows:published"
log = logging.getLogger(__name__)


class FlowCacheBus:
    def __init__(self, runs: RunStarter, redis: Redis | None) -> None:
        self.runs = runs
        self.redis = redis

    async def published(self, organization_id: str, product: str, endpoint: str) -> None:
        """This process published a version: forget it here, then tell the others."""
        self.runs.forget(organization_id, product, endpoint)
        if self.redis is None:
            return
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
            self.runs.forget(found["organization"], found["product"], found["endpoint"])
        except (ValueError, KeyError, TypeError):
            log.warning("ignored a malformed message on %s", CHANNEL)
