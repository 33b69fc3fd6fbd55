"""a simulation keeps the window it was asked for, so a resumed run ends where it meant to

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 15:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("simulations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("window_start", db.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("window_end", db.types.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("simulations", schema=None) as batch_op:
        batch_op.drop_column("window_end")
        batch_op.drop_column("window_start")
