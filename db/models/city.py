"""The places and people of the city: zones, merchants, customers and couriers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from db.domain.rules import VEHICLES
from db.domain.status import COURIER_STATUSES
from db.models.base import Base, latitude, longitude, one_of

VEHICLE_TYPES = tuple(VEHICLES)
LANGUAGES = ("en", "zh")


class Zone(Base):
    __tablename__ = "zones"
    __table_args__ = (
        latitude("center_lat"),
        longitude("center_lon"),
        CheckConstraint("radius_km > 0", name="radius_km_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    center_lat: Mapped[float]
    center_lon: Mapped[float]
    radius_km: Mapped[float]
    kind: Mapped[str] = mapped_column(String(32), default="mixed")
    name_zh: Mapped[str | None] = mapped_column(String(120))  # the name locals write


class Place(Base):
    """A place people name instead of an address (a tower, a mall, a campus): the known
    places an address can be located at without a pin."""

    __tablename__ = "places"
    __table_args__ = (latitude("lat"), longitude("lon"))

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float]
    lon: Mapped[float]


class Merchant(Base):
    __tablename__ = "merchants"
    __table_args__ = (
        latitude("lat"),
        longitude("lon"),
        CheckConstraint("prep_minutes > 0", name="prep_minutes_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(64))
    lat: Mapped[float]
    lon: Mapped[float]
    prep_minutes: Mapped[int]


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (latitude("lat"), longitude("lon"), one_of("language", LANGUAGES))

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8), default="en")
    address: Mapped[str] = mapped_column(String(400))
    lat: Mapped[float]
    lon: Mapped[float]


class Courier(Base):
    __tablename__ = "couriers"
    __table_args__ = (
        one_of("vehicle_type", VEHICLE_TYPES),
        one_of("status", COURIER_STATUSES),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint(
            "(shift_start IS NULL AND shift_end IS NULL) OR "
            "(shift_start IS NOT NULL AND shift_end IS NOT NULL AND shift_end > shift_start)",
            name="shift_order",
        ),
        latitude("last_lat"),
        longitude("last_lon"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    vehicle_type: Mapped[str] = mapped_column(String(16))
    capacity: Mapped[int]
    shift_start: Mapped[datetime | None]
    shift_end: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="off_shift")
    last_lat: Mapped[float | None]
    last_lon: Mapped[float | None]
    last_seen_at: Mapped[datetime | None]
