"""Alembic environment of the training service: its schema only."""

from hopekit.db.migrations import run_env
from training_service.adapters.tables import metadata

run_env(metadata)
