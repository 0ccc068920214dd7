"""Examples in the database."""

from __future__ import annotations

from dataclasses import asdict
from uuid import UUID

from sqlalchemy import insert, select
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from reporting_service.adapters.tables import examples
from reporting_service.domain.errors import ExampleCodeTaken
from reporting_service.domain.example import Example


def _example(row: Row[tuple[object, ...]]) -> Example:
    return Example(**row._mapping)


class ExampleRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, example: Example) -> None:
        try:
            await self._connection.execute(insert(examples).values(**asdict(example)))
        except IntegrityError as error:
            # A concurrent creation with the same code won the unique constraint: answered as the check before it.
            raise ExampleCodeTaken(f"an example with code {example.code!r} exists already") from error

    async def get(self, example_id: UUID) -> Example | None:
        row = (await self._connection.execute(select(examples).where(examples.c.id == example_id))).first()
        return _example(row) if row is not None else None

    async def code_taken(self, code: str) -> bool:
        found = await self._connection.execute(select(examples.c.id).where(examples.c.code == code))
        return found.first() is not None

    async def page(self, after: UUID | None, limit: int) -> list[Example]:
        """Keyset pagination by id: ``limit`` rows after ``after``."""
        query = select(examples).order_by(examples.c.id).limit(limit)
        if after is not None:
            query = query.where(examples.c.id > after)
        return [_example(row) for row in await self._connection.execute(query)]
