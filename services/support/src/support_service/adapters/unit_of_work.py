"""The support unit of work: the kit's transaction plus this service's repositories."""

from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.cohorts import CohortRepository
from hopekit.partners import PartnerRepository
from hopekit.uow import UnitOfWork
from support_service.adapters.catering import CateringRepository
from support_service.adapters.erasures import ErasureRepository
from support_service.adapters.files import FileRepository
from support_service.adapters.gaps import GapRepository
from support_service.adapters.housing import HousingRepository
from support_service.adapters.keys import KeyRepository
from support_service.adapters.needs import NeedRepository
from support_service.adapters.notes import NoteRepository
from support_service.adapters.projection import ProjectionRepository
from support_service.adapters.referrals import ReferralRepository
from support_service.adapters.schedule import ScheduleRepository
from support_service.adapters.tables import cohorts, partners
from support_service.adapters.training import TrainingRepository


class SupportUnitOfWork(UnitOfWork):
    projection: ProjectionRepository
    cohorts: CohortRepository
    files: FileRepository
    needs: NeedRepository
    referrals: ReferralRepository
    notes: NoteRepository
    keys: KeyRepository
    housing: HousingRepository
    erasures: ErasureRepository
    gaps: GapRepository
    training: TrainingRepository
    catering: CateringRepository
    schedule: ScheduleRepository
    partners: PartnerRepository

    def _bind(self, connection: AsyncConnection) -> None:
        self.projection = ProjectionRepository(connection)
        self.cohorts = CohortRepository(connection, cohorts)
        self.files = FileRepository(connection)
        self.needs = NeedRepository(connection)
        self.referrals = ReferralRepository(connection)
        self.notes = NoteRepository(connection)
        self.keys = KeyRepository(connection)
        self.housing = HousingRepository(connection)
        self.erasures = ErasureRepository(connection)
        self.gaps = GapRepository(connection)
        self.training = TrainingRepository(connection)
        self.catering = CateringRepository(connection)
        self.schedule = ScheduleRepository(connection)
        self.partners = PartnerRepository(connection, partners)
