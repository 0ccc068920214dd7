"""``fact_person_steps.level_attested``: the French level at the end of step 3 kept on the person's step-3 row
(the French certification counts rows instead of looking up each person's assessments), filled for every version
already there from ``fact_language_assessments`` by the statement the ingest runs (``adapters/levels.py``).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from reporting_service.adapters.levels import level_update

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("fact_person_steps", sa.Column("level_attested", sa.String(8), nullable=True))
    connection = op.get_bind()
    connection.execute(level_update(connection.dialect.name == "postgresql"))


def downgrade() -> None:
    with op.batch_alter_table("fact_person_steps") as table:
        table.drop_column("level_attested")
