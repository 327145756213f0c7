"""The one way API and workers connect to Temporal (one data converter) and to Redis."""

from __future__ import annotations

from redis.asyncio import Redis
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from models.settings import Settings, TemporalSettings

DATA_CONVERTER = pydantic_data_converter


async def connect_client(settings: TemporalSettings) -> Client:
    """A Temporal client for the configured address and namespace."""
    return await Client.connect(
        settings.address,
        namespace=settings.namespace,
        api_key=settings.api_key.get_secret_value() if settings.api_key else None,
        tls=settings.tls,
        data_converter=DATA_CONVERTER,
    )


def connect_redis(settings: Settings) -> Redis | None:
    """The Redis client, when Redis is configured (it connects on first use)."""
    return Redis.from_url(str(settings.redis_url)) if settings.redis_url else None
