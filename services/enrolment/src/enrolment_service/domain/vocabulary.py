"""The programme's codes, shared by every part of the enrolment service."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from types import MappingProxyType

from enrolment_service.domain.errors import UnknownSector


class PathwayStatus(StrEnum):
    REGISTERED = "registered"
    PREREQUISITES = "prerequisites"
    PRE_ORIENTATION = "pre_orientation"
    FRENCH_QUALIFICATION = "french_qualification"
    TRADE_QUALIFICATION = "trade_qualification"
    COMPLETED = "completed"
    ON_HOLD = "on_hold"
    WITHDRAWN = "withdrawn"


ACTIVE_STATUSES = frozenset(
    {
        PathwayStatus.REGISTERED,
        PathwayStatus.PREREQUISITES,
        PathwayStatus.PRE_ORIENTATION,
        PathwayStatus.FRENCH_QUALIFICATION,
        PathwayStatus.TRADE_QUALIFICATION,
    }
)
TERMINAL_STATUSES = frozenset({PathwayStatus.COMPLETED, PathwayStatus.WITHDRAWN})


class PathwayAction(StrEnum):
    """What can be asked of a pathway; the API names the allowed ones when it refuses one."""

    START_PREREQUISITES = "start_prerequisites"
    VALIDATE_PREREQUISITES = "validate_prerequisites"
    CHOOSE_SECTOR = "choose_sector"
    START_FRENCH_QUALIFICATION = "start_french_qualification"
    START_TRADE_QUALIFICATION = "start_trade_qualification"
    COMPLETE = "complete"
    PUT_ON_HOLD = "put_on_hold"
    RESUME = "resume"
    WITHDRAW = "withdraw"


class Step(IntEnum):
    PREREQUISITES = 1
    PRE_ORIENTATION = 2
    FRENCH_QUALIFICATION = 3
    TRADE_QUALIFICATION = 4

    @property
    def status(self) -> PathwayStatus:
        """The pathway status of a person who is in this step."""
        return PathwayStatus(self.name.lower())

    @classmethod
    def of(cls, status: PathwayStatus) -> "Step | None":
        """The step a status belongs to, or None for statuses outside the four steps."""
        return cls.__members__.get(status.name)


class Track(StrEnum):
    GROUP = "group"  # POEC
    INDIVIDUAL = "individual"  # POEI, since 2025


class ProtectionStatus(StrEnum):
    REFUGEE = "refugee"
    SUBSIDIARY_PROTECTION = "subsidiary_protection"
    STATELESS = "stateless"
    OTHER = "other"


class WithdrawalReason(StrEnum):
    EMPLOYMENT_FOUND = "employment_found"
    MOVED_AWAY = "moved_away"
    HEALTH = "health"  # kept in enrolment only: published as "personal"
    PERSONAL = "personal"
    EXCLUDED = "excluded"
    OTHER = "other"

    @property
    def published(self) -> "WithdrawalReason":
        """The reason partners hear: a health fact never goes on the bus (DESIGN.md §5)."""
        return WithdrawalReason.PERSONAL if self is WithdrawalReason.HEALTH else self


class HoldReason(StrEnum):
    """Why a pathway pauses: a closed list, so that no free text (nor a diagnosis) reaches the history or the bus."""

    TRAINING_BREAK = "training_break"  # between sessions or courses, waiting for the next one
    PERSONAL = "personal"  # family, housing, childcare...
    ADMINISTRATIVE = "administrative"  # documents, residence permit, appointments
    EMPLOYMENT = "employment"  # a temporary job
    HEALTH = "health"  # kept in enrolment only: published as "personal"
    OTHER = "other"

    @property
    def published(self) -> "HoldReason":
        return HoldReason.PERSONAL if self is HoldReason.HEALTH else self


class LanguageTest(StrEnum):
    TCF = "TCF"
    DELF = "DELF"
    DILF = "DILF"
    INTERNAL = "internal"


class ConsentPurpose(StrEnum):
    PROGRAMME_PARTICIPATION = "programme_participation"
    DATA_SHARING_WITH_PARTNERS = "data_sharing_with_partners"
    HEALTH_SUPPORT = "health_support"
    EMPLOYER_CONTACT = "employer_contact"

    @property
    def published(self) -> bool:
        """Other services hear of a consent given or withdrawn, except to health support: that it exists at all
        would say something about the person's health (DESIGN.md §5)."""
        return self is not ConsentPurpose.HEALTH_SUPPORT


@dataclass(frozen=True)
class Sector:
    code: str
    label: str
    rome_code: str  # ROME v3 job family (grand domaine letter + domaine number)


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


def sector(code: str) -> Sector:
    try:
        return SECTORS[code]
    except KeyError:
        raise UnknownSector(code, tuple(SECTORS)) from None
