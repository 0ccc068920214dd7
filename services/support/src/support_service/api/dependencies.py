"""Per-request dependencies: the request's unit of work (opened and committed by the kit) and the envelope that
seals and opens health data (None when no key-encryption key is configured)."""

from typing import Annotated

from fastapi import Depends, Request

from hopekit.api.transaction import unit_of_work
from support_service.adapters.envelope import Envelope
from support_service.adapters.unit_of_work import SupportUnitOfWork

UoW = Annotated[SupportUnitOfWork, Depends(unit_of_work)]


async def envelope(request: Request) -> Envelope | None:
    # async: FastAPI runs a plain function dependency in its thread pool, a thread hop on every medical request.
    found: Envelope | None = request.app.state.envelope
    return found


Keys = Annotated[Envelope | None, Depends(envelope)]

# Routes that may seal or open health data answer 503 when no key-encryption key is configured.
SEALING: dict[int | str, dict[str, str]] = {503: {"description": "No key-encryption key is configured."}}
