"""The training service's closed lists."""

from __future__ import annotations

from decimal import Decimal
from enum import IntEnum, StrEnum


class Step(IntEnum):
    PREREQUISITES = 1
    FRENCH_QUALIFICATION = 3
    TRADE_QUALIFICATION = 4


# (minimum, maximum, default) planned hours of a course per step (DESIGN §1).
STEP_HOURS: dict[Step, tuple[Decimal, Decimal, Decimal]] = {
    Step.PREREQUISITES: (Decimal(200), Decimal(600), Decimal(200)),
    Step.FRENCH_QUALIFICATION: (Decimal(1), Decimal(1000), Decimal(400)),
    Step.TRADE_QUALIFICATION: (Decimal(1), Decimal(1000), Decimal(450)),
}


class Track(StrEnum):
    GROUP = "group"
    INDIVIDUAL = "individual"


class SessionKind(StrEnum):
    """Step 4's French support hours are counted apart from its trade training."""

    CORE = "core"
    FRENCH_SUPPORT = "french_support"


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    EXCUSED = "excused"
    UNEXCUSED = "unexcused"


class CourseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class ParticipationStatus(StrEnum):
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


class AlertRule(StrEnum):
    CONSECUTIVE_UNEXCUSED = "consecutive_unexcused"
    LOW_ATTENDANCE_RATE = "low_attendance_rate"


class AlertStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class CefrLevel(StrEnum):
    PRE_A1 = "pre_A1"
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"

    @property
    def rank(self) -> int:
        return list(CefrLevel).index(self)


class Skill(StrEnum):
    OVERALL = "overall"
    LISTENING = "listening"
    READING = "reading"
    WRITING = "writing"
    SPEAKING = "speaking"


class LanguageTest(StrEnum):
    TCF = "TCF"
    DELF = "DELF"
    DILF = "DILF"
    INTERNAL = "internal"


class QualificationResult(StrEnum):
    AWARDED = "awarded"
    PARTIALLY_AWARDED = "partially_awarded"
    FAILED = "failed"
