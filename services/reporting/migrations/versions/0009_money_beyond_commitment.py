"""``fact_money.beyond_commitment``: what each person consumed beyond their commitments on an agreement's lines,
so that money committed means what funding's ledger means (still committed + consumed and every later stage);
filled by replaying every version's movements already there in event order (``domain.facts.beyond_commitment``),
with the index on ``fact_money_movements`` that the replay at ingest reads a person's movements by.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from collections.abc import Sequence
from decimal import Decimal
from itertools import groupby

import sqlalchemy as sa
from alembic import op

from reporting_service.domain.facts import beyond_commitment

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000
MONEY = sa.Numeric(14, 2, asdecimal=True)


def upgrade() -> None:
    op.add_column(
        "fact_money",
        sa.Column("beyond_commitment", sa.Numeric(14, 2), nullable=False, server_default=sa.text("0")),
    )
    op.create_index(
        "ix_fact_money_movements_person", "fact_money_movements", ["version", "beneficiary_id", "agreement_id"]
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT version, beneficiary_id, agreement_id, budget_line_id, kind, amount FROM fact_money_movements "
            "WHERE kind IN ('committed', 'released', 'consumed') "
            "ORDER BY version, beneficiary_id, agreement_id, budget_line_id, occurred_at, movement_id"
        ).columns(amount=MONEY)  # as Decimal (SQLite's NUMERIC comes back a float without it)
    )
    update = sa.text(
        "UPDATE fact_money SET beyond_commitment = :beyond "
        "WHERE version = :version AND beneficiary_id = :person AND agreement_id = :agreement"
    ).bindparams(sa.bindparam("beyond", type_=MONEY))
    totals: dict[tuple[object, object, object], Decimal] = {}
    for (version, person, agreement, _), moves in groupby(rows, key=lambda row: tuple(row[:4])):
        key = (version, person, agreement)
        totals[key] = totals.get(key, Decimal(0)) + beyond_commitment((row.kind, row.amount) for row in moves)
    values = [
        {"version": version, "person": person, "agreement": agreement, "beyond": amount}
        for (version, person, agreement), amount in totals.items()
        if amount
    ]
    for start in range(0, len(values), BATCH):
        connection.execute(update, values[start : start + BATCH])


def downgrade() -> None:
    op.drop_index("ix_fact_money_movements_person", table_name="fact_money_movements")
    with op.batch_alter_table("fact_money") as table:
        table.drop_column("beyond_commitment")
