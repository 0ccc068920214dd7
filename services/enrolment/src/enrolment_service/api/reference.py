"""/v1/sectors: the programme's sector reference list with ROME job families."""

from fastapi import APIRouter

from enrolment_service.api.schemas import SectorView
from enrolment_service.domain.vocabulary import SECTORS
from hopekit.api.security import Caller

# A constant list: no database, so no request transaction either.
router = APIRouter(prefix="/v1/sectors", tags=["reference"])


@router.get("", response_model=list[SectorView])
async def list_sectors(_: Caller) -> list[SectorView]:
    return [SectorView(code=s.code, label=s.label, rome_code=s.rome_code) for s in SECTORS.values()]
