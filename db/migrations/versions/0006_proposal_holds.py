"""a proposal an operator is looking at holds its zone against automatic rounds

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 13:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plan_proposals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("held_until", db.types.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_proposals", schema=None) as batch_op:
        batch_op.drop_column("held_until")
