"""The one way API and workers connect to Temporal, with one data converter."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from models.settings import TemporalSettings

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
