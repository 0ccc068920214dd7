"""The training unit of work: the kit's transaction plus this service's repositories."""

from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.cohorts import CohortRepository
from hopekit.partners import PartnerRepository
from hopekit.uow import UnitOfWork
from training_service.adapters.alerts import AlertRepository
from training_service.adapters.attendance import AttendanceRepository
from training_service.adapters.calendars import CalendarRepository
from training_service.adapters.courses import CourseRepository
from training_service.adapters.imports import ImportRepository
from training_service.adapters.projection import ProjectionRepository
from training_service.adapters.records import RecordRepository
from training_service.adapters.tables import cohorts, partners


class TrainingUnitOfWork(UnitOfWork):
    courses: CourseRepository
    attendance: AttendanceRepository
    alerts: AlertRepository
    projection: ProjectionRepository
    cohorts: CohortRepository
    calendars: CalendarRepository
    records: RecordRepository
    partners: PartnerRepository
    imports: ImportRepository

    def _bind(self, connection: AsyncConnection) -> None:
        self.courses = CourseRepository(connection)
        self.attendance = AttendanceRepository(connection)
        self.alerts = AlertRepository(connection)
        self.projection = ProjectionRepository(connection)
        self.cohorts = CohortRepository(connection, cohorts)
        self.calendars = CalendarRepository(connection)
        self.records = RecordRepository(connection)
        self.partners = PartnerRepository(connection, partners)
        self.imports = ImportRepository(connection)
