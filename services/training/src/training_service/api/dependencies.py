"""Per-request dependencies: the request's unit of work (opened and committed by the kit) and the settings."""

from typing import Annotated

from fastapi import Depends, Request

from hopekit.api.transaction import unit_of_work
from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.settings import TrainingSettings

UoW = Annotated[TrainingUnitOfWork, Depends(unit_of_work)]


def settings(request: Request) -> TrainingSettings:
    found: TrainingSettings = request.app.state.settings
    return found


Settings = Annotated[TrainingSettings, Depends(settings)]
