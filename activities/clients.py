"""Clients that plugins contribute to every worker."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class WorkerClient(Generic[T]):
    """A client opened once when a worker starts and closed when it stops.

    ``open`` returns an async context manager (an ``httpx.AsyncClient``, a pool,
    anything with ``__aenter__``/``__aexit__``); steps get the opened value with
    ``ctx.client(KEY)``.
    """

    name: str
    open: Callable[[], AbstractAsyncContextManager[T]]
