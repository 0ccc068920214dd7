"""Employment schema: employers, HR contacts, establishments, pledges, vacancies, applications, work-study
contracts (one running per person: a partial unique index on both databases), immersions, exit outcomes,
follow-ups with their attempts, and the local projection of people's paths and cohorts. The template's example
table goes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 14:22:19.040991
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cohorts",
        sa.Column("cohort_id", sa.Uuid(), nullable=False),
        sa.Column("training_provider_org_id", sa.Uuid(), nullable=False),
        sa.Column("support_provider_org_id", sa.Uuid(), nullable=False),
        sa.Column("sector_code", sa.String(length=40), nullable=False),
        sa.Column("region", sa.String(length=8), nullable=False),
        sa.PrimaryKeyConstraint("cohort_id", name=op.f("pk_cohorts")),
    )
    op.create_table(
        "employers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("siret", sa.String(length=14), nullable=False),
        sa.Column("siren", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("naf_code", sa.String(length=6), nullable=False),
        sa.Column("akto_member", sa.Boolean(), nullable=False),
        sa.Column("sector_codes", sa.JSON(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employers")),
        sa.UniqueConstraint("org_id", name=op.f("uq_employers_org_id")),
        sa.UniqueConstraint("siret", name=op.f("uq_employers_siret")),
    )
    with op.batch_alter_table("employers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_employers_siren"), ["siren"], unique=False)

    op.create_table(
        "exit_outcomes",
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("exit_on", sa.Date(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("evidence_source", sa.String(length=32), nullable=False),
        sa.Column("employer_id", sa.Uuid(), nullable=True),
        sa.Column("weekly_hours", sa.Numeric(precision=4, scale=2), nullable=True),
        sa.Column("recorded_by_org_id", sa.Uuid(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("beneficiary_id", name=op.f("pk_exit_outcomes")),
    )
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("months_after_exit", sa.SmallInteger(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("observed_on", sa.Date(), nullable=True),
        sa.Column("code", sa.String(length=16), nullable=True),
        sa.Column("evidence_source", sa.String(length=32), nullable=True),
        sa.Column("employer_id", sa.Uuid(), nullable=True),
        sa.Column("weekly_hours", sa.Numeric(precision=4, scale=2), nullable=True),
        sa.Column("support_provider_org_id", sa.Uuid(), nullable=True),
        sa.Column("public_employment_visible", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
        sa.UniqueConstraint(
            "beneficiary_id", "months_after_exit", name=op.f("uq_follow_ups_beneficiary_id_months_after_exit")
        ),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index("ix_follow_ups_due", ["status", "due_on", "id"], unique=False)
        batch_op.create_index(
            "ix_follow_ups_public_due", ["public_employment_visible", "status", "due_on", "id"], unique=False
        )
        batch_op.create_index(
            "ix_follow_ups_support_due", ["support_provider_org_id", "status", "due_on", "id"], unique=False
        )

    op.create_table(
        "person_paths",
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.SmallInteger(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("withdrawal_reason", sa.String(length=64), nullable=True),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
        sa.Column("training_provider_org_id", sa.Uuid(), nullable=True),
        sa.Column("support_provider_org_id", sa.Uuid(), nullable=True),
        sa.Column("qualification_result_in", sa.Boolean(), nullable=False),
        sa.Column("shares_with_public_employment", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("beneficiary_id", name=op.f("pk_person_paths")),
    )
    with op.batch_alter_table("person_paths", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_paths_cohort_id"), ["cohort_id"], unique=False)

    op.create_table(
        "employer_contacts",
        sa.Column("employer_id", sa.Uuid(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employers.id"], name=op.f("fk_employer_contacts_employer_id_employers")
        ),
        sa.PrimaryKeyConstraint("employer_id", name=op.f("pk_employer_contacts")),
    )
    op.create_table(
        "establishments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("employer_id", sa.Uuid(), nullable=False),
        sa.Column("siret", sa.String(length=14), nullable=True),
        sa.Column("commune_code", sa.String(length=5), nullable=False),
        sa.Column("department_code", sa.String(length=3), nullable=False),
        sa.Column("region_code", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employers.id"], name=op.f("fk_establishments_employer_id_employers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_establishments")),
        sa.UniqueConstraint("siret", name=op.f("uq_establishments_siret")),
    )
    with op.batch_alter_table("establishments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_establishments_employer_id"), ["employer_id"], unique=False)

    op.create_table(
        "follow_up_attempts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("follow_up_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_org_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["follow_up_id"], ["follow_ups.id"], name=op.f("fk_follow_up_attempts_follow_up_id_follow_ups")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_attempts")),
    )
    with op.batch_alter_table("follow_up_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_attempts_follow_up_id"), ["follow_up_id"], unique=False)

    op.create_table(
        "pledges",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("employer_id", sa.Uuid(), nullable=False),
        sa.Column("sector_code", sa.String(length=40), nullable=False),
        sa.Column("region_code", sa.String(length=3), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["employer_id"], ["employers.id"], name=op.f("fk_pledges_employer_id_employers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledges")),
    )
    with op.batch_alter_table("pledges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pledges_employer_id"), ["employer_id"], unique=False)
        batch_op.create_index("ix_pledges_sector_region", ["sector_code", "region_code"], unique=False)

    op.create_table(
        "immersion_placements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("employer_id", sa.Uuid(), nullable=False),
        sa.Column("establishment_id", sa.Uuid(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("hours", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employers.id"], name=op.f("fk_immersion_placements_employer_id_employers")
        ),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["establishments.id"],
            name=op.f("fk_immersion_placements_establishment_id_establishments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_immersion_placements")),
    )
    with op.batch_alter_table("immersion_placements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_immersion_placements_beneficiary_id"), ["beneficiary_id"], unique=False)

    op.create_table(
        "vacancies",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("employer_id", sa.Uuid(), nullable=False),
        sa.Column("establishment_id", sa.Uuid(), nullable=False),
        sa.Column("rome_code", sa.String(length=5), nullable=False),
        sa.Column("sector_code", sa.String(length=40), nullable=False),
        sa.Column("department_code", sa.String(length=3), nullable=False),
        sa.Column("region_code", sa.String(length=3), nullable=False),
        sa.Column("positions", sa.Integer(), nullable=False),
        sa.Column("hired", sa.Integer(), nullable=False),
        sa.Column("hours_per_week", sa.Numeric(precision=4, scale=2), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("contract_type", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["employer_id"], ["employers.id"], name=op.f("fk_vacancies_employer_id_employers")),
        sa.ForeignKeyConstraint(
            ["establishment_id"], ["establishments.id"], name=op.f("fk_vacancies_establishment_id_establishments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vacancies")),
    )
    with op.batch_alter_table("vacancies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vacancies_employer_id"), ["employer_id"], unique=False)
        batch_op.create_index(
            "ix_vacancies_status_sector_region", ["status", "sector_code", "region_code"], unique=False
        )

    op.create_table(
        "work_study_contracts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("employer_id", sa.Uuid(), nullable=False),
        sa.Column("establishment_id", sa.Uuid(), nullable=False),
        sa.Column("contract_type", sa.String(length=32), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("planned_end_on", sa.Date(), nullable=False),
        sa.Column("hours_per_week", sa.Numeric(precision=4, scale=2), nullable=False),
        sa.Column("tutor_ref", sa.String(length=64), nullable=False),
        sa.Column("trial_ends_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("broken_on", sa.Date(), nullable=True),
        sa.Column("broken_by", sa.String(length=16), nullable=True),
        sa.Column("break_reason", sa.String(length=32), nullable=True),
        sa.Column("during_trial", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employers.id"], name=op.f("fk_work_study_contracts_employer_id_employers")
        ),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["establishments.id"],
            name=op.f("fk_work_study_contracts_establishment_id_establishments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_study_contracts")),
    )
    with op.batch_alter_table("work_study_contracts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_study_contracts_beneficiary_id"), ["beneficiary_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_study_contracts_employer_id"), ["employer_id"], unique=False)
        batch_op.create_index(
            "uq_work_study_contracts_running",
            ["beneficiary_id"],
            unique=True,
            postgresql_where=sa.text("status IN ('signed', 'active')"),
            sqlite_where=sa.text("status IN ('signed', 'active')"),
        )

    op.create_table(
        "applications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("vacancy_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("refusal_reason", sa.String(length=32), nullable=True),
        sa.Column("proposed_by_org_id", sa.Uuid(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["vacancy_id"], ["vacancies.id"], name=op.f("fk_applications_vacancy_id_vacancies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        sa.UniqueConstraint("vacancy_id", "beneficiary_id", name=op.f("uq_applications_vacancy_id_beneficiary_id")),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index("ix_applications_beneficiary_status", ["beneficiary_id", "status"], unique=False)

    op.drop_table("examples")


def downgrade() -> None:
    op.create_table(
        "examples",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_org_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_examples")),
        sa.UniqueConstraint("code", name=op.f("uq_examples_code")),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index("ix_applications_beneficiary_status")

    op.drop_table("applications")
    with op.batch_alter_table("work_study_contracts", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_work_study_contracts_running",
            postgresql_where=sa.text("status IN ('signed', 'active')"),
            sqlite_where=sa.text("status IN ('signed', 'active')"),
        )
        batch_op.drop_index(batch_op.f("ix_work_study_contracts_employer_id"))
        batch_op.drop_index(batch_op.f("ix_work_study_contracts_beneficiary_id"))

    op.drop_table("work_study_contracts")
    with op.batch_alter_table("vacancies", schema=None) as batch_op:
        batch_op.drop_index("ix_vacancies_status_sector_region")
        batch_op.drop_index(batch_op.f("ix_vacancies_employer_id"))

    op.drop_table("vacancies")
    with op.batch_alter_table("immersion_placements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_immersion_placements_beneficiary_id"))

    op.drop_table("immersion_placements")
    with op.batch_alter_table("pledges", schema=None) as batch_op:
        batch_op.drop_index("ix_pledges_sector_region")
        batch_op.drop_index(batch_op.f("ix_pledges_employer_id"))

    op.drop_table("pledges")
    with op.batch_alter_table("follow_up_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_attempts_follow_up_id"))

    op.drop_table("follow_up_attempts")
    with op.batch_alter_table("establishments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_establishments_employer_id"))

    op.drop_table("establishments")
    op.drop_table("employer_contacts")
    with op.batch_alter_table("person_paths", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_paths_cohort_id"))

    op.drop_table("person_paths")
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_ups_support_due")
        batch_op.drop_index("ix_follow_ups_public_due")
        batch_op.drop_index("ix_follow_ups_due")

    op.drop_table("follow_ups")
    op.drop_table("exit_outcomes")
    with op.batch_alter_table("employers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_employers_siren"))

    op.drop_table("employers")
    op.drop_table("cohorts")
