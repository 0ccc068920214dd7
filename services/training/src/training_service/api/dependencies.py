"""Per-request dependencies: the unit of work and the settings."""

from fastapi import Request

from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.settings import TrainingSettings


def unit_of_work(request: Request) -> TrainingUnitOfWork:
    uow: TrainingUnitOfWork = request.app.state.uow_factory()
    return uow


def settings(request: Request) -> TrainingSettings:
    found: TrainingSettings = request.app.state.settings
    return found
