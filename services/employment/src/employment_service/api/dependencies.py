"""Per-request dependencies: the request's unit of work, opened and committed by the kit."""

from typing import Annotated

from fastapi import Depends

from employment_service.adapters.unit_of_work import EmploymentUnitOfWork
from hopekit.api.transaction import unit_of_work

UoW = Annotated[EmploymentUnitOfWork, Depends(unit_of_work)]
