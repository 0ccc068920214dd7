"""Why a course, a session sheet, a completion or an alert refuses a change: the kit answers each by its
``category`` with its ``code``, ``detail`` and ``details()`` (see hopekit.errors); nothing echoes the input."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID


class DomainError(Exception):
    code: ClassVar[str] = "domain_error"
    category: ClassVar[str] = "conflict"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidValue(DomainError):
    """One value refused, or several (``others``) when a rule checks several fields of one request: the caller
    hears every refusal at once instead of one per round trip."""

    code = "invalid_value"
    category = "unprocessable"

    def __init__(self, field: str, reason: str, *others: tuple[str, str]) -> None:
        self.refusals: tuple[tuple[str, str], ...] = ((field, reason), *others)
        super().__init__("; ".join(f"{name}: {why}" for name, why in self.refusals))
        self.field = field
        self.reason = reason

    def details(self) -> dict[str, Any]:
        return {"errors": [{"field": field, "message": reason} for field, reason in self.refusals]}


class Refusals:
    """Collects the refused values of one request, then raises them together as one InvalidValue."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str]] = []

    def add(self, field: str, reason: str) -> None:
        self.found.append((field, reason))

    def raise_any(self) -> None:
        if self.found:
            (field, reason), *others = self.found
            raise InvalidValue(field, reason, *others)


class HoursAboveSession(DomainError):
    code = "hours_above_session"
    category = "unprocessable"

    def __init__(self, attended: Decimal, session_hours: Decimal) -> None:
        super().__init__(f"{attended} hours attended is more than the session's {session_hours} hours")
        self.attended = attended
        self.session_hours = session_hours


class NotInCourse(DomainError):
    """The person is not (or no longer) in this course's cohort or step; ``reason`` is a machine code."""

    code = "not_in_course"

    def __init__(self, beneficiary_id: UUID, reason: str, detail: str) -> None:
        super().__init__(f"beneficiary {beneficiary_id}: {detail}")
        self.beneficiary_id = beneficiary_id
        self.reason = reason

    def details(self) -> dict[str, Any]:
        return {"reason": self.reason, "beneficiary_id": str(self.beneficiary_id)}


class CourseConflict(DomainError):
    code = "course_exists"


class SessionExists(CourseConflict):
    """A session of the course already starts at that time that day: a conflict like a course that exists, with a
    type of its own, since it is not a course."""

    code = "session_exists"


class CourseClosed(DomainError):
    """A closed course (its one person withdrew) keeps the plan it closed with."""

    code = "course_closed"


class SessionOutsideCourse(DomainError):
    code = "session_outside_course"
    category = "unprocessable"


class CompletionRefused(DomainError):
    code = "completion_refused"

    def __init__(self, detail: str, attended: Decimal, planned: Decimal) -> None:
        super().__init__(detail)
        self.attended = attended
        self.planned = planned

    def details(self) -> dict[str, Any]:
        return {"attended_hours": str(self.attended), "planned_hours": str(self.planned)}


class AlertAlreadyResolved(DomainError):
    """Resolving is done once: a second resolution would hide who resolved it first and when."""

    code = "alert_already_resolved"

    def __init__(self, resolved_at: datetime) -> None:
        super().__init__(f"this alert was already resolved at {resolved_at.isoformat()}")
        self.resolved_at = resolved_at

    def details(self) -> dict[str, Any]:
        return {"resolved_at": self.resolved_at.isoformat()}
