"""How an operator command reaches the configured config store: one engine for the
command, disposed of after it, and a catalog error printed as the CLI prints errors."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from irx.output import fail
from models.settings import get_settings

if TYPE_CHECKING:
    from store.db import SessionFactory

T = TypeVar("T")


def with_store(call: Callable[[SessionFactory], Awaitable[T]]) -> T:
    """Runs one operator command against the configured config store."""
    from models.errors import PlatformError
    from store.db import create_engine, session_factory

    async def run() -> T:
        engine = create_engine(get_settings().database)
        try:
            return await call(session_factory(engine))
        finally:
            await engine.dispose()

    try:
        return asyncio.run(run())
    except PlatformError as exc:
        fail(exc.code, exc.message, exc.details)
