"""The worker's one cache of run-time config: systems, mappings, rules, compiled forms.

Lookups (which revision of a mapping or rule set is current) are cached for the
one ``IRX_CONFIG_CACHE_TTL_S`` setting; what is compiled from a revision (a
mapping, a rule set, a step's parsed config) is kept while it is used, keyed by
that revision, so an edit reaches new runs within the TTL and nothing is
compiled twice.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy.exc import SQLAlchemyError

from engines.cache import TTLCache
from engines.mapping import CompiledMapping, compile_mapping
from engines.rules import RuleSet
from models.errors import ErrorCode, PlatformError
from models.mappings import MappingPublic
from models.rules import RulePublic
from models.systems import System
from store import mappings, rules, systems
from store.db import SessionFactory
from store.sealing import Keyring

T = TypeVar("T")


class ConfigSource(Protocol):
    """Where run-time config is read from: the config store, or memory in tests."""

    async def system(self, organization_id: str, code: str) -> System | None: ...

    async def mapping(
        self, organization_id: str, product_code: str, name: str
    ) -> MappingPublic | None: ...

    async def rules(
        self, organization_id: str, product_code: str, phase: str
    ) -> list[RulePublic]: ...


class StoreConfig:
    """Run-time config from the config store; an unreachable store is a retryable error."""

    def __init__(self, sessions: SessionFactory, keyring: Keyring | None = None) -> None:
        self.sessions = sessions
        self.keyring = keyring

    async def system(self, organization_id: str, code: str) -> System | None:
        # A store outage here is INTERNAL_ERROR (retryable): no code names "systems".
        async with self.sessions() as session:
            row = await systems.find_system(session, organization_id, code)
        return None if row is None else systems.system_of(row, self.keyring)

    async def mapping(
        self, organization_id: str, product_code: str, name: str
    ) -> MappingPublic | None:
        try:
            async with self.sessions() as session:
                row = await mappings.find_mapping_by_code(
                    session, organization_id, product_code, name
                )
        except (SQLAlchemyError, OSError) as exc:
            raise PlatformError(ErrorCode.MAPPING_SERVICE_UNAVAILABLE) from exc
        return None if row is None else mappings.mapping_of(row)

    async def rules(self, organization_id: str, product_code: str, phase: str) -> list[RulePublic]:
        try:
            async with self.sessions() as session:
                rows = await rules.phase_rules(session, organization_id, product_code, phase)
        except (SQLAlchemyError, OSError) as exc:
            raise PlatformError(ErrorCode.RULES_SERVICE_UNAVAILABLE) from exc
        return [rules.rule_of(r) for r in rows]


@dataclass(frozen=True)
class MappingEntry:
    mapping: MappingPublic
    compiled: CompiledMapping


@dataclass(frozen=True)
class RuleSetEntry:
    fingerprint: str
    compiled: RuleSet


class ConfigCache:
    """Cached run-time config and its compiled forms, for every step of one worker.

    Args:
        source: Where config is read.
        ttl_s: How long a lookup is trusted (0: read on every use).
        max_compiled: Compiled artefacts kept (least recently used go first).
    """

    def __init__(self, source: ConfigSource, ttl_s: float, max_compiled: int = 4096) -> None:
        self.source = source
        self._lookups: TTLCache[Any] = TTLCache(ttl_s)
        self._compiled: OrderedDict[Hashable, Any] = OrderedDict()
        self.max_compiled = max_compiled

    def compiled(self, key: Hashable, build: Callable[[], T]) -> T:
        """What ``build`` makes for ``key`` (a revision or content), built once."""
        try:
            value: T = self._compiled[key]
        except KeyError:
            value = self._compiled[key] = build()
            if len(self._compiled) > self.max_compiled:
                self._compiled.popitem(last=False)
            return value
        self._compiled.move_to_end(key)
        return value

    async def system(self, organization_id: str, code: str) -> System:
        async def load() -> System:
            found = await self.source.system(organization_id, code)
            if found is None:
                raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="System", id=code)
            return found

        found: System = await self._lookups.get(("system", organization_id, code), load)
        return found

    async def mapping(self, organization_id: str, product_code: str, name: str) -> MappingEntry:
        async def load() -> MappingPublic:
            found = await self.source.mapping(organization_id, product_code, name)
            if found is None:
                raise PlatformError(
                    ErrorCode.RESOURCE_NOT_FOUND, resource="Mapping", id=f"{product_code}/{name}"
                )
            return found

        mapping: MappingPublic = await self._lookups.get(
            ("mapping", organization_id, product_code, name), load
        )
        key = ("mapping", organization_id, product_code, name, mapping.revision)
        return MappingEntry(mapping, self.compiled(key, lambda: compile_mapping(mapping)))

    async def rules(self, organization_id: str, product_code: str, phase: str) -> RuleSetEntry:
        async def load() -> list[RulePublic]:
            return await self.source.rules(organization_id, product_code, phase)

        found: list[RulePublic] = await self._lookups.get(
            ("rules", organization_id, product_code, phase), load
        )
        fingerprint = ",".join(f"{r.name}:{r.revision}" for r in found)
        key = ("rules", organization_id, product_code, phase, fingerprint)
        return RuleSetEntry(fingerprint, self.compiled(key, lambda: RuleSet(list(found))))
