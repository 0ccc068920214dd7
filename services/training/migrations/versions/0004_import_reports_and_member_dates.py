"""Attendance imports keep their full list of rejections apart from the answer; cohort members keep the day
they joined.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attendance_imports",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("imported_by", sa.String(length=160), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("committed", sa.Boolean(), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_attendance_imports_course_id_courses"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_imports")),
    )
    op.create_index(op.f("ix_attendance_imports_course_id"), "attendance_imports", ["course_id"], unique=False)
    op.create_table(
        "attendance_import_rejections",
        sa.Column("import_id", sa.Uuid(), nullable=False),
        sa.Column("part", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["attendance_imports.id"],
            name=op.f("fk_attendance_import_rejections_import_id_attendance_imports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("import_id", "part", name=op.f("pk_attendance_import_rejections")),
    )
    with op.batch_alter_table("cohort_members") as batch:
        batch.add_column(sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cohort_members") as batch:
        batch.drop_column("joined_at")
    op.drop_table("attendance_import_rejections")
    op.drop_index(op.f("ix_attendance_imports_course_id"), table_name="attendance_imports")
    op.drop_table("attendance_imports")
