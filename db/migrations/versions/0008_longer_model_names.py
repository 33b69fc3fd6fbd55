"""a served model's name has room for a blend of two combinations

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 03:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLUMNS = (("forecast_series", "served_model", True), ("forecasts", "model", False))


def resize(before: int, after: int) -> None:
    for table, column, nullable in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column,
                existing_type=sa.String(length=before),
                type_=sa.String(length=after),
                existing_nullable=nullable,
            )


def upgrade() -> None:
    resize(32, 128)


# On PostgreSQL a downgrade fails while a stored name is longer than 32 characters: it says
# so rather than cut the name.
def downgrade() -> None:
    resize(128, 32)
