"""Circuit breakers per external system: fail fast while a system is down.

closed -> (``failure_threshold`` consecutive failures) -> open -> (after
``reset_timeout_s``) -> half-open: one probe call is let through; its success
closes the breaker, its failure opens it again. State lives in Redis when Redis
is configured, so every worker sees the same breaker, and in-process otherwise
(or while Redis is unreachable: a breaker must never be the thing that fails).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any, Protocol

from infra.metrics import BREAKER_STATE
from models.systems import BreakerSettings

log = logging.getLogger(__name__)

CLOSED, HALF_OPEN, OPEN = 0, 1, 2
# Each breaker's state as this process last saw it, by breaker name ("{org}:{system}").
_seen: dict[str, int] = {}


def _observe(name: str, state: int) -> None:
    """Sets ``rating_circuit_breaker_state`` for the breaker's system: the worst state
    among the organizations' breakers of that system code (the label holds no id)."""
    _seen[name] = state
    system = name.rpartition(":")[2]
    worst = max(s for n, s in _seen.items() if n.rpartition(":")[2] == system)
    BREAKER_STATE.labels(system).set(worst)


class BreakerOpen(Exception):
    def __init__(self, name: str, retry_in_s: float) -> None:
        super().__init__(f"circuit breaker of '{name}' is open")
        self.name = name
        self.retry_in_s = retry_in_s


class Breakers(Protocol):
    async def before_call(self, name: str, settings: BreakerSettings) -> None:
        """Raises :class:`BreakerOpen` when the call must not be made."""

    async def record(self, name: str, settings: BreakerSettings, ok: bool) -> None: ...

    async def snapshot(self) -> dict[str, dict[str, Any]]: ...


@dataclass
class _State:
    failures: int = 0
    opened_at: float | None = None
    probing: bool = False


class LocalBreakers:
    """Breaker state in this process."""

    def __init__(self) -> None:
        self._states: dict[str, _State] = {}

    async def before_call(self, name: str, settings: BreakerSettings) -> None:
        state = self._states.get(name)
        if state is None or state.opened_at is None:
            return
        waited = time.monotonic() - state.opened_at
        if waited < settings.reset_timeout_s or state.probing:
            raise BreakerOpen(name, max(0.0, settings.reset_timeout_s - waited))
        state.probing = True  # half-open: this call is the probe
        _observe(name, HALF_OPEN)

    async def record(self, name: str, settings: BreakerSettings, ok: bool) -> None:
        state = self._states.setdefault(name, _State())
        if ok:
            self._states[name] = _State()
            _observe(name, CLOSED)
            return
        state.failures += 1
        if state.probing or state.failures >= settings.failure_threshold:
            state.opened_at = time.monotonic()
        state.probing = False
        _observe(name, CLOSED if state.opened_at is None else OPEN)

    async def snapshot(self) -> dict[str, dict[str, Any]]:
        return {
            name: {
                "state": "closed" if s.opened_at is None else "open",
                "failures": s.failures,
            }
            for name, s in self._states.items()
        }


class RedisBreakers:
    """Breaker state shared by every process through Redis.

    Keys: ``irx:cb:{name}`` (a hash of ``failures`` and ``opened_at``, wall-clock
    seconds) and ``irx:cb:{name}:probe`` (held by the one half-open probe).
    """

    def __init__(self, redis: Any, fallback: LocalBreakers | None = None) -> None:
        self.redis = redis
        self.fallback = fallback or LocalBreakers()

    async def before_call(self, name: str, settings: BreakerSettings) -> None:
        try:
            opened_at = await self.redis.hget(f"irx:cb:{name}", "opened_at")
            if opened_at is None:
                return
            waited = time.time() - float(opened_at)
            if waited < settings.reset_timeout_s:
                raise BreakerOpen(name, settings.reset_timeout_s - waited)
            probe = await self.redis.set(
                f"irx:cb:{name}:probe", "1", nx=True, ex=max(1, int(settings.reset_timeout_s))
            )
            if not probe:
                raise BreakerOpen(name, settings.reset_timeout_s)
            _observe(name, HALF_OPEN)
        except BreakerOpen:
            _observe(name, OPEN)
            raise
        except Exception as exc:  # Redis down: degrade to this process's view
            log.warning("circuit breaker store unavailable (%s); using local state", exc)
            await self.fallback.before_call(name, settings)

    async def record(self, name: str, settings: BreakerSettings, ok: bool) -> None:
        key = f"irx:cb:{name}"
        try:
            if ok:
                await self.redis.delete(key, f"{key}:probe")
                _observe(name, CLOSED)
                return
            failures = await self.redis.hincrby(key, "failures", 1)
            probing = await self.redis.exists(f"{key}:probe")
            if probing or failures >= settings.failure_threshold:
                await self.redis.hset(key, "opened_at", str(time.time()))
                await self.redis.delete(f"{key}:probe")
                _observe(name, OPEN)
            await self.redis.expire(key, int(settings.reset_timeout_s * 10) + 60)
        except Exception as exc:
            log.warning("circuit breaker store unavailable (%s); using local state", exc)
            await self.fallback.record(name, settings, ok)

    async def snapshot(self) -> dict[str, dict[str, Any]]:
        try:
            return await self._shared()
        except Exception as exc:  # Redis down: health reports this process's view
            log.warning("circuit breaker store unavailable (%s); reporting local state", exc)
            return await self.fallback.snapshot()

    async def _shared(self) -> dict[str, dict[str, Any]]:
        result: dict[str, dict[str, Any]] = {}
        async for raw in self.redis.scan_iter(match="irx:cb:*"):
            key = raw.decode() if isinstance(raw, bytes) else raw
            if key.endswith(":probe"):
                continue
            values = await self.redis.hgetall(key)
            decoded = {
                (k.decode() if isinstance(k, bytes) else k): (
                    v.decode() if isinstance(v, bytes) else v
                )
                for k, v in values.items()
            }
            result[key.removeprefix("irx:cb:")] = {
                "state": "open" if "opened_at" in decoded else "closed",
                "failures": int(decoded.get("failures", 0)),
            }
        return result
