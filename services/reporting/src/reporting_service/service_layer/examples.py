"""Examples: created by a writer of any organisation, read by any authenticated caller."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from hope_contracts.reporting import ExampleCreated
from hopekit.identity.principal import Principal
from reporting_service.adapters.unit_of_work import ReportingUnitOfWork
from reporting_service.domain.errors import ExampleCodeTaken, ExampleNotFound
from reporting_service.domain.example import Example, new_example


async def create(uow: ReportingUnitOfWork, principal: Principal, code: str, label: str) -> Example:
    now = datetime.now(UTC)
    example = new_example(code, label, principal.org_id, now)
    if await uow.examples.code_taken(example.code):
        raise ExampleCodeTaken("an example with this code exists already")
    await uow.examples.add(example)
    uow.publish(ExampleCreated(example_id=example.id, occurred_at=now))
    uow.audit(principal, "create", "example", example.id)
    return example


async def get(uow: ReportingUnitOfWork, example_id: UUID) -> Example:
    example = await uow.examples.get(example_id)
    if example is None:
        raise ExampleNotFound("no such example")
    return example


async def page(uow: ReportingUnitOfWork, after: UUID | None, limit: int) -> list[Example]:
    return await uow.examples.page(after, limit)
