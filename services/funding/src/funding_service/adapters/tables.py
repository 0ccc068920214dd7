"""The funding schema: its own tables and the kit's (outbox, inbox, audit, idempotency).

Money is ``NUMERIC(14, 2)`` and hours ``NUMERIC(8, 2)``: never a float. The ledger's ``postings`` and
``ledger_transactions`` are only ever inserted into; ``accounts`` keeps each account's balance, written in
the same transaction as the postings, with a CHECK that no limited account goes below zero.
"""

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Index, Integer, Numeric, String, Table, Uuid, text

from hopekit.cohorts import add_cohort_table
from hopekit.db.kit_tables import add_kit_tables
from hopekit.db.metadata import make_metadata
from hopekit.db.types import UTCDateTime

metadata = make_metadata()
kit = add_kit_tables(metadata)

MONEY = Numeric(14, 2, asdecimal=True)
HOURS = Numeric(8, 2, asdecimal=True)
SHARE = Numeric(5, 4, asdecimal=True)

funders = Table(
    "funders",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("org_id", Uuid, nullable=True, index=True),
)

agreements = Table(
    "agreements",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("funder_id", Uuid, ForeignKey("funders.id"), nullable=False, index=True),
    Column("reference", String(64), nullable=False, unique=True),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("signed_on", Date, nullable=True),
    Column("version", Integer, nullable=False),
)

agreement_transitions = Table(
    "agreement_transitions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("agreement_id", Uuid, ForeignKey("agreements.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("from_status", String(16), nullable=True),
    Column("to_status", String(16), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(160), nullable=False),
    Column("actor_org_id", Uuid, nullable=False),
)

agreement_documents = Table(
    "agreement_documents",
    metadata,
    Column("agreement_id", Uuid, ForeignKey("agreements.id"), primary_key=True),
    Column("kind", String(64), primary_key=True),
    Column("reference", String(64), primary_key=True),
)

