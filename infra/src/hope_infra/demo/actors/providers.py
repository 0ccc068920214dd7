"""Training providers: a cohort's courses and sessions, the attendance sheets they send as CSV, completions,
the French level reached and the trade qualification."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from hope_infra.demo.calendar import SESSION_ENDS, SESSION_HOURS, SESSION_STARTS, WEEKDAYS, CourseCalendar
from hope_infra.demo.gateway import idempotency_key
from hope_infra.demo.partners import Partner
from hope_infra.demo.waiting import NotYet, eventually, problem_is

TRAINING = "/api/training/v1"


async def open_course(provider: Partner, cohort_id: str, step: int, calendar: CourseCalendar, run: str) -> str:
    """The course and its sessions (Monday to Friday, six hours a day; the first on its first day)."""
    body = {
        "step": step,
        "cohort_id": cohort_id,
        "provider_org_id": provider.org_id,
        "planned_hours": str(calendar.count * SESSION_HOURS),
        "starts_on": calendar.first.isoformat(),
        "ends_on": calendar.last.isoformat(),
    }

    async def course() -> Any:
        return await provider.client.post(
            f"{TRAINING}/courses", body, key=idempotency_key(run, "course", cohort_id, step)
        )

    # Training learns the cohort (and that its people started the step) from enrolment's events.
    made = await eventually(course, what=f"training knows cohort {cohort_id}", pending=problem_is("validation"))
    course_id = str(made["id"])
    pattern = {
        "starts_at": SESSION_STARTS.isoformat("minutes"),
        "ends_at": SESSION_ENDS.isoformat("minutes"),
        "hours": str(SESSION_HOURS),
        "from": calendar.first.isoformat(),
        "until": calendar.last.isoformat(),
        "weekdays": [0, 1, 2, 3, 4],
    }
    await provider.client.post(
        f"{TRAINING}/courses/{course_id}/sessions/weekly", pattern, key=idempotency_key(run, "sessions", course_id)
    )
    if calendar.first.weekday() not in WEEKDAYS:
        # The first session is held the day the course starts, even on a weekend (``calendar``).
        first = {key: pattern[key] for key in ("starts_at", "ends_at", "hours")} | {
            "held_on": calendar.first.isoformat()
        }
        await provider.client.post(
            f"{TRAINING}/courses/{course_id}/sessions", first, key=idempotency_key(run, "first session", course_id)
        )
    return course_id


def attendance_csv(days: Iterable[date], statuses: Mapping[str, list[str]]) -> bytes:
    """The sheet a provider's system exports: one row per person and session day, French headers and statuses."""
    rows = ["beneficiaire;date;statut;heures"]
    for index, day in enumerate(days):
        for beneficiary_id, marks in statuses.items():
            if index < len(marks):
                status = marks[index]
                hours = SESSION_HOURS if status == "present" else 0
                rows.append(f"{beneficiary_id};{day.strftime('%d/%m/%Y')};{status};{hours}")
    return ("\n".join(rows) + "\n").encode()


# Rows refused only because training has not yet heard enrolment's event about the person (registration, cohort
# membership, step started): a provider's system sends them again a moment later, as the demo does.
EARLY = frozenset({"unknown_beneficiary", "not_in_cohort", "step_not_started"})


async def import_attendance(
    provider: Partner, course_id: str, days: list[date], statuses: Mapping[str, list[str]], part: str, run: str
) -> dict[str, Any]:
    """The sheet, then its rows refused as early sent again until training takes them (the report's ``applied``
    counts every attempt's rows)."""
    report: dict[str, Any] = await _upload(provider, course_id, attendance_csv(days, statuses), part, run)
    attempt = 0

    async def again() -> dict[str, Any]:
        nonlocal attempt
        early = {row["beneficiary_id"] for row in report["rejections"] if row["reason"] in EARLY}
        if not report["rejections_complete"]:
            early = set(statuses)
        if not early:
            return report
        attempt += 1
        sheet = attendance_csv(days, {person: statuses[person] for person in sorted(early)})
        retried = await _upload(provider, course_id, sheet, f"{part}-again-{attempt}", run)
        report["applied"] = int(report["applied"]) + int(retried["applied"])
        report["rejections"] = retried["rejections"]
        report["rejections_complete"] = retried["rejections_complete"]
        if any(row["reason"] in EARLY for row in retried["rejections"]):
            raise NotYet
        return report

    return await eventually(again, what=f"training takes every row of sheet {part} of course {course_id}")


async def _upload(provider: Partner, course_id: str, sheet: bytes, part: str, run: str) -> dict[str, Any]:
    report: dict[str, Any] = await provider.client.upload(
        f"{TRAINING}/attendance-imports?course_id={course_id}",
        f"emargement-{course_id[:8]}-{part}.csv",
        sheet,
        key=idempotency_key(run, "import", course_id, part),
    )
    return report


async def complete(provider: Partner, course_id: str, beneficiary_id: str, run: str) -> None:
    body: dict[str, str] = {}
    await provider.client.act(
        f"{TRAINING}/courses/{course_id}/participants/{beneficiary_id}/completion",
        body,
        key=idempotency_key(run, "completion", course_id, beneficiary_id),
    )


async def assess_french(provider: Partner, course_id: str, beneficiary_id: str, level: str, on: date, run: str) -> None:
    body = {
        "beneficiary_id": beneficiary_id,
        "course_id": course_id,
        "skill": "overall",
        "level": level,
        "test": "TCF",
        "assessed_on": on.isoformat(),
    }
    await provider.client.post(f"{TRAINING}/assessments", body, key=idempotency_key(run, "tcf", beneficiary_id))


async def award(
    provider: Partner,
    course_id: str,
    beneficiary_id: str,
    certification: tuple[str, str],
    result: str,
    on: date,
    run: str,
) -> None:
    name, rncp = certification
    body = {
        "beneficiary_id": beneficiary_id,
        "course_id": course_id,
        "certification_name": name,
        "rncp_code": rncp,
        "result": result,
        "awarded_on": on.isoformat(),
    }
    await provider.client.post(f"{TRAINING}/qualifications", body, key=idempotency_key(run, "qual", beneficiary_id))
