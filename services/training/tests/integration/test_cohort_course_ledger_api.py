"""Whom a cohort course's ledger counts: the members its step expects. A member who withdrew before the step
began never comes to it, so their planned hours are not the course's; whoever started it stays, hours and all."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from hope_contracts import enrolment

from .conftest import deliver, received
from .programme import Programme, today

pytestmark = pytest.mark.integration


async def withdraw(programme: Programme, person: uuid.UUID, from_status: str, last_step: int) -> None:
    withdrawn = enrolment.BeneficiaryWithdrawn(
        beneficiary_id=person,
        reason="moved_away",
        from_status=from_status,
        last_step=last_step,
        occurred_at=datetime.now(UTC),
    )
    assert await deliver(programme.database, received(withdrawn))


async def test_a_step_four_course_counts_the_members_who_may_still_come_and_those_who_came(
    programme: Programme,
) -> None:
    cohort = await programme.cohort(size=4, step=3)
    came_and_stays, came_and_left, left_in_step_three, not_yet_started = cohort.people
    step_three = await programme.course(step=3, cohort=cohort)
    step_four = await programme.course(step=4, cohort=cohort)
    session = await programme.session(step_four, today().isoformat())
    for person in (came_and_stays, came_and_left):
        await programme.start_step(person, 4, cohort.id)
    answer = await programme.sheet(
        session, {came_and_stays: "present", came_and_left: "present"}, programme.as_school()
    )
    assert answer.status_code == 200, answer.text
    await withdraw(programme, came_and_left, "trade_qualification", 4)
    await withdraw(programme, left_in_step_three, "french_qualification", 3)

    ledger = await programme.http.get(f"/v1/courses/{step_four['id']}/ledger", headers=programme.as_school())
    assert ledger.status_code == 200, ledger.text
    counted = {uuid.UUID(person["beneficiary_id"]) for person in ledger.json()["people"]}
    assert counted == {came_and_stays, came_and_left, not_yet_started}
    assert ledger.json()["total"]["attended"] == "8.00"

    # Step 3 was theirs: everyone is on its ledger, the one who left during it included.
    earlier = await programme.http.get(f"/v1/courses/{step_three['id']}/ledger", headers=programme.as_school())
    assert {uuid.UUID(person["beneficiary_id"]) for person in earlier.json()["people"]} == set(cohort.people)

    # The cohort's ledger is made of the same course ledgers.
    both = await programme.http.get(f"/v1/cohorts/{cohort.id}/ledger", headers=programme.as_operator())
    assert both.status_code == 200, both.text
    by_step = {course["step"]: course for course in both.json()["courses"]}
    assert {uuid.UUID(person["beneficiary_id"]) for person in by_step[4]["people"]} == counted
