"""Per-request dependencies: the unit of work."""

from fastapi import Request

from enrolment_service.adapters.unit_of_work import EnrolmentUnitOfWork


def unit_of_work(request: Request) -> EnrolmentUnitOfWork:
    uow: EnrolmentUnitOfWork = request.app.state.uow_factory()
    return uow
