"""The step registry: step types, the worker clients and reference kinds they declare.

Plugin authors use it through :mod:`activities.sdk`, the one public module;
built-in steps use it exactly the same way.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Iterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any, Generic, ParamSpec, TypeVar

import jmespath
from jmespath.exceptions import JMESPathError
from pydantic import BaseModel, ValidationError
from pydantic.alias_generators import to_snake

from activities.clients import WorkerClient
from activities.resources import StepResources
from engines import budget
from infra.simulation import simulated
from models.errors import ErrorCode, PlatformError
from models.flow import RetrySpec, StepDraft, StepSpec
from models.rating import RunContext
from models.systems import System

C = TypeVar("C", bound=BaseModel)
T = TypeVar("T")
P = ParamSpec("P")


class StepResult:
    """What a step returns; build it with :meth:`changed` or :meth:`same`.

    Args:
        data: The new working document (required: a step that leaves the
            document alone returns :meth:`same`).
        detail: A small record of what the step did, kept in the step log.
    """

    __slots__ = ("data", "detail", "unchanged")

    def __init__(self, data: Any, detail: Mapping[str, Any] | None = None) -> None:
        self.data = data
        self.detail = dict(detail or {})
        self.unchanged = False

    @classmethod
    def changed(cls, data: Any, **detail: Any) -> StepResult:
        """The step produced a new working document."""
        return cls(data, detail)

    @classmethod
    def same(cls, **detail: Any) -> StepResult:
        """The step left the working document as it was (nothing travels back)."""
        result = cls(None, detail)
        result.unchanged = True
        return result


@dataclass(frozen=True)
class StepContext:
    """What a step implementation sees besides its config and the data.

    ``deadline`` is when this attempt's timeout ends, on ``time.monotonic()``'s clock.
    """

    run: RunContext
    step: StepSpec
    index: int
    attempt: int
    resources: StepResources
    deadline: float
    # The step's input is small (under SMALL_INPUT_BYTES): its CPU work takes well under
    # a millisecond, less than the hop to a thread and back, so it runs in place.
    small_input: bool = False

    def client(self, key: WorkerClient[T]) -> T:
        """The worker's opened instance of a contributed client."""
        return self.resources.client(key)

    @asynccontextmanager
    async def system(self, code: str) -> AsyncIterator[System]:
        """System ``code`` as this run calls it, held for the length of a call: as
        configured for a live run; for a simulation its simulation endpoint, within its
        bound of simulated calls at once, or SIMULATION_REFUSED (``infra.simulation``)."""
        organization_id = self.run.organization_id
        system = await self.resources.config.system(organization_id, code)
        if self.run.mode == "live":
            yield system
            return
        system = simulated(system)
        limit = system.simulation_max_concurrency
        async with self.resources.simulations.slot(f"{organization_id}:{code}", limit):
            yield system

    def breaker(self, system: System) -> str:
        """The circuit breaker of ``system`` as this run calls it: a test region's failures
        never open production's breaker."""
        key = f"{self.run.organization_id}:{system.code}"
        if self.run.mode != "live" and system.simulation_base_url is not None:
            return f"{key}:simulation"
        return key

    async def cpu(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """``fn(*args, **kwargs)`` in the worker's step threads, never on the event loop
        (but in place for a small input, where the hop would cost more than the work).

        The loop polls Temporal and, in the API's embedded worker, serves HTTP: CPU
        work there stalls both. ``fn`` gets the attempt's remaining time as its
        budget: the platform's engines check it as they go and stop with
        REQUEST_TIMEOUT (a plugin's own loop may call ``check_budget``, from the SDK).
        """
        remaining = self.deadline - time.monotonic()

        def bounded() -> T:
            with budget.within(remaining):
                return fn(*args, **kwargs)

        if self.small_input:
            return bounded()
        return await asyncio.get_running_loop().run_in_executor(self.resources.cpu, bounded)


@dataclass(frozen=True)
class ReferenceScope:
    """Where a flow being published lives, for a reference kind's check."""

    organization_id: str
    product_code: str


StepFn = Callable[[StepContext, C, Any], Awaitable[StepResult]]
# (kind, name) pairs a config points at, e.g. ("system", "ref-engine"); publishing
# refuses a flow whose references do not exist.
References = Callable[[C], list[tuple[str, str]]]
# The largest working document (bytes) a step can read with a config; None: no bound.
MaxInputBytes = Callable[[C], int | None]
KnownNames = Callable[[ReferenceScope], Awaitable[Collection[str]]]


@dataclass(frozen=True)
class StepType(Generic[C]):
    name: str
    config_model: type[C]
    run: StepFn[C]
    local: bool
    timeout_ms: int
    retry: RetrySpec
    description: str = ""
    references: References[C] | None = None
    max_input_bytes: MaxInputBytes[C] | None = None


class StepRegistry:
    """Step types by name, and what they declare: worker clients, reference kinds."""

    def __init__(self) -> None:
        self._types: dict[str, StepType[Any]] = {}
        self.clients: dict[str, WorkerClient[Any]] = {}
        self.reference_kinds: dict[str, KnownNames] = {}

    def register(self, step: StepType[Any]) -> None:
        existing = self._types.get(step.name)
        if existing is not None and existing.run is not step.run:
            raise ValueError(f"step type {step.name!r} is already registered")
        self._types[step.name] = step

    def add_client(self, client: WorkerClient[Any]) -> None:
        existing = self.clients.get(client.name)
        if existing is not None and existing.open is not client.open:
            raise ValueError(f"worker client {client.name!r} is already declared")
        self.clients[client.name] = client

    def add_reference_kind(self, kind: str, known: KnownNames) -> None:
        if kind in ("system", "mapping", "request_schema"):
            raise ValueError(f"reference kind {kind!r} is the platform's own")
        self.reference_kinds[kind] = known

    def get(self, name: str) -> StepType[Any]:
        try:
            return self._types[name]
        except KeyError:
            raise PlatformError(ErrorCode.STEP_HANDLER_NOT_FOUND, type=name) from None

    def __contains__(self, name: str) -> bool:
        return name in self._types

    def __iter__(self) -> Iterator[StepType[Any]]:
        return iter(sorted(self._types.values(), key=lambda s: s.name))

    def references(self, specs: list[StepSpec]) -> list[tuple[StepSpec, str, str]]:
        """Every (step, kind, name) the resolved steps' configs refer to."""
        found = []
        for spec in specs:
            step = self.get(spec.type)
            if step.references is not None:
                config = step.config_model.model_validate(spec.config)
                found += [(spec, kind, name) for kind, name in step.references(config)]
        return found

    def input_bounds(self, specs: list[StepSpec]) -> list[tuple[StepSpec, int]]:
        """Every resolved step that cannot read a document past some size, with that size."""
        found = []
        for spec in specs:
            step = self.get(spec.type)
            if step.max_input_bytes is not None:
                bound = step.max_input_bytes(step.config_model.model_validate(spec.config))
                if bound is not None:
                    found.append((spec, bound))
        return found

    def resolve(self, drafts: list[StepDraft]) -> list[StepSpec]:
        """Validate a flow's steps and fill in type defaults.

        Raises:
            PlatformError: VALIDATION_FAILED listing every problem of every step.
        """
        specs, problems = self.check(drafts)
        if problems:
            raise invalid_flow(problems)
        return specs

    def check(self, drafts: list[StepDraft]) -> tuple[list[StepSpec], list[dict[str, Any]]]:
        """The resolved specs of a flow's valid steps, and every problem of the others."""
        problems: list[dict[str, Any]] = []
        specs: list[StepSpec] = []
        seen: set[str] = set()
        for index, draft in enumerate(drafts):
            where = {"step": index, "name": draft.name}
            if draft.name in seen:
                problems.append({**where, "field": "name", "message": "duplicate step name"})
            seen.add(draft.name)
            if draft.condition is not None:
                try:
                    jmespath.compile(draft.condition)
                except JMESPathError as exc:
                    problems.append({**where, "field": "condition", "message": str(exc)})
            if draft.type not in self._types:
                problems.append(
                    {**where, "field": "type", "message": f"unknown step type {draft.type!r}"}
                )
                continue
            step = self._types[draft.type]
            unknown = unknown_config_keys(step.config_model, draft.config)
            problems += [
                {**where, "field": f"config.{key}", "message": why} for key, why in unknown
            ]
            try:
                config = step.config_model.model_validate(draft.config)
            except ValidationError as exc:
                for err in exc.errors(include_url=False, include_input=False):
                    path = ".".join(str(p) for p in err["loc"])
                    problems.append(
                        {**where, "field": f"config.{path}".rstrip("."), "message": err["msg"]}
                    )
                continue
            if unknown:
                continue
            specs.append(
                StepSpec(
                    name=draft.name,
                    type=draft.type,
                    config=config.model_dump(mode="json", exclude_unset=True),
                    local=step.local if draft.local is None else draft.local,
                    timeout_ms=draft.timeout_ms or step.timeout_ms,
                    retry=draft.retry or step.retry,
                    on_error=draft.on_error,
                    condition=draft.condition,
                    drop=draft.drop,
                )
            )
        return specs, problems


def unknown_config_keys(model: type[BaseModel], config: Any) -> list[tuple[str, str]]:
    """The keys of a step's config its model does not know, each with why: pydantic would
    drop them silently (``{"asOf": ...}`` for ``as_of`` would rate as of today). A model
    that says what to do with extra keys (``allow``, ``forbid``) decides for itself."""
    if not isinstance(config, dict) or model.model_config.get("extra") not in (None, "ignore"):
        return []
    known: dict[str, str] = {}
    for name, field in model.model_fields.items():
        for spelling in (name, field.alias, field.validation_alias):
            if isinstance(spelling, str):
                known[spelling] = name
    found = []
    for key in config:
        if key in known:
            continue
        near = known.get(to_snake(key)) if isinstance(key, str) else None
        hint = f": did you mean {near!r}?" if near else f" (known: {', '.join(sorted(known))})"
        found.append((str(key), f"unknown config key {key!r}{hint}"))
    return found


def invalid_flow(problems: list[dict[str, Any]]) -> PlatformError:
    """VALIDATION_FAILED listing every problem found in a flow (each names its step)."""
    return PlatformError(
        ErrorCode.VALIDATION_FAILED,
        f"The flow has {len(problems)} problem(s).",
        details={"problems": problems},
    )


registry = StepRegistry()


def step_type(
    name: str,
    *,
    config: type[C],
    local: bool,
    timeout_ms: int = 10_000,
    retry: RetrySpec | None = None,
    description: str = "",
    references: References[C] | None = None,
    max_input_bytes: MaxInputBytes[C] | None = None,
    into: StepRegistry | None = None,
) -> Callable[[StepFn[C]], StepFn[C]]:
    """Register the decorated coroutine as the step type ``name``.

    Args:
        name: The type name; stable forever, it is recorded in workflow history.
        config: The pydantic model a step's ``config`` must satisfy.
        local: Run as a local activity (in-process CPU work) or a regular one (I/O).
        timeout_ms: Default start-to-close timeout of one attempt.
        retry: Default retry policy.
        description: One line for docs and the step-type listing.
        references: The (kind, name) pairs a config names, checked at publish.
        max_input_bytes: The largest document a config lets the step read; publishing
            refuses a flow whose product accepts larger requests.
        into: The registry to add to (the platform's own by default).
    """

    def decorate(fn: StepFn[C]) -> StepFn[C]:
        (into or registry).register(
            StepType(
                name=name,
                config_model=config,
                run=fn,
                local=local,
                timeout_ms=timeout_ms,
                retry=retry or RetrySpec(),
                description=description or (fn.__doc__ or "").strip().split("\n")[0],
                references=references,
                max_input_bytes=max_input_bytes,
            )
        )
        return fn

    return decorate


def worker_client(
    name: str,
    open: Callable[[], AbstractAsyncContextManager[T]],
    *,
    into: StepRegistry | None = None,
) -> WorkerClient[T]:
    """Declare a client every worker opens once at start and closes at stop.

    Returns the key steps pass to ``ctx.client(...)``.
    """
    client = WorkerClient(name, open)
    (into or registry).add_client(client)
    return client


def reference_kind(kind: str, known: KnownNames, *, into: StepRegistry | None = None) -> str:
    """Declare a kind of name step configs may refer to, checked when a flow is published.

    ``known`` returns the names of that kind that exist for the flow's
    organization and product; a step's ``references`` naming any other is refused.
    """
    (into or registry).add_reference_kind(kind, known)
    return kind
