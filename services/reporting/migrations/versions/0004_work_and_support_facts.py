"""Work-study contracts, company immersions, referrals, meal entitlements and consents in the read models
(adapters/tables_work_and_support.py says what each column means and which event sets it).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HOURS = sa.Numeric(precision=8, scale=2)
AT = sa.DateTime(timezone=True)


def _person_index(table: str) -> None:
    op.create_index(f"ix_{table}_version_person", table, ["version", "beneficiary_id"], unique=False)


def upgrade() -> None:
    op.create_table(
        "fact_contracts",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("employer_id", sa.Uuid(), nullable=True),
        sa.Column("contract_type", sa.String(length=32), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("planned_end_on", sa.Date(), nullable=True),
        sa.Column("hours_per_week", HOURS, nullable=True),
        sa.Column("signed_at", AT, nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("end_status", sa.String(length=16), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("broken_by", sa.String(length=32), nullable=True),
        sa.Column("break_reason", sa.String(length=40), nullable=True),
        sa.Column("during_trial", sa.Boolean(), nullable=True),
        sa.PrimaryKeyConstraint("version", "contract_id", name=op.f("pk_fact_contracts")),
    )
    _person_index("fact_contracts")
    op.create_table(
        "fact_immersions",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("employer_id", sa.Uuid(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("hours", HOURS, nullable=False),
        sa.Column("made_at", AT, nullable=False),
        sa.PrimaryKeyConstraint("version", "placement_id", name=op.f("pk_fact_immersions")),
    )
    _person_index("fact_immersions")
    op.create_table(
        "fact_referrals",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("partner", sa.String(length=40), nullable=False),
        sa.Column("shares_information", sa.Boolean(), nullable=False),
        sa.Column("made_at", AT, nullable=False),
        sa.PrimaryKeyConstraint("version", "referral_id", name=op.f("pk_fact_referrals")),
    )
    _person_index("fact_referrals")
    op.create_table(
        "fact_meals",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("breakfasts", sa.Integer(), nullable=False),
        sa.Column("lunches", sa.Integer(), nullable=False),
        sa.Column("dinners", sa.Integer(), nullable=False),
        sa.Column("entitled_at", AT, nullable=False),
        sa.PrimaryKeyConstraint("version", "beneficiary_id", "month", name=op.f("pk_fact_meals")),
    )
    op.create_table(
        "fact_consents",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("given", sa.Boolean(), nullable=False),
        sa.Column("changed_at", AT, nullable=False),
        sa.PrimaryKeyConstraint("version", "beneficiary_id", "purpose", name=op.f("pk_fact_consents")),
    )


def downgrade() -> None:
    op.drop_table("fact_consents")
    op.drop_table("fact_meals")
    for table in ("fact_referrals", "fact_immersions", "fact_contracts"):
        op.drop_index(f"ix_{table}_version_person", table_name=table)
        op.drop_table(table)
