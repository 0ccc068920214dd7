"""Absence alerts over HTTP, on SQLite and PostgreSQL: raised once by either rule, listed within what the
caller may see, resolved once."""

from __future__ import annotations

import uuid

import pytest

from hope_infra.testing import assert_problem

from .programme import OTHER_SCHOOL, RAISED, Programme, days_ago, outbox

pytestmark = pytest.mark.integration


async def test_three_unexcused_absences_in_a_row_raise_one_alert_until_it_is_resolved(
    programme: Programme, database_url: str
) -> None:
    group = await programme.cohort(size=2)
    course = await programme.course(cohort=group)
    school = programme.as_school()
    amina, omar = group.people
    # Two full days attended, then three one-hour sessions missed: the rate stays above 80 % (16 of 19 hours).
    for held_on in (days_ago(10), days_ago(9)):
        session = await programme.session(course, held_on, "09:00", "17:00")
        assert (await programme.sheet(session, {amina: "present", omar: "present"}, school)).status_code == 200
    for number, held_on in enumerate((days_ago(3), days_ago(2), days_ago(1)), start=1):
        session = await programme.session(course, held_on, "09:00", "10:00")
        assert (await programme.sheet(session, {amina: "unexcused", omar: "present"}, school)).status_code == 200
        assert len(await outbox(database_url, RAISED)) == (1 if number == 3 else 0)

    [event] = await outbox(database_url, RAISED)
    assert event["beneficiary_id"] == str(amina)
    assert event["course_id"] == course["id"]
    assert (event["step"], event["rule"], event["consecutive_unexcused"]) == (3, "consecutive_unexcused", 3)

    listed = await programme.http.get("/v1/alerts", params={"course_id": course["id"]}, headers=school)
    assert listed.status_code == 200, listed.text
    [alert] = listed.json()["items"]
    assert alert["id"] == event["alert_id"]
    assert (alert["status"], alert["rule"], alert["resolved_at"]) == ("open", "consecutive_unexcused", None)

    # a fourth absence while the alert is open raises nothing more
    today = await programme.session(course, days_ago(0), "09:00", "10:00")
    await programme.sheet(today, {amina: "unexcused", omar: "present"}, school)
    assert len(await outbox(database_url, RAISED)) == 1

    resolved = await programme.http.post(f"/v1/alerts/{alert['id']}/resolution", headers=school)
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["status"] == "resolved"
    assert resolved.json()["resolved_at"] is not None
    again = await programme.http.post(f"/v1/alerts/{alert['id']}/resolution", headers=school)
    problem = assert_problem(again, 409, "alert-already-resolved")
    assert problem["resolved_at"].startswith(resolved.json()["resolved_at"][:19])
    missing = await programme.http.post(f"/v1/alerts/{uuid.uuid4()}/resolution", headers=school)
    assert_problem(missing, 404)


async def test_an_attendance_rate_under_the_threshold_over_four_weeks_raises_an_alert(
    programme: Programme, database_url: str
) -> None:
    group = await programme.cohort(size=2)
    course = await programme.course(cohort=group)
    school = programme.as_school()
    late, steady = group.people
    five_weeks_ago = await programme.session(course, days_ago(35))
    await programme.sheet(five_weeks_ago, {late: "present", steady: "unexcused"}, school)
    for held_on in (days_ago(6), days_ago(5), days_ago(4)):
        session = await programme.session(course, held_on)
        # 3 of 4 hours each time: 75 %, under the default 80 %
        response = await programme.sheet(session, {late: ("present", "3"), steady: "present"}, school)
        assert response.status_code == 200, response.text

    [event] = await outbox(database_url, RAISED)
    assert event["beneficiary_id"] == str(late)
    assert (event["rule"], event["attendance_rate"], event["consecutive_unexcused"]) == (
        "low_attendance_rate",
        "0.7500",
        None,
    )
    # the steady learner's absence five weeks ago is outside the window
    listed = await programme.http.get("/v1/alerts", params={"status": "open"}, headers=school)
    assert [(a["beneficiary_id"], a["attendance_rate"]) for a in listed.json()["items"]] == [(str(late), "0.7500")]


async def test_alerts_are_listed_without_a_course_within_what_the_caller_may_see(programme: Programme) -> None:
    ours = await programme.cohort(size=2)
    theirs = await programme.cohort(size=1, provider=OTHER_SCHOOL)
    other_school = programme.as_school(org=OTHER_SCHOOL)
    our_course = await programme.course(cohort=ours)
    their_course = await programme.course(cohort=theirs, provider=OTHER_SCHOOL)
    for course, group, headers in ((our_course, ours, programme.as_school()), (their_course, theirs, other_school)):
        session = await programme.session(course, days_ago(2))
        marks: dict[uuid.UUID, str | tuple[str, str]] = {person: ("present", "2") for person in group.people}
        assert (await programme.sheet(session, marks, headers)).status_code == 200

    async def listed(headers: dict[str, str], **params: str) -> list[dict[str, str]]:
        response = await programme.http.get("/v1/alerts", params=params, headers=headers)
        assert response.status_code == 200, response.text
        items: list[dict[str, str]] = response.json()["items"]
        return items

    assert {a["course_id"] for a in await listed(programme.as_school())} == {our_course["id"]}
    assert len(await listed(programme.as_school())) == 2
    assert [a["course_id"] for a in await listed(other_school)] == [their_course["id"]]
    everything = await listed(programme.as_operator())
    assert len(everything) == 3
    assert [a["beneficiary_id"] for a in await listed(programme.as_operator(), beneficiary_id=str(ours.people[0]))] == [
        str(ours.people[0])
    ]

    first = everything[0]["id"]
    assert (await programme.http.post(f"/v1/alerts/{first}/resolution", headers=programme.as_operator())).is_success
    assert [a["id"] for a in await listed(programme.as_operator(), status="resolved")] == [first]
    assert first not in {a["id"] for a in await listed(programme.as_operator(), status="open")}

    # keyset pages: two, then the last one, nothing seen twice
    page = (await programme.http.get("/v1/alerts?limit=2", headers=programme.as_operator())).json()
    assert len(page["items"]) == 2
    assert page["next_cursor"] is not None
    rest = await programme.http.get(
        "/v1/alerts", params={"cursor": page["next_cursor"]}, headers=programme.as_operator()
    )
    assert rest.json()["next_cursor"] is None
    paged = [a["id"] for a in page["items"] + rest.json()["items"]]
    assert paged == [a["id"] for a in everything]

    hidden = await programme.http.get(
        "/v1/alerts", params={"course_id": their_course["id"]}, headers=programme.as_school()
    )
    assert_problem(hidden, 404)
    assert_problem(await programme.http.get("/v1/alerts", headers=programme.as_employer()), 403)
    assert_problem(await programme.http.get("/v1/alerts?status=closed", headers=programme.as_operator()), 422)
    assert_problem(await programme.http.get("/v1/alerts?cursor=%%%", headers=programme.as_operator()), 400)
    still_open = (await listed(programme.as_school(), status="open"))[0]["id"]
    foreign = await programme.http.post(f"/v1/alerts/{still_open}/resolution", headers=other_school)
    assert_problem(foreign, 404)
