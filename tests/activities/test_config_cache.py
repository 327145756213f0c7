"""The worker's config cache: lookups trusted for the TTL, compiled forms keyed by revision."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from activities.config_cache import ConfigCache
from models.errors import ErrorCode, PlatformError
from models.mappings import FieldMapping, MappingPublic
from models.pins import PinnedConfig
from models.rating import RunContext
from models.rules import RulePublic
from models.systems import System

RUN = RunContext(
    transaction_id="t",
    organization_id="org",
    product_code="IMCE",
    endpoint="rate",
    flow_version=1,
    correlation_id="c",
)


class CountingSource:
    def __init__(self) -> None:
        self.reads = 0
        self.pin_reads = 0
        self.revision = 1
        self.pins: PinnedConfig | None = None

    async def pinned(self, run: RunContext) -> PinnedConfig | None:
        self.pin_reads += 1
        return self.pins

    async def request_schema(
        self, organization_id: str, product_code: str
    ) -> dict[str, Any] | None:
        return {"type": "object"}

    async def system(self, organization_id: str, code: str) -> System | None:
        self.reads += 1
        return None

    async def mapping(
        self, organization_id: str, product_code: str, name: str
    ) -> MappingPublic | None:
        self.reads += 1
        return MappingPublic(
            name=name,
            fields=[FieldMapping(source="a", target=f"r{self.revision}")],
            revision=self.revision,
            updated_at=datetime.now(UTC),
        )

    async def rules(self, organization_id: str, product_code: str, phase: str) -> list[RulePublic]:
        return []


async def test_a_mapping_is_compiled_once_per_revision() -> None:
    source = CountingSource()
    cache = ConfigCache(source, ttl_s=0)
    first = await cache.mapping(RUN, "m")
    again = await cache.mapping(RUN, "m")
    assert source.reads == 2  # TTL 0: every use reads the current revision...
    assert again.compiled is first.compiled  # ...but compiles it only once
    source.revision = 2
    edited = await cache.mapping(RUN, "m")
    assert edited.compiled is not first.compiled
    assert edited.compiled.apply({"a": 1}).document == {"r2": 1}


async def test_lookups_are_trusted_for_the_ttl() -> None:
    source = CountingSource()
    cache = ConfigCache(source, ttl_s=60)
    await cache.mapping(RUN, "m")
    source.revision = 2
    assert (await cache.mapping(RUN, "m")).mapping.revision == 1
    assert source.reads == 1


async def test_a_missing_system_is_not_found() -> None:
    with pytest.raises(PlatformError) as caught:
        await ConfigCache(CountingSource(), ttl_s=0).system("org", "nope")
    assert caught.value.code == ErrorCode.RESOURCE_NOT_FOUND


def test_compiled_artefacts_are_bounded() -> None:
    cache = ConfigCache(CountingSource(), ttl_s=0, max_compiled=2)
    for key in ("a", "b", "c"):
        cache.compiled(key, object)
    marker = object()
    assert cache.compiled("a", lambda: marker) is marker  # "a" was evicted first


async def test_a_published_version_reads_what_it_pinned_and_keeps_it() -> None:
    source = CountingSource()
    cache = ConfigCache(source, ttl_s=0)
    assert (await cache.mapping(RUN, "m")).mapping.revision == 1  # a draft: live
    pinned = await source.mapping("org", "IMCE", "m")
    assert pinned is not None
    source.pins = PinnedConfig(mappings={"m": pinned}, rules={})
    source.revision = 7  # edited after publishing
    for _ in range(3):
        entry = await cache.mapping(RUN, "m")
        assert entry.mapping.revision == 1
        assert entry.compiled.apply({"a": 1}).document == {"r1": 1}
    assert source.pin_reads == 2  # once as a draft, once published, then kept
    assert (await cache.rules(RUN, "post_rating")).compiled.rules == []
    with pytest.raises(PlatformError) as caught:
        await cache.mapping(RUN, "not pinned")
    assert caught.value.code == ErrorCode.RESOURCE_NOT_FOUND
