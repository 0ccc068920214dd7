"""Domain events to the outbox, in the same transaction as the change that made them."""

from __future__ import annotations

from collections.abc import Iterable

from employment_service.adapters.unit_of_work import EmploymentUnitOfWork
from employment_service.domain.events import DomainEvent
from employment_service.events.outgoing import to_contract


def publish(uow: EmploymentUnitOfWork, events: Iterable[DomainEvent]) -> None:
    uow.publish(*(to_contract(event) for event in events))
