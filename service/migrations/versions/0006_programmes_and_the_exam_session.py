"""programmes and the exam session

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 13:48:58.669903
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exam_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("semester_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("start", sa.String(length=5), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("penalty", sa.Integer(), nullable=False),
        sa.CheckConstraint("minutes > 0", name=op.f("ck_exam_period_minutes")),
        sa.CheckConstraint("penalty >= 0", name=op.f("ck_exam_period_penalty")),
        sa.ForeignKeyConstraint(
            ["semester_id"],
            ["semester.id"],
            name=op.f("fk_exam_period_semester_id_semester"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_period")),
        sa.UniqueConstraint("semester_id", "date", "start", name=op.f("uq_exam_period_semester_id")),
    )
    op.create_table(
        "programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"], ["department.id"], name=op.f("fk_programme_department_id_department")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme")),
        sa.UniqueConstraint("name", name=op.f("uq_programme_name")),
    )
    op.create_table(
        "exam",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("semester_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.CheckConstraint("minutes > 0", name=op.f("ck_exam_minutes")),
        sa.ForeignKeyConstraint(["course_id"], ["course.id"], name=op.f("fk_exam_course_id_course")),
        sa.ForeignKeyConstraint(
            ["semester_id"], ["semester.id"], name=op.f("fk_exam_semester_id_semester"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam")),
        sa.UniqueConstraint("semester_id", "course_id", name=op.f("uq_exam_semester_id")),
    )
    # every programme named so far becomes a record, and a student without one names none
    op.execute(
        "INSERT INTO programme (name, title) SELECT DISTINCT programme, '' FROM ("
        " SELECT programme FROM cohort UNION SELECT programme FROM student WHERE programme <> '') named"
    )
    with op.batch_alter_table("cohort", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_cohort_programme_programme"),
            "programme",
            ["programme"],
            ["name"],
            onupdate="CASCADE",
        )

    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.alter_column("programme", existing_type=sa.VARCHAR(length=200), nullable=True)
    op.execute("UPDATE student SET programme = NULL WHERE programme = ''")
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_student_programme_programme"),
            "programme",
            ["programme"],
            ["name"],
            onupdate="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_student_programme_programme"), type_="foreignkey")
    op.execute("UPDATE student SET programme = '' WHERE programme IS NULL")
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.alter_column("programme", existing_type=sa.VARCHAR(length=200), nullable=False)
    with op.batch_alter_table("cohort", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_cohort_programme_programme"), type_="foreignkey")

    op.drop_table("exam")
    op.drop_table("programme")
    op.drop_table("exam_period")
