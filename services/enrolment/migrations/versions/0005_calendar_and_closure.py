"""Cohorts' calendars (a period per step 3 and 4, in place of the start dates alone) and paths' closures (what
enrolment has heard of a step-4 path's qualification result and exit outcome).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

The start dates kept so far in ``cohorts.step_start_dates`` (JSON) become periods without an end, then the
column goes: one place holds a cohort's calendar. SQLite 3.35 and later drop a column in place, as PostgreSQL
does, so the parent table is not rebuilt under its foreign keys.
"""

import json
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_cohorts = sa.table("cohorts", sa.column("id", sa.Uuid()), sa.column("step_start_dates", sa.JSON()))
_periods = sa.table(
    "cohort_step_periods",
    sa.column("cohort_id", sa.Uuid()),
    sa.column("step", sa.Integer()),
    sa.column("starts_on", sa.Date()),
    sa.column("ends_on", sa.Date()),
)


def upgrade() -> None:
    op.create_table(
        "cohort_step_periods",
        sa.Column("cohort_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.CheckConstraint("step IN (3, 4)", name=op.f("ck_cohort_step_periods_planned_step")),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on >= starts_on", name=op.f("ck_cohort_step_periods_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name=op.f("fk_cohort_step_periods_cohort_id_cohorts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("cohort_id", "step", name=op.f("pk_cohort_step_periods")),
    )
    connection = op.get_bind()
    rows = [
        {"cohort_id": cohort_id, "step": int(step), "starts_on": date.fromisoformat(day), "ends_on": None}
        for cohort_id, starts in connection.execute(sa.select(_cohorts.c.id, _cohorts.c.step_start_dates))
        for step, day in (json.loads(starts) if isinstance(starts, str) else starts or {}).items()
        if int(step) in (3, 4)
    ]
    if rows:
        connection.execute(sa.insert(_periods), rows)
    op.drop_column("cohorts", "step_start_dates")

    op.create_table(
        "path_closures",
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("step_4_started", sa.Boolean(), nullable=False),
        sa.Column("qualification_result_in", sa.Boolean(), nullable=False),
        sa.Column("outcome_recorded", sa.Boolean(), nullable=False),
        sa.Column("path_left", sa.Boolean(), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("left", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["beneficiary_id"],
            ["beneficiaries.id"],
            name=op.f("fk_path_closures_beneficiary_id_beneficiaries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("beneficiary_id", name=op.f("pk_path_closures")),
    )


def downgrade() -> None:
    op.drop_table("path_closures")
    op.add_column("cohorts", sa.Column("step_start_dates", sa.JSON(), nullable=False, server_default="{}"))
    connection = op.get_bind()
    starts: dict[object, dict[str, str]] = {}
    for cohort_id, step, starts_on in connection.execute(
        sa.select(_periods.c.cohort_id, _periods.c.step, _periods.c.starts_on)
    ):
        starts.setdefault(cohort_id, {})[str(step)] = starts_on.isoformat()
    for cohort_id, dates in starts.items():
        connection.execute(sa.update(_cohorts).where(_cohorts.c.id == cohort_id).values(step_start_dates=dates))
    op.drop_table("cohort_step_periods")
