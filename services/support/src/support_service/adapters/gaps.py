"""The housing gap list, computed by the database: it reads a year of placements for thousands of people, and doing
that row by row in Python (a placement object, a night range and a response item each) cost about 70 ms of CPU an
answer. One statement finds each window's first uncovered night and the gap's kind; only a page comes back.

The rule is `support_service.domain.gaps.housing_gaps`; the statement says it again in SQL (an integration test
checks both give the same list over random calendars), on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import (
    CTE,
    ColumnElement,
    Date,
    Integer,
    Select,
    Uuid,
    and_,
    bindparam,
    case,
    exists,
    func,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from support_service.adapters.schedule_tables import cohort_steps
from support_service.adapters.tables import people, placements, support_files
from support_service.domain.gaps import COMING_WEEK, GapKind, GapPosition, HousingGap, ListedGap


class utc_date(FunctionElement[date]):
    """The UTC day of a stored instant (what `datetime.date()` gives on the instants the kit reads back)."""

    type = Date()
    inherit_cache = True


@compiles(utc_date)
def _utc_date(element: utc_date, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite holds the kit's instants as UTC text without a zone.
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_date, "postgresql")
def _utc_date_postgresql(element: utc_date, compiler: SQLCompiler, **kw: Any) -> str:
    # A timestamptz's date depends on the session's time zone: the day is taken in UTC, whatever that is.
    return f"CAST(timezone('UTC', {compiler.process(element.clauses, **kw)}) AS DATE)"


def _later(a: ColumnElement[date], b: ColumnElement[date]) -> ColumnElement[date]:
    return case((a > b, a), else_=b)  # GREATEST is not SQLite's


def _earlier(a: ColumnElement[date], b: ColumnElement[date]) -> ColumnElement[date]:
    return case((a < b, a), else_=b)


class GapRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def set_step_end(self, file_id: UUID, step_ends_on: date | None) -> None:
        await self._connection.execute(
            update(support_files).where(support_files.c.id == file_id).values(step_ends_on=step_ends_on)
        )

    async def page(
        self, org_id: UUID | None, cohort_id: UUID | None, today: date, after: GapPosition | None, limit: int
    ) -> list[ListedGap]:
        """The gaps after `after`, at most `limit`, in the list's order."""
        values: dict[str, Any] = {"today": today, "week_end": today + COMING_WEEK, "limit": limit}
        if org_id is not None:
            values["org_id"] = org_id
        if cohort_id is not None:
            values["cohort_id"] = cohort_id
        if after is not None:
            values |= {
                "after_from": after.uncovered_from,
                "after_person": after.beneficiary_id,
                "after_file": after.file_id,
            }
        query = _page(org_id is not None, cohort_id is not None, after is not None)
        return [
            ListedGap(
                HousingGap(row.beneficiary_id, row.step, GapKind(row.kind), row.uncovered_from, row.ends_on),
                GapPosition(row.uncovered_from, row.beneficiary_id, row.file_id),
            )
            for row in await self._connection.execute(query, values)
        ]


@cache
def _page(by_org: bool, by_cohort: bool, after: bool) -> Select[Any]:
    """The statement for one shape of request, made once: building it took about 3 ms of CPU an answer."""
    listed = _gaps(by_org, by_cohort)
    query = select(listed).where(listed.c.kind.is_not(None))
    if after:
        after_from = bindparam("after_from", type_=Date)
        after_person = bindparam("after_person", type_=Uuid)
        query = query.where(
            or_(
                listed.c.uncovered_from > after_from,
                and_(
                    listed.c.uncovered_from == after_from,
                    or_(
                        listed.c.beneficiary_id > after_person,
                        and_(
                            listed.c.beneficiary_id == after_person,
                            listed.c.file_id > bindparam("after_file", type_=Uuid),
                        ),
                    ),
                ),
            )
        )
    return query.order_by(listed.c.uncovered_from, listed.c.beneficiary_id, listed.c.file_id).limit(
        bindparam("limit", type_=Integer)
    )


