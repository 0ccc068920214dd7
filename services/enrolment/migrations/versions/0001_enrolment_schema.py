"""Enrolment schema: cohorts, beneficiaries, pathway history, consents, and the kit's tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hopekit.db.migrations import create_kit_tables_v1, drop_kit_tables_v1

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_kit_tables_v1()
    op.create_table(
        "cohorts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("sector_code", sa.String(length=40), nullable=False),
        sa.Column("region", sa.String(length=2), nullable=False),
        sa.Column("track", sa.String(length=20), nullable=False),
        sa.Column("training_provider_org_id", sa.Uuid(), nullable=False),
        sa.Column("support_provider_org_id", sa.Uuid(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("step_start_dates", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_org_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohorts")),
    )
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cohorts_support_provider_org_id"), ["support_provider_org_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_cohorts_training_provider_org_id"), ["training_provider_org_id"], unique=False
        )

    op.create_table(
        "beneficiaries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("given_name", sa.String(length=100), nullable=True),
        sa.Column("family_name", sa.String(length=100), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column("ofii_number", sa.String(length=10), nullable=True),
        sa.Column("france_travail_id", sa.String(length=8), nullable=True),
        sa.Column("spoken_languages", sa.JSON(), nullable=True),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("duplicate_key", sa.String(length=240), nullable=True),
        sa.Column("protection_status", sa.String(length=30), nullable=False),
        sa.Column("track", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("status_before_hold", sa.String(length=30), nullable=True),
        sa.Column("sector_code", sa.String(length=40), nullable=True),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
        sa.Column("ofii_hours", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("a1_attested_on", sa.Date(), nullable=True),
        sa.Column("a1_test", sa.String(length=20), nullable=True),
        sa.Column("a1_evidence_reference", sa.String(length=100), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("registered_by_org_id", sa.Uuid(), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("erased_by", sa.String(length=160), nullable=True),
        sa.Column("erased_by_org_id", sa.Uuid(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohorts.id"], name=op.f("fk_beneficiaries_cohort_id_cohorts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_beneficiaries")),
    )
    with op.batch_alter_table("beneficiaries", schema=None) as batch_op:
        batch_op.create_index("ix_beneficiaries_cohort_id", ["cohort_id"], unique=False)
        batch_op.create_index("ix_beneficiaries_registered_by_org_id", ["registered_by_org_id"], unique=False)
        batch_op.create_index("ix_beneficiaries_status", ["status"], unique=False)
        batch_op.create_index("uq_beneficiaries_duplicate_key", ["duplicate_key"], unique=True)
        batch_op.create_index("uq_beneficiaries_ofii_number", ["ofii_number"], unique=True)

    op.create_table(
        "consents",
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("given", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=160), nullable=False),
        sa.Column("recorded_by_org_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["beneficiary_id"],
            ["beneficiaries.id"],
            name=op.f("fk_consents_beneficiary_id_beneficiaries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("beneficiary_id", "sequence", name=op.f("pk_consents")),
    )
    op.create_table(
        "pathway_transitions",
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("from_status", sa.String(length=30), nullable=True),
        sa.Column("to_status", sa.String(length=30), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=160), nullable=False),
        sa.Column("actor_org_id", sa.Uuid(), nullable=False),
        sa.Column("reason_code", sa.String(length=50), nullable=True),
        sa.ForeignKeyConstraint(
            ["beneficiary_id"],
            ["beneficiaries.id"],
            name=op.f("fk_pathway_transitions_beneficiary_id_beneficiaries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("beneficiary_id", "sequence", name=op.f("pk_pathway_transitions")),
    )


def downgrade() -> None:
    op.drop_table("pathway_transitions")
    op.drop_table("consents")
    with op.batch_alter_table("beneficiaries") as batch_op:
        batch_op.drop_index("uq_beneficiaries_ofii_number")
        batch_op.drop_index("uq_beneficiaries_duplicate_key")
        batch_op.drop_index("ix_beneficiaries_status")
        batch_op.drop_index("ix_beneficiaries_registered_by_org_id")
        batch_op.drop_index("ix_beneficiaries_cohort_id")
    op.drop_table("beneficiaries")
    with op.batch_alter_table("cohorts") as batch_op:
        batch_op.drop_index("ix_cohorts_training_provider_org_id")
        batch_op.drop_index("ix_cohorts_support_provider_org_id")
    op.drop_table("cohorts")
    drop_kit_tables_v1()
