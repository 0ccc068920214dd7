"""The enrolment schema. Identity columns exist only here on the whole platform."""

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Uuid,
)

from hopekit.db.kit_tables import add_kit_tables
from hopekit.db.metadata import make_metadata
from hopekit.db.types import UTCDateTime
from hopekit.partners import add_partner_table

metadata = make_metadata()
kit = add_kit_tables(metadata)
# The partner organisations, as the gateway's events describe them (hopekit.partners).
partners = add_partner_table(metadata)

cohorts = Table(
    "cohorts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("sector_code", String(40), nullable=False),
    Column("region", String(2), nullable=False),
    Column("track", String(20), nullable=False),
    Column("training_provider_org_id", Uuid, nullable=False, index=True),
    Column("support_provider_org_id", Uuid, nullable=False, index=True),
    Column("capacity", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by_org_id", Uuid, nullable=False),
)

# A cohort's calendar: one planned period per step (3 and 4), its end when known.
cohort_step_periods = Table(
    "cohort_step_periods",
    metadata,
    Column("cohort_id", Uuid, ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column("step", Integer, primary_key=True, autoincrement=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=True),
    CheckConstraint("step IN (3, 4)", name="planned_step"),
    CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
)

beneficiaries = Table(
    "beneficiaries",
    metadata,
    Column("id", Uuid, primary_key=True),
    # Identity: nulled by erasure.
    Column("given_name", String(100), nullable=True),
    Column("family_name", String(100), nullable=True),
    Column("birth_date", Date, nullable=True),
    Column("nationality", String(3), nullable=True),
    Column("ofii_number", String(10), nullable=True),
    Column("france_travail_id", String(8), nullable=True),
    Column("spoken_languages", JSON, nullable=True),
    Column("phone", String(16), nullable=True),
    Column("email", String(254), nullable=True),
    Column("duplicate_key", String(240), nullable=True),
    # Pseudonymous path: kept after erasure.
    Column("protection_status", String(30), nullable=False),
    Column("track", String(20), nullable=False),
    Column("status", String(30), nullable=False),
    Column("status_before_hold", String(30), nullable=True),
    Column("sector_code", String(40), nullable=True),
    Column("cohort_id", Uuid, ForeignKey("cohorts.id"), nullable=True),
    # The day the person joined their cohort; null for members added before it was kept.
    Column("cohort_joined_on", Date, nullable=True),
    Column("ofii_hours", Numeric(6, 2), nullable=True),
    Column("a1_attested_on", Date, nullable=True),
    Column("a1_test", String(20), nullable=True),
    Column("a1_evidence_reference", String(100), nullable=True),
    # Step 3's hours done, as training reported them (its course-completed event): step 4 waits for it.
    Column("french_hours_done_at", UTCDateTime, nullable=True),
    Column("french_course_id", Uuid, nullable=True),
    Column("registered_at", UTCDateTime, nullable=False),
    Column("registered_by_org_id", Uuid, nullable=False),
    Column("erased_at", UTCDateTime, nullable=True),
    Column("erased_by", String(160), nullable=True),
    Column("erased_by_org_id", Uuid, nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
)
Index("uq_beneficiaries_ofii_number", beneficiaries.c.ofii_number, unique=True)
Index("uq_beneficiaries_duplicate_key", beneficiaries.c.duplicate_key, unique=True)
Index("ix_beneficiaries_cohort_id", beneficiaries.c.cohort_id)
Index("ix_beneficiaries_registered_by_org_id", beneficiaries.c.registered_by_org_id)
Index("ix_beneficiaries_status", beneficiaries.c.status)

pathway_transitions = Table(
    "pathway_transitions",
    metadata,
    Column("beneficiary_id", Uuid, ForeignKey("beneficiaries.id", ondelete="CASCADE"), primary_key=True),
    Column("sequence", Integer, primary_key=True, autoincrement=False),
    Column("from_status", String(30), nullable=True),
    Column("to_status", String(30), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(160), nullable=False),
    Column("actor_org_id", Uuid, nullable=False),
    Column("reason_code", String(50), nullable=True),
    # The programme operator's reason for starting step 4 without step 3's hours; never published.
    Column("waiver_reason", String(200), nullable=True),
)

consents = Table(
    "consents",
    metadata,
    Column("beneficiary_id", Uuid, ForeignKey("beneficiaries.id", ondelete="CASCADE"), primary_key=True),
    Column("sequence", Integer, primary_key=True, autoincrement=False),
    Column("purpose", String(40), nullable=False),
    Column("given", Boolean, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("recorded_by", String(160), nullable=False),
    Column("recorded_by_org_id", Uuid, nullable=False),
)

# What enrolment has heard towards closing a path (domain.closure): step 4 started, training's qualification
# result, employment's exit outcome; written in the transaction of the change or of the event's inbox row.
path_closures = Table(
    "path_closures",
    metadata,
    Column("beneficiary_id", Uuid, ForeignKey("beneficiaries.id", ondelete="CASCADE"), primary_key=True),
    Column("step_4_started", Boolean, nullable=False),
    Column("qualification_result_in", Boolean, nullable=False),
    Column("outcome_recorded", Boolean, nullable=False),
    Column("path_left", Boolean, nullable=False),
    Column("completed", Boolean, nullable=False),
    Column("left", Boolean, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
