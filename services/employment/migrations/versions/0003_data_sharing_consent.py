"""People's consent to data sharing with partners, from enrolment's `consent_changed`: the time of the decision
applied, so that a late or repeated event never undoes a newer one (France Travail's follow-ups).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 17:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("person_paths", schema=None) as batch_op:
        batch_op.add_column(sa.Column("data_sharing_decided_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person_paths", schema=None) as batch_op:
        batch_op.drop_column("data_sharing_decided_at")
