"""Examples: created by a writer of any organisation, read by any authenticated caller."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from hope_contracts.support import ExampleCreated
from hopekit.identity.principal import Principal
from support_service.adapters.unit_of_work import SupportUnitOfWork
from support_service.domain.errors import ExampleCodeTaken, ExampleNotFound
from support_service.domain.example import Example, new_example


async def create(uow: SupportUnitOfWork, principal: Principal, code: str, label: str) -> Example:
    now = datetime.now(UTC)
    example = new_example(code, label, principal.org_id, now)
    if await uow.examples.code_taken(example.code):
        raise ExampleCodeTaken(f"an example with code {example.code!r} exists already")
    await uow.examples.add(example)
    uow.publish(ExampleCreated(example_id=example.id, code=example.code, occurred_at=now))
    uow.audit(principal, "create", "example", example.id)
    return example


async def get(uow: SupportUnitOfWork, example_id: UUID) -> Example:
    example = await uow.examples.get(example_id)
    if example is None:
        raise ExampleNotFound("no such example")
    return example


async def page(uow: SupportUnitOfWork, after: UUID | None, limit: int) -> list[Example]:
    return await uow.examples.page(after, limit)
