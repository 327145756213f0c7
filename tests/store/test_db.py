"""What counts as the config store being unavailable, on a real PostgreSQL."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from store.db import create_engine, session_factory, store_unavailable
from tests.conftest import PG_HOST


async def test_a_session_the_server_ends_is_the_store_unavailable(
    postgres_url: str,
) -> None:
    """A session the server ends (restart, failover, ``pg_terminate_backend``): the
    caller gets 503, not 500, whichever of the server's FATAL notice and the closed
    socket the driver read first."""
    engine = create_engine(postgres_url)
    try:
        async with session_factory(engine)() as session:
            pid = (await session.exec(text("SELECT pg_backend_pid()"))).one()[0]  # type: ignore[call-overload]
            admin = await asyncpg.connect(
                host=PG_HOST, user=engine.url.username, database=engine.url.database
            )
            try:
                await admin.execute("SELECT pg_terminate_backend($1)", pid)
            finally:
                await admin.close()
            with pytest.raises(
                Exception, match=r"connection is closed|cannot switch to state"
            ) as caught:
                await session.exec(text("SELECT 1"))  # type: ignore[call-overload]
        assert store_unavailable(caught.value), repr(caught.value)
    finally:
        await engine.dispose()


def test_a_server_shutting_down_is_unavailable_and_a_wrong_query_is_not() -> None:
    """A new connection while PostgreSQL shuts down is refused with SQLSTATE 57P03, raised
    by the driver as it is (it answered 500 before)."""
    assert store_unavailable(asyncpg.exceptions.CannotConnectNowError("shutting down"))
    assert store_unavailable(asyncpg.exceptions.AdminShutdownError("terminating"))
    assert not store_unavailable(asyncpg.exceptions.UndefinedTableError("no such table"))


def test_a_driver_left_out_of_step_by_a_terminated_session_is_unavailable() -> None:
    """The race the test above can lose: the driver read the FATAL notice and still
    waits for the server's ``ReadyForQuery``; SQLAlchemy wraps its refusal twice."""
    refused = asyncpg.exceptions.InternalClientError(
        "cannot switch to state 11; another operation (2) is in progress"
    )
    adapted = RuntimeError("adapted")
    adapted.__cause__ = refused
    wrapped = DBAPIError("SELECT 1", None, adapted)
    assert store_unavailable(wrapped)
