from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from enrolment_service.domain.actor import Actor
from enrolment_service.domain.beneficiary import Identity
from enrolment_service.domain.pathway import A1Attestation, FrenchCourseCompletion, Pathway, PrerequisitesRecord
from enrolment_service.domain.vocabulary import (
    HoldReason,
    LanguageTest,
    PathwayStatus,
    ProtectionStatus,
    Track,
    WithdrawalReason,
)

BENEFICIARY_ID = UUID("00000000-0000-4000-8000-000000000001")
COHORT_ID = UUID("00000000-0000-4000-8000-0000000000c1")
OFII = Actor("ofii-agent-7", UUID("00000000-0000-4000-8000-00000000a001"))
AKTO = Actor("akto-coordinator-2", UUID("00000000-0000-4000-8000-00000000a002"))
NOW = datetime(2025, 3, 10, 9, 30, tzinfo=UTC)

PathwayFactory = Callable[..., Pathway]


def a_record(hours: str = "320", attested_on: date = date(2025, 3, 1)) -> PrerequisitesRecord:
    return PrerequisitesRecord(Decimal(hours), A1Attestation(attested_on, LanguageTest.TCF, "TCF-2025-0042"))


def a_french_completion(attended: str = "400") -> FrenchCourseCompletion:
    """Training's report that the step-3 course is done (its course-completed event)."""
    return FrenchCourseCompletion(
        course_id=UUID("00000000-0000-4000-8000-0000000000f3"),
        planned_hours=Decimal("400"),
        attended_hours=Decimal(attended),
        hours_waived=False,
        at=NOW,
    )


def an_identity(**changes: object) -> Identity:
    fields: dict[str, object] = {
        "given_name": "Fatima",
        "family_name": "Al-Hassan",
        "birth_date": date(1990, 5, 1),
        "nationality": "SYR",
        "protection_status": ProtectionStatus.REFUGEE,
        "ofii_number": "7501234567",
        "france_travail_id": "1234567A",
        "spoken_languages": ("ar", "en"),
        "phone": "+33612345678",
        "email": "fatima@example.org",
    }
    fields.update(changes)
    return Identity(**fields)  # type: ignore[arg-type]


def drive(pathway: Pathway, status: PathwayStatus) -> Pathway:
    """Moves a fresh pathway to `status` the legal way; from pre_orientation it has a sector and a cohort."""
    road = {
        PathwayStatus.REGISTERED: [],
        PathwayStatus.PREREQUISITES: ["start"],
        PathwayStatus.PRE_ORIENTATION: ["start", "validate", "sector"],
        PathwayStatus.FRENCH_QUALIFICATION: ["start", "validate", "sector", "french"],
        PathwayStatus.TRADE_QUALIFICATION: ["start", "validate", "sector", "french", "trade"],
        PathwayStatus.COMPLETED: ["start", "validate", "sector", "french", "trade", "complete"],
        PathwayStatus.ON_HOLD: ["start", "hold"],
        PathwayStatus.WITHDRAWN: ["start", "withdraw"],
    }[status]
    for move in road:
        if move == "start":
            pathway.start_prerequisites(OFII, NOW)
        elif move == "validate":
            pathway.validate_prerequisites(a_record(), OFII, NOW)
        elif move == "sector":
            pathway.choose_sector("construction", AKTO, NOW)
            if pathway.track is Track.GROUP:
                pathway.cohort_id = COHORT_ID
        elif move == "french":
            pathway.start_french_qualification(AKTO, NOW)
        elif move == "trade":
            pathway.note_french_course_completed(a_french_completion())
            pathway.start_trade_qualification(AKTO, NOW)
        elif move == "complete":
            pathway.complete(AKTO, NOW)
        elif move == "hold":
            pathway.put_on_hold(HoldReason.ADMINISTRATIVE, AKTO, NOW)
        elif move == "withdraw":
            pathway.withdraw(WithdrawalReason.MOVED_AWAY, AKTO, NOW)
    assert pathway.status is status
    return pathway


@pytest.fixture
def ofii() -> Actor:
    return OFII


@pytest.fixture
def akto() -> Actor:
    return AKTO


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def record() -> Callable[..., PrerequisitesRecord]:
    return a_record


@pytest.fixture
def identity() -> Callable[..., Identity]:
    return an_identity


@pytest.fixture
def pathway_in() -> PathwayFactory:
    def make(status: PathwayStatus, track: Track = Track.GROUP) -> Pathway:
        return drive(Pathway.begin(BENEFICIARY_ID, track, OFII, NOW), status)

    return make
