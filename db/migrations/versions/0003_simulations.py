"""simulations

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 09:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "simulations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("started_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("clock", db.types.UTCDateTime(), nullable=False),
        sa.Column("next_dispatch_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("busy_until", sa.JSON(), nullable=False),
        sa.Column("counters", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('running', 'stopped', 'finished')",
            name=op.f("ck_simulations_status_valid"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_simulations")),
        sa.UniqueConstraint("name", name=op.f("uq_simulations_name")),
    )


def downgrade() -> None:
    op.drop_table("simulations")
