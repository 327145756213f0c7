"""How a simulation calls a system: its simulation endpoint, a bounded number at once.

A simulation (``models.rating.Mode``) must never cost production anything it does not
ask for: a system may send simulations to a test region (``simulationBaseUrl``), bound
how many it takes at once (``simulationMaxConcurrency``, per worker process: the others
wait their turn, so an impact analysis over thousands of past requests never floods an
engine), or take none (``simulation: false``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from models.errors import ErrorCode, PlatformError
from models.systems import System


def simulated(system: System) -> System:
    """``system`` as a simulation calls it.

    Raises:
        PlatformError: SIMULATION_REFUSED for a system marked ``simulation: false``.
    """
    if not system.simulation:
        raise PlatformError(
            ErrorCode.SIMULATION_REFUSED, details={"system": system.code}, system=system.code
        )
    if system.simulation_base_url is None:
        return system
    return system.model_copy(update={"base_url": system.simulation_base_url})


class SimulationGate:
    """The simulated calls each system takes at once in this process."""

    def __init__(self) -> None:
        self._slots: dict[str, tuple[int, asyncio.Semaphore]] = {}

    @asynccontextmanager
    async def slot(self, key: str, limit: int | None) -> AsyncIterator[None]:
        """Holds one of ``limit`` slots of ``key`` (none to hold when ``limit`` is None);
        a changed limit applies to the calls that start after the change."""
        if limit is None:
            yield
            return
        held = self._slots.get(key)
        if held is None or held[0] != limit:
            held = self._slots[key] = (limit, asyncio.Semaphore(limit))
        async with held[1]:
            yield
