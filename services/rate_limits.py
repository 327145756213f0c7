"""Requests per minute per API key: a sliding window in Redis, in-process without it.

Redis keeps one sorted set per key (``irx:rl:{key id}``): one atomic script
drops entries older than the window, counts what is left, admits the request if
there is room, and answers the count and the oldest entry, in one round trip on
Redis's own clock. Without Redis, or while it is unreachable, each process keeps
the same window itself: limits then hold per process, which health reports as
degraded; no request fails because Redis is down.
"""

from __future__ import annotations

import logging
import math
import time
import uuid
from collections import deque
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

WINDOW_S = 60
POLICY = "default"  # the one policy a key has: its plan's requests per minute
_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < limit and ARGV[4] == '1' then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  count = count + 1
  allowed = 1
end
if count < limit and ARGV[4] ~= '1' then
  allowed = 1
end
redis.call('PEXPIRE', KEYS[1], window)
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local first = now
if oldest[2] then first = tonumber(oldest[2]) end
return {allowed, count, now, first}
"""


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_s: int  # until the oldest request in the window leaves it

    def headers(self, version: str = "v1") -> dict[str, str]:
        """v1's ``X-RateLimit-*``; v2's IETF fields (draft-ietf-httpapi-ratelimit-headers:
        the policy's quota and window, then what remains of it and when it resets)."""
        if version == "v2":
            headers = {
                "RateLimit-Policy": f'"{POLICY}";q={self.limit};w={WINDOW_S}',
                "RateLimit": f'"{POLICY}";r={self.remaining};t={self.reset_s}',
            }
        else:
            headers = {
                "X-RateLimit-Limit": str(self.limit),
                "X-RateLimit-Remaining": str(self.remaining),
                "X-RateLimit-Reset": str(self.reset_s),
            }
        if not self.allowed:
            headers["Retry-After"] = str(max(1, self.reset_s))
        return headers


def _decision(
    allowed: bool, limit: int, count: int, now_ms: float, first_ms: float
) -> RateDecision:
    reset = math.ceil(max(0.0, first_ms + WINDOW_S * 1000 - now_ms) / 1000)
    return RateDecision(allowed, limit, max(0, limit - count), reset)


class LocalWindow:
    """The sliding window of each key, in this process."""

    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = {}

    def hit(self, key: str, limit: int, consume: bool = True) -> RateDecision:
        now = time.monotonic() * 1000
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - WINDOW_S * 1000:
            hits.popleft()
        allowed = len(hits) < limit
        if allowed and consume:
            hits.append(now)
        return _decision(allowed, limit, len(hits), now, hits[0] if hits else now)


class RateLimiter:
    """Admits or refuses one request of a key; Redis when configured and reachable."""

    def __init__(self, redis: Any | None) -> None:
        self.redis = redis
        self.local = LocalWindow()
        self.degraded = redis is None
        self._script = redis.register_script(_SCRIPT) if redis is not None else None
        self._warned_at = 0.0

    async def hit(self, key: str, limit: int, consume: bool = True) -> RateDecision:
        """Admits one request of ``key`` (or, without ``consume``, says whether it would)."""
        if self._script is not None:
            try:
                allowed, count, now, first = await self._script(
                    keys=[f"irx:rl:{key}"],
                    args=[WINDOW_S * 1000, limit, uuid.uuid4().hex, "1" if consume else "0"],
                )
            except Exception as exc:  # Redis down: degrade, never fail the request
                self._degrade(exc)
            else:
                self.degraded = False
                return _decision(bool(allowed), limit, int(count), float(now), float(first))
        return self.local.hit(key, limit, consume)

    def _degrade(self, exc: Exception) -> None:
        self.degraded = True
        if time.monotonic() - self._warned_at > 60:  # once a minute, not per request
            self._warned_at = time.monotonic()
            log.warning("rate limiter: Redis unavailable (%s); limiting in-process", exc)
