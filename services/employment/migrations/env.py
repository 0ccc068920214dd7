"""Alembic environment of the employment service: its schema only."""

from employment_service.adapters.tables import metadata
from hopekit.db.migrations import run_env

run_env(metadata)
