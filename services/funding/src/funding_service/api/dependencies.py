"""Per-request dependencies: the request's unit of work, opened and committed by the kit."""

from typing import Annotated

from fastapi import Depends

from funding_service.adapters.unit_of_work import FundingUnitOfWork
from hopekit.api.transaction import unit_of_work

UoW = Annotated[FundingUnitOfWork, Depends(unit_of_work)]
