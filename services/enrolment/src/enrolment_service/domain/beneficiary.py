"""A beneficiary: identity (only here, removed by erasure), consent and the pathway."""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from enrolment_service.domain.actor import Actor
from enrolment_service.domain.errors import AlreadyErased, InvalidValue, Refusals
from enrolment_service.domain.events import BeneficiaryErased, BeneficiaryRegistered, ConsentChanged, DomainEvent
from enrolment_service.domain.instants import as_utc
from enrolment_service.domain.pathway import Pathway
from enrolment_service.domain.vocabulary import ConsentPurpose, ProtectionStatus, Track

MAX_NAME_LENGTH = 100
MAX_EMAIL_LENGTH = 254
MIN_AGE = 16
MAX_AGE = 99

_NATIONALITY = re.compile(r"[A-Z]{3}")  # ISO 3166-1 alpha-3 shape; also admits XXA (stateless), XXB (refugee)
_AGDREF = re.compile(r"\d{10}")
_FRANCE_TRAVAIL_ID = re.compile(r"[0-9A-Z]{8}")
_LANGUAGE = re.compile(r"[a-z]{2,3}")  # ISO 639-1 or 639-3
# ASCII digits only: Python's \d would take other scripts' digits too.
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
_FRENCH_NATIONAL_PHONE = re.compile(r"0[1-9][0-9]{8}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# The written shapes these accept (separators between digits, spaces around), for a request schema to state.
_SEPARATORS = r"[ .\-()]*"
PHONE_SHAPE = (
    rf"^{_SEPARATORS}(?:\+{_SEPARATORS}[1-9](?:{_SEPARATORS}[0-9]){{6,14}}"
    rf"|0{_SEPARATORS}[1-9](?:{_SEPARATORS}[0-9]){{8}}){_SEPARATORS}$"
)
EMAIL_SHAPE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


@dataclass(frozen=True, kw_only=True)
class Identity:
    """Identity data, checked and normalised on construction.

    Formats: names 1-100 characters without control characters; nationality as three letters;
    `ofii_number` the 10-digit AGDREF number; `france_travail_id` 8 letters or digits; languages as
    ISO 639 codes; phone in E.164 (a French national number such as 06 12 34 56 78 becomes +33...).
    The age rule needs a date, so it is `check_age`, not part of construction.
    """

    given_name: str
    family_name: str
    birth_date: date
    nationality: str
    protection_status: ProtectionStatus
    ofii_number: str | None = None
    france_travail_id: str | None = None
    spoken_languages: tuple[str, ...] = ()
    phone: str | None = None
    email: str | None = None

    def __post_init__(self) -> None:
        """Every refused field is named in one refusal (not one per round trip)."""
        refused = Refusals()
        checks: list[tuple[str, str | None, Callable[[str], str]]] = [
            ("given_name", self.given_name, _name),
            ("family_name", self.family_name, _name),
            ("nationality", self.nationality, lambda value: _matching(value.strip().upper(), _NATIONALITY)),
            ("ofii_number", self.ofii_number, lambda value: _matching(value.strip(), _AGDREF)),
            ("france_travail_id", self.france_travail_id, lambda v: _matching(v.strip().upper(), _FRANCE_TRAVAIL_ID)),
            ("phone", self.phone, _phone),
            ("email", self.email, _email),
        ]
        for field_name, value, check in checks:
            if value is not None:
                try:
                    self._set(field_name, check(value))
                except ValueError as why:
                    refused.add(field_name, str(why))
        try:
            languages = [_matching(code.strip().lower(), _LANGUAGE) for code in self.spoken_languages]
            self._set("spoken_languages", tuple(dict.fromkeys(languages)))
        except ValueError as why:
            refused.add("spoken_languages", str(why))
        refused.raise_any()

    def check_age(self, today: date) -> None:
        refusal = age_refusal(self.birth_date, today)
        if refusal is not None:
            raise InvalidValue("birth_date", refusal)

    def _set(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)


def age_refusal(birth_date: date, today: date) -> str | None:
    """Why a birth date is refused on the day of registration, or None."""
    if birth_date >= today:
        return "must be in the past"
    if not MIN_AGE <= age_on(birth_date, today) <= MAX_AGE:
        return f"the person must be aged {MIN_AGE} to {MAX_AGE}"
    return None


def age_on(birth_date: date, today: date) -> int:
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


def _name(value: str) -> str:
    name = " ".join(value.split())
    if not name or len(name) > MAX_NAME_LENGTH:
        raise ValueError(f"must be 1 to {MAX_NAME_LENGTH} characters")
    if any(unicodedata.category(char) == "Cc" for char in name):
        raise ValueError("must not contain control characters")
    return name


def _phone(value: str) -> str:
    compact = re.sub(r"[\s.\-()]", "", value)
    if _FRENCH_NATIONAL_PHONE.fullmatch(compact):
        compact = "+33" + compact[1:]
    return _matching(compact, _E164)


def _email(value: str) -> str:
    email = value.strip()
    if len(email) > MAX_EMAIL_LENGTH:
        raise ValueError(f"must be at most {MAX_EMAIL_LENGTH} characters")
    return _matching(email, _EMAIL)


def _matching(value: str, pattern: re.Pattern[str]) -> str:
    if not pattern.fullmatch(value):
        raise ValueError("is not in the expected format")
    return value


@dataclass(frozen=True)
class ConsentRecord:
    """A consent given or withdrawn, and who recorded it; records are appended, never changed."""

    purpose: ConsentPurpose
    given: bool
    at: datetime
    recorded_by: Actor

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", as_utc(self.at))


@dataclass
class Beneficiary:
    id: UUID
    identity: Identity | None  # None once erased
    pathway: Pathway
    registered_at: datetime
    registered_by_org_id: UUID
    consents: list[ConsentRecord] = field(default_factory=list)
    erased_at: datetime | None = None
    erased_by: Actor | None = None

    @classmethod
    def register(
        cls, *, beneficiary_id: UUID, identity: Identity, track: Track, actor: Actor, at: datetime
    ) -> tuple["Beneficiary", BeneficiaryRegistered]:
        at = as_utc(at)
        identity.check_age(at.date())
        beneficiary = cls(
            id=beneficiary_id,
            identity=identity,
            pathway=Pathway.begin(beneficiary_id, track, actor, at),
            registered_at=at,
            registered_by_org_id=actor.org_id,
        )
        registered = BeneficiaryRegistered(
            beneficiary_id=beneficiary_id,
            track=track,
            protection_status=identity.protection_status,
            registered_by_org_id=actor.org_id,
            occurred_at=at,
        )
        return beneficiary, registered

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def record_consent(
        self, purpose: ConsentPurpose, given: bool, actor: Actor, at: datetime
    ) -> tuple[ConsentRecord, list[DomainEvent]]:
        """Every record is kept; partners hear only when the consent in force changes, and only for a published
        purpose (never health support)."""
        if self.is_erased:
            raise AlreadyErased(self.id)
        before = self.has_consent(purpose)
        record = ConsentRecord(purpose, given, at, actor)
        self.consents.append(record)
        now_given = self.has_consent(purpose)
        if not purpose.published or now_given == before:
            return record, []
        return record, [ConsentChanged(beneficiary_id=self.id, purpose=purpose, given=now_given, occurred_at=record.at)]

    def has_consent(self, purpose: ConsentPurpose) -> bool:
        """The latest record for the purpose decides; no record means no consent."""
        latest = max((c for c in reversed(self.consents) if c.purpose is purpose), key=lambda c: c.at, default=None)
        return latest is not None and latest.given

    def erase(self, actor: Actor, at: datetime) -> list[DomainEvent]:
        """Drops the identity and keeps the pseudonymous pathway; erasing twice changes nothing."""
        if self.is_erased:
            return []
        at = as_utc(at)
        self.identity = None
        self.erased_at = at
        self.erased_by = actor
        return [BeneficiaryErased(beneficiary_id=self.id, occurred_at=at)]
