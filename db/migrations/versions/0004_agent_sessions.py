"""agent sessions: conversation threads and leases, write keys, stored plan proposals

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 13:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("thread_key", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("thread_id", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("locked_by", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("locked_until", db.types.UTCDateTime(), nullable=True))
        batch_op.create_unique_constraint(op.f("uq_conversations_thread_key"), ["thread_key"])
        batch_op.create_unique_constraint(op.f("uq_conversations_thread_id"), ["thread_id"])
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(op.f("uq_audit_log_idempotency_key"), ["idempotency_key"])
    op.create_table(
        "plan_proposals",
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("created_at", db.types.UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["zone_id"], ["zones.id"], name=op.f("fk_plan_proposals_zone_id_zones")
        ),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_plan_proposals")),
    )


def downgrade() -> None:
    op.drop_table("plan_proposals")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_audit_log_idempotency_key"), type_="unique")
        batch_op.drop_column("idempotency_key")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_conversations_thread_id"), type_="unique")
        batch_op.drop_constraint(op.f("uq_conversations_thread_key"), type_="unique")
        batch_op.drop_column("thread_id")
        batch_op.drop_column("locked_until")
        batch_op.drop_column("locked_by")
        batch_op.drop_column("thread_key")
