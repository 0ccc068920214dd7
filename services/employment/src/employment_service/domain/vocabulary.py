"""The programme's codes as the employment service uses them (DESIGN.md §7 and issue 16)."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import TypeVar

from employment_service.domain.errors import UnknownCode


class ContractType(StrEnum):
    PROFESSIONALISATION = "professionalisation"
    APPRENTICESHIP = "apprenticeship"
    CDPI = "cdpi"  # CDD in an ETTI (temporary-work agency for integration)
    CDDI = "cddi"  # CDD of integration in a structure of economic integration
    OTHER = "other"


class ContractStatus(StrEnum):
    SIGNED = "signed"
    ACTIVE = "active"
    COMPLETED = "completed"
    BROKEN = "broken"


class BreakingParty(StrEnum):
    """Who ended a work-study contract early."""

    EMPLOYER = "employer"
    EMPLOYEE = "employee"
    MUTUAL = "mutual"


class BreakReason(StrEnum):
    TRIAL_NOT_CONCLUSIVE = "trial_not_conclusive"
    RESIGNATION = "resignation"
    DISMISSAL = "dismissal"
    MUTUAL_AGREEMENT = "mutual_agreement"
    TRAINING_STOPPED = "training_stopped"
    OTHER = "other"


class VacancyStatus(StrEnum):
    OPEN = "open"
    FILLED = "filled"
    CLOSED = "closed"


class ApplicationStatus(StrEnum):
    PROPOSED = "proposed"
    INTERVIEW = "interview"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    OBSOLETE = "obsolete"  # still open when the person was hired elsewhere


OPEN_APPLICATION_STATUSES = frozenset({ApplicationStatus.PROPOSED, ApplicationStatus.INTERVIEW})


class RefusalReason(StrEnum):
    NO_SHOW = "no_show"
    NOT_ELIGIBLE = "not_eligible"
    BARRIER = "barrier"
    POSITION_FILLED = "position_filled"
    DECLINED_BY_PERSON = "declined_by_person"
    OTHER = "other"


class OutcomeCode(StrEnum):
    CDI = "cdi"
    CDD_6M_PLUS = "cdd_6m_plus"
    CDD_SHORT = "cdd_short"
    INTERIM = "interim"
    WORK_STUDY = "work_study"
    TRAINING = "training"
    JOB_SEARCH = "job_search"
    OTHER = "other"


# The headline KPI, stated once: employment at exit (and at 3, 6, 12 months) counts these codes only.
EMPLOYED_OUTCOMES = frozenset({OutcomeCode.CDI, OutcomeCode.CDD_6M_PLUS, OutcomeCode.INTERIM, OutcomeCode.WORK_STUDY})
# Codes that are a job with someone, so naming the employer makes sense (cdd_short is a job, not KPI employment).
JOB_OUTCOMES = EMPLOYED_OUTCOMES | {OutcomeCode.CDD_SHORT}


def counts_as_employed(code: OutcomeCode) -> bool:
    return code in EMPLOYED_OUTCOMES


class EvidenceSource(StrEnum):
    BENEFICIARY_STATEMENT = "beneficiary_statement"
    EMPLOYER_CONFIRMATION = "employer_confirmation"
    CONTRACT_COPY = "contract_copy"
    PUBLIC_EMPLOYMENT_DATA = "public_employment_data"


class FollowUpStatus(StrEnum):
    DUE = "due"
    DONE = "done"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class Sector:
    code: str
    label: str
    rome_family: str  # ROME job family: grand domaine letter + domaine number


# The programme's reference list (DESIGN.md §7); the same codes as enrolment's, which owns the person's choice.
SECTORS: Mapping[str, Sector] = MappingProxyType(
    {
        s.code: s
        for s in (
            Sector("construction", "Construction and public works", "F17"),
            Sector("industry", "Industry", "H29"),
            Sector("logistics", "Logistics and warehousing", "N11"),
            Sector("hospitality_catering", "Hospitality and catering", "G16"),
            Sector("cleaning", "Cleaning", "K22"),
            Sector("agriculture", "Agriculture", "A14"),
            Sector("transport", "Road transport", "N41"),
            Sector("retail", "Retail", "D12"),
            Sector("care", "Care and personal services", "J15"),
            Sector("digital", "Digital", "M18"),
        )
    }
)


def sector(code: str, field: str = "sector_code") -> Sector:
    try:
        return SECTORS[code]
    except KeyError:
        raise UnknownCode(field, tuple(SECTORS)) from None


E = TypeVar("E", bound=StrEnum)


def parse_code(kind: type[E], value: str, field: str) -> E:
    """A closed-list code from outside (a request, an event); the error names the list, never the value."""
    try:
        return kind(value)
    except ValueError:
        raise UnknownCode(field, tuple(member.value for member in kind)) from None
