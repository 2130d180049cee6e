"""teaching load terms and extra load

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 14:07:24.142520
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "extra_load",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("semester_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("component", sa.String(length=200), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=200), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("hours >= 0", name=op.f("ck_extra_load_hours")),
        sa.ForeignKeyConstraint(["course_id"], ["course.id"], name=op.f("fk_extra_load_course_id_course")),
        sa.ForeignKeyConstraint(
            ["department_id"], ["department.id"], name=op.f("fk_extra_load_department_id_department")
        ),
        sa.ForeignKeyConstraint(
            ["semester_id"],
            ["semester.id"],
            name=op.f("fk_extra_load_semester_id_semester"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["teacher_id"], ["teacher.id"], name=op.f("fk_extra_load_teacher_id_teacher")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extra_load")),
        sa.UniqueConstraint("semester_id", "name", name=op.f("uq_extra_load_semester_id")),
    )
    with op.batch_alter_table("semester", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("academic_year", sa.String(length=20), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("term", sa.Integer(), nullable=False, server_default="1"))
        batch_op.create_check_constraint(op.f("ck_semester_term"), "term in (1, 2)")

    with op.batch_alter_table("teacher", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("rank", sa.String(length=40), nullable=False, server_default="lecturer")
        )
        batch_op.add_column(sa.Column("rate", sa.Double(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("minimum_hours", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("qualifications", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("wanted", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("unwanted", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.create_check_constraint(op.f("ck_teacher_rate"), "rate > 0 and rate <= 2")
        batch_op.create_check_constraint(op.f("ck_teacher_minimum_hours"), "minimum_hours >= 0")


def downgrade() -> None:
    with op.batch_alter_table("teacher", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_teacher_minimum_hours"), type_="check")
        batch_op.drop_constraint(op.f("ck_teacher_rate"), type_="check")
        batch_op.drop_column("unwanted")
        batch_op.drop_column("wanted")
        batch_op.drop_column("qualifications")
        batch_op.drop_column("minimum_hours")
        batch_op.drop_column("rate")
        batch_op.drop_column("rank")

    with op.batch_alter_table("semester", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_semester_term"), type_="check")
        batch_op.drop_column("term")
        batch_op.drop_column("academic_year")

    op.drop_table("extra_load")
