"""Alembic environment of the funding service: its schema only."""

from funding_service.adapters.tables import metadata
from hopekit.db.migrations import run_env

run_env(metadata)
