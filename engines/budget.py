"""A time budget for CPU-bound engine work, checked cooperatively.

A thread cannot be killed, so a step's CPU work stops at its timeout by checking
the budget as it goes: the engines call :func:`check` once per element, field or
rule. The deadline lives in a context variable, which ``run_in_executor`` with a
copied context carries into the worker thread (see ``StepContext.cpu``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from models.errors import ErrorCode, PlatformError

_deadline: ContextVar[float | None] = ContextVar("irx_cpu_deadline", default=None)


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Work done inside (in this context) must finish within ``seconds``."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def check() -> None:
    """REQUEST_TIMEOUT once the current budget is spent; free when there is none."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise PlatformError(
            ErrorCode.REQUEST_TIMEOUT, "The step's work ran past its timeout and was stopped."
        )
