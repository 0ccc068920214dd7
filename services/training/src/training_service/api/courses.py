"""/v1/courses: courses, their sessions, ledgers and completions; /v1/cohorts/{id}/ledger."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Query, status

from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, after_id, page_of
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router
from training_service.api.dependencies import UoW
from training_service.api.ledger_schemas import (
    CohortLedgerView,
    CompletionRequest,
    CourseLedgerView,
    LedgerView,
    PersonLedgerView,
)
from training_service.api.schemas import (
    CoursePlanRequest,
    CourseRequest,
    CourseView,
    SessionList,
    SessionRequest,
    SessionView,
    SlotFields,
    WeeklyPatternRequest,
)
from training_service.domain.vocabulary import Step
from training_service.service_layer import courses, ledgers, participations
from training_service.service_layer.courses import PlanChange, SlotRequest

router = service_router(tags=["courses"])


@router.post("/v1/courses", status_code=status.HTTP_201_CREATED, response_model=CourseView, dependencies=[IDEMPOTENT])
async def create_course(body: CourseRequest, principal: Caller, uow: UoW) -> CourseView:
    course = await courses.create(
        uow,
        principal,
        step=body.step,
        cohort_id=body.cohort_id,
        beneficiary_id=body.beneficiary_id,
        provider_org_id=body.provider_org_id,
        planned_hours=body.planned_hours,
        support_french_hours=body.support_french_hours,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
    )
    view = CourseView.of(course)
    return view


@router.get("/v1/courses", response_model=Page[CourseView])
async def list_courses(
    principal: Caller,
    uow: UoW,
    step: Step | None = None,
    cohort_id: UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[CourseView]:
    after = after_id(cursor)
    found = await courses.search(uow, principal, step=step, cohort_id=cohort_id, after_id=after, limit=limit + 1)
    return page_of(found, limit, CourseView.of)


@router.get("/v1/courses/{course_id}", response_model=CourseView)
async def read_course(course_id: UUID, principal: Caller, uow: UoW) -> CourseView:
    return CourseView.of(await courses.load(uow, principal, course_id))


@router.patch("/v1/courses/{course_id}", response_model=CourseView, dependencies=[IDEMPOTENT])
async def replan_course(course_id: UUID, body: CoursePlanRequest, principal: Caller, uow: UoW) -> CourseView:
    """Changes the course's planned hours or dates; the whole plan is published again (course.scheduled)."""
    change = PlanChange(body.planned_hours, body.support_french_hours, body.starts_on, body.ends_on)
    return CourseView.of(await courses.replan(uow, principal, course_id, change))


def _slot(body: SlotFields) -> SlotRequest:
    return SlotRequest(body.starts_at, body.ends_at, body.hours, body.kind, body.trainer, body.place)


@router.post(
    "/v1/courses/{course_id}/sessions",
    status_code=status.HTTP_201_CREATED,
    response_model=SessionView,
    dependencies=[IDEMPOTENT],
)
async def add_session(course_id: UUID, body: SessionRequest, principal: Caller, uow: UoW) -> SessionView:
    created = await courses.add_sessions(uow, principal, course_id, [body.held_on], _slot(body))
    view = SessionView.of(created[0])
    return view


@router.post(
    "/v1/courses/{course_id}/sessions/weekly",
    status_code=status.HTTP_201_CREATED,
    response_model=list[SessionView],
    dependencies=[IDEMPOTENT],
)
async def add_weekly_sessions(
    course_id: UUID, body: WeeklyPatternRequest, principal: Caller, uow: UoW
) -> list[SessionView]:
    """One session on each given weekday between two dates, skipping the days off."""
    days = courses.pattern_days(body.starts_on, body.ends_on, body.weekdays, body.days_off)
    created = await courses.add_sessions(uow, principal, course_id, days, _slot(body))
    views = SessionList([SessionView.of(session) for session in created])
    return views.root


@router.get("/v1/courses/{course_id}/sessions", response_model=list[SessionView])
async def list_sessions(course_id: UUID, principal: Caller, uow: UoW) -> list[SessionView]:
    return [SessionView.of(session) for session in await courses.sessions(uow, principal, course_id)]


def _course_ledger_view(found: ledgers.CourseLedger) -> CourseLedgerView:
    return CourseLedgerView(
        course_id=found.course.id,
        step=int(found.course.step),
        total=LedgerView.of(found.total),
        people=[PersonLedgerView.of(found.course, person) for person in found.people],
    )


@router.get("/v1/courses/{course_id}/ledger", response_model=CourseLedgerView)
async def course_ledger(course_id: UUID, principal: Caller, uow: UoW) -> CourseLedgerView:
    return _course_ledger_view(await ledgers.course_ledger(uow, principal, course_id))


@router.get("/v1/courses/{course_id}/participants/{beneficiary_id}/ledger", response_model=PersonLedgerView)
async def person_ledger(course_id: UUID, beneficiary_id: UUID, principal: Caller, uow: UoW) -> PersonLedgerView:
    return PersonLedgerView.of(*await ledgers.person_ledger(uow, principal, course_id, beneficiary_id))


@router.get("/v1/beneficiaries/{beneficiary_id}/ledger", response_model=list[PersonLedgerView])
async def beneficiary_ledger(beneficiary_id: UUID, principal: Caller, uow: UoW) -> list[PersonLedgerView]:
    """The person's hours per step, over the courses the caller may see."""
    found = await ledgers.beneficiary_ledgers(uow, principal, beneficiary_id)
    return [PersonLedgerView.of(course, person) for course, person in found]


@router.get("/v1/cohorts/{cohort_id}/ledger", response_model=CohortLedgerView)
async def cohort_ledger(cohort_id: UUID, principal: Caller, uow: UoW) -> CohortLedgerView:
    found = await ledgers.cohort_ledger(uow, principal, cohort_id)
    return CohortLedgerView(cohort_id=cohort_id, courses=[_course_ledger_view(course) for course in found])


@router.post(
    "/v1/courses/{course_id}/participants/{beneficiary_id}/completion",
    response_model=PersonLedgerView,
    dependencies=[IDEMPOTENT],
)
async def complete(
    course_id: UUID, beneficiary_id: UUID, body: CompletionRequest, principal: Caller, uow: UoW
) -> PersonLedgerView:
    """Step 4 needs its hours attended, or ``waiver_reason``; at step 3 a ``waiver_reason`` waives missing hours."""
    return PersonLedgerView.of(
        *await participations.complete(uow, principal, course_id, beneficiary_id, body.waiver_reason)
    )
