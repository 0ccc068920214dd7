"""Where a value is still stored: every column of every table of every service's database, read as text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import asyncpg


@dataclass(frozen=True)
class Found:
    service: str
    table: str
    column: str
    value: str  # what was looked for (never the row: it may hold someone else's data)


async def search(database_urls: Mapping[str, str], values: Iterable[str]) -> list[Found]:
    wanted = [v for v in values if v]
    found: list[Found] = []
    for service, url in database_urls.items():
        connection = await asyncpg.connect(url)
        try:
            columns = await connection.fetch(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
            )
            for row in columns:
                table, column = row["table_name"], row["column_name"]
                for value in wanted:
                    # Case-insensitive, anywhere in the text form (JSON payloads, stored answers, bytes as hex).
                    hit = await connection.fetchval(
                        f'SELECT 1 FROM "{table}" WHERE CAST("{column}" AS text) ILIKE $1 LIMIT 1',
                        f"%{value}%",
                    )
                    if hit:
                        found.append(Found(service, table, column, value))
        finally:
            await connection.close()
    return found
