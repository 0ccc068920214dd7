"""From contributions to a published table: cells per group and category, the figures of each group, and the
suppression that decides what may be shown (``domain.suppression``, the one rule)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from uuid import UUID

from reporting_service.domain.indicators.facts import PersonFacts
from reporting_service.domain.indicators.registry import Indicator
from reporting_service.domain.suppression import ProtectedTable, protect, protect_sharing_totals

CENT = Decimal("0.01")
RATE = Decimal("0.0001")
DAYS = Decimal("0.1")
TOTAL = "total"


@dataclass(frozen=True)
class Cell:
    """People counted in one group and category, what their values add up to, and their ranks (durations)."""

    people: int
    sums: Mapping[str, Decimal] = field(default_factory=dict)
    quantiles: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    """An indicator's cells by group (``groups`` in order) and category."""

    groups: tuple[str, ...]
    cells: Mapping[tuple[str, str], Cell]
    # Per category, over every group: a median is not made of the groups' medians.
    totals: Mapping[str, Cell] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    group: str
    people: int | None
    categories: dict[str, int | None]
    figures: dict[str, Decimal | None]
    suppressed: bool


def quantile(values: Sequence[Decimal], q: Decimal) -> Decimal:
    """Linear interpolation between closest ranks (PostgreSQL's ``percentile_cont``)."""
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def quantile_of_counts(counts: Mapping[Decimal, int], q: Decimal) -> Decimal:
    """``quantile`` of the values each repeated ``counts[value]`` times, without repeating them (a histogram of
    days: what the database counts is far fewer rows than the people it counts)."""
    ordered = sorted((value, count) for value, count in counts.items() if count > 0)
    position = q * (sum(count for _, count in ordered) - 1)
    low = int(position)

    def at(rank: int) -> Decimal:
        seen = 0
        for value, count in ordered:
            seen += count
            if rank < seen:
                return value
        return ordered[-1][0]

    below, above = at(low), at(low + 1)
    return below + (above - below) * (position - low)


def tabulate(
    indicator: Indicator,
    people: Iterable[PersonFacts],
    by: str,
    start: date,
    end: date,
    as_of: date,
    funders: frozenset[UUID] | None = None,
) -> Table:
    """The indicator's cells computed from people's facts by its rule (the reference the SQL is held to)."""
    members: dict[tuple[str, str], set[UUID]] = {}
    sums: dict[tuple[str, str], dict[str, Decimal]] = {}
    samples: dict[tuple[str, str], list[Decimal]] = {}
    for person in people:
        for part in indicator.rule(person, as_of):
            if not start <= part.on <= end:
                continue
            if funders is not None and "funder" in part.dimensions and UUID(part.dimensions["funder"]) not in funders:
                continue
            group = _group_of(person, part.dimensions, by, part.on)
            key = (group, part.category)
            members.setdefault(key, set()).add(person.beneficiary_id)
            into = sums.setdefault(key, {})
            for name, value in part.values.items():
                into[name] = into.get(name, Decimal(0)) + value
            if "days" in part.values:
                samples.setdefault(key, []).append(part.values["days"])
    cells = {key: _cell(who, sums.get(key, {}), samples.get(key)) for key, who in members.items()}
    totals = {}
    for category in indicator.categories:
        keys = [key for key in members if key[1] == category]
        if keys:
            who = set().union(*(members[key] for key in keys))
            total_sums: dict[str, Decimal] = {}
            for key in keys:
                for name, value in sums.get(key, {}).items():
                    total_sums[name] = total_sums.get(name, Decimal(0)) + value
            ranked = [value for key in keys for value in samples.get(key, [])]
            totals[category] = _cell(who, total_sums, ranked or None)
    return Table(tuple(sorted({group for group, _ in cells})), cells, totals)


def _cell(who: set[UUID], sums: dict[str, Decimal], samples: list[Decimal] | None) -> Cell:
    if not samples:
        return Cell(len(who), sums)
    ranks = {"median_days": quantile(samples, Decimal("0.5")), "p90_days": quantile(samples, Decimal("0.9"))}
    return Cell(len(who), sums, ranks)


@lru_cache(maxsize=4096)
def month_label(day: date) -> str:
    """``YYYY-MM``: how a month is named in every answer. Kept per day: an answer labels hundreds of rows of the
    same few months, and ``strftime`` cost 1.5 ms of each (measured in process at national scale)."""
    return day.strftime("%Y-%m")


def group_label(value: object) -> str:
    """A group's name from the database's value: a month (its first day) as ``YYYY-MM``, nothing as ``unknown``."""
    if isinstance(value, date):
        return month_label(value)
    return "unknown" if value is None else str(value)


