"""The one way API and workers connect to Temporal (one data converter) and to Redis."""

from __future__ import annotations

import dataclasses

from redis.asyncio import Redis
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes

from models.settings import Settings, TemporalSettings
from store.sealing import keyring_from
from workers.codec import EncryptionCodec
from workers.telemetry import temporal_interceptors

# The converter without payload encryption (histories written before a key was
# configured, replay tests); data_converter() is the one a process uses.
DATA_CONVERTER = pydantic_data_converter


def data_converter(settings: TemporalSettings) -> DataConverter:
    """The data converter: payloads encrypted when ``payload_keys`` are configured.

    With encryption, failure messages and stack traces move into the failure's
    encoded attributes too, so the codec encrypts them (they may quote a value).
    """
    keyring = keyring_from(settings.payload_keys)
    if keyring is None:
        return DATA_CONVERTER
    return dataclasses.replace(
        DATA_CONVERTER,
        payload_codec=EncryptionCodec(keyring),
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )


async def connect_client(settings: TemporalSettings) -> Client:
    """A Temporal client for the configured address and namespace."""
    return await Client.connect(
        settings.address,
        namespace=settings.namespace,
        api_key=settings.api_key.get_secret_value() if settings.api_key else None,
        tls=settings.tls,
        data_converter=data_converter(settings),
        # Workflows and activities join the caller's trace (and workers built on this
        # client inherit the interceptor).
        interceptors=temporal_interceptors(),
    )


def connect_redis(settings: Settings) -> Redis | None:
    """The Redis client, when Redis is configured (it connects on first use)."""
    return Redis.from_url(str(settings.redis_url)) if settings.redis_url else None
