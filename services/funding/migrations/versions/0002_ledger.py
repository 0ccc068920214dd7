"""HOPE funding: funders, agreements, budget lines, financing plans, the double-entry ledger (accounts,
transactions, postings: append-only), consumption per person and session, claims, and enrolment's projection.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 14:22:14.178393
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
        "attendance_marks",
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("hours_attended", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("session_hours", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.PrimaryKeyConstraint("beneficiary_id", "session_id", name=op.f("pk_attendance_marks")),
    )
    with op.batch_alter_table("attendance_marks", schema=None) as batch_op:
        batch_op.create_index("ix_attendance_marks_course_person", ["course_id", "beneficiary_id"], unique=False)
        batch_op.create_index("ix_attendance_marks_session", ["session_id"], unique=False)

    op.create_table(
        "cohort_members",
        sa.Column("cohort_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("cohort_id", "beneficiary_id", name=op.f("pk_cohort_members")),
    )
    with op.batch_alter_table("cohort_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cohort_members_beneficiary_id"), ["beneficiary_id"], unique=False)

    op.create_table(
        "cohorts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("sector_code", sa.String(length=64), nullable=False),
        sa.Column("region", sa.String(length=64), nullable=False),
        sa.Column("track", sa.String(length=16), nullable=False),
        sa.Column("training_provider_org_id", sa.Uuid(), nullable=False),
        sa.Column("support_provider_org_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohorts")),
    )
    op.create_table(
        "consumption_posted",
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("budget_line_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("funded_hours", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("claimed_amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.PrimaryKeyConstraint("beneficiary_id", "session_id", "budget_line_id", name=op.f("pk_consumption_posted")),
    )
    with op.batch_alter_table("consumption_posted", schema=None) as batch_op:
        batch_op.create_index("ix_consumption_posted_session", ["session_id"], unique=False)

    op.create_table(
        "funders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funders")),
        sa.UniqueConstraint("code", name=op.f("uq_funders_code")),
    )
    with op.batch_alter_table("funders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_funders_org_id"), ["org_id"], unique=False)

    op.create_table(
        "ledger_transactions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reverses", sa.Uuid(), nullable=True),
        sa.Column("reference_id", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_transactions")),
        sa.UniqueConstraint("reverses", name=op.f("uq_ledger_transactions_reverses")),
    )
    with op.batch_alter_table("ledger_transactions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ledger_transactions_reference_id"), ["reference_id"], unique=False)

    op.create_table(
        "pathways",
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("track", sa.String(length=16), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("beneficiary_id", name=op.f("pk_pathways")),
    )
    with op.batch_alter_table("pathways", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pathways_cohort_id"), ["cohort_id"], unique=False)

    op.create_table(
        "agreements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("funder_id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["funder_id"], ["funders.id"], name=op.f("fk_agreements_funder_id_funders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreements")),
        sa.UniqueConstraint("reference", name=op.f("uq_agreements_reference")),
    )
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreements_funder_id"), ["funder_id"], unique=False)

    op.create_table(
        "agreement_documents",
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name=op.f("fk_agreement_documents_agreement_id_agreements")
        ),
        sa.PrimaryKeyConstraint("agreement_id", "kind", "reference", name=op.f("pk_agreement_documents")),
    )
    op.create_table(
        "agreement_transitions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=160), nullable=False),
        sa.Column("actor_org_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name=op.f("fk_agreement_transitions_agreement_id_agreements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_transitions")),
    )
    with op.batch_alter_table("agreement_transitions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreement_transitions_agreement_id"), ["agreement_id"], unique=False)

    op.create_table(
        "budget_lines",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("cost_type", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("rate", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("rate_capped", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("scope_region", sa.String(length=64), nullable=True),
        sa.Column("scope_sector", sa.String(length=64), nullable=True),
        sa.Column("scope_step", sa.Integer(), nullable=True),
        sa.Column("scope_track", sa.String(length=16), nullable=True),
        sa.Column("excused_share", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name=op.f("fk_budget_lines_agreement_id_agreements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_lines")),
    )
    with op.batch_alter_table("budget_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_lines_agreement_id"), ["agreement_id"], unique=False)

    op.create_table(
        "claims",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("payment_reference", sa.String(length=64), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("paid_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"], name=op.f("fk_claims_agreement_id_agreements")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claims_agreement_id"), ["agreement_id"], unique=False)

    op.create_table(
        "accounts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("budget_line_id", sa.Uuid(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=True),
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("funder_id", sa.Uuid(), nullable=False),
        sa.Column("balance", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.CheckConstraint("stage = 'granted' OR balance >= 0", name=op.f("ck_accounts_not_overdrawn")),
        sa.ForeignKeyConstraint(
            ["budget_line_id"], ["budget_lines.id"], name=op.f("fk_accounts_budget_line_id_budget_lines")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
    )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accounts_agreement_id"), ["agreement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_accounts_beneficiary_id"), ["beneficiary_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_accounts_funder_id"), ["funder_id"], unique=False)

    op.create_table(
        "claim_lines",
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("budget_line_id", sa.Uuid(), nullable=False),
        sa.Column("cost_type", sa.String(length=40), nullable=False),
        sa.Column("claimed", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("approved", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("reason_code", sa.String(length=50), nullable=True),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_claim_lines_claim_id_claims")),
        sa.PrimaryKeyConstraint("claim_id", "beneficiary_id", "budget_line_id", name=op.f("pk_claim_lines")),
    )
    op.create_table(
        "claim_transitions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=160), nullable=False),
        sa.Column("actor_org_id", sa.Uuid(), nullable=False),
        sa.Column("comment", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_claim_transitions_claim_id_claims")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_transitions")),
    )
    with op.batch_alter_table("claim_transitions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_transitions_claim_id"), ["claim_id"], unique=False)

    op.create_table(
        "financing_plans",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cost_type", sa.String(length=40), nullable=False),
        sa.Column("unit_cost", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("cohort_id", sa.Uuid(), nullable=True),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=True),
        sa.Column("remainder_line_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "(cohort_id IS NULL) <> (beneficiary_id IS NULL)", name=op.f("ck_financing_plans_one_payee")
        ),
        sa.ForeignKeyConstraint(
            ["remainder_line_id"], ["budget_lines.id"], name=op.f("fk_financing_plans_remainder_line_id_budget_lines")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_financing_plans")),
    )
    with op.batch_alter_table("financing_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_financing_plans_beneficiary_id"), ["beneficiary_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_financing_plans_cohort_id"), ["cohort_id"], unique=False)

    op.create_table(
        "commitments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("beneficiary_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("transaction_id", sa.Uuid(), nullable=True),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["financing_plans.id"], name=op.f("fk_commitments_plan_id_financing_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
    )
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.create_index("uq_commitments_person_step_plan", ["beneficiary_id", "step", "plan_id"], unique=True)

    op.create_table(
        "plan_shares",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("budget_line_id", sa.Uuid(), nullable=False),
        sa.Column("share", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["budget_line_id"], ["budget_lines.id"], name=op.f("fk_plan_shares_budget_line_id_budget_lines")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["financing_plans.id"], name=op.f("fk_plan_shares_plan_id_financing_plans")
        ),
        sa.PrimaryKeyConstraint("plan_id", "budget_line_id", name=op.f("pk_plan_shares")),
    )
    op.create_table(
        "postings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("transaction_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("side", sa.String(length=6), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.CheckConstraint("side IN ('debit', 'credit')", name=op.f("ck_postings_side")),
        sa.CheckConstraint("amount > 0", name=op.f("ck_postings_positive")),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=op.f("fk_postings_account_id_accounts")),
        sa.ForeignKeyConstraint(
            ["transaction_id"], ["ledger_transactions.id"], name=op.f("fk_postings_transaction_id_ledger_transactions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_postings")),
    )
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_postings_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_postings_transaction_id"), ["transaction_id"], unique=False)

    _append_only()


def downgrade() -> None:
    _drop_append_only()
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_postings_transaction_id"))
        batch_op.drop_index(batch_op.f("ix_postings_account_id"))

    op.drop_table("postings")
    op.drop_table("plan_shares")
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.drop_index("uq_commitments_person_step_plan")

    op.drop_table("commitments")
    with op.batch_alter_table("financing_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_financing_plans_cohort_id"))
        batch_op.drop_index(batch_op.f("ix_financing_plans_beneficiary_id"))

    op.drop_table("financing_plans")
    with op.batch_alter_table("claim_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_transitions_claim_id"))

    op.drop_table("claim_transitions")
    op.drop_table("claim_lines")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accounts_funder_id"))
        batch_op.drop_index(batch_op.f("ix_accounts_beneficiary_id"))
        batch_op.drop_index(batch_op.f("ix_accounts_agreement_id"))

    op.drop_table("accounts")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claims_agreement_id"))

    op.drop_table("claims")
    with op.batch_alter_table("budget_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_lines_agreement_id"))

    op.drop_table("budget_lines")
    with op.batch_alter_table("agreement_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_transitions_agreement_id"))

    op.drop_table("agreement_transitions")
    op.drop_table("agreement_documents")
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreements_funder_id"))

    op.drop_table("agreements")
    with op.batch_alter_table("pathways", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pathways_cohort_id"))

    op.drop_table("pathways")
    with op.batch_alter_table("ledger_transactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_transactions_reference_id"))

    op.drop_table("ledger_transactions")
    with op.batch_alter_table("funders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_funders_org_id"))

    op.drop_table("funders")
    with op.batch_alter_table("consumption_posted", schema=None) as batch_op:
        batch_op.drop_index("ix_consumption_posted_session")

    op.drop_table("consumption_posted")
    op.drop_table("cohorts")
    with op.batch_alter_table("cohort_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cohort_members_beneficiary_id"))

    op.drop_table("cohort_members")
    with op.batch_alter_table("attendance_marks", schema=None) as batch_op:
        batch_op.drop_index("ix_attendance_marks_session")
        batch_op.drop_index("ix_attendance_marks_course_person")

    op.drop_table("attendance_marks")


_APPEND_ONLY = ("ledger_transactions", "postings")


def _append_only() -> None:
    """Postings and transactions are never changed nor removed: a correction is a reversing transaction."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME; END $$"
        )
        for table in _APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION ledger_append_only()"
            )
        return
    for table in _APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END"
            )


def _drop_append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in _APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute("DROP FUNCTION ledger_append_only()")
        return
    for table in _APPEND_ONLY:
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER {table}_no_{action}")
