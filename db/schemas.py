"""Read models handed to the CLI, the API and the dashboard; kept apart from the tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class StatusStep(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)

    status: str
    at: datetime


class OrderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: int
    customer_id: int
    merchant_id: int
    zone_id: int
    status: str
    courier_id: int | None
    items: list[dict[str, Any]]
    subtotal_minor: int
    delivery_fee_minor: int
    currency: str
    dropoff_address: str
    dropoff_lat: float
    dropoff_lon: float
    placed_at: datetime
    confirmed_at: datetime | None
    ready_at: datetime | None
    promised_at: datetime
    assigned_at: datetime | None
    picked_up_at: datetime | None
    delivered_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    cancel_fee_minor: int | None = None
    status_history: list[StatusStep]
    eta: datetime | None = None  # when it arrives (or did): see db.queries.expected_arrival


class StoreStats(BaseModel):
    model_config = ConfigDict(frozen=True)

    zones: int
    merchants: int
    customers: int
    couriers: int
    couriers_on_shift: int
    orders: int
    orders_by_status: dict[str, int]
    first_order_at: datetime | None
    last_order_at: datetime | None
    late_share: float | None
    demand_observations: int
    active_assignments: int


class CourierPosition(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    first_name: str = ""  # what the customer's page calls the courier
    vehicle_type: str
    lat: float | None
    lon: float | None
    seen_at: datetime | None


class TrackItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    qty: int


class TrackOut(BaseModel):
    """What a customer may see of one order: no other customer's data, no internal notes."""

    model_config = ConfigDict(frozen=True)

    order_id: int
    status: str
    placed_at: datetime
    promised_at: datetime
    eta: datetime | None
    delivered_at: datetime | None
    merchant: str
    merchant_lat: float
    merchant_lon: float
    dropoff_address: str
    dropoff_lat: float
    dropoff_lon: float
    courier: CourierPosition | None
    timeline: list[StatusStep]
    now: datetime | None = None  # the store's now, which "in N min" counts from
    timezone: str = "UTC"  # the city's: times on the page are shown in it
    language: str = "en"  # the customer's: the page speaks it unless told otherwise
    items: list[TrackItem] = []
