from gateway_service.api.token_throttle import TokenThrottle
from gateway_service.routing.limits import MemoryCounter


class _DownCounter:
    async def hit(self, key: str, window_s: int) -> int:
        raise ConnectionRefusedError

    async def close(self) -> None:
        return None


async def test_each_client_id_and_each_address_has_its_own_allowance() -> None:
    throttle = TokenThrottle(MemoryCounter(), per_client=2, per_address=4, window_s=3600)
    attempts = [await throttle.retry_after("10.0.0.1", "hope_a") for _ in range(3)]
    assert attempts[:2] == [None, None]
    assert attempts[2] is not None
    assert 0 < attempts[2] <= 3600
    assert await throttle.retry_after("10.0.0.2", "hope_b") is None
    assert await throttle.retry_after("10.0.0.1", "hope_c") is None
    # 10.0.0.1 has made four attempts: a fifth is refused whatever the client id.
    assert await throttle.retry_after("10.0.0.1", "hope_d") is not None
    assert await throttle.retry_after("10.0.0.1", None) is not None


async def test_a_stranger_using_a_client_id_does_not_use_up_that_clients_own_allowance() -> None:
    throttle = TokenThrottle(MemoryCounter(), per_client=3, per_address=100, window_s=3600)
    for _ in range(30):
        await throttle.retry_after("203.0.113.9", "hope_victim")
    assert await throttle.retry_after("203.0.113.9", "hope_victim") is not None
    assert await throttle.retry_after("10.0.0.1", "hope_victim") is None


async def test_a_store_that_is_down_lets_attempts_through() -> None:
    throttle = TokenThrottle(_DownCounter(), per_client=1, per_address=1, window_s=60)
    assert await throttle.retry_after("10.0.0.1", "hope_a") is None
