"""Alembic environment of the reporting service: its schema only."""

from hopekit.db.migrations import run_env
from reporting_service.adapters.tables import metadata

run_env(metadata)
