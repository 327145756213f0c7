"""Registers the platform's search attributes on a Temporal namespace."""

from __future__ import annotations

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client

from models import search_attributes as sa


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
