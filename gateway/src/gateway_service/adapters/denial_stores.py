"""Where token denials are shared by every gateway instance: Redis when configured, else the gateway's database."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from gateway_service.adapters.unit_of_work import GatewayUnitOfWork
from gateway_service.domain.revocation import TokenDenial


class DenialStoreUnavailable(Exception):
    code = "denial_store_unavailable"
    category = "unavailable"


class DenialStore(Protocol):
    async def record(self, uow: GatewayUnitOfWork, denial: TokenDenial) -> None:
        """Within the unit of work of the change that causes the denial, before it commits."""

    async def live(self) -> list[TokenDenial]: ...

    async def of(self, uow: GatewayUnitOfWork, holders: Sequence[str]) -> list[TokenDenial]: ...

    async def close(self) -> None: ...


class DatabaseDenials:
    """Recorded in the same transaction as the revocation itself: both happen, or neither."""

    def __init__(self, uow_factory: Callable[[], GatewayUnitOfWork]) -> None:
        self._uow_factory = uow_factory

    async def record(self, uow: GatewayUnitOfWork, denial: TokenDenial) -> None:
        await uow.token_denials.record(denial, int(time.time()))

    async def live(self) -> list[TokenDenial]:
        async with self._uow_factory() as uow:
            return await uow.token_denials.live(int(time.time()))

    async def of(self, uow: GatewayUnitOfWork, holders: Sequence[str]) -> list[TokenDenial]:
        return await uow.token_denials.of(holders, int(time.time()))

    async def close(self) -> None:
        return None


# One hash, field = holder, value = "issued_until:expires_at". Pruning and keeping the later denial happen in
# one script so two gateways recording at once cannot lose a denial.
_RECORD = """
local now = tonumber(ARGV[4])
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  local expires = tonumber(string.match(fields[i + 1], ':(%d+)$'))
  if expires == nil or expires <= now then redis.call('HDEL', KEYS[1], fields[i]) end
end
local issued_until, expires_at = tonumber(ARGV[2]), tonumber(ARGV[3])
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local until_before, expires_before = string.match(current, '^(%d+):(%d+)$')
  issued_until = math.max(issued_until, tonumber(until_before))
  expires_at = math.max(expires_at, tonumber(expires_before))
end
redis.call('HSET', KEYS[1], ARGV[1], string.format('%d:%d', issued_until, expires_at))
return 1
"""


def _parse(holder: bytes | str, value: bytes | str | None) -> TokenDenial | None:
    if value is None:
        return None
    text = value.decode() if isinstance(value, bytes) else value
    issued_until, _, expires_at = text.partition(":")
    name = holder.decode() if isinstance(holder, bytes) else holder
    return TokenDenial(holder=name, issued_until=int(issued_until), expires_at=int(expires_at))


class RedisDenials:
    def __init__(self, url: str, key: str = "hope:gateway:token-denials") -> None:
        self._redis: Redis = Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._key = key

    async def record(self, uow: GatewayUnitOfWork, denial: TokenDenial) -> None:
        arguments = (denial.holder, denial.issued_until, denial.expires_at, int(time.time()))
        try:
            await self._redis.eval(_RECORD, 1, self._key, *arguments)
        except (RedisError, OSError) as error:
            raise DenialStoreUnavailable("the shared token deny-list cannot be written; nothing was changed") from error

    async def live(self) -> list[TokenDenial]:
        now = int(time.time())
        found = await self._redis.hgetall(self._key)
        denials = (_parse(holder, value) for holder, value in found.items())
        return [denial for denial in denials if denial is not None and denial.expires_at > now]

    async def of(self, uow: GatewayUnitOfWork, holders: Sequence[str]) -> list[TokenDenial]:
        now = int(time.time())
        values = await self._redis.hmget(self._key, list(holders))
        denials = (_parse(holder, value) for holder, value in zip(holders, values, strict=True))
        return [denial for denial in denials if denial is not None and denial.expires_at > now]

    async def close(self) -> None:
        await self._redis.aclose()


def make_denial_store(redis_url: str | None, uow_factory: Callable[[], GatewayUnitOfWork]) -> DenialStore:
    return RedisDenials(redis_url) if redis_url else DatabaseDenials(uow_factory)
