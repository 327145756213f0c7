"""Admission by queue time: a product's new ratings are shed while those already
admitted would not finish inside their timeout.

A count of ratings in flight admits far more than can finish when each takes longer:
at 4x the sustainable load, admitted requests reached a p99 of 32 s and 24 of 374 timed
out. What decides here is time, per product, in this process:

* the median of the last ``window_s`` of its runs, start to outcome: past ``share`` of
  the timeout, the queue is already too long;
* the wait a new run would have (Little's law): the runs being waited on, drained at
  the rate recent runs ended. In a burst, runs pile up seconds before any of them
  finishes late; this sees the pile while it grows.

Past either, a new request (sync or async: either only adds to the queue) is answered
503 API_OVERLOADED with Retry-After before its body is read. Shedding ends by itself:
the runs waited on drain, and without new runs the window empties.
"""

from __future__ import annotations

import statistics
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from models.errors import ErrorCode, PlatformError

WINDOW_S = 10.0
SHARE = 0.5
MIN_SAMPLES = 5


class Admission:
    """Recent and waiting runs per product, and the admission decision they make."""

    def __init__(
        self,
        window_s: float = WINDOW_S,
        share: float = SHARE,
        min_samples: int = MIN_SAMPLES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.window_s = window_s
        self.share = share
        self.min_samples = min_samples
        self.clock = clock
        self._runs: dict[str, deque[tuple[float, float]]] = {}  # (ended at, seconds)
        self._waiting: dict[str, int] = {}

    @contextmanager
    def waiting(self, key: str) -> Iterator[None]:
        """A run of ``key`` (organization and product) waited on, start to outcome."""
        started = self.clock()
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            yield
        finally:
            self._waiting[key] -= 1
            self.observe(key, self.clock() - started)

    def observe(self, key: str, seconds: float) -> None:
        """A run of ``key`` took ``seconds``, start to outcome."""
        self._runs.setdefault(key, deque(maxlen=1000)).append((self.clock(), seconds))

    def admit(self, key: str, timeout_s: float) -> None:
        """API_OVERLOADED when a new run of ``key`` would wait more than ``share`` of
        ``timeout_s``, by its recent runs' median or by the queue ahead of it."""
        runs = self._runs.get(key)
        if not runs:
            return
        now = self.clock()
        while runs and runs[0][0] < now - self.window_s:
            runs.popleft()
        if len(runs) < self.min_samples:
            return
        bound = self.share * timeout_s
        median = statistics.median(seconds for _, seconds in runs)
        # Runs ended per second, over the span they ended in (a burst's first second
        # counts as one second, not as the whole window).
        rate = len(runs) / max(now - runs[0][0], 1.0)
        queued = self._waiting.get(key, 0) / rate
        if median > bound or queued > bound:
            raise PlatformError(
                ErrorCode.API_OVERLOADED,
                "Ratings of this product take most of their timeout: new ones wait.",
                details={
                    "reason": "queueTime",
                    "recentMedianMs": round(median * 1000),
                    "queuedMs": round(queued * 1000),
                    "timeoutMs": round(timeout_s * 1000),
                },
                headers={"Retry-After": "1"},
            )
