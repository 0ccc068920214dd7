"""A cohort member's own join date (``beneficiaries.cohort_joined_on``): a person who joins a cohort already under
way is not expected before that day.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

Members added before it have none (null): enrolment did not keep the day, and consumers fall back to the date of
their ``cohort.member_added`` event. SQLite adds a nullable column in place, as PostgreSQL does.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("beneficiaries", sa.Column("cohort_joined_on", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("beneficiaries", "cohort_joined_on")
