"""The local projection of enrolment: cohorts' members, steps started, withdrawals (the cohorts themselves:
``hopekit.cohorts``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.db.upsert import insert_ignore, upsert
from training_service.adapters.tables import (
    cohort_members,
    cohorts,
    erased_beneficiaries,
    participant_steps,
    participants,
)


@dataclass(frozen=True)
class ParticipantView:
    beneficiary_id: UUID
    withdrawn: bool
    steps: frozenset[int]
    cohort_ids: frozenset[UUID]
    # The day the person joined each cohort, where enrolment said (its member-added event).
    joined_on: dict[UUID, date] = field(default_factory=dict, compare=False, hash=False)


class ProjectionRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def is_erased(self, beneficiary_id: UUID) -> bool:
        found = await self._connection.scalar(
            select(erased_beneficiaries.c.beneficiary_id).where(erased_beneficiaries.c.beneficiary_id == beneficiary_id)
        )
        return found is not None

    async def note_participant(
        self, beneficiary_id: UUID, track: str | None, registered_by_org_id: UUID | None = None
    ) -> None:
        await insert_ignore(self._connection, participants, [{"beneficiary_id": beneficiary_id, "track": track}])
        if registered_by_org_id is not None:
            await self._connection.execute(
                update(participants)
                .where(participants.c.beneficiary_id == beneficiary_id)
                .values(registered_by_org_id=registered_by_org_id)
            )
        if track is not None:
            await self._connection.execute(
                update(participants)
                .where(participants.c.beneficiary_id == beneficiary_id, participants.c.track.is_(None))
                .values(track=track)
            )

    async def step_started(self, beneficiary_id: UUID, step: int, cohort_id: UUID | None, at: datetime) -> None:
        await upsert(
            self._connection,
            participant_steps,
            [{"beneficiary_id": beneficiary_id, "step": step, "cohort_id": cohort_id, "started_at": at}],
            keys=["beneficiary_id", "step"],
            update=["cohort_id", "started_at"],
        )

    async def step_completed(self, beneficiary_id: UUID, step: int, at: datetime) -> None:
        await insert_ignore(self._connection, participant_steps, [{"beneficiary_id": beneficiary_id, "step": step}])
        await self._connection.execute(
            update(participant_steps)
            .where(participant_steps.c.beneficiary_id == beneficiary_id, participant_steps.c.step == step)
            .values(completed_at=at)
        )

    async def withdrawn(self, beneficiary_id: UUID, at: datetime) -> None:
        await self.note_participant(beneficiary_id, None)
        await self._connection.execute(
            update(participants)
            .where(participants.c.beneficiary_id == beneficiary_id, participants.c.withdrawn_at.is_(None))
            .values(withdrawn_at=at)
        )

    async def member_added(self, cohort_id: UUID, beneficiary_id: UUID, joined_at: datetime | None = None) -> None:
        """A member of the cohort; ``joined_at`` when the event says when they were added (the earliest kept,
        whatever order the events come in)."""
        await insert_ignore(
            self._connection, cohort_members, [{"cohort_id": cohort_id, "beneficiary_id": beneficiary_id}]
        )
        if joined_at is not None:
            await self._connection.execute(
                update(cohort_members)
                .where(
                    cohort_members.c.cohort_id == cohort_id,
                    cohort_members.c.beneficiary_id == beneficiary_id,
                    or_(cohort_members.c.joined_at.is_(None), cohort_members.c.joined_at > joined_at),
                )
                .values(joined_at=joined_at)
            )

    async def erase(self, beneficiary_id: UUID, at: datetime) -> None:
        await insert_ignore(
            self._connection, erased_beneficiaries, [{"beneficiary_id": beneficiary_id, "erased_at": at}]
        )
        for table in (participants, participant_steps, cohort_members):
            await self._connection.execute(delete(table).where(table.c.beneficiary_id == beneficiary_id))

    async def registered_by(self, beneficiary_id: UUID) -> UUID | None:
        """The immigration office that registered the person, when enrolment's registered event has arrived."""
        found: UUID | None = await self._connection.scalar(
            select(participants.c.registered_by_org_id).where(participants.c.beneficiary_id == beneficiary_id)
        )
        return found

    async def individual_providers(self, beneficiary_id: UUID) -> set[UUID]:
        """The training providers the person's individual path names: those of the individual-track cohorts
        enrolment placed them in."""
        rows = await self._connection.scalars(
            select(cohorts.c.training_provider_org_id)
            .join(cohort_members, cohort_members.c.cohort_id == cohorts.c.id)
            .where(cohort_members.c.beneficiary_id == beneficiary_id, cohorts.c.track == "individual")
        )
        return set(rows)

    async def participant(self, beneficiary_id: UUID) -> ParticipantView | None:
        found = await self.participants([beneficiary_id])
        return found.get(beneficiary_id)

    async def participants(self, ids: list[UUID]) -> dict[UUID, ParticipantView]:
        if not ids:
            return {}
        withdrawn = {
            row.beneficiary_id: row.withdrawn_at is not None
            for row in await self._connection.execute(
                select(participants.c.beneficiary_id, participants.c.withdrawn_at).where(
                    participants.c.beneficiary_id.in_(ids)
                )
            )
        }
        steps: dict[UUID, set[int]] = {}
        for row in await self._connection.execute(
            select(participant_steps.c.beneficiary_id, participant_steps.c.step).where(
                and_(participant_steps.c.beneficiary_id.in_(ids), participant_steps.c.started_at.is_not(None))
            )
        ):
            steps.setdefault(row.beneficiary_id, set()).add(row.step)
        memberships: dict[UUID, set[UUID]] = {}
        joined: dict[UUID, dict[UUID, date]] = {}
        for row in await self._connection.execute(
            select(cohort_members).where(cohort_members.c.beneficiary_id.in_(ids))
        ):
            memberships.setdefault(row.beneficiary_id, set()).add(row.cohort_id)
            if row.joined_at is not None:
                joined.setdefault(row.beneficiary_id, {})[row.cohort_id] = row.joined_at.date()
        known = set(withdrawn) | set(steps) | set(memberships)
        return {
            beneficiary_id: ParticipantView(
                beneficiary_id,
                withdrawn.get(beneficiary_id, False),
                frozenset(steps.get(beneficiary_id, ())),
                frozenset(memberships.get(beneficiary_id, ())),
                joined.get(beneficiary_id, {}),
            )
            for beneficiary_id in known
        }

    async def members(self, cohort_id: UUID, step: int | None = None) -> list[UUID]:
        """The cohort's members; with a step, those the step's course expects: a member who withdrew before
        starting that step never comes to it (their hours are not planned there)."""
        query = select(cohort_members.c.beneficiary_id).where(cohort_members.c.cohort_id == cohort_id)
        if step is not None:
            started = (
                select(participant_steps.c.beneficiary_id)
                .where(
                    participant_steps.c.beneficiary_id == cohort_members.c.beneficiary_id,
                    participant_steps.c.step == step,
                    participant_steps.c.started_at.is_not(None),
                )
                .exists()
            )
            withdrawn = (
                select(participants.c.beneficiary_id)
                .where(
                    participants.c.beneficiary_id == cohort_members.c.beneficiary_id,
                    participants.c.withdrawn_at.is_not(None),
                )
                .exists()
            )
            query = query.where(or_(~withdrawn, started))
        return list(await self._connection.scalars(query))
