"""The budget of a step's CPU work: its time, and how much its writes may pad arrays.

A thread cannot be killed, so a step's CPU work stops at its timeout by checking
the budget as it goes: the engines call :func:`check` once per element, field or
rule. Writing ``x[9999]`` pads an array with empty elements; one write is bounded
by the largest index, but a mapping applied to each element of a large array
could multiply that, so the padding a step may create is bounded too. The budget
lives in a context variable set in the thread that does the work (``StepContext.cpu``);
without one (outside a step) nothing is bounded.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from models.errors import ErrorCode, PlatformError

# Empty array elements one step's writes may create: 8 MB of references.
MAX_PADDING = 1_000_000


@dataclass
class _Budget:
    deadline: float
    padding: int = MAX_PADDING


_budget: ContextVar[_Budget | None] = ContextVar("irx_step_budget", default=None)


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Work done inside (in this context) must finish within ``seconds``."""
    token = _budget.set(_Budget(time.monotonic() + seconds))
    try:
        yield
    finally:
        _budget.reset(token)


def pad(cells: int) -> bool:
    """Takes ``cells`` empty array elements from the budget; False once it is spent."""
    budget = _budget.get()
    if budget is None:
        return True
    budget.padding -= cells
    return budget.padding >= 0


def check() -> None:
    """REQUEST_TIMEOUT once the current budget's time is spent; free when there is none."""
    budget = _budget.get()
    if budget is not None and time.monotonic() > budget.deadline:
        raise PlatformError(
            ErrorCode.REQUEST_TIMEOUT, "The step's work ran past its timeout and was stopped."
        )
