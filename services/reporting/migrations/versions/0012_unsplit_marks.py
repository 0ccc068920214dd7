"""An ``unsplit`` mark on every person's budget line that holds a consumption kept whole: every consumption written
before funding said how much of it was drawn from the person's commitment. The ingest replays exactly the lines
with a mark (``adapters/facts.py``); without one, a commitment arriving after such a consumption, out of order,
would leave the line's part beyond the commitment as it was.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hopekit.db.types import UTCDateTime
from reporting_service.adapters.facts import UNSPLIT, UNSPLIT_AT

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    "version",
    "movement_id",
    "beneficiary_id",
    "budget_line_id",
    "kind",
    "agreement_id",
    "funder_id",
    "amount",
    "occurred_at",
)


def _movements() -> sa.Table:
    # As the table stands at this revision (not the application's, which may have moved on).
    return sa.table(
        "fact_money_movements",
        sa.column("version", sa.Integer),
        sa.column("movement_id", sa.Uuid),
        sa.column("beneficiary_id", sa.Uuid),
        sa.column("budget_line_id", sa.Uuid),
        sa.column("kind", sa.String),
        sa.column("agreement_id", sa.Uuid),
        sa.column("funder_id", sa.Uuid),
        sa.column("amount", sa.Numeric(14, 2)),
        sa.column("occurred_at", UTCDateTime),
    )


def upgrade() -> None:
    moves = _movements()
    marks = moves.alias("marks")
    # A line's agreement and funder are the line's own: grouping by them adds nothing but their values.
    kept_whole = (
        sa.select(
            moves.c.version,
            sa.literal(UNSPLIT, sa.Uuid),
            moves.c.beneficiary_id,
            moves.c.budget_line_id,
            sa.literal("unsplit", sa.String),
            moves.c.agreement_id,
            moves.c.funder_id,
            sa.literal(0, sa.Numeric(14, 2)),
            sa.literal(UNSPLIT_AT, UTCDateTime),
        )
        .where(moves.c.kind == "consumed")
        .where(
            ~sa.exists().where(
                marks.c.version == moves.c.version,
                marks.c.movement_id == UNSPLIT,
                marks.c.beneficiary_id == moves.c.beneficiary_id,
                marks.c.budget_line_id == moves.c.budget_line_id,
                marks.c.kind == "unsplit",
            )
        )
        .group_by(
            moves.c.version, moves.c.beneficiary_id, moves.c.budget_line_id, moves.c.agreement_id, moves.c.funder_id
        )
    )
    op.execute(moves.insert().from_select(list(COLUMNS), kept_whole))


def downgrade() -> None:
    moves = _movements()
    op.execute(moves.delete().where(moves.c.kind == "unsplit"))
