"""The one way API and workers connect to Temporal (one data converter) and to Redis."""

from __future__ import annotations

import dataclasses

from redis.asyncio import Redis
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes

from models.settings import Settings, TemporalSettings
from store.blobs import BlobStore
from store.sealing import keyring_from
from store.temporal_payloads import external_storage
from workers.codec import EncryptionCodec
from workers.telemetry import temporal_interceptors

# The converter without payload encryption (histories written before a key was
# configured, replay tests); data_converter() is the one a process uses.
DATA_CONVERTER = pydantic_data_converter


def data_converter(settings: TemporalSettings, blobs: BlobStore | None = None) -> DataConverter:
    """The data converter: payloads encrypted when ``payload_keys`` are configured, and
    large ones kept in ``blobs`` (``store.temporal_payloads``) when it is given.

    With encryption, failure messages and stack traces move into the failure's
    encoded attributes too, so the codec encrypts them (they may quote a value).
    """
    converter = DATA_CONVERTER
    keyring = keyring_from(settings.payload_keys)
    if keyring is not None:
        converter = dataclasses.replace(
            converter,
            payload_codec=EncryptionCodec(keyring),
            failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
        )
    if blobs is not None:
        converter = dataclasses.replace(converter, external_storage=external_storage(blobs))
    return converter


async def connect_client(settings: TemporalSettings, blobs: BlobStore | None = None) -> Client:
    """A Temporal client for the configured address and namespace; the API and workers
    pass their blob store, which keeps what would outgrow history."""
    return await Client.connect(
        settings.address,
        namespace=settings.namespace,
        api_key=settings.api_key.get_secret_value() if settings.api_key else None,
        tls=settings.tls,
        data_converter=data_converter(settings, blobs),
        # Workflows and activities join the caller's trace (and workers built on this
        # client inherit the interceptor).
        interceptors=temporal_interceptors(),
    )


def connect_redis(settings: Settings) -> Redis | None:
    """The Redis client, when Redis is configured (it connects on first use)."""
    return Redis.from_url(str(settings.redis_url)) if settings.redis_url else None
