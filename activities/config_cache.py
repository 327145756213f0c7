"""The worker's one cache of run-time config: systems, mappings, rules, compiled forms.

A run reads the mappings and rules its flow version pinned when it was published
(``models.pins``): immutable, so they are kept for as long as they are used. A draft
(or a version published before pinning) reads the live ones, whose lookups are
cached for ``IRX_CONFIG_CACHE_TTL_S``, as are systems. What is compiled (a mapping,
a rule set, a step's parsed config) is keyed by revision and built once.
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
from models.pins import PinnedConfig
from models.rating import RunContext
from models.rules import RulePublic
from models.systems import System
from store import flows, mappings, products, rules, systems
from store.db import SessionFactory
from store.sealing import Keyring

T = TypeVar("T")


class ConfigSource(Protocol):
    """Where run-time config is read from: the config store, or memory in tests."""

    async def pinned(self, run: RunContext) -> PinnedConfig | None: ...

    async def request_schema(
        self, organization_id: str, product_code: str
    ) -> dict[str, Any] | None: ...

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

    async def request_schema(
        self, organization_id: str, product_code: str
    ) -> dict[str, Any] | None:
        async with self.sessions() as session:
            product = await products.find_product(session, organization_id, product_code)
        return None if product is None else product.request_schema

    async def pinned(self, run: RunContext) -> PinnedConfig | None:
        # A store outage here is INTERNAL_ERROR (retryable), as for systems.
        async with self.sessions() as session:
            return await flows.pinned_config(
                session, run.organization_id, run.product_code, run.endpoint, run.flow_version
            )

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

    async def pins(self, run: RunContext) -> PinnedConfig | None:
        """What the run's flow version pinned (kept: a published version never changes)."""
        key = ("pinned", run.organization_id, run.product_code, run.endpoint, run.flow_version)
        kept: PinnedConfig | None = self._compiled.get(key)
        if kept is not None:
            self._compiled.move_to_end(key)
            return kept
        # None (a draft) is only trusted for the TTL: the draft may be published.
        found: PinnedConfig | None = await self._lookups.get(key, lambda: self.source.pinned(run))
        if found is not None:
            self.compiled(key, lambda: found)
        return found

    async def mapping(self, run: RunContext, name: str) -> MappingEntry:
        """The mapping ``name`` as the run's flow version pinned it (live for a draft)."""
        pins = await self.pins(run)
        if pins is not None:
            found = pins.mappings.get(name)
        else:
            found = await self._lookups.get(
                ("mapping", run.organization_id, run.product_code, name),
                lambda: self.source.mapping(run.organization_id, run.product_code, name),
            )
        if found is None:
            raise PlatformError(
                ErrorCode.RESOURCE_NOT_FOUND, resource="Mapping", id=f"{run.product_code}/{name}"
            )
        mapping: MappingPublic = found
        key = ("mapping", run.organization_id, run.product_code, name, mapping.revision)
        return MappingEntry(mapping, self.compiled(key, lambda: compile_mapping(mapping)))

    async def request_schema(self, run: RunContext) -> dict[str, Any] | None:
        """The product's request schema as the run's version pinned it (live for a draft)."""
        pins = await self.pins(run)
        if pins is not None:
            return pins.request_schema
        found: dict[str, Any] | None = await self._lookups.get(
            ("request_schema", run.organization_id, run.product_code),
            lambda: self.source.request_schema(run.organization_id, run.product_code),
        )
        return found

    async def rules(self, run: RunContext, phase: str) -> RuleSetEntry:
        """The phase's rules as the run's flow version pinned them (live for a draft)."""
        pins = await self.pins(run)
        if pins is not None:
            found = pins.rules.get(phase, [])
        else:
            found = await self._lookups.get(
                ("rules", run.organization_id, run.product_code, phase),
                lambda: self.source.rules(run.organization_id, run.product_code, phase),
            )
        fingerprint = ",".join(f"{r.name}:{r.revision}" for r in found)
        key = ("rules", run.organization_id, run.product_code, phase, fingerprint)
        return RuleSetEntry(fingerprint, self.compiled(key, lambda: RuleSet(list(found))))
