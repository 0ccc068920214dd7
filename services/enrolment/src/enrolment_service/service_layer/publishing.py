"""What enrolment publishes: its domain events, as the contracts of the same names (hope_contracts.enrolment)."""

from collections.abc import Sequence

from enrolment_service.adapters.unit_of_work import EnrolmentUnitOfWork
from enrolment_service.domain.events import DomainEvent
from hope_contracts import enrolment
from hopekit.events.mapping import ContractMap

to_contract = ContractMap(enrolment)


def publish(uow: EnrolmentUnitOfWork, events: Sequence[DomainEvent]) -> None:
    uow.publish(*(to_contract(event) for event in events))
