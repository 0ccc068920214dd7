"""The set-based writer: a transaction's writes to the facts, folded per row key in memory by the same rule the
database would apply, then written with one multi-row statement per table and rule (``upserts``).

Folding gives what applying the writes one by one would: set-if-newer keeps the write with the latest guard (an
equal guard: the later write, or the one whose tie column is not older), set-fields keeps the latest values and
the first row's creation values, earliest / latest keep the extreme, add sums, insert-once keeps the first. The
rules are order-free, so groups of different tables or columns may be written in any order: by table name, each
group's rows in key order (two transactions writing the same rows lock them in the same order). A reader of the
facts flushes first (``VersionFacts``): it sees every write before it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter
from typing import Any
from uuid import UUID

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection

from reporting_service.adapters import upserts
from reporting_service.adapters.upserts import Rule


@dataclass
class _Group:
    rule: Rule
    table: Table
    columns: tuple[str, ...]  # the columns the rule writes on an existing row (guard, amounts, the extreme…)
    guard: str | None = None
    tie: str | None = None
    keys: tuple[str, ...] = ()
    rows: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A row's key, as a tuple (itemgetter gives a bare value for one column: the funders' links).
        getter = itemgetter(*self.keys)
        self.key_of: Callable[[dict[str, Any]], tuple[Any, ...]] = (
            getter if len(self.keys) > 1 else lambda row: (getter(row),)
        )

    def fold(self, key: tuple[Any, ...], row: dict[str, Any]) -> None:
        old = self.rows.get(key)
        if old is None:
            self.rows[key] = row
        elif self.rule == "newer":
            if _newer_wins(old, row, self.guard, self.tie):
                self.rows[key] = row
        else:
            self._fold_into(old, row)

    def _fold_into(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        """``new`` folded into the row kept (``PendingWrites`` owns it): in place, as a copy per write was a
        tenth of the attendance sheets' CPU (three totals rows per person and sheet)."""
        if self.rule == "fields":
            for name in self.columns:
                old[name] = new[name]
        elif self.rule in ("earliest", "latest"):
            (column,) = self.columns
            values = [value for value in (old[column], new[column]) if value is not None]
            if values:
                old[column] = min(values) if self.rule == "earliest" else max(values)
        elif self.rule == "add":
            for name in self.columns:
                old[name] += new[name]
        # once: the first stays

    async def write(self, connection: AsyncConnection) -> None:
        rows = [self.rows[key] for key in sorted(self.rows, key=in_key_order)]
        if self.rule == "newer":
            assert self.guard is not None
            await upserts.set_if_newer(connection, self.table, rows, self.columns, self.guard, self.tie)
        elif self.rule == "fields":
            await upserts.set_fields(connection, self.table, rows, self.columns)
        elif self.rule in ("earliest", "latest"):
            await upserts.keep_extreme(connection, self.table, rows, self.columns[0], earliest=self.rule == "earliest")
        elif self.rule == "add":
            await upserts.add(connection, self.table, rows, self.columns)
        else:
            await upserts.insert_once(connection, self.table, rows)


def _newer_wins(old: Mapping[str, Any], new: Mapping[str, Any], guard: str | None, tie: str | None) -> bool:
    assert guard is not None
    stored, arriving = old[guard], new[guard]
    if stored is None:
        return True
    if arriving is None:
        return False
    if arriving != stored:
        return bool(arriving > stored)
    return tie is None or (old[tie] is not None and new[tie] is not None and old[tie] <= new[tie])


@cache
def _key_names(table: Table) -> tuple[str, ...]:
    return tuple(upserts.keys(table))


def in_key_order(key: tuple[Any, ...]) -> tuple[Any, ...]:
    """A sort key for a row's key in the database's order: its UUIDs as their numbers (PostgreSQL orders them as
    their bytes; ``UUID.__lt__`` runs in Python, the text of each was slower still), the rest as it is."""
    return tuple([part.int if isinstance(part, UUID) else part for part in key])  # a list: no generator's frames


class PendingWrites:
    """One version's writes not yet sent, grouped by table, rule and columns. The rows given are kept and folded
    in place: a caller hands over a row of its own making and does not use it after."""

    def __init__(self) -> None:
        self._groups: dict[tuple[Any, ...], _Group] = {}

    def __bool__(self) -> bool:
        return bool(self._groups)

    def waiting(self, table: Table | None = None) -> Iterator[Mapping[str, Any]]:
        """Every row not yet sent (of ``table`` alone, when given), as the flush will send it (to be read, not
        changed)."""
        for group in self._groups.values():
            if table is None or group.table is table:
                yield from group.rows.values()

    def write(
        self,
        rule: Rule,
        table: Table,
        row: dict[str, Any],
        columns: Sequence[str],
        guard: str | None = None,
        tie: str | None = None,
    ) -> None:
        """``row``: the key and every value; ``columns``: those the rule writes on an existing row."""
        shape = (rule, table.name, tuple(row), tuple(columns), guard, tie)
        group = self._groups.get(shape)
        if group is None:
            group = self._groups[shape] = _Group(rule, table, tuple(columns), guard, tie, _key_names(table))
        group.fold(group.key_of(row), row)

    def write_many(self, rule: Rule, table: Table, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
        """``write`` for rows of one shape (the same columns): the group is found once."""
        if not rows:
            return
        shape = (rule, table.name, tuple(rows[0]), tuple(columns), None, None)
        group = self._groups.get(shape)
        if group is None:
            group = self._groups[shape] = _Group(rule, table, tuple(columns), None, None, _key_names(table))
        for row in rows:
            group.fold(group.key_of(row), row)

    async def flush(self, connection: AsyncConnection, only: Callable[[Table], bool] = lambda _: True) -> None:
        """Send the waiting writes (``only`` those of the tables it accepts)."""
        groups = {shape: group for shape, group in self._groups.items() if only(group.table)}
        self._groups = {shape: group for shape, group in self._groups.items() if shape not in groups}
        # Table by table in one order for every transaction.
        for _, group in sorted(groups.items(), key=lambda item: (item[1].table.name, repr(item[0]))):
            await group.write(connection)