def _group_of(person: PersonFacts, extra: Mapping[str, str], by: str, on: date) -> str:
    if by == "month":
        return month_label(on)
    return extra.get(by) or person.dimensions.get(by) or "unknown"


def publish(indicator: Indicator, table: Table, series: Table) -> tuple[list[Row], list[Row]]:
    """The rows by group (with a ``total`` row) and the monthly series, with every small number suppressed."""
    if series is table:
        # By month the table is its own series: the two would be protected and written alike (their totals agree
        # at once), so once (5 of time_in_step's 10 ms of publishing, 474 cells at national scale).
        rows = _rows(indicator, table, protect(_counts(indicator, table)))
        return rows, list(rows)
    grouped, monthly = protect_sharing_totals(_counts(indicator, table), _counts(indicator, series))
    return _rows(indicator, table, grouped), _rows(indicator, series, monthly)


def _counts(indicator: Indicator, table: Table) -> list[list[int]]:
    empty = Cell(0)
    if not table.groups:
        return [[0] * len(indicator.categories)]
    return [[table.cells.get((g, c), empty).people for c in indicator.categories] for g in table.groups]


def _rows(indicator: Indicator, table: Table, protected: ProtectedTable) -> list[Row]:
    rows = []
    labelled = [
        (index, group, {c: table.cells.get((group, c)) for c in indicator.categories})
        for index, group in enumerate(table.groups)
    ]
    labelled.append((protected.rows, TOTAL, {c: table.totals.get(c) for c in indicator.categories}))
    for index, group, cells in labelled:
        categories = {c: protected.shown(index, j) for j, c in enumerate(indicator.categories)}
        people = protected.row_total(index)
        figures = _figures(indicator, cells, categories, people)
        rows.append(Row(group, people, categories, figures, people is None or None in categories.values()))
    return rows


def _sum(cells: Iterable[Cell | None], name: str) -> Decimal:
    return sum((cell.sums.get(name, Decimal(0)) for cell in cells if cell is not None), Decimal(0))


def _figures(
    indicator: Indicator, cells: Mapping[str, Cell | None], shown: dict[str, int | None], people: int | None
) -> dict[str, Decimal | None]:
    everyone = list(cells.values())
    if indicator.kind == "breakdown":
        if not indicator.headline:
            return {}
        if people is None or people == 0 or any(shown[c] is None for c in indicator.headline):
            return {"rate": None}
        return {"rate": (Decimal(sum(shown[c] or 0 for c in indicator.headline)) / people).quantize(RATE)}
    if indicator.kind == "duration":
        figures: dict[str, Decimal | None] = {}
        for category, cell in cells.items():
            ranks = cell.quantiles if cell is not None and shown[category] else {}
            for name in ("median_days", "p90_days"):
                figures[f"{category}_{name}"] = ranks[name].quantize(DAYS) if name in ranks else None
        return figures
    if people is None:
        names = {
            "attendance": ("rate",),
            "money": ("committed", "consumed", "claimed", "paid"),
            "count": ("contracts",),
        }
        return dict.fromkeys(names.get(indicator.kind, ("cost_per_person", "cost_per_person_employed")), None)
    if indicator.kind == "attendance":
        recorded = _sum(everyone, "recorded")
        return {"rate": (_sum(everyone, "attended") / recorded).quantize(RATE) if recorded else None}
    if indicator.kind == "count":
        return {"contracts": _sum(everyone, "contracts")}
    if indicator.kind == "money":
        return {name: _sum(everyone, name).quantize(CENT) for name in ("committed", "consumed", "claimed", "paid")}
    consumed = _sum(everyone, "consumed")
    employed = shown.get("employed")
    return {
        "cost_per_person": (consumed / people).quantize(CENT, ROUND_HALF_EVEN) if people else None,
        "cost_per_person_employed": (consumed / employed).quantize(CENT, ROUND_HALF_EVEN) if employed else None,
    }


def with_totals(table: Table, totals: Table | None = None) -> Table:
    """The table with its per-category totals: ``totals``' cells when given (ranks need every value), else the
    groups' cells added up."""
    if totals is not None:
        return Table(table.groups, table.cells, {category: cell for (_, category), cell in totals.cells.items()})
    # Added up in plain dicts, each total made a Cell once (a Cell per cell added took 0.9 ms of 600 cells).
    people: dict[str, int] = {}
    sums: dict[str, dict[str, Decimal]] = {}
    for (_, category), cell in table.cells.items():
        people[category] = people.get(category, 0) + cell.people
        added = sums.setdefault(category, {})
        for name, value in cell.sums.items():
            added[name] = added.get(name, Decimal(0)) + value
    return Table(table.groups, table.cells, {category: Cell(people[category], sums[category]) for category in people})
