"""Admission by queue time: a product's new ratings are shed while its recent ones take
most of their timeout.

A count of ratings in flight admits far more than can finish when each takes longer:
at 4x the sustainable load, admitted requests reached a p99 of 32 s and 24 of 374 timed
out. What decides here is how long this process's recent runs of the product took,
start to outcome, against the product's timeout: while the median of the last
``window_s`` passes ``share`` of it, a new request (sync or async: either only adds to
the queue) is answered 503 API_OVERLOADED with Retry-After before its body is read.
Shedding ends by itself: without new runs the window empties, and the next request is
admitted to measure again.
"""

from __future__ import annotations

import statistics
import time
from collections import deque

from models.errors import ErrorCode, PlatformError

WINDOW_S = 10.0
SHARE = 0.5
MIN_SAMPLES = 5


class Admission:
    """Recent run durations per product, and the admission decision they make."""

    def __init__(
        self, window_s: float = WINDOW_S, share: float = SHARE, min_samples: int = MIN_SAMPLES
    ) -> None:
        self.window_s = window_s
        self.share = share
        self.min_samples = min_samples
        self._runs: dict[str, deque[tuple[float, float]]] = {}

    def observe(self, key: str, seconds: float) -> None:
        """A run of ``key`` (organization and product) took ``seconds``, start to outcome."""
        self._runs.setdefault(key, deque(maxlen=1000)).append((time.monotonic(), seconds))

    def admit(self, key: str, timeout_s: float) -> None:
        """API_OVERLOADED when ``key``'s recent runs took more than ``share`` of ``timeout_s``."""
        runs = self._runs.get(key)
        if not runs:
            return
        since = time.monotonic() - self.window_s
        while runs and runs[0][0] < since:
            runs.popleft()
        if len(runs) < self.min_samples:
            return
        median = statistics.median(seconds for _, seconds in runs)
        if median > self.share * timeout_s:
            raise PlatformError(
                ErrorCode.API_OVERLOADED,
                "Ratings of this product take most of their timeout: new ones wait.",
                details={
                    "reason": "queueTime",
                    "recentMedianMs": round(median * 1000),
                    "timeoutMs": round(timeout_s * 1000),
                },
                headers={"Retry-After": "1"},
            )
