"""Prepares a Temporal namespace: the platform's search attributes and its schedules."""

from __future__ import annotations

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)

from models import search_attributes as sa
from workflows.retention import SCHEDULE_ID, RetentionWorkflow

# Daily, at a quiet hour (UTC).
RETENTION_CRON = "17 3 * * *"


async def register_search_attributes(client: Client) -> list[str]:
    """Adds the attributes the namespace lacks; returns the names it added."""
    existing = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=client.namespace)
    )
    missing = [k.name for k in sa.ALL if k.name not in existing.custom_attributes]
    if missing:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(
                namespace=client.namespace,
                search_attributes=dict.fromkeys(
                    missing, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
                ),
            )
        )
    return missing


def dev_server_flags() -> list[str]:
    """``temporal server start-dev`` flags registering the same attributes."""
    flags: list[str] = []
    for key in sa.ALL:
        flags += ["--search-attribute", f"{key.name}=Keyword"]
    return flags


async def register_retention_schedule(client: Client, task_queue: str) -> None:
    """Creates (or brings up to date) the daily schedule that purges expired transactions."""
    schedule = Schedule(
        action=ScheduleActionStartWorkflow(
            RetentionWorkflow.run, id=SCHEDULE_ID, task_queue=task_queue
        ),
        spec=ScheduleSpec(cron_expressions=[RETENTION_CRON]),
    )
    try:
        await client.create_schedule(SCHEDULE_ID, schedule)
    except ScheduleAlreadyRunningError:

        async def update(_: ScheduleUpdateInput) -> ScheduleUpdate:
            return ScheduleUpdate(schedule=schedule)

        await client.get_schedule_handle(SCHEDULE_ID).update(update)
