"""Per-request dependencies: the request's unit of work, opened and committed by the kit."""

from typing import Annotated

from fastapi import Depends

from hopekit.api.transaction import unit_of_work
from support_service.adapters.unit_of_work import SupportUnitOfWork

UoW = Annotated[SupportUnitOfWork, Depends(unit_of_work)]
