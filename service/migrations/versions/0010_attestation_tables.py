"""attestation tables

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 14:26:41.422780
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attestation_table",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("semester_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["semester_id"],
            ["semester.id"],
            name=op.f("fk_attestation_table_semester_id_semester"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attestation_table")),
        sa.UniqueConstraint("semester_id", "kind", name=op.f("uq_attestation_table_semester_id")),
    )


def downgrade() -> None:
    op.drop_table("attestation_table")
