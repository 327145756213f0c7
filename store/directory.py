"""Cached reads of the config that steps need at run time (systems, mappings, rules)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlmodel import col, select

from models.errors import ErrorCode, PlatformError
from models.tables import Mapping, Product, Rule, System
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


class MappingInfo(BaseModel):
    """A named mapping; ``(id, revision)`` identifies one compiled form."""

    id: str
    revision: int
    name: str
    direction: str
    fields: list[dict[str, Any]]


class RuleSetInfo(BaseModel):
    """A product's rules for one phase; ``fingerprint`` changes whenever any of them does."""

    fingerprint: str
    rules: list[dict[str, Any]]


class ConfigDirectory:
    """Reads run-time config for activities, cached for ``ttl`` seconds.

    Mappings and rules are read when a step runs (not pinned into the flow
    version), so a rule change applies to new runs within the cache TTL.
    """

    def __init__(self, sessions: SessionFactory, ttl: float = 10.0) -> None:
        self.sessions = sessions
        self._systems: TTLCache[SystemInfo] = TTLCache(ttl)
        self._mappings: TTLCache[MappingInfo] = TTLCache(ttl)
        self._rules: TTLCache[RuleSetInfo] = TTLCache(ttl)

    async def mapping(self, organization_id: str, product_code: str, name: str) -> MappingInfo:
        async def load() -> MappingInfo:
            async with self.sessions() as session:
                row = (
                    await session.exec(
                        select(Mapping)
                        .join(Product, Product.id == Mapping.product_id)  # type: ignore[arg-type]
                        .where(
                            Product.organization_id == organization_id,
                            Product.code == product_code,
                            Mapping.name == name,
                        )
                    )
                ).first()
            if row is None:
                raise PlatformError(
                    ErrorCode.RESOURCE_NOT_FOUND, resource="Mapping", id=f"{product_code}/{name}"
                )
            return MappingInfo.model_validate(row, from_attributes=True)

        return await self._mappings.get((organization_id, product_code, name), load)

    async def rules(self, organization_id: str, product_code: str, phase: str) -> RuleSetInfo:
        async def load() -> RuleSetInfo:
            async with self.sessions() as session:
                rows = (
                    await session.exec(
                        select(Rule)
                        .join(Product, Product.id == Rule.product_id)  # type: ignore[arg-type]
                        .where(
                            Product.organization_id == organization_id,
                            Product.code == product_code,
                            Rule.phase == phase,
                        )
                        .order_by(col(Rule.priority), col(Rule.name))
                    )
                ).all()
            return RuleSetInfo(
                fingerprint=",".join(f"{r.id}:{r.revision}" for r in rows),
                rules=[rule_definition(r) for r in rows],
            )

        return await self._rules.get((organization_id, product_code, phase), load)

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


RULE_COLUMNS = (
    "phase",
    "priority",
    "scope",
    "conditions",
    "actions",
    "active",
    "effective_from",
    "effective_to",
)


def rule_definition(row: Rule) -> dict[str, Any]:
    """A stored rule in the shape the rule evaluator reads."""
    return {"name": row.name, **{column: getattr(row, column) for column in RULE_COLUMNS}}
