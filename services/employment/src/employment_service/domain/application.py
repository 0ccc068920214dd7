"""Applications: a person proposed for a vacancy, up to the employer's decision."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from uuid import UUID, uuid4

from employment_service.domain.errors import IllegalTransition, InvalidValue, Unprocessable
from employment_service.domain.events import ApplicationDecided, DomainEvent
from employment_service.domain.person_path import PathState, PersonPath
from employment_service.domain.quantities import as_utc
from employment_service.domain.vacancy import Vacancy
from employment_service.domain.vocabulary import OPEN_APPLICATION_STATUSES, ApplicationStatus, RefusalReason

_NEXT: Mapping[ApplicationStatus, frozenset[ApplicationStatus]] = MappingProxyType(
    {
        ApplicationStatus.PROPOSED: frozenset(
            {
                ApplicationStatus.INTERVIEW,
                ApplicationStatus.REFUSED,
                ApplicationStatus.WITHDRAWN,
                ApplicationStatus.OBSOLETE,
            }
        ),
        ApplicationStatus.INTERVIEW: frozenset(
            {
                ApplicationStatus.ACCEPTED,
                ApplicationStatus.REFUSED,
                ApplicationStatus.WITHDRAWN,
                ApplicationStatus.OBSOLETE,
            }
        ),
    }
)


@dataclass
class Application:
    id: UUID
    vacancy_id: UUID
    beneficiary_id: UUID
    status: ApplicationStatus = ApplicationStatus.PROPOSED
    refusal_reason: RefusalReason | None = None
    decided_at: datetime | None = None

    @classmethod
    def propose(cls, vacancy: Vacancy, path: PersonPath, id: UUID | None = None) -> "Application":
        if path.state is not PathState.ACTIVE:
            raise Unprocessable("person_not_on_path", "only a person still on the path is proposed for a vacancy")
        if vacancy.open_positions == 0:
            raise IllegalTransition("vacancy", vacancy.status, "propose a person for", ())
        return cls(id=id or uuid4(), vacancy_id=vacancy.id, beneficiary_id=path.beneficiary_id)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_APPLICATION_STATUSES

    def allowed(self) -> tuple[str, ...]:
        return tuple(sorted(_NEXT.get(self.status, frozenset())))

    def invite_to_interview(self) -> None:
        self._move(ApplicationStatus.INTERVIEW)

    def refuse(self, reason: RefusalReason, at: datetime) -> list[DomainEvent]:
        return self._decide(ApplicationStatus.REFUSED, at, reason)

    def withdraw(self, at: datetime) -> list[DomainEvent]:
        return self._decide(ApplicationStatus.WITHDRAWN, at)

    def make_obsolete(self, at: datetime) -> list[DomainEvent]:
        return self._decide(ApplicationStatus.OBSOLETE, at)

    def _accept(self, at: datetime) -> list[DomainEvent]:
        return self._decide(ApplicationStatus.ACCEPTED, at)

    def _decide(self, to: ApplicationStatus, at: datetime, reason: RefusalReason | None = None) -> list[DomainEvent]:
        at = as_utc(at)
        self._move(to)
        self.refusal_reason = reason
        self.decided_at = at
        return [
            ApplicationDecided(
                application_id=self.id,
                vacancy_id=self.vacancy_id,
                beneficiary_id=self.beneficiary_id,
                status=to,
                refusal_reason=reason,
                occurred_at=at,
            )
        ]

    def _move(self, to: ApplicationStatus) -> None:
        if to not in _NEXT.get(self.status, frozenset()):
            raise IllegalTransition("application", self.status, to, self.allowed())
        self.status = to


def hire(
    application: Application, vacancy: Vacancy, others_of_person: Iterable[Application], at: datetime
) -> list[DomainEvent]:
    """The employer accepts the person: the vacancy takes one hire and the person's other open applications
    become obsolete, so no other employer keeps waiting on someone already hired."""
    if application.vacancy_id != vacancy.id:
        raise InvalidValue("vacancy_id", "is not the vacancy of this application")
    if application.status is not ApplicationStatus.INTERVIEW:
        raise IllegalTransition("application", application.status, ApplicationStatus.ACCEPTED, application.allowed())
    events = vacancy.record_hire(at)
    events += application._accept(at)
    for other in others_of_person:
        if other.id != application.id and other.beneficiary_id == application.beneficiary_id and other.is_open:
            events += other.make_obsolete(at)
    return events
