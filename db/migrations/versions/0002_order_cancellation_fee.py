"""order cancellation fee

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 16:32:59.350273
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancel_fee_minor", sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_orders_cancel_fee_minor_non_negative"), "cancel_fee_minor >= 0"
        )


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_orders_cancel_fee_minor_non_negative"), type_="check")
        batch_op.drop_column("cancel_fee_minor")