def _gaps(by_org: bool, by_cohort: bool) -> CTE:
    """Every window with an uncovered night ahead, its first uncovered night and its kind (NULL: not a gap), as of
    the `today` parameter (`week_end` the morning after the coming week), of the `org_id` and `cohort_id` ones."""
    week_end = bindparam("week_end", type_=Date)
    on = bindparam("today", type_=Date)
    # Each supported person's current step 3 or 4, from its start to its end in the cohort's calendar; where the
    # calendar has no end for that step (or there is none: an individual path), the end the referent entered;
    # else the end of the coming week (then only the coming week can show a gap). Kept only with nights ahead.
    step_start = utc_date(people.c.step_started_at)
    step_end = func.coalesce(cohort_steps.c.ends_on, support_files.c.step_ends_on, week_end)
    supported = _supported(
        select(
            support_files.c.id.label("file_id"),
            support_files.c.beneficiary_id,
            people.c.current_step.label("step"),
            step_start.label("starts_on"),
            step_end.label("ends_on"),
            _later(step_start, on).label("ahead_from"),
        ),
        by_org,
    ).outerjoin(
        cohort_steps,
        (cohort_steps.c.cohort_id == people.c.cohort_id) & (cohort_steps.c.step == people.c.current_step),
    )
    if by_cohort:
        supported = supported.where(people.c.cohort_id == bindparam("cohort_id", type_=Uuid))
    windows = supported.where(_later(step_start, on) < step_end).cte("windows")
    # Their placements with nights after today (index on (beneficiary_id, ends_on)): a year of history costs nothing.
    stays = (
        select(placements.c.beneficiary_id, placements.c.starts_on, placements.c.ends_on)
        .where(
            placements.c.ends_on > on,
            placements.c.starts_on < placements.c.ends_on,
            placements.c.beneficiary_id.in_(select(windows.c.beneficiary_id)),
        )
        .cte("stays")
    )
    # The first uncovered night ahead is the first night ahead or a morning a stay ends on, whichever no stay
    # covers first.
    candidates = union_all(
        select(windows.c.file_id, windows.c.beneficiary_id, windows.c.ahead_from.label("night")),
        select(windows.c.file_id, windows.c.beneficiary_id, stays.c.ends_on).join_from(
            windows,
            stays,
            (stays.c.beneficiary_id == windows.c.beneficiary_id) & (stays.c.ends_on > windows.c.ahead_from),
        ),
    ).cte("candidates")
    covered = exists().where(
        stays.c.beneficiary_id == candidates.c.beneficiary_id,
        stays.c.starts_on <= candidates.c.night,
        candidates.c.night < stays.c.ends_on,
    )
    uncovered = (
        select(candidates.c.file_id, func.min(candidates.c.night).label("uncovered_from"))
        .where(~covered)
        .group_by(candidates.c.file_id)
        .cte("uncovered")
    )
    # Whether a stay shares a night with the coming week (within the step), or with the step at all: aggregated
    # over a join, not asked per window (a correlated subquery there would scan the stays once per window).
    week_last = _earlier(windows.c.ends_on, week_end)
    housed = (
        select(
            windows.c.file_id,
            func.max(
                case((and_(stays.c.starts_on < week_last, windows.c.ahead_from < stays.c.ends_on), 1), else_=0)
            ).label("this_week"),
            func.max(
                case((and_(stays.c.starts_on < windows.c.ends_on, windows.c.starts_on < stays.c.ends_on), 1), else_=0)
            ).label("in_step"),
        )
        .join_from(windows, stays, stays.c.beneficiary_id == windows.c.beneficiary_id)
        .group_by(windows.c.file_id)
        .cte("housed")
    )
    kind = case(
        (
            and_(windows.c.ahead_from < week_last, func.coalesce(housed.c.this_week, 0) == 0),
            GapKind.NO_PLACEMENT_COMING_WEEK.value,
        ),
        (func.coalesce(housed.c.in_step, 0) == 1, GapKind.PLACEMENT_ENDS_BEFORE_STEP.value),
        else_=None,
    )
    return (
        select(
            windows.c.file_id,
            windows.c.beneficiary_id,
            windows.c.step,
            windows.c.ends_on,
            uncovered.c.uncovered_from,
            kind.label("kind"),
        )
        .join_from(windows, uncovered, uncovered.c.file_id == windows.c.file_id)
        .outerjoin(housed, housed.c.file_id == windows.c.file_id)
        .where(uncovered.c.uncovered_from < windows.c.ends_on)
        .cte("gaps")
    )


def _supported(query: Select[Any], by_org: bool) -> Select[Any]:
    """`query` narrowed to the people with an open file (of the `org_id` parameter's, or anyone's) who are in step 3
    or 4."""
    narrowed = query.join(people, people.c.beneficiary_id == support_files.c.beneficiary_id).where(
        support_files.c.status != "closed", people.c.current_step.in_((3, 4))
    )
    return narrowed.where(support_files.c.support_org_id == bindparam("org_id", type_=Uuid)) if by_org else narrowed
