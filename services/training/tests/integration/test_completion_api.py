"""Step 4's completion rule over HTTP, on SQLite and PostgreSQL: its hours done, or a waiver that says why."""

from __future__ import annotations

import uuid

import pytest

from hope_infra.testing import assert_problem

from .programme import COMPLETED, Programme, days_ago, outbox

pytestmark = pytest.mark.integration


async def test_step_four_completes_with_its_hours_done_or_with_a_waiver_and_only_once(
    programme: Programme, database_url: str
) -> None:
    group = await programme.cohort(size=2, step=4)
    course = await programme.course(step=4, cohort=group, planned_hours="8", support_french_hours="2")
    school = programme.as_school()
    done, short = group.people
    for held_on, mark in ((days_ago(3), "present"), (days_ago(2), "unexcused")):
        session = await programme.session(course, held_on)
        assert (await programme.sheet(session, {done: "present", short: mark}, school)).status_code == 200
    support = await programme.session(course, days_ago(1), "14:00", "16:00", kind="french_support")
    await programme.sheet(support, {done: "present", short: "present"}, school)

    def completion(person: uuid.UUID) -> str:
        return f"/v1/courses/{course['id']}/participants/{person}/completion"

    completed = await programme.http.post(completion(done), json={}, headers=school)
    assert completed.status_code == 200, completed.text
    hours = completed.json()["hours"]
    assert (hours["attended"], hours["remaining"], hours["completion_rate"]) == ("8.00", "0.00", "1.0000")
    assert completed.json()["french_support"]["attended"] == "2.00"  # counted apart, not towards the 8 hours

    refused = await programme.http.post(completion(short), json={}, headers=school)
    problem = assert_problem(refused, 409, "completion-refused")
    assert (problem["planned_hours"], problem["attended_hours"]) == ("8.00", "4.00")
    blank = await programme.http.post(completion(short), json={"waiver_reason": "   "}, headers=school)
    assert [error["field"] for error in assert_problem(blank, 422, "validation")["errors"]] == ["waiver_reason"]

    reason = "signed a permanent contract with the host employer"
    waived = await programme.http.post(completion(short), json={"waiver_reason": reason}, headers=school)
    assert waived.status_code == 200, waived.text
    assert waived.json()["hours"]["attended"] == "4.00"

    events = await outbox(database_url, COMPLETED)
    assert [(e["beneficiary_id"], e["hours_waived"], e["attended_hours"]) for e in events] == [
        (str(done), False, "8.00"),
        (str(short), True, "4.00"),
    ]
    assert all(e["planned_hours"] == "8.00" and e["step"] == 4 for e in events)
    assert not any(reason in str(e) for e in events)  # the waiver's words stay in training

    twice = await programme.http.post(completion(done), json={}, headers=school)
    assert assert_problem(twice, 409, "not-in-course")["reason"] == "participation_completed"
    stranger = await programme.http.post(completion(uuid.uuid4()), json={"waiver_reason": reason}, headers=school)
    assert assert_problem(stranger, 409, "not-in-course")["reason"] == "unknown_beneficiary"
    assert len(await outbox(database_url, COMPLETED)) == 2


async def test_only_the_courses_provider_or_the_operator_completes_it(programme: Programme) -> None:
    group = await programme.cohort(size=1, step=4)
    course = await programme.course(step=4, cohort=group)
    url = f"/v1/courses/{course['id']}/participants/{group.people[0]}/completion"
    body = {"waiver_reason": "moved to another region's cohort"}

    assert_problem(await programme.http.post(url, json=body, headers=programme.as_school(org=uuid.uuid4())), 404)
    assert_problem(await programme.http.post(url, json=body, headers=programme.as_employer()), 404)
    assert (await programme.http.post(url, json=body, headers=programme.as_operator())).status_code == 200


async def test_step_three_short_of_hours_completes_and_a_waiver_given_there_tells_enrolment_the_hours_are_done(
    programme: Programme, database_url: str
) -> None:
    """Step 3 may finish short of its hours (enrolment then waits for the operator's waiver before step 4); when the
    provider completes it with a waiver that says why, course-completed says the hours are waived, so that enrolment
    lets step 4 start on training's word. The waiver's words stay in training."""
    group = await programme.cohort(size=3, step=3)
    course = await programme.course(step=3, cohort=group, planned_hours="8")
    school = programme.as_school()
    done, short, waived = group.people
    for held_on, mark in ((days_ago(3), "present"), (days_ago(2), "unexcused")):
        session = await programme.session(course, held_on)
        marks = {done: "present", short: mark, waived: mark}
        assert (await programme.sheet(session, marks, school)).status_code == 200

    def completion(person: uuid.UUID) -> str:
        return f"/v1/courses/{course['id']}/participants/{person}/completion"

    reason = "absences made up in a catch-up workshop; level reached"
    for person, body in ((done, {"waiver_reason": reason}), (short, {}), (waived, {"waiver_reason": reason})):
        answer = await programme.http.post(completion(person), json=body, headers=school)
        assert answer.status_code == 200, answer.text

    events = await outbox(database_url, COMPLETED)
    assert [(e["beneficiary_id"], e["step"], e["hours_waived"], e["attended_hours"]) for e in events] == [
        (str(done), 3, False, "8.00"),  # nothing to waive: the hours are done
        (str(short), 3, False, "4.00"),
        (str(waived), 3, True, "4.00"),
    ]
    assert not any(reason in str(e) for e in events)
