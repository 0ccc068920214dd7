"""The employment schema: its own tables and the kit's (outbox, inbox, audit, idempotency)."""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
    Uuid,
    text,
)

from hopekit.cohorts import add_cohort_table
from hopekit.db.kit_tables import add_kit_tables
from hopekit.db.metadata import make_metadata
from hopekit.db.types import UTCDateTime

metadata = make_metadata()
kit = add_kit_tables(metadata)

employers = Table(
    "employers",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("siret", String(14), nullable=False, unique=True),
    Column("siren", String(9), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("naf_code", String(6), nullable=False),
    Column("akto_member", Boolean, nullable=False),
    Column("sector_codes", JSON, nullable=False),
    # The gateway organisation acting for this company: one employer record per organisation.
    Column("org_id", Uuid, nullable=True, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
)

# The only personal data of the service: kept apart so reads are audited and erasure is one DELETE.
employer_contacts = Table(
    "employer_contacts",
    metadata,
    Column("employer_id", Uuid, ForeignKey("employers.id"), primary_key=True),
    Column("full_name", String(200), nullable=False),
    Column("email", String(254), nullable=False),
    Column("phone", String(16), nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
)

establishments = Table(
    "establishments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("employer_id", Uuid, ForeignKey("employers.id"), nullable=False, index=True),
    Column("siret", String(14), nullable=True, unique=True),
    Column("commune_code", String(5), nullable=False),
    Column("department_code", String(3), nullable=False),
    Column("region_code", String(3), nullable=False),
)

pledges = Table(
    "pledges",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("employer_id", Uuid, ForeignKey("employers.id"), nullable=False, index=True),
    Column("sector_code", String(40), nullable=False),
    Column("region_code", String(3), nullable=False),
    Column("places", Integer, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Index("ix_pledges_sector_region", "sector_code", "region_code"),
)

vacancies = Table(
    "vacancies",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("employer_id", Uuid, ForeignKey("employers.id"), nullable=False, index=True),
    Column("establishment_id", Uuid, ForeignKey("establishments.id"), nullable=False),
    Column("rome_code", String(5), nullable=False),
    Column("sector_code", String(40), nullable=False),
    Column("department_code", String(3), nullable=False),
    Column("region_code", String(3), nullable=False),
    Column("positions", Integer, nullable=False),
    Column("hired", Integer, nullable=False),
    Column("hours_per_week", Numeric(4, 2), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("contract_type", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("published_at", UTCDateTime, nullable=False),
    Index("ix_vacancies_status_sector_region", "status", "sector_code", "region_code"),
)

applications = Table(
    "applications",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("vacancy_id", Uuid, ForeignKey("vacancies.id"), nullable=False),
    Column("beneficiary_id", Uuid, nullable=False),
    Column("status", String(16), nullable=False),
    Column("refusal_reason", String(32), nullable=True),
    Column("proposed_by_org_id", Uuid, nullable=False),
    Column("decided_at", UTCDateTime, nullable=True),
    UniqueConstraint("vacancy_id", "beneficiary_id"),
    Index("ix_applications_beneficiary_status", "beneficiary_id", "status"),
)

RUNNING_CONTRACT = text("status IN ('signed', 'active')")

work_study_contracts = Table(
    "work_study_contracts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("beneficiary_id", Uuid, nullable=False, index=True),
    Column("employer_id", Uuid, ForeignKey("employers.id"), nullable=False, index=True),
    Column("establishment_id", Uuid, ForeignKey("establishments.id"), nullable=False),
    Column("contract_type", String(32), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("planned_end_on", Date, nullable=False),
    Column("hours_per_week", Numeric(4, 2), nullable=False),
    Column("tutor_ref", String(64), nullable=False),
    Column("trial_ends_on", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("started_on", Date, nullable=True),
    Column("completed_on", Date, nullable=True),
    Column("broken_on", Date, nullable=True),
    Column("broken_by", String(16), nullable=True),
    Column("break_reason", String(32), nullable=True),
    Column("during_trial", Boolean, nullable=True),
    # One running contract per person, held by the database itself so two concurrent signatures cannot both win.
    Index(
        "uq_work_study_contracts_running",
        "beneficiary_id",
        unique=True,
        postgresql_where=RUNNING_CONTRACT,
        sqlite_where=RUNNING_CONTRACT,
    ),
)

immersion_placements = Table(
    "immersion_placements",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("beneficiary_id", Uuid, nullable=False, index=True),
    Column("employer_id", Uuid, ForeignKey("employers.id"), nullable=False),
    Column("establishment_id", Uuid, ForeignKey("establishments.id"), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("hours", Numeric(6, 2), nullable=False),
)

exit_outcomes = Table(
    "exit_outcomes",
    metadata,
    Column("beneficiary_id", Uuid, primary_key=True),
    Column("exit_on", Date, nullable=False),
    Column("code", String(16), nullable=False),
    Column("evidence_source", String(32), nullable=False),
    Column("employer_id", Uuid, nullable=True),
    Column("weekly_hours", Numeric(4, 2), nullable=True),
    Column("recorded_by_org_id", Uuid, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
)

follow_ups = Table(
    "follow_ups",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("beneficiary_id", Uuid, nullable=False),
    Column("months_after_exit", SmallInteger, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("observed_on", Date, nullable=True),
    Column("code", String(16), nullable=True),
    Column("evidence_source", String(32), nullable=True),
    Column("employer_id", Uuid, nullable=True),
    Column("weekly_hours", Numeric(4, 2), nullable=True),
    # Copied from the person's path so the due lists are one index range scan per organisation.
    Column("support_provider_org_id", Uuid, nullable=True),
    Column("public_employment_visible", Boolean, nullable=False),
    UniqueConstraint("beneficiary_id", "months_after_exit"),
    Index("ix_follow_ups_support_due", "support_provider_org_id", "status", "due_on", "id"),
    Index("ix_follow_ups_public_due", "public_employment_visible", "status", "due_on", "id"),
    Index("ix_follow_ups_due", "status", "due_on", "id"),
)

follow_up_attempts = Table(
    "follow_up_attempts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("follow_up_id", Uuid, ForeignKey("follow_ups.id"), nullable=False, index=True),
    Column("at", UTCDateTime, nullable=False),
    Column("by_org_id", Uuid, nullable=False),
)

person_paths = Table(
    "person_paths",
    metadata,
    Column("beneficiary_id", Uuid, primary_key=True),
    Column("step", SmallInteger, nullable=True),
    Column("state", String(16), nullable=False),
    Column("left_on", Date, nullable=True),
    Column("withdrawal_reason", String(64), nullable=True),
    Column("cohort_id", Uuid, nullable=True, index=True),
    Column("training_provider_org_id", Uuid, nullable=True),
    Column("support_provider_org_id", Uuid, nullable=True),
    Column("qualification_result_in", Boolean, nullable=False),
    Column("shares_with_public_employment", Boolean, nullable=False),
    Column("data_sharing_decided_at", UTCDateTime, nullable=True),
)

cohorts = add_cohort_table(metadata, "sector_code", "region", "training_provider_org_id")
