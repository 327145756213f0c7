"""How a step's failure travels: encoded in the activity, decoded in the workflow.

A failed step raises an ``ApplicationError`` whose ``type`` is the catalog code,
whose ``non_retryable`` follows the catalog, and whose one detail is a
:class:`FailureInfo`. This module is the only place that writes or reads it.
"""

from __future__ import annotations

import time
from typing import Any

from pydantic import Field, ValidationError
from temporalio.exceptions import ApplicationError

from models.base import CamelModel
from models.errors import ErrorCode, PlatformError, spec_of
from models.flow import StepSpec


class StepError(CamelModel):
    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class RunError(StepError):
    step: str | None = None


class FailureInfo(CamelModel):
    """The one detail of a failed step's ``ApplicationError``."""

    code: str
    details: dict[str, Any] = Field(default_factory=dict)
    attempt: int
    duration_ms: float = 0.0


def step_error(exc: BaseException, attempt: int, started: float) -> ApplicationError:
    """The ``ApplicationError`` a failed step reports (unknown errors: INTERNAL_ERROR)."""
    if isinstance(exc, PlatformError):
        code, message, details = exc.code, exc.message, exc.details
        retryable = exc.retryable
    else:
        code = ErrorCode.INTERNAL_ERROR.value
        message = f"Unexpected {type(exc).__name__} in step."
        details = {}
        retryable = spec_of(code).retryable
    info = FailureInfo(
        code=code,
        details=details,
        attempt=attempt,
        duration_ms=round((time.perf_counter() - started) * 1000, 3),
    )
    return ApplicationError(
        message,
        info.model_dump(mode="json"),
        type=code,
        non_retryable=not retryable,
    )


class StepFailure(CamelModel):
    """Why a step failed and after how many attempts."""

    error: StepError
    attempts: int
    duration_ms: float = 0.0

    @classmethod
    def of(cls, exc: ApplicationError, default_attempts: int) -> StepFailure:
        """Reads what :func:`step_error` put in a failed step's ``ApplicationError``."""
        try:
            info = FailureInfo.model_validate(exc.details[0]) if exc.details else None
        except ValidationError:
            info = None  # raised by something other than the step wrapper
        return cls(
            error=StepError(
                code=exc.type or ErrorCode.INTERNAL_ERROR.value,
                message=exc.message,
                details=info.details if info else {},
            ),
            attempts=info.attempt if info else default_attempts,
            duration_ms=info.duration_ms if info else 0.0,
        )

    @classmethod
    def timed_out(cls, step: StepSpec, attempts: int) -> StepFailure:
        return cls(
            error=StepError(
                code=ErrorCode.REQUEST_TIMEOUT.value,
                message=f"Step '{step.name}' timed out after {step.timeout_ms} ms.",
            ),
            attempts=attempts,
            duration_ms=float(step.timeout_ms),
        )

    def run_error(self, step: str) -> RunError:
        return RunError(step=step, **self.error.model_dump(by_alias=False))
