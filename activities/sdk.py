"""The public step SDK: everything a step type's author needs, and nothing else.

Plugins (and the built-in steps) import only this module::

    from activities.sdk import StepContext, StepResult, step_type

    class Greeting(BaseModel):
        target: str

    @step_type("acme_greet", config=Greeting, local=True)
    async def greet(ctx: StepContext, config: Greeting, data: Any) -> StepResult:
        return StepResult.changed(with_path(data, config.target, "hello"))

``docs/extending.md`` walks through a whole plugin: its step, error code,
worker client, reference kind and test.
"""

from __future__ import annotations

from activities.clients import WorkerClient
from activities.registry import (
    ReferenceScope,
    StepContext,
    StepResult,
    reference_kind,
    step_type,
    worker_client,
)
from activities.testing import StaticConfig, StepHarness, StepOutcome
from engines.budget import check as check_budget
from engines.paths import get_path, with_path
from infra.systems import call_system
from models.errors import ErrorCode, PlatformError, register_error_code
from models.flow import RetrySpec
from models.mappings import Mapping
from models.rules import Rule
from models.systems import System

__all__ = [
    "ErrorCode",
    "Mapping",
    "PlatformError",
    "ReferenceScope",
    "RetrySpec",
    "Rule",
    "StaticConfig",
    "StepContext",
    "StepHarness",
    "StepOutcome",
    "StepResult",
    "System",
    "WorkerClient",
    "call_system",
    "check_budget",
    "get_path",
    "reference_kind",
    "register_error_code",
    "step_type",
    "with_path",
    "worker_client",
]
