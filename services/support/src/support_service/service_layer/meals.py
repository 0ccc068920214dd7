"""Meal entitlements from the training calendar and housing (issue 14, catering).

A person is owed, per day, lunch on a day their cohort (or their own course) has a session, and full board on a
day whose night they are housed (``domain.catering.meals_owed``); nothing from the day they left the path. What is
published is one ``meals_entitled`` per person and month, sent again whole only when that month's counts change:
a day counts once whatever duplicates arrive, sessions added later add days, a withdrawal takes the days after it
away. Every change to what the counts derive from (sessions, membership, placements, leaving) refreshes the
person.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from hope_contracts import training
from support_service.adapters.unit_of_work import SupportUnitOfWork
from support_service.domain.catering import monthly_entitlements
from support_service.domain.events import MealsEntitled
from support_service.domain.nights import Nights
from support_service.events.outgoing import to_contract

# Every placement a person may have, for the months it touches.
ALL_NIGHTS = Nights(date(2000, 1, 1), date(2100, 12, 31))


async def on_sessions_scheduled(uow: SupportUnitOfWork, event: training.SessionsScheduled) -> None:
    if (event.cohort_id is None) == (event.beneficiary_id is None):
        return  # neither one cohort nor one person: nobody to entitle
    rows: list[dict[str, object]] = [
        {
            "session_id": session.session_id,
            "course_id": event.course_id,
            "step": event.step,
            "cohort_id": event.cohort_id,
            "beneficiary_id": event.beneficiary_id,
            "held_on": session.held_on,
        }
        for session in event.sessions
    ]
    if event.cohort_id is not None:
        # What changes a cohort's meals (its sessions, its members) serialises: neither misses the other's rows.
        await uow.cohorts.lock(event.cohort_id)
    await uow.schedule.add_sessions(rows)
    if event.beneficiary_id is not None:
        people = [event.beneficiary_id]
    else:
        assert event.cohort_id is not None
        people = await uow.projection.members(event.cohort_id)
    for beneficiary_id in people:
        await refresh(uow, beneficiary_id)


async def refresh(uow: SupportUnitOfWork, beneficiary_id: UUID) -> None:
    """Publish each month whose counts differ from what was last published for the person (a month no longer
    owed anything is published again with zeros).

    Called once the caller's own change is written; the person's lock, taken before anything is read, makes two
    refreshes of one person take turns, the second reading what the first wrote: a withdrawal (or a placement)
    and the cohort's sessions applied at the same time each counted without the other's change, and the last
    month published could pay days after the person left."""
    person = await uow.projection.person(beneficiary_id, lock=True)
    if person is None or person.erased:
        return
    days = await uow.schedule.training_days(beneficiary_id, person.cohort_id)
    stays = await uow.housing.stays_of(beneficiary_id, ALL_NIGHTS)
    now = datetime.now(UTC)
    owed = monthly_entitlements(beneficiary_id, days, stays, person.left_on, now)
    published = await uow.schedule.published(beneficiary_id)
    for first in sorted(set(owed) | set(published)):
        entitled = owed.get(first) or MealsEntitled(
            beneficiary_id=beneficiary_id, month=first, breakfasts=0, lunches=0, dinners=0, occurred_at=now
        )
        if published.get(first, (0, 0, 0)) == (entitled.breakfasts, entitled.lunches, entitled.dinners):
            continue
        await uow.schedule.record(entitled)
        uow.publish(to_contract(entitled))
