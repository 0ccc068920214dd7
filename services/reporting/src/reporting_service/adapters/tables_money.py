"""Money's facts (from ``hope.funding.events``): agreements, money per person and agreement, claims. Amounts are
euros to the cent (``NUMERIC``, ``Decimal`` in code)."""

from sqlalchemy import Column, Date, Index, Integer, String, Table, Uuid

from hopekit.db.types import UTCDateTime, money
from reporting_service.adapters.metadata import metadata

fact_agreements = Table(
    "fact_agreements",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("agreement_id", Uuid, primary_key=True),
    Column("funder_id", Uuid, nullable=False),
    Column("funder_kind", String(32), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("signed_on", Date, nullable=False),
    Column("total_amount", money(), nullable=False),
)
"""Funding agreements (``agreement.signed``): the funder (id and kind opco | state | region | france_travail |
esf | other), the period and the total granted."""

fact_money_movements = Table(
    "fact_money_movements",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("movement_id", Uuid, primary_key=True),
    Column("beneficiary_id", Uuid, primary_key=True),
    Column("budget_line_id", Uuid, primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("agreement_id", Uuid, nullable=False),
    Column("funder_id", Uuid, nullable=False),
    Column("amount", money(), nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
    # A person's movements on an agreement, replayed in order for ``fact_money.beyond_commitment``.
    Index("ix_fact_money_movements_person", "version", "beneficiary_id", "agreement_id"),
)
"""Each person's part of each money movement, once: kind committed (``commitment.made``, movement =
commitment_id), released (``commitment.released``, release_id), consumed (``consumption.recorded``, movement =
the training sheet event it answers; ``support_cost.recorded``, movement = the support event it answers, its
months on one line added up; negative for a correction or a placement released early), claimed and approved
(``claim.approved`` lines, claim_id). A movement already here is not counted again: ``fact_money`` moves only
when a row is new."""

fact_money = Table(
    "fact_money",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("beneficiary_id", Uuid, primary_key=True),
    Column("agreement_id", Uuid, primary_key=True),
    Column("funder_id", Uuid, nullable=False),
    Column("committed", money(), nullable=False, default=0),
    Column("released", money(), nullable=False, default=0),
    Column("consumed", money(), nullable=False, default=0),
    Column("claimed", money(), nullable=False, default=0),
    Column("approved", money(), nullable=False, default=0),
    Column("paid", money(), nullable=False, default=0),
    Column("beyond_commitment", money(), nullable=False, default=0),
    Index("ix_fact_money_version_agreement", "version", "agreement_id"),
)
"""Money per person and agreement (and so per funder): the sums of ``fact_money_movements`` by kind.
beyond_commitment: what was consumed beyond the person's commitment on each line, net
(``domain.facts.beyond_commitment``, the agreement's lines added up), recomputed from the person's movements on
the agreement whenever one of them is new.
The money engaged, as funding's ledger counts committed (still committed + consumed and every later stage), is
committed - released + beyond_commitment. paid: each ``payment.issued`` shared among the claim's approved
lines in proportion to their approved amounts, to the cent (the remainder cents to the largest lines), so a
claim's people add up to what the funder paid. Cost per person = consumed (training hours and support costs)."""

fact_claims = Table(
    "fact_claims",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("claim_id", Uuid, primary_key=True),
    Column("agreement_id", Uuid, nullable=False),
    Column("funder_id", Uuid, nullable=False),
    Column("submitted_on", Date),
    Column("people_count", Integer),
    Column("claimed_amount", money()),
    Column("status", String(16), nullable=False),
    Column("status_at", UTCDateTime, nullable=False),
    Column("approved_amount", money()),
    Column("decided_on", Date),
    Column("rejection_reason", String(40)),
    Column("paid_amount", money(), nullable=False, default=0),
    Column("paid_on", Date),
    Index("ix_fact_claims_version_agreement", "version", "agreement_id"),
)
"""Claims to funders: ``claim.submitted`` (submitted_on, people_count, claimed_amount; status submitted),
``claim.approved`` (approved_amount, decided_on; status approved), ``claim.rejected`` (rejection_reason,
decided_on; status rejected), ``payment.issued`` (paid_amount, paid_on; status paid). The status is the latest
by event time; the amounts are set by their own events whatever the order. Money claimed / paid per funder and
agreement are these rows' sums."""
