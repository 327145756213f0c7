"""The step registry: the one public way to add a step type.

A step type is registered once, with a name that is stable forever (it is the
Temporal activity type recorded in workflow history), a pydantic config model
(validated when a flow version is published), its implementation, whether it
runs as a local or a regular activity, and its default timeout and retries::

    class Greeting(BaseModel):
        target: str

    @step_type("greet", config=Greeting, local=True)
    async def greet(ctx: StepContext, config: Greeting, data: Any) -> StepResult:
        return StepResult({**data, config.target: "hello"})

Built-in steps use exactly this registry; plugins are imported by the worker
(``IRX_STEP_MODULES``) and register themselves the same way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import jmespath
from jmespath.exceptions import JMESPathError
from pydantic import BaseModel, ValidationError

from models.errors import ErrorCode, PlatformError
from models.flow import RetrySpec, StepDraft, StepSpec
from models.rating import RunContext

if TYPE_CHECKING:
    from activities.resources import StepResources

C = TypeVar("C", bound=BaseModel)


@dataclass
class StepResult:
    """What a step implementation returns.

    Args:
        data: The new working document (ignored when ``unchanged``).
        detail: A small record of what the step did, kept in the step log.
        unchanged: The step did not modify the working document.
    """

    data: Any = None
    detail: dict[str, Any] = field(default_factory=dict)
    unchanged: bool = False

    @classmethod
    def same(cls, **detail: Any) -> StepResult:
        return cls(detail=detail, unchanged=True)


@dataclass(frozen=True)
class StepContext:
    """What a step implementation sees besides its config and the data."""

    run: RunContext
    step: StepSpec
    index: int
    attempt: int
    resources: StepResources


StepFn = Callable[[StepContext, C, Any], Awaitable[StepResult]]
# (kind, name) pairs a config points at, e.g. ("system", "ref-engine"); publishing
# refuses a flow whose references do not exist.
References = Callable[[C], list[tuple[str, str]]]


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


class StepRegistry:
    """Step types by name."""

    def __init__(self) -> None:
        self._types: dict[str, StepType[Any]] = {}

    def register(self, step: StepType[Any]) -> None:
        existing = self._types.get(step.name)
        if existing is not None and existing.run is not step.run:
            raise ValueError(f"step type {step.name!r} is already registered")
        self._types[step.name] = step

    def get(self, name: str) -> StepType[Any]:
        try:
            return self._types[name]
        except KeyError:
            raise PlatformError(ErrorCode.STEP_HANDLER_NOT_FOUND, type=name) from None

    def __contains__(self, name: str) -> bool:
        return name in self._types

    def __iter__(self) -> Iterator[StepType[Any]]:
        return iter(sorted(self._types.values(), key=lambda s: s.name))

    def names(self) -> list[str]:
        return sorted(self._types)

    def references(self, specs: list[StepSpec]) -> list[tuple[int, str, str]]:
        """Every (step index, kind, name) the resolved steps' configs refer to."""
        found = []
        for index, spec in enumerate(specs):
            step = self.get(spec.type)
            if step.references is not None:
                config = step.config_model.model_validate(spec.config)
                found += [(index, kind, name) for kind, name in step.references(config)]
        return found

    def resolve(self, drafts: list[StepDraft]) -> list[StepSpec]:
        """Validate a flow's steps and fill in type defaults.

        Raises:
            PlatformError: VALIDATION_FAILED listing every problem of every step.
        """
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
            try:
                config = step.config_model.model_validate(draft.config)
            except ValidationError as exc:
                for err in exc.errors(include_url=False, include_input=False):
                    path = ".".join(str(p) for p in err["loc"])
                    problems.append(
                        {**where, "field": f"config.{path}".rstrip("."), "message": err["msg"]}
                    )
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
                )
            )
        if problems:
            raise PlatformError(
                ErrorCode.VALIDATION_FAILED,
                f"The flow has {len(problems)} invalid step setting(s).",
                details={"problems": problems},
            )
        return specs


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
        references: The systems and mappings a config names, checked at publish.
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
            )
        )
        return fn

    return decorate
