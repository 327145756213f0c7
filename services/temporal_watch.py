"""Whether Temporal still answers, watched for the callers waiting on their runs.

A caller waits on its run through a long poll that the SDK retries, when Temporal goes
away, for 5-10 s before it gives up. While anyone waits, one watcher per process asks
Temporal's health service every ``interval_s`` instead; once Temporal has been
unreachable for ``lost_after_s``, every waiter hears so at once (the caller gets its
503 within about 2 s) and later waiters too, until Temporal answers again. A slow
answer is no verdict: a busy machine is not an outage. With nobody waiting, nothing is
watched.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import timedelta

from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

INTERVAL_S = 0.5
LOST_AFTER_S = 1.5


class TemporalLost(Exception):
    """Temporal has not answered for a while: a waiter's run cannot be heard of."""


class TemporalWatch:
    def __init__(
        self,
        client: Callable[[], Client],
        interval_s: float = INTERVAL_S,
        lost_after_s: float = LOST_AFTER_S,
    ) -> None:
        self.client = client
        self.interval_s = interval_s
        self.lost_after_s = lost_after_s
        self._lost = asyncio.Event()
        self._waiters = 0
        self._watcher: asyncio.Task[None] | None = None

    async def until_lost(self) -> None:
        """Returns once Temporal has not answered for ``lost_after_s`` (at once if it
        has not lately); cancelled by a waiter whose run answered first."""
        self._waiters += 1
        if self._watcher is None or self._watcher.done():
            self._lost.clear()  # what a watcher saw before the last pause is stale
            self._watcher = asyncio.create_task(self._watch())
        try:
            await self._lost.wait()
        finally:
            self._waiters -= 1
            if self._waiters == 0:  # nobody to tell: the next waiter starts afresh
                self._watcher.cancel()

    async def _watch(self) -> None:
        failing_since: float | None = None
        while True:
            started = time.monotonic()
            try:
                await self.client().service_client.check_health(
                    timeout=timedelta(seconds=self.interval_s * 2)
                )
            except RPCError as exc:
                # Unreachable or refused says gone; a slow answer says only that this
                # machine (or Temporal) is busy, which the run's own wait will show.
                if exc.status == RPCStatusCode.UNAVAILABLE:
                    failing_since = failing_since or started
                    if time.monotonic() - failing_since >= self.lost_after_s:
                        self._lost.set()
            except TimeoutError:
                pass
            else:
                failing_since = None
                self._lost.clear()
            await asyncio.sleep(max(0.0, self.interval_s - (time.monotonic() - started)))
