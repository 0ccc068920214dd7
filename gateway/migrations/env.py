"""Alembic environment of the gateway: its schema only."""

from gateway_service.adapters.tables import metadata
from hopekit.db.migrations import run_env

run_env(metadata)
