"""A keyset page is the rows after the key the cursor held, in key order, however the rows came in."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, Uuid, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from hopekit.db.keyset import after_key

from .fakes import sqlite_with

metadata = MetaData()
things = Table("things", metadata, Column("id", Uuid, primary_key=True), Column("kind", Integer, nullable=False))


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    async with sqlite_with(tmp_path, metadata) as engine:
        yield engine


async def test_pages_after_the_last_key_find_every_row_once_in_key_order(engine: AsyncEngine) -> None:
    ids = [uuid.uuid4() for _ in range(7)]
    async with engine.begin() as connection:
        await connection.execute(insert(things), [{"id": id_, "kind": n % 2} for n, id_ in enumerate(ids)])
    wanted = sorted(id_ for n, id_ in enumerate(ids) if n % 2 == 0)
    seen: list[uuid.UUID] = []
    after: uuid.UUID | None = None
    async with engine.connect() as connection:
        while True:
            query = after_key(select(things.c.id).where(things.c.kind == 0), things.c.id, after, 2)
            page = list(await connection.scalars(query))
            seen += page
            if len(page) < 2:
                break
            after = page[-1]
    assert seen == wanted
