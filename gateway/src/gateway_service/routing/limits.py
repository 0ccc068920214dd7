"""Per-client rate limits in fixed windows: in Redis when configured (shared by every gateway), else in memory."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from hopekit.identity.principal import Principal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    retry_after_s: int


class Counter(Protocol):
    async def hit(self, key: str, window_s: int) -> int: ...

    async def close(self) -> None: ...


class MemoryCounter:
    """One process's counters; windows that ended are dropped as new ones start."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._window: int | None = None

    async def hit(self, key: str, window_s: int) -> int:
        window = int(time.time()) // window_s
        if window != self._window:
            self._counts.clear()
            self._window = window
        count = self._counts.get(key, 0) + 1
        self._counts[key] = count
        return count

    async def close(self) -> None:
        self._counts.clear()


class RedisCounter:
    def __init__(self, url: str) -> None:
        self._redis: Redis = Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)

    async def hit(self, key: str, window_s: int) -> int:
        window = int(time.time()) // window_s
        name = f"hope:gateway:rl:{key}:{window}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, window_s + 1)
            count, _ = await pipe.execute()
        return int(count)

    async def close(self) -> None:
        await self._redis.aclose()


class RateLimiter:
    def __init__(self, counter: Counter, limits: Mapping[str, int], window_s: int) -> None:
        self._counter = counter
        self._limits = dict(limits)
        self._window_s = window_s

    def limit_for(self, principal: Principal) -> int:
        return max((self._limits.get(role.value, 0) for role in principal.roles), default=0)

    async def check(self, principal: Principal) -> Decision:
        limit = self.limit_for(principal)
        retry_after = self._window_s - int(time.time()) % self._window_s
        try:
            count = await self._counter.hit(f"{principal.org_id}:{principal.subject}", self._window_s)
        except (RedisError, OSError):
            # A limit store that is down must not take the platform down with it.
            log.warning("rate limit store unavailable; letting the request through", exc_info=True)
            return Decision(True, limit, limit, retry_after)
        return Decision(count <= limit, limit, max(limit - count, 0), retry_after)

    async def close(self) -> None:
        await self._counter.close()


def make_counter(redis_url: str | None) -> Counter:
    return RedisCounter(redis_url) if redis_url else MemoryCounter()


def make_rate_limiter(redis_url: str | None, limits: Mapping[str, int], window_s: int) -> RateLimiter:
    return RateLimiter(make_counter(redis_url), limits, window_s)
