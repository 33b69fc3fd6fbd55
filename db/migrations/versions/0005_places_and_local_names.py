"""places people name instead of an address, and zones' local names

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 15:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("zones", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_zh", sa.String(length=120), nullable=True))
    op.create_table(
        "places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=True),
        sa.Column("lat", sa.Double(), nullable=False),
        sa.Column("lon", sa.Double(), nullable=False),
        sa.CheckConstraint("lat BETWEEN -90 AND 90", name=op.f("ck_places_lat_range")),
        sa.CheckConstraint("lon BETWEEN -180 AND 180", name=op.f("ck_places_lon_range")),
        sa.ForeignKeyConstraint(["zone_id"], ["zones.id"], name=op.f("fk_places_zone_id_zones")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_places")),
    )
    op.create_index(op.f("ix_places_zone_id"), "places", ["zone_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_places_zone_id"), table_name="places")
    op.drop_table("places")
    with op.batch_alter_table("zones", schema=None) as batch_op:
        batch_op.drop_column("name_zh")
