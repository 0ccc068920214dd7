"""Support's amounts get a column of their own: ``consumption_posted.source_id`` (the placement, file or month of
meals) instead of reusing ``course_id``, which is left for courses only; and ``support_costs.event_id``, the last
support event applied to a source (what ``support_cost.recorded`` answers, also when a plan or money that came
later pays the source).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("consumption_posted", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_id", sa.Uuid(), nullable=True))
        batch_op.alter_column("course_id", existing_type=sa.Uuid(), nullable=True)
    # Until now a support row's source was its course_id: the rows whose course_id is a support source move.
    op.execute(
        "UPDATE consumption_posted SET source_id = course_id, course_id = NULL "
        "WHERE course_id IN (SELECT id FROM support_costs)"
    )
    with op.batch_alter_table("consumption_posted", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_consumption_posted_course_or_source"), "(course_id IS NULL) <> (source_id IS NULL)"
        )
        batch_op.create_index("ix_consumption_posted_source", ["source_id", "beneficiary_id"], unique=False)
    with op.batch_alter_table("support_costs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("event_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("support_costs", schema=None) as batch_op:
        batch_op.drop_column("event_id")
    with op.batch_alter_table("consumption_posted", schema=None) as batch_op:
        batch_op.drop_index("ix_consumption_posted_source")
        batch_op.drop_constraint(op.f("ck_consumption_posted_course_or_source"), type_="check")
    op.execute("UPDATE consumption_posted SET course_id = source_id WHERE source_id IS NOT NULL")
    with op.batch_alter_table("consumption_posted", schema=None) as batch_op:
        batch_op.alter_column("course_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.drop_column("source_id")
