"""Per-request dependencies: the request's unit of work, opened and committed by the kit."""

from typing import Annotated

from fastapi import Depends

from enrolment_service.adapters.unit_of_work import EnrolmentUnitOfWork
from hopekit.api.transaction import unit_of_work

UoW = Annotated[EnrolmentUnitOfWork, Depends(unit_of_work)]
