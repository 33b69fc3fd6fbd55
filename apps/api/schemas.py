"""Request and response bodies of the API, kept apart from the tables."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, create_model

from db.schemas import OrderOut


class CourierOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    zone_id: int
    name: str
    vehicle_type: str
    capacity: int
    status: str
    shift_start: datetime | None
    shift_end: datetime | None
    last_lat: float | None
    last_lon: float | None
    last_seen_at: datetime | None


class TicketOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int | None
    customer_id: int | None
    status: str
    summary: str
    answer: str | None
    created_at: datetime


class ConversationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    customer_id: int | None
    operator: str | None
    order_id: int | None
    started_at: datetime


class OrderPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[OrderOut]


class CourierPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[CourierOut]


class TicketPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[TicketOut]


class ConversationPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[ConversationOut]


class DispatchIn(BaseModel):
    zone_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    time_limit_s: float = Field(default=2.0, gt=0)


def dispatch_in(max_seconds: float) -> type[DispatchIn]:
    """The request body with the server's own ceiling on solve time in its schema."""
    return create_model(
        "DispatchIn",
        __base__=DispatchIn,
        time_limit_s=(float, Field(default=min(2.0, max_seconds), gt=0, le=max_seconds)),
    )


class ChangeOut(BaseModel):
    order_id: int
    before: int | None
    after: int | None
    reason: str | None


class DispatchOut(BaseModel):
    version: int | None = Field(description="The plan written; null when nothing was.")
    changes: list[ChangeOut]
    expired: list[int]
    attempts: int = Field(1, description="Tries, counting re-bases on a newer plan.")
    nothing_left: bool = Field(
        False,
        description="Nothing was written: another round or the plan in force already "
        "gives every order the courier this round would.",
    )
    note: str = ""


class ForecastPoint(BaseModel):
    ds: datetime
    yhat: float
    yhat_lower: float
    yhat_upper: float


class SeriesForecastOut(BaseModel):
    run_id: str
    series_id: str
    served_model: str | None
    points: list[ForecastPoint]


class StaffingRowOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    zone_id: int
    hour: datetime
    forecast_orders: float
    couriers_needed: int
    couriers_on_shift: int
    gap: int


class StaffingPlanOut(BaseModel):
    plan_id: int
    plan_date: str
    forecast_run_id: str | None
    rows: list[StaffingRowOut]


class LocationIn(BaseModel):
    """A spot the customer shared: the browser's location, or a tap on the map."""

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class ChatIn(BaseModel):
    message: str
    location: LocationIn | None = None


def chat_in(max_chars: int) -> type[ChatIn]:
    """The chat body with this server's message length limit in its schema."""
    return create_model(
        "ChatIn",
        __base__=ChatIn,
        message=(str, Field(min_length=1, max_length=max_chars, pattern=r"\S")),
    )


class ZoneShapeOut(BaseModel):
    id: int
    name: str
    name_zh: str | None
    ring: list[tuple[float, float]]  # [lon, lat], closed


class RoadOut(BaseModel):
    name: str
    name_zh: str | None = None
    kind: str  # river, ring or arterial
    path: list[tuple[float, float]]  # [lon, lat]


class MapOut(BaseModel):
    """The base layer of the maps: zone outlines and names, main roads and the river; with
    ``tiles_url`` (LONGCAT_MAP_TILES_URL) a tile server for pages that are online."""

    zones: list[ZoneShapeOut]
    roads: list[RoadOut]
    tiles_url: str | None = None
