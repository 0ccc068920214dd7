"""What the housing gap list reads: the step windows of people with an open file, and their placements that
still have nights ahead. Only rows ending after `today` are loaded, so a year of history costs nothing."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from support_service.adapters.schedule_tables import cohort_steps
from support_service.adapters.tables import people, placements, support_files
from support_service.domain.gaps import COMING_WEEK, StepWindow
from support_service.domain.housing import Placement
from support_service.domain.nights import Nights
from support_service.domain.vocabulary import PlacementStatus


class GapRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def set_step_end(self, file_id: UUID, step_ends_on: date | None) -> None:
        await self._connection.execute(
            update(support_files).where(support_files.c.id == file_id).values(step_ends_on=step_ends_on)
        )

    async def windows(self, org_id: UUID | None, today: date) -> list[StepWindow]:
        """Each supported person's current step 3 or 4, from its start to its end in the cohort's calendar; where
        the calendar has no end for that step (or there is none: an individual path), the end the referent
        entered; else the end of the coming week (then only the coming week can show a gap)."""
        query = _supported(
            select(
                support_files.c.beneficiary_id,
                func.coalesce(cohort_steps.c.ends_on, support_files.c.step_ends_on).label("step_ends_on"),
                people.c.current_step,
                people.c.step_started_at,
            ),
            org_id,
        ).outerjoin(
            cohort_steps,
            (cohort_steps.c.cohort_id == people.c.cohort_id) & (cohort_steps.c.step == people.c.current_step),
        )
        windows = []
        for row in await self._connection.execute(query):
            start = row.step_started_at.date()
            end = row.step_ends_on or today + COMING_WEEK
            if end > start:
                windows.append(StepWindow(row.beneficiary_id, row.current_step, Nights(start, end)))
        return windows

    async def placements_ahead(self, org_id: UUID | None, today: date) -> list[Placement]:
        """The placements with nights after `today` of the people `windows` reads, chosen in the same query (not
        sent back as a list of thousands of ids)."""
        supported = _supported(select(support_files.c.beneficiary_id), org_id)
        rows = await self._connection.execute(
            select(placements).where(placements.c.beneficiary_id.in_(supported), placements.c.ends_on > today)
        )
        return [
            Placement(
                row.id,
                row.beneficiary_id,
                row.residence_id,
                row.bed_id,
                Nights(row.starts_on, row.ends_on),
                PlacementStatus(row.status),
            )
            for row in rows
        ]


def _supported(query: Select[Any], org_id: UUID | None) -> Select[Any]:
    """`query` narrowed to the people with an open file (of `org_id`, or anyone's) who are in step 3 or 4."""
    narrowed = query.join(people, people.c.beneficiary_id == support_files.c.beneficiary_id).where(
        support_files.c.status != "closed", people.c.current_step.in_((3, 4))
    )
    return narrowed if org_id is None else narrowed.where(support_files.c.support_org_id == org_id)
