"""Examples: created by a writer of any organisation, read by any authenticated caller."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.domain.errors import ExampleCodeTaken, ExampleNotFound
from funding_service.domain.example import Example, new_example
from hope_contracts.funding import ExampleCreated
from hopekit.identity.principal import Principal


async def create(uow: FundingUnitOfWork, principal: Principal, code: str, label: str) -> Example:
    now = datetime.now(UTC)
    example = new_example(code, label, principal.org_id, now)
    if await uow.examples.code_taken(example.code):
        raise ExampleCodeTaken(f"an example with code {example.code!r} exists already")
    await uow.examples.add(example)
    uow.publish(ExampleCreated(example_id=example.id, code=example.code, occurred_at=now))
    uow.audit(principal, "create", "example", example.id)
    return example


async def get(uow: FundingUnitOfWork, example_id: UUID) -> Example:
    example = await uow.examples.get(example_id)
    if example is None:
        raise ExampleNotFound("no such example")
    return example


async def page(uow: FundingUnitOfWork, after: UUID | None, limit: int) -> list[Example]:
    return await uow.examples.page(after, limit)
