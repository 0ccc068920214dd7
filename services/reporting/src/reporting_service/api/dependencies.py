"""Per-request dependencies: the request's unit of work, opened and committed by the kit."""

from typing import Annotated

from fastapi import Depends

from hopekit.api.transaction import unit_of_work
from reporting_service.adapters.unit_of_work import ReportingUnitOfWork

UoW = Annotated[ReportingUnitOfWork, Depends(unit_of_work)]
