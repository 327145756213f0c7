"""Database engine and sessions for the config store (SQLite or PostgreSQL)."""

from __future__ import annotations

import os
import traceback
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

SessionFactory = async_sessionmaker[AsyncSession]


def store_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database could not serve (unreachable, pool exhausted,
    SQLite locked past its busy timeout), not that a query was wrong.

    A refused connection surfaces as the driver's own ``ConnectionError``, unwrapped,
    so it counts when it was raised from within SQLAlchemy.
    """
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout):
        return True
    if _unavailable_state(exc):
        return True
    if isinstance(exc, ConnectionError | TimeoutError):
        frames = traceback.extract_tb(exc.__traceback__)
        return any(f"{os.sep}sqlalchemy{os.sep}" in frame.filename for frame in frames)
    return False


def _unavailable_state(exc: BaseException) -> bool:
    """PostgreSQL refusing to serve, by SQLSTATE: a connection exception (class 08) or an
    operator's intervention (57P01-57P03: shutting down, crashed, cannot connect now),
    whether the driver's error arrives as it is or wrapped (``orig``, ``__cause__``).

    asyncpg's ``InternalClientError`` counts too: a session the server ends while idle
    can leave the driver waiting for a ``ReadyForQuery`` that never comes, and the next
    query is refused with "cannot switch to state" rather than "connection is closed",
    depending on which of the two the event loop read first."""
    seen: BaseException | None = exc
    for _ in range(3):
        if seen is None:
            return False
        if isinstance(seen, asyncpg.exceptions.InternalClientError):
            return True
        state = getattr(seen, "sqlstate", None)
        if isinstance(state, str) and (state.startswith("08") or state in _OPERATOR_STOPS):
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__
    return False


_OPERATOR_STOPS = frozenset({"57P01", "57P02", "57P03"})


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets the API and worker processes read while the other writes; the
    # busy timeout makes a concurrent writer wait instead of failing at once.
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_engine(url: str, pool_size: int = 10, max_overflow: int = 10) -> AsyncEngine:
    """An async engine for ``url``; creates the SQLite file's folder if needed."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(
        url, pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True
    )


def session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
