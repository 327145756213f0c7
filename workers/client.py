"""The one way API and workers connect to Temporal (one data converter) and to Redis."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from redis.asyncio import Redis
from temporalio.client import Client
from temporalio.contrib.pydantic import PydanticPayloadConverter
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes

from models.settings import Settings, TemporalSettings
from store.blobs import BlobStore
from store.sealing import keyring_from
from store.temporal_payloads import external_storage
from workers.codec import EncryptionCodec
from workers.telemetry import temporal_interceptors


class SharedPayloadConverter(PydanticPayloadConverter):
    """The SDK's pydantic payload converter, built once per process.

    With external storage on, the SDK builds its data converter anew for every payload
    it converts (to bind the store's context), and so this converter: a fresh JSON
    schema serializer and an empty cache of type adapters each time, about 6 % of a
    worker's CPU measured on IMCE ``/rate``. It holds no per-call state, so one serves.
    """

    _built: ClassVar[SharedPayloadConverter | None] = None

    def __new__(cls) -> SharedPayloadConverter:
        if cls._built is None:
            built = super().__new__(cls)
            PydanticPayloadConverter.__init__(built)
            cls._built = built
        return cls._built

    def __init__(self) -> None:
        """Built in ``__new__``, once."""


# The converter without payload encryption (histories written before a key was
# configured, replay tests); data_converter() is the one a process uses.
DATA_CONVERTER = DataConverter(payload_converter_class=SharedPayloadConverter)


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
