"""Training's events in the read models: attendance sheets (applied as differences), courses and their planned
hours and sessions, course completions, language levels, qualifications, absence alerts."""

from __future__ import annotations

from hope_contracts import training
from reporting_service.adapters.facts import VersionFacts
from reporting_service.adapters.hours import Key
from reporting_service.adapters.tables import (
    fact_absence_alerts,
    fact_course_completions,
    fact_courses,
    fact_language_assessments,
    fact_people,
    fact_planned_sessions,
    fact_sessions,
)
from reporting_service.domain.facts import AttendanceLine, first_of_month, sheet_difference
from reporting_service.service_layer.ingest import into_read_models


@into_read_models
async def attendance_recorded(facts: VersionFacts, event: training.AttendanceRecorded) -> None:
    """The session's sheet replaces the one applied before, unless that one is as recent (a duplicate) or more;
    each person's step and month totals move by the difference."""
    applied_at = await facts.sheet_at(event.session_id)
    if applied_at is not None and applied_at >= event.occurred_at:
        return
    before = await facts.session_lines(event.session_id)
    erased = await facts.erased_among(entry.beneficiary_id for entry in event.entries)
    after = {
        entry.beneficiary_id: AttendanceLine(entry.status, event.session_hours, entry.hours_attended)
        for entry in event.entries
        if entry.beneficiary_id not in erased
    }
    month = first_of_month(event.held_on)
    if all(step == event.step and first_of_month(day) == month for step, day, _ in before.values()):
        # The sheet's first arrival, or a correction of it (the lines before on its own step and month): the
        # difference per person, worked out once.
        old = {person: line for person, (_, _, line) in before.items()}
        changes = sheet_difference(old, after).items()
        facts.move_hours(((person, event.step, month), change) for person, change in changes)
    else:
        # Its course or day changed: the lines before come off their own step and month.
        old_months: dict[Key, AttendanceLine] = {
            (p, step, first_of_month(day)): line for p, (step, day, line) in before.items()
        }
        new_months: dict[Key, AttendanceLine] = {(p, event.step, month): line for p, line in after.items()}
        facts.move_hours(sheet_difference(old_months, new_months).items())
    await facts.replace_lines(
        event.session_id,
        [
            {
                "beneficiary_id": person,
                "step": event.step,
                "held_on": event.held_on,
                "status": line.status,
                "session_hours": line.session_hours,
                "hours_attended": line.hours_attended,
            }
            for person, line in after.items()
        ],
    )
    session = {
        "course_id": event.course_id,
        "step": event.step,
        "cohort_id": event.cohort_id,
        "held_on": event.held_on,
        "session_hours": event.session_hours,
        "session_kind": event.session_kind,
        "sheet_at": event.occurred_at,
    }
    await facts.set_if_newer(fact_sessions, {"session_id": event.session_id}, session, "sheet_at")


@into_read_models
async def course_scheduled(facts: VersionFacts, event: training.CourseScheduled) -> None:
    values = {
        "step": event.step,
        "cohort_id": event.cohort_id,
        "beneficiary_id": event.beneficiary_id,
        "provider_org_id": event.provider_org_id,
        "planned_hours": event.planned_hours,
        "starts_on": event.starts_on,
        "ends_on": event.ends_on,
        "scheduled_at": event.occurred_at,
    }
    await facts.set_if_newer(fact_courses, {"course_id": event.course_id}, values, "scheduled_at")


@into_read_models
async def sessions_scheduled(facts: VersionFacts, event: training.SessionsScheduled) -> None:
    for session in event.sessions:
        values = {
            "course_id": event.course_id,
            "step": event.step,
            "cohort_id": event.cohort_id,
            "beneficiary_id": event.beneficiary_id,
            "held_on": session.held_on,
            "hours": session.hours,
            "session_kind": session.session_kind,
        }
        await facts.set_fields(fact_planned_sessions, {"session_id": session.session_id}, values)


@into_read_models
async def course_completed(facts: VersionFacts, event: training.CourseCompleted) -> None:
    values = {
        "step": event.step,
        "cohort_id": event.cohort_id,
        "planned_hours": event.planned_hours,
        "attended_hours": event.attended_hours,
        "hours_waived": event.hours_waived,
        "completed_at": event.occurred_at,
    }
    key = {"course_id": event.course_id, "beneficiary_id": event.beneficiary_id}
    await facts.set_if_newer(fact_course_completions, key, values, "completed_at")


@into_read_models
async def language_level_attested(facts: VersionFacts, event: training.LanguageLevelAttested) -> None:
    assessment = {
        "assessment_id": event.assessment_id,
        "beneficiary_id": event.beneficiary_id,
        "skill": event.skill,
        "level": event.level,
        "test": event.test,
        "assessed_on": event.assessed_on,
        "recorded_at": event.occurred_at,
    }
    await facts.insert_once(fact_language_assessments, assessment)
    if event.skill != "overall":
        return
    facts.level_due(event.beneficiary_id)
    values = {
        "language_level": event.level,
        "language_level_on": event.assessed_on,
        "language_level_at": event.occurred_at,
    }
    # Two assessments on one day: the one recorded later is the person's level.
    await facts.set_if_newer(
        fact_people, {"beneficiary_id": event.beneficiary_id}, values, "language_level_on", tie="language_level_at"
    )


@into_read_models
async def qualification_awarded(facts: VersionFacts, event: training.QualificationAwarded) -> None:
    values = {
        "qualification_result": event.result,
        "qualification_rncp_code": event.rncp_code,
        "qualification_awarded_on": event.awarded_on,
        "qualification_at": event.occurred_at,
    }
    await facts.set_if_newer(fact_people, {"beneficiary_id": event.beneficiary_id}, values, "qualification_at")


@into_read_models
async def absence_alert_raised(facts: VersionFacts, event: training.AbsenceAlertRaised) -> None:
    alert = {
        "alert_id": event.alert_id,
        "beneficiary_id": event.beneficiary_id,
        "course_id": event.course_id,
        "step": event.step,
        "rule": event.rule,
        "consecutive_unexcused": event.consecutive_unexcused,
        "attendance_rate": event.attendance_rate,
        "raised_at": event.occurred_at,
    }
    await facts.insert_once(fact_absence_alerts, alert)
