"""/v1/sectors: the programme's sector reference list with ROME job families."""

from typing import Annotated

from fastapi import APIRouter, Depends

from enrolment_service.api.schemas import SectorView
from enrolment_service.domain.vocabulary import SECTORS
from hopekit.api.security import authenticated
from hopekit.identity.principal import Principal

router = APIRouter(prefix="/v1/sectors", tags=["reference"])


@router.get("", response_model=list[SectorView])
async def list_sectors(_: Annotated[Principal, Depends(authenticated)]) -> list[SectorView]:
    return [SectorView(code=s.code, label=s.label, rome_code=s.rome_code) for s in SECTORS.values()]
