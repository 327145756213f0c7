"""Kafka producers, one per cluster per worker, opened on first use."""

from __future__ import annotations

from typing import Any

from activities.resources import StepResources
from models.errors import ErrorCode, PlatformError


def bootstrap_servers(base_url: str) -> str:
    """``kafka://host:9092,host2:9092`` (or a bare list) -> ``host:9092,host2:9092``."""
    return base_url.removeprefix("kafka://").rstrip("/")


async def kafka_producer(resources: StepResources, base_url: str) -> Any:
    """The worker's producer for this cluster (acks=all).

    Not an idempotent producer: consumers de-duplicate on the event id, which
    also covers redelivery by a retried step, and some Kafka-compatible brokers
    (tansu, used in the tests) do not implement producer ids.
    """
    servers = bootstrap_servers(base_url)

    async def open_producer() -> Any:
        from aiokafka import AIOKafkaProducer

        producer = AIOKafkaProducer(bootstrap_servers=servers, acks="all")
        try:
            await producer.start()
        except Exception as exc:
            await producer.stop()
            raise PlatformError(
                ErrorCode.EVENT_SINK_UNAVAILABLE, f"Kafka at {servers} is unavailable: {exc}."
            ) from exc
        return producer

    async def close(producer: Any) -> None:
        await producer.stop()

    return await resources.lazy(f"kafka:{servers}", open_producer, close)