budget_lines = Table(
    "budget_lines",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("agreement_id", Uuid, ForeignKey("agreements.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("cost_type", String(40), nullable=False),
    Column("unit", String(20), nullable=False),
    Column("rate", MONEY, nullable=False),
    Column("rate_capped", Integer, nullable=False),
    Column("quantity", Numeric(12, 2, asdecimal=True), nullable=False),
    Column("amount", MONEY, nullable=False),
    Column("scope_region", String(64), nullable=True),
    Column("scope_sector", String(64), nullable=True),
    Column("scope_step", Integer, nullable=True),
    Column("scope_track", String(16), nullable=True),
    Column("excused_share", SHARE, nullable=False),
)

financing_plans = Table(
    "financing_plans",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("cost_type", String(40), nullable=False),
    Column("unit_cost", MONEY, nullable=False),
    Column("step", Integer, nullable=True),
    Column("cohort_id", Uuid, nullable=True, index=True),
    Column("beneficiary_id", Uuid, nullable=True, index=True),
    Column("remainder_line_id", Uuid, ForeignKey("budget_lines.id"), nullable=False),
    CheckConstraint("(cohort_id IS NULL) <> (beneficiary_id IS NULL)", name="one_payee"),
)

plan_shares = Table(
    "plan_shares",
    metadata,
    Column("plan_id", Uuid, ForeignKey("financing_plans.id"), primary_key=True),
    Column("budget_line_id", Uuid, ForeignKey("budget_lines.id"), primary_key=True),
    Column("share", SHARE, nullable=False),
)

# The account's id is derived from (line, stage, person) (see adapters.ledger), so creating a missing account
# is an INSERT that ignores conflicts, on both databases, without a partial unique index. On PostgreSQL its pages
# keep half their room for the balances' next versions (fillfactor 50, migration 0006): see that migration.
accounts = Table(
    "accounts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("budget_line_id", Uuid, ForeignKey("budget_lines.id"), nullable=False),
    Column("stage", String(16), nullable=False),
    Column("beneficiary_id", Uuid, nullable=True, index=True),
    Column("agreement_id", Uuid, nullable=False, index=True),
    Column("funder_id", Uuid, nullable=False, index=True),
    Column("balance", MONEY, nullable=False),
    # The database's backstop for the ledger's "debits must not exceed credits" rule.
    CheckConstraint("stage = 'granted' OR balance >= 0", name="not_overdrawn"),
)

ledger_transactions = Table(
    "ledger_transactions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("reverses", Uuid, nullable=True, unique=True),
    Column("reference_id", Uuid, nullable=True, index=True),
)

postings = Table(
    "postings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("transaction_id", Uuid, ForeignKey("ledger_transactions.id"), nullable=False, index=True),
    # Not indexed: no query reads postings by account (migration 0007).
    Column("account_id", Uuid, ForeignKey("accounts.id"), nullable=False),
    Column("side", String(6), nullable=False),
    Column("amount", MONEY, nullable=False),
    CheckConstraint("amount > 0", name="positive"),
    CheckConstraint("side IN ('debit', 'credit')", name="side"),
)

# A replayed step-started commits nothing: one commitment per person, step and plan.
commitments = Table(
    "commitments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("beneficiary_id", Uuid, nullable=False),
    Column("step", Integer, nullable=False),
    Column("plan_id", Uuid, ForeignKey("financing_plans.id"), nullable=False),
    Column("transaction_id", Uuid, nullable=True),
    Column("amount", MONEY, nullable=False),
    # "committed", or "unfunded" when the lines had not enough left (the operator lists these).
    Column("outcome", String(16), nullable=False),
    # The hours the committed money stands for, and those the course now plans: they differ only when a
    # re-schedule asked for more than the lines had left (listed for the operator, see course_plans).
    Column("planned_hours", HOURS, nullable=False),
    Column("scheduled_hours", HOURS, nullable=False),
    Index("uq_commitments_person_step_plan", "beneficiary_id", "step", "plan_id", unique=True),
)

# The latest sheet per person and session, as training attested it.
attendance_marks = Table(
    "attendance_marks",
    metadata,
    Column("beneficiary_id", Uuid, primary_key=True),
    Column("session_id", Uuid, primary_key=True),
    Column("course_id", Uuid, nullable=False),
    Column("step", Integer, nullable=False),
    Column("held_on", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("hours_attended", HOURS, nullable=False),
    Column("session_hours", HOURS, nullable=False),
    Index("ix_attendance_marks_course_person", "course_id", "beneficiary_id"),
    Index("ix_attendance_marks_session", "session_id"),
)

# What the ledger holds per (person, session, line): the domain's PostedAmounts, kept. Support's costs are kept
# here too, so that claims take them like hours. A row is a course's (``course_id``, ``session_id`` a session of
# it, ``funded_hours`` the hours paid) or a support source's (``source_id``: a placement, a file or a person's month
# of meals; ``session_id`` a month's reference of it, ``domain.support_costs.reference``; ``funded_hours`` its
# units: nights, meals or person-months), never both.
consumption_posted = Table(
    "consumption_posted",
    metadata,
    Column("beneficiary_id", Uuid, primary_key=True),
    Column("session_id", Uuid, primary_key=True),
    Column("budget_line_id", Uuid, primary_key=True),
    Column("course_id", Uuid, nullable=True),
    Column("source_id", Uuid, nullable=True),
    Column("held_on", Date, nullable=False),
    Column("funded_hours", HOURS, nullable=False),
    Column("amount", MONEY, nullable=False),
    Column("claimed_amount", MONEY, nullable=False),
    CheckConstraint("(course_id IS NULL) <> (source_id IS NULL)", name="course_or_source"),
    Index("ix_consumption_posted_session", "session_id"),
    # Only the support rows: a course's rows (most of them) have no source to be found by (migration 0007).
    Index(
        "ix_consumption_posted_source",
        "source_id",
        "beneficiary_id",
        postgresql_where=text("source_id IS NOT NULL"),
        sqlite_where=text("source_id IS NOT NULL"),
    ),
)

# Support's placements, months of meals and files, as their latest event says, and whether their units are paid:
# ``unfunded`` says why not (no_plan, no_money, inactive), for the operator's list; ``quantity`` is the units
# counted now (nights, funded meals, person-months).
support_costs = Table(
    "support_costs",
    metadata,
    Column("id", Uuid, primary_key=True),  # the placement, the file, or the person's month of meals
    Column("cost_type", String(40), nullable=False),
    Column("beneficiary_id", Uuid, nullable=False),
    Column("cohort_id", Uuid, nullable=True),
    Column("starts_on", Date, nullable=True),  # null: a release seen before its placement
    Column("ends_on", Date, nullable=True),
    Column("ended_on", Date, nullable=True),  # released or closed on
    Column("quantity", HOURS, nullable=False),
    Column("unfunded", String(16), nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
    # The last support event applied (``support_cost.recorded`` answers it, even when money came later).
    Column("event_id", Uuid, nullable=True),
    Index("ix_support_costs_beneficiary", "beneficiary_id"),
    Index("ix_support_costs_unfunded", "unfunded"),
)

# Projections of enrolment's events.
cohorts = add_cohort_table(metadata, "track", "sector_code", "region", "training_provider_org_id")

cohort_members = Table(
    "cohort_members",
    metadata,
    Column("cohort_id", Uuid, primary_key=True),
    Column("beneficiary_id", Uuid, primary_key=True, index=True),
)

# Training's courses as last scheduled: the planned hours a step's commitment stands for.
courses = Table(
    "courses",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("step", Integer, nullable=False),
    Column("cohort_id", Uuid, nullable=True),
    Column("beneficiary_id", Uuid, nullable=True),
    Column("provider_org_id", Uuid, nullable=False),
    Column("planned_hours", HOURS, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    # The version applied: an older one arriving late is ignored.
    Column("scheduled_at", UTCDateTime, nullable=False),
    CheckConstraint("(cohort_id IS NULL) <> (beneficiary_id IS NULL)", name="cohort_or_person"),
    Index("ix_courses_cohort_step", "cohort_id", "step"),
    Index("ix_courses_beneficiary_step", "beneficiary_id", "step"),
)

pathways = Table(
    "pathways",
    metadata,
    Column("beneficiary_id", Uuid, primary_key=True),
    Column("track", String(16), nullable=False),
    Column("step", Integer, nullable=False),
    Column("cohort_id", Uuid, nullable=True, index=True),
    Column("withdrawn_at", UTCDateTime, nullable=True),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("agreement_id", Uuid, ForeignKey("agreements.id"), nullable=False, index=True),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("payment_reference", String(64), nullable=True),
    Column("paid_on", Date, nullable=True),
    Column("paid_amount", MONEY, nullable=True),
)

claim_lines = Table(
    "claim_lines",
    metadata,
    Column("claim_id", Uuid, ForeignKey("claims.id"), primary_key=True),
    Column("beneficiary_id", Uuid, primary_key=True),
    Column("budget_line_id", Uuid, primary_key=True),
    Column("cost_type", String(40), nullable=False),
    Column("claimed", MONEY, nullable=False),
    Column("approved", MONEY, nullable=True),
    Column("reason_code", String(50), nullable=True),
)

claim_transitions = Table(
    "claim_transitions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("claim_id", Uuid, ForeignKey("claims.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("from_status", String(16), nullable=True),
    Column("to_status", String(16), nullable=False),
    Column("on", Date, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(160), nullable=False),
    Column("actor_org_id", Uuid, nullable=False),
    # Free text stays here, never in an event.
    Column("comment", String(2000), nullable=True),
)
