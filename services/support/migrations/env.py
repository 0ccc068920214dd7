"""Alembic environment of the support service: its schema only."""

from hopekit.db.migrations import run_env
from support_service.adapters.tables import metadata

run_env(metadata)
