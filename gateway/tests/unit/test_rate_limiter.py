import uuid

from gateway_service.routing.limits import MemoryCounter, RateLimiter
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.identity.principal import Principal


def _principal(*roles: Role) -> Principal:
    return Principal(
        subject=f"c-{uuid.uuid4().hex}",
        org_id=uuid.uuid4(),
        org_kind=OrgKind.EMPLOYER,
        roles=frozenset(roles),
        scopes=frozenset(),
    )


async def test_the_most_generous_role_sets_the_limit_and_the_window_resets() -> None:
    limiter = RateLimiter(MemoryCounter(), {"reader": 2, "writer": 3}, window_s=3600)
    principal = _principal(Role.READER, Role.WRITER)
    decisions = [await limiter.check(principal) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[-1].limit == 3
    assert 0 < decisions[-1].retry_after_s <= 3600


async def test_a_role_without_a_limit_gets_nothing() -> None:
    limiter = RateLimiter(MemoryCounter(), {"reader": 2}, window_s=60)
    assert not (await limiter.check(_principal(Role.MEDICAL))).allowed
