"""restaffing runs: a class timetable run that also decides one department's teaching load

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 10:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("department", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("load_solution", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.drop_column("load_solution")
        batch_op.drop_column("department")
