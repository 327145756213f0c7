"""Test a step type without Temporal: the worker's own wrapper, clients and config, in-process.

::

    async with StepHarness(tmp_path, config=StaticConfig(systems=[...])) as harness:
        outcome = await harness.run("acme_flat_fee", {"amount": 25}, {"premium": 100})
        assert outcome.data == {"premium": 100, "fees": {"flat": 25.0}}

A step's config is validated as publishing validates it, the step runs through
the same wrapper as in a worker (skip condition, blob store, error translation),
and a failure is raised back as the :class:`PlatformError` the step raised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
from temporalio.exceptions import ApplicationError

from activities.config_cache import ConfigCache
from activities.registry import StepRegistry, registry
from activities.resources import StepResources
from activities.runtime import StepActivities
from models.errors import PlatformError
from models.failures import StepFailure
from models.flow import StepDraft
from models.mappings import Mapping, MappingPublic
from models.pins import PinnedConfig
from models.rating import Doc, RunContext, StepInput
from models.rules import Rule, RulePublic
from models.systems import System
from store.blobs import DiskBlobStore
from store.documents import Documents


class StaticConfig:
    """Systems, mappings, rules and the product's request schema held in memory, for
    steps under test."""

    def __init__(
        self,
        systems: Iterable[System] = (),
        mappings: Iterable[Mapping] = (),
        rules: Iterable[Rule] = (),
        request_schema: dict[str, Any] | None = None,
    ) -> None:
        now = datetime.now(UTC)
        self._request_schema = request_schema
        self._systems = {s.code: s for s in systems}
        self._mappings = {
            m.name: MappingPublic(**m.model_dump(by_alias=False), revision=1, updated_at=now)
            for m in mappings
        }
        self._rules = [
            RulePublic(**r.model_dump(by_alias=False), revision=1, updated_at=now) for r in rules
        ]

    async def pinned(self, run: RunContext) -> PinnedConfig | None:
        return None  # a step under test reads the mappings and rules given here

    async def request_schema(
        self, organization_id: str, product_code: str
    ) -> dict[str, Any] | None:
        return self._request_schema

    async def system(self, organization_id: str, code: str) -> System | None:
        return self._systems.get(code)

    async def mapping(
        self, organization_id: str, product_code: str, name: str
    ) -> MappingPublic | None:
        return self._mappings.get(name)

    async def rules(self, organization_id: str, product_code: str, phase: str) -> list[RulePublic]:
        return sorted(
            (r for r in self._rules if r.phase == phase), key=lambda r: (r.priority, r.name)
        )


@dataclass
class StepOutcome:
    """What a step did: the working document after it, its detail, whether it ran."""

    data: Any
    detail: dict[str, Any] = field(default_factory=dict)
    changed: bool = False
    skipped: bool = False


class StepHarness:
    """Runs registered step types as a worker would, without Temporal.

    Args:
        workdir: Where large documents and the event log go.
        config: The systems, mappings and rules steps may read.
        steps: The registry the step types are in.
        organization_id: The run's organization.
        product_code: The run's product.
        inline_threshold: Documents larger than this go to the blob store.
    """

    def __init__(
        self,
        workdir: Path,
        *,
        config: StaticConfig | None = None,
        steps: StepRegistry = registry,
        organization_id: str = "org",
        product_code: str = "TEST",
        inline_threshold: int = 128 * 1024,
    ) -> None:
        self.workdir = workdir
        self.steps = steps
        self.run_context = RunContext(
            transaction_id="test-transaction",
            organization_id=organization_id,
            product_code=product_code,
            endpoint="rate",
            flow_version=1,
            correlation_id="test-correlation",
        )
        self._config = config or StaticConfig()
        self._inline_threshold = inline_threshold
        self._http: httpx.AsyncClient | None = None
        self._resources: StepResources | None = None

    @property
    def resources(self) -> StepResources:
        if self._resources is None:
            raise RuntimeError("use the harness as `async with StepHarness(...)`")
        return self._resources

    async def __aenter__(self) -> StepHarness:
        self._http = httpx.AsyncClient()
        self._resources = StepResources(
            documents=Documents(DiskBlobStore(self.workdir / "blobs"), self._inline_threshold),
            http=self._http,
            config=ConfigCache(self._config, ttl_s=0),
            event_log=self.workdir / "events.jsonl",
        )
        await self._resources.open_clients(self.steps.clients.values())
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.resources.aclose()
        if self._http is not None:
            await self._http.aclose()

    async def run(
        self,
        step_type: str,
        config: dict[str, Any],
        data: Any,
        *,
        condition: str | None = None,
        attempt: int = 1,
        index: int = 0,
        timeout_ms: int | None = None,
    ) -> StepOutcome:
        """Validates ``config`` as publishing does, then runs the step once on ``data``.

        Raises:
            PlatformError: the step failed (its code, message and details), or
                the config is invalid (VALIDATION_FAILED).
        """
        (spec,) = self.steps.resolve(
            [
                StepDraft(
                    name=step_type,
                    type=step_type,
                    config=config,
                    condition=condition,
                    timeout_ms=timeout_ms,
                )
            ]
        )
        runner = StepActivities(self.resources, self.steps)
        inp = StepInput(run=self.run_context, step=spec, index=index, data=Doc(inline=data))
        try:
            out = await runner.run(self.steps.get(step_type), inp, attempt)
        except ApplicationError as exc:
            error = StepFailure.of(exc, attempt).error
            raise PlatformError(error.code, error.message, error.details) from exc.__cause__
        if out.data is None:
            return StepOutcome(data=data, detail=out.detail, skipped=out.skipped)
        return StepOutcome(
            data=await self.resources.documents.load(out.data), detail=out.detail, changed=True
        )
