"""master class requests

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 14:22:55.342597
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "master_class",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("semester_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("windows", sa.JSON(), nullable=False),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=True),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.Column("hall_kind", sa.String(length=200), nullable=False),
        sa.CheckConstraint("minutes > 0", name=op.f("ck_master_class_minutes")),
        sa.ForeignKeyConstraint(
            ["semester_id"],
            ["semester.id"],
            name=op.f("fk_master_class_semester_id_semester"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_master_class")),
        sa.UniqueConstraint("semester_id", "name", name=op.f("uq_master_class_semester_id")),
    )


def downgrade() -> None:
    op.drop_table("master_class")
