"""Per-request dependencies: the request's unit of work, opened and committed by the kit."""

from typing import Annotated, Any

from fastapi import Depends

from employment_service.adapters.unit_of_work import EmploymentUnitOfWork
from hopekit.api.transaction import unit_of_work

UoW = Annotated[EmploymentUnitOfWork, Depends(unit_of_work)]

# Answers a route gives beyond what the kit's OpenAPI rewrite infers from its shape.
UNKNOWN_CODE: dict[int | str, dict[str, Any]] = {
    400: {"description": "A code outside its closed list (`unknown-code`, with the `known` codes)."}
}
RULE_NOT_MET: dict[int | str, dict[str, Any]] = {
    422: {"description": "The current state does not allow it (`rule-not-met`, with the `rule`)."}
}
