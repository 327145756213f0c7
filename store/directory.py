"""Cached reads of the config that steps need at run time (systems, mappings, rules)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlmodel import select

from models.errors import ErrorCode, PlatformError
from models.tables import System
from store.cache import TTLCache
from store.db import SessionFactory


class SystemInfo(BaseModel):
    """An external endpoint as a step sees it."""

    code: str
    kind: str
    protocol: str
    base_url: str
    auth: dict[str, Any]
    timeout_ms: int
    circuit_breaker: dict[str, Any]


class ConfigDirectory:
    """Reads run-time config for activities, cached for ``ttl`` seconds."""

    def __init__(self, sessions: SessionFactory, ttl: float = 10.0) -> None:
        self.sessions = sessions
        self._systems: TTLCache[SystemInfo] = TTLCache(ttl)

    async def system(self, organization_id: str, code: str) -> SystemInfo:
        async def load() -> SystemInfo:
            async with self.sessions() as session:
                row = (
                    await session.exec(
                        select(System).where(
                            System.organization_id == organization_id, System.code == code
                        )
                    )
                ).first()
            if row is None:
                raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="System", id=code)
            return SystemInfo.model_validate(row, from_attributes=True)

        return await self._systems.get((organization_id, code), load)
