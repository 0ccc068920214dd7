"""Alembic environment of the enrolment service: its schema only."""

from enrolment_service.adapters.tables import metadata
from hopekit.db.migrations import run_env

run_env(metadata)
