"""The column schema of each importable CSV file, one pydantic model per kind of row.

Times are ISO 8601; a time without an offset is read as UTC. Money is in integer
minor units (fen for CNY). ``items`` is a JSON list of {"name", "qty", "price_minor"}.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from db.domain.status import ORDER_STATUSES, STATUS_TIME, OrderStatus
from db.models import VEHICLE_TYPES


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Time = Annotated[datetime, AfterValidator(_utc)]
Lat = Annotated[float, Field(ge=-90, le=90)]
Lon = Annotated[float, Field(ge=-180, le=180)]
Money = Annotated[int, Field(ge=0)]
Id = Annotated[int, Field(gt=0)]


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v not in ("", None)}
        return data


class MerchantRow(Row):
    id: Id
    zone_id: Id
    name: str = Field(min_length=1, max_length=200)
    category: str = Field(min_length=1, max_length=64)
    lat: Lat
    lon: Lon
    prep_minutes: int = Field(gt=0, le=240)


class CustomerRow(Row):
    id: Id
    zone_id: Id
    name: str = Field(min_length=1, max_length=200)
    language: Literal["en", "zh"] = "en"
    address: str = Field(min_length=1, max_length=400)
    lat: Lat
    lon: Lon


class CourierRow(Row):
    id: Id
    zone_id: Id
    name: str = Field(min_length=1, max_length=200)
    vehicle_type: Literal[VEHICLE_TYPES]  # type: ignore[valid-type]
    capacity: int = Field(gt=0, le=50)
    shift_start: Time | None = None
    shift_end: Time | None = None

    @model_validator(mode="after")
    def _shift(self) -> CourierRow:
        if (self.shift_start is None) != (self.shift_end is None):
            raise ValueError("shift_end: shift_start and shift_end go together")
        if self.shift_start and self.shift_end and self.shift_end <= self.shift_start:
            raise ValueError("shift_end: must be after shift_start")
        return self


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    qty: int = Field(gt=0)
    price_minor: Money


STEP_TIMES = {s: column for s, column in STATUS_TIME.items() if s != OrderStatus.PLACED}


class OrderRow(Row):
    id: Id
    customer_id: Id
    merchant_id: Id
    courier_id: Id | None = None
    status: Literal[ORDER_STATUSES] = "placed"  # type: ignore[valid-type]
    items: list[Item] = Field(default_factory=list)
    subtotal_minor: Money
    delivery_fee_minor: Money = 0
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    dropoff_address: str = Field(min_length=1, max_length=400)
    dropoff_lat: Lat
    dropoff_lon: Lon
    placed_at: Time
    promised_at: Time
    confirmed_at: Time | None = None
    ready_at: Time | None = None
    assigned_at: Time | None = None
    picked_up_at: Time | None = None
    delivered_at: Time | None = None
    cancelled_at: Time | None = None
    cancel_reason: str | None = Field(default=None, max_length=200)

    @field_validator("items", mode="before")
    @classmethod
    def _items_json(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError as exc:
                raise ValueError(f"not valid JSON ({exc.msg})") from exc
        return value

    @model_validator(mode="after")
    def _consistent(self) -> OrderRow:
        if self.promised_at <= self.placed_at:
            raise ValueError("promised_at: must be after placed_at")
        wanted = STEP_TIMES.get(self.status)
        if wanted and getattr(self, wanted) is None:
            raise ValueError(f"{wanted}: required for an order with status {self.status!r}")
        if (
            self.status in (OrderStatus.ASSIGNED, OrderStatus.PICKED_UP, OrderStatus.DELIVERED)
            and self.courier_id is None
        ):
            raise ValueError(f"courier_id: required for an order with status {self.status!r}")
        for field in ("confirmed_at", *STEP_TIMES.values()):
            at = getattr(self, field)
            if at is not None and at < self.placed_at:
                raise ValueError(f"{field}: cannot be before placed_at")
        return self
