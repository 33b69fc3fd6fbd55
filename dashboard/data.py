"""Every query the dashboard runs, cached; pages call these and never touch the store.

Functions take the store URL (hashable, so caches key on it) and return plain frames.
"The present" is the store's latest order time, so a replayed or seeded city reads right.
"""

from __future__ import annotations

import tempfile
from dataclasses import asdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st
from sqlalchemy import Engine, Executable, and_, func, or_, select
from sqlalchemy.orm import Session

from agents.llm import ChatModel
from dashboard.alerts import Alert, courier_alerts, order_alerts, waiting_zones, zone_alerts
from db.clock import store_now
from db.domain.status import OPEN, OrderStatus
from db.engine import make_engine
from db.migrate import upgrade
from db.models import (
    Assignment,
    Compensation,
    Conversation,
    Courier,
    Customer,
    DemandObservation,
    ForecastSeries,
    Merchant,
    Message,
    Order,
    OrderEvent,
    Simulation,
    Ticket,
    Zone,
)
from forecasting import reads

if TYPE_CHECKING:
    from forecasting.jobs import RunSettings

LIVE_TTL = 10
HISTORY_TTL = 300


@st.cache_resource
def engine(url: str) -> Engine:
    store = make_engine(url)
    upgrade(store)
    return store


def city_tz() -> ZoneInfo:
    from dashboard.context import settings

    return ZoneInfo(settings().timezone)


def batch_run_settings() -> RunSettings:
    """The page's batch run: 48 hours of every zone, on the city's days (the CLI's
    ``longcat forecast run`` default)."""
    from dashboard.context import settings
    from forecasting.jobs import RunSettings

    config = settings()
    return RunSettings(horizon=48, timezone=config.timezone, holidays=config.forecast_holidays)


def to_city(frame: pd.DataFrame) -> pd.DataFrame:
    """Times in the city's local time, as the operator reads them (the store keeps UTC).

    Left without an offset, so charts show the city's hours whatever the browser's zone."""
    tz = city_tz()
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            frame[column] = values.dt.tz_convert(tz).dt.tz_localize(None)
        elif values.dtype == object and len(values) and isinstance(values.iloc[0], datetime):
            converted = pd.to_datetime(values, utc=True)
            frame[column] = converted.dt.tz_convert(tz).dt.tz_localize(None)
    return frame


def _frame(url: str, query: Executable, local: bool = True) -> pd.DataFrame:
    """A query's rows; ``local``: times in the city's zone for the screen."""
    with engine(url).connect() as conn:
        result = conn.execute(query)
        frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    return to_city(frame) if local else frame


@st.cache_resource
def chat_model() -> ChatModel:
    """The local model instance, loaded once per dashboard process."""
    from agents.llm import make_chat_model
    from dashboard.context import settings

    return make_chat_model(settings().llm_config())


def present(url: str) -> pd.Timestamp:
    """The store's now (LONGCAT_NOW when set, else a live simulation's clock, else the wall
    clock), in UTC; not cached, so every page shows the moment the API and the agents use."""
    from dashboard.context import settings

    fixed = settings().now
    if fixed is not None:
        return pd.Timestamp(fixed)
    with Session(engine(url)) as session:
        return pd.Timestamp(store_now(session))


def local_time(moment: datetime | pd.Timestamp) -> str:
    """A moment as the operator reads it: the city's date and time, with its zone."""
    tz = city_tz()
    return f"{pd.Timestamp(moment).tz_convert(tz):%Y-%m-%d %H:%M} ({tz.key})"


@st.cache_data(ttl=HISTORY_TTL)
def zones(url: str) -> pd.DataFrame:
    return _frame(
        url,
        select(
            Zone.id, Zone.code, Zone.name, Zone.name_zh, Zone.center_lat, Zone.center_lon,
            Zone.radius_km,
        ),
    )  # fmt: skip


def basemap_layers(url: str) -> list[Any]:
    """The maps' offline base layer: main roads and the river, zone outlines and names; a
    tile layer underneath when LONGCAT_MAP_TILES_URL is set."""
    import pydeck as pdk

    from apps.city.basemap import outline, roads
    from dashboard.context import settings

    frame = zones(url)
    columns = ("id", "name", "name_zh", "center_lat", "center_lon", "radius_km")
    shapes = [outline(*zone) for zone in zip(*(frame[c] for c in columns), strict=True)]
    layers = []
    if settings().map_tiles_url:
        layers.append(
            pdk.Layer("TileLayer", data=settings().map_tiles_url, min_zoom=0, max_zoom=19)
        )
    colour = {"river": [156, 199, 232], "ring": [200, 200, 200], "arterial": [215, 215, 215]}
    road_rows = [
        {**r, "colour": colour.get(r["kind"], [210, 210, 210]), "label": r["name"]} for r in roads()
    ]
    layers += [
        pdk.Layer(
            "PathLayer", road_rows, get_path="path", get_color="colour", get_width=60,
            width_min_pixels=3, pickable=True,
        ),
        pdk.Layer(
            "PolygonLayer",
            [{"polygon": [list(p) for p in s.ring], "name": s.name} for s in shapes],
            get_polygon="polygon", stroked=True, filled=True, get_fill_color=[176, 124, 198, 18],
            get_line_color=[176, 124, 198], line_width_min_pixels=1.5, pickable=False,
        ),
        pdk.Layer(
            "TextLayer",
            [{"position": list(s.center), "name": s.name} for s in shapes],
            get_position="position", get_text="name", get_size=15, get_color=[125, 60, 152],
            get_alignment_baseline="'bottom'",
        ),
    ]  # fmt: skip
    return layers


@st.cache_data(ttl=LIVE_TTL)
def kpis(url: str) -> dict[str, float]:
    """The last day's figures up to the store's now; empty when the store has no orders."""
    now = present(url)
    with Session(engine(url)) as session:
        if session.scalar(select(func.count(Order.id))) == 0:
            return {}
    day = select(Order.placed_at, Order.delivered_at, Order.promised_at, Order.status).where(
        Order.placed_at >= now - timedelta(hours=24)
    )
    frame = _frame(url, day, local=False)
    done = frame[frame["status"] == OrderStatus.DELIVERED]
    minutes = (
        pd.to_datetime(done["delivered_at"], utc=True) - pd.to_datetime(done["placed_at"], utc=True)
    ).dt.total_seconds() / 60
    couriers = _frame(url, select(Courier.status, func.count().label("n")).group_by(Courier.status))
    by_status = dict(zip(couriers["status"], couriers["n"], strict=True))
    working = by_status.get("busy", 0) + by_status.get("available", 0)
    return {
        "orders_last_hour": int(
            (pd.to_datetime(frame["placed_at"], utc=True) >= now - timedelta(hours=1)).sum()
        ),
        "on_time_rate": float((done["delivered_at"] <= done["promised_at"]).mean())
        if len(done)
        else 0.0,
        "avg_delivery_min": float(minutes.mean()) if len(done) else 0.0,
        "unassigned": int(frame["status"].isin((OrderStatus.PLACED, OrderStatus.CONFIRMED)).sum()),
        "utilisation": by_status.get("busy", 0) / working if working else 0.0,
    }


@st.cache_data(ttl=LIVE_TTL)
def couriers(url: str) -> pd.DataFrame:
    return _frame(
        url,
        select(
            Courier.id,
            Courier.name,
            Courier.zone_id,
            Courier.status,
            Courier.vehicle_type,
            Courier.last_lat.label("lat"),
            Courier.last_lon.label("lon"),
        ).where(Courier.status != "off_shift"),
    )


@st.cache_data(ttl=LIVE_TTL)
def open_orders(url: str) -> pd.DataFrame:
    frame = _frame(
        url,
        select(
            Order.id,
            Order.status,
            Order.zone_id,
            Order.courier_id,
            Order.dropoff_lat.label("lat"),
            Order.dropoff_lon.label("lon"),
            Order.promised_at,
        ).where(Order.status.in_(OPEN)),
        local=False,
    )
    now = present(url)
    frame["late"] = pd.to_datetime(frame["promised_at"], utc=True) < now
    return to_city(frame)


@st.cache_data(ttl=LIVE_TTL)
def order_board(url: str, since: datetime) -> pd.DataFrame:
    """Every open order and every order placed since ``since`` (the city's midnight), with
    zone, merchant, customer, courier and the drop-off predicted by the plan in force (the
    actual one once delivered); times in UTC, for the board's rules."""
    active = and_(Assignment.order_id == Order.id, Assignment.active)
    query = (
        select(
            Order.id,
            Order.status,
            Order.zone_id,
            Zone.name.label("zone"),
            Merchant.name.label("merchant"),
            Order.courier_id,
            Courier.name.label("courier"),
            Customer.name.label("customer"),
            Order.dropoff_address.label("address"),
            Order.placed_at,
            Order.promised_at,
            func.coalesce(Order.delivered_at, Assignment.eta_dropoff).label("predicted_at"),
        )
        .join(Zone, Zone.id == Order.zone_id)
        .join(Merchant, Merchant.id == Order.merchant_id)
        .join(Customer, Customer.id == Order.customer_id)
        .outerjoin(Courier, Courier.id == Order.courier_id)
        .outerjoin(Assignment, active)
        .where(or_(Order.status.in_(OPEN), Order.placed_at >= since))
        .order_by(Order.placed_at.desc())
    )
    return _frame(url, query, local=False)


@st.cache_data(ttl=LIVE_TTL)
def courier_board(url: str) -> pd.DataFrame:
    """Every courier on shift or still carrying: zone, vehicle, bag, load (orders on its
    plan), the order of its next stop and its shift's end (UTC)."""
    active = (
        select(Assignment.courier_id, Assignment.order_id, Assignment.sequence)
        .where(Assignment.active)
        .subquery()
    )
    load = (
        select(active.c.courier_id, func.count().label("load"))
        .group_by(active.c.courier_id)
        .subquery()
    )
    first = (
        select(active.c.courier_id, func.min(active.c.sequence).label("first"))
        .group_by(active.c.courier_id)
        .subquery()
    )
    nxt = (
        select(active.c.courier_id, active.c.order_id.label("next_order"))
        .join(first, (first.c.courier_id == active.c.courier_id)
              & (first.c.first == active.c.sequence))
        .subquery()
    )  # fmt: skip
    query = (
        select(
            Courier.id,
            Courier.name,
            Courier.zone_id,
            Zone.name.label("zone"),
            Courier.status,
            Courier.vehicle_type,
            Courier.capacity,
            func.coalesce(load.c.load, 0).label("load"),
            nxt.c.next_order,
            Courier.shift_end,
        )
        .join(Zone, Zone.id == Courier.zone_id)
        .outerjoin(load, load.c.courier_id == Courier.id)
        .outerjoin(nxt, nxt.c.courier_id == Courier.id)
        .where(or_(Courier.status != "off_shift", load.c.load > 0))
        .order_by(Courier.zone_id, Courier.name)
    )
    return _frame(url, query, local=False)


@st.cache_data(ttl=LIVE_TTL)
def alerts(url: str) -> list[Alert]:
    """Everything that needs a dispatcher now (see ``dashboard.alerts``); read once per
    refresh, as the navigation's count and the live page both show them."""
    from dashboard.board import with_lateness

    now = present(url)
    midnight = now.tz_convert(city_tz()).normalize()
    board = with_lateness(order_board(url, midnight.to_pydatetime()), now)
    riders = courier_board(url)
    # The plan of the day the coming hour falls in: the newest plan is often tomorrow's.
    coming = (now.floor("h") + pd.Timedelta(hours=1)).tz_convert(city_tz()).date()
    return [
        *order_alerts(board, now),
        *courier_alerts(riders, now, waiting_zones(board, now)),
        *zone_alerts(staffing(url, coming), riders, zones(url), now, city_tz()),
    ]


@st.cache_data(ttl=HISTORY_TTL)
def history(url: str, start: datetime, end: datetime) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Orders placed in [start, end) with their zone and times, and the compensations granted
    for them (UTC)."""
    placed = and_(Order.placed_at >= start, Order.placed_at < end)
    orders = _frame(
        url,
        select(
            Order.id, Order.status, Zone.name.label("zone"), Order.placed_at,
            Order.promised_at, Order.delivered_at,
        ).join(Zone, Zone.id == Order.zone_id).where(placed),
        local=False,
    )  # fmt: skip
    paid = _frame(
        url,
        select(Compensation.order_id, Compensation.amount_minor)
        .join(Order, Order.id == Compensation.order_id)
        .where(placed, Compensation.status != "rejected"),
        local=False,
    )
    return orders, paid


@st.cache_data(ttl=LIVE_TTL)
def order_timeline(url: str, order_id: int) -> pd.DataFrame:
    return _frame(
        url,
        select(OrderEvent.status, OrderEvent.at, OrderEvent.actor)
        .where(OrderEvent.order_id == order_id)
        .order_by(OrderEvent.at, OrderEvent.id),
    )


@st.cache_data(ttl=LIVE_TTL)
def order_route(url: str, order_id: int) -> pd.DataFrame:
    """The stops of the courier the order is planned on, in order, with their ETAs."""
    courier = select(Assignment.courier_id).where(
        Assignment.order_id == order_id, Assignment.active
    )
    return _frame(
        url,
        select(
            Assignment.sequence,
            Assignment.order_id,
            Assignment.eta_pickup,
            Assignment.eta_dropoff,
        )
        .where(Assignment.active, Assignment.courier_id.in_(courier.scalar_subquery()))
        .order_by(Assignment.sequence),
    )


@st.cache_data(ttl=LIVE_TTL)
def order_service(url: str, order_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The order's conversations (each message) and its compensations."""
    talk = _frame(
        url,
        select(Message.conversation_id, Message.role, Message.content, Message.created_at)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Conversation.order_id == order_id)
        .order_by(Message.created_at, Message.id),
    )
    paid = _frame(
        url,
        select(
            Compensation.amount_minor, Compensation.reason, Compensation.status,
            Compensation.created_at,
        ).where(Compensation.order_id == order_id),
    )  # fmt: skip
    return talk, paid


@st.cache_data(ttl=LIVE_TTL)
def routes(url: str) -> pd.DataFrame:
    """Courier -> merchant -> customer paths of the active plan, one row per assignment."""
    return _frame(
        url,
        select(
            Assignment.courier_id,
            Assignment.order_id,
            Assignment.sequence,
            Assignment.eta_pickup,
            Assignment.eta_dropoff,
            Courier.last_lat.label("courier_lat"),
            Courier.last_lon.label("courier_lon"),
            Merchant.lat.label("merchant_lat"),
            Merchant.lon.label("merchant_lon"),
            Order.dropoff_lat,
            Order.dropoff_lon,
            Order.status,
        )
        .join(Courier, Courier.id == Assignment.courier_id)
        .join(Order, Order.id == Assignment.order_id)
        .join(Merchant, Merchant.id == Order.merchant_id)
        .where(Assignment.active)
        .order_by(Assignment.courier_id, Assignment.sequence),
    )


@st.cache_data(ttl=HISTORY_TTL)
def demand(url: str, zone_id: int | None, days: int = 14) -> pd.DataFrame:
    """Hourly orders of a zone (or the city) over the last days."""
    now = present(url)
    query = select(
        DemandObservation.hour, func.sum(DemandObservation.orders).label("orders")
    ).where(DemandObservation.hour >= now - timedelta(days=days))
    if zone_id is not None:
        query = query.where(DemandObservation.zone_id == zone_id)
    return _frame(url, query.group_by(DemandObservation.hour).order_by(DemandObservation.hour))


@st.cache_data(ttl=LIVE_TTL)
def latest_run(url: str) -> str | None:
    with Session(engine(url)) as session:
        return reads.latest_run_id(session)


@st.cache_data(ttl=LIVE_TTL)
def run_lag_text(url: str, run_id: str) -> str | None:
    """Where the run's forecast starts in the past (its history ended an hour or more before
    it), in words on the city's clock; None where it starts at the hour under way."""
    from forecasting.jobs import run_lag

    lag = run_lag(engine(url), run_id)
    return None if lag is None else lag.text(city_tz().key)


@st.cache_data(ttl=LIVE_TTL)
def ledger(url: str, run_id: str) -> pd.DataFrame:
    return _frame(
        url,
        select(
            ForecastSeries.series_id,
            ForecastSeries.status,
            ForecastSeries.served_model,
            ForecastSeries.reason,
            ForecastSeries.metrics,
        ).where(ForecastSeries.run_id == run_id),
    )


@st.cache_data(ttl=LIVE_TTL)
def forecast(url: str, run_id: str, series_id: str) -> pd.DataFrame:
    """The served forecast of one series of the run, on the city's clock like the orders."""
    with Session(engine(url)) as session:
        points = reads.served_forecast(session, run_id, series_ids=[series_id])
    columns = ["model", "ds", "yhat", "yhat_lower", "yhat_upper"]
    return to_city(
        pd.DataFrame(
            [(p.model, p.ds, p.yhat, p.yhat_lower, p.yhat_upper) for p in points], columns=columns
        )
    )


@st.cache_data(ttl=LIVE_TTL)
def staffing_days(url: str) -> list[date]:
    with Session(engine(url)) as session:
        return reads.staffing_days(session)


@st.cache_data(ttl=LIVE_TTL)
def staffing(url: str, day: date | None = None) -> pd.DataFrame:
    """The rows of the newest staffing plan for the city's ``day`` (None: of any day), and
    its day; hours in UTC, for the alert rules (``to_city`` for the screen)."""
    with Session(engine(url)) as session:
        plan = reads.staffing_plan(session, day)
    if plan is None:
        return pd.DataFrame()
    return pd.DataFrame([asdict(r) for r in plan.rows]).assign(plan_date=plan.plan_date)


@st.cache_data(ttl=LIVE_TTL)
def tickets(url: str) -> pd.DataFrame:
    return _frame(
        url,
        select(
            Ticket.id,
            Ticket.status,
            Ticket.order_id,
            Ticket.customer_id,
            Ticket.summary,
            Ticket.answer,
            Ticket.created_at,
        )
        .order_by(Ticket.created_at.desc())
        .limit(500),
    )


@st.cache_data(ttl=LIVE_TTL)
def compensations(url: str) -> pd.DataFrame:
    return _frame(
        url,
        select(
            Compensation.id,
            Compensation.order_id,
            Compensation.amount_minor,
            Compensation.reason,
            Compensation.status,
            Compensation.created_at,
        )
        .order_by(Compensation.created_at.desc())
        .limit(500),
    )


@st.cache_data(ttl=LIVE_TTL)
def conversations(url: str) -> pd.DataFrame:
    return _frame(
        url,
        select(
            Conversation.id,
            Conversation.customer_id,
            Conversation.order_id,
            Conversation.started_at,
        )
        .where(Conversation.kind == "customer")
        .order_by(Conversation.started_at.desc())
        .limit(200),
    )


@st.cache_data(ttl=LIVE_TTL)
def transcript(url: str, conversation_id: int) -> pd.DataFrame:
    return _frame(
        url,
        select(Message.role, Message.content, Message.created_at)
        .where(Message.conversation_id == conversation_id, Message.role.in_(("user", "assistant")))
        .order_by(Message.created_at, Message.id),
    )


@st.cache_data(ttl=LIVE_TTL)
def simulation(url: str) -> dict[str, Any] | None:
    """The simulation that moved last, the one `longcat simulate` is driving; None if none."""
    with Session(engine(url)) as session:
        row = session.execute(
            select(Simulation.name, Simulation.clock, Simulation.status, Simulation.started_at)
            .order_by(Simulation.updated_at.desc(), Simulation.id.desc())
            .limit(1)
        ).first()
    return None if row is None else row._asdict()


WHATIF_WORKERS = 2


# No URL: the what-if seeds a private city of its own, so only its settings key the cache.
@st.cache_data(show_spinner=False, max_entries=20)
def whatif(
    day: date,
    hours: tuple[int, int],
    scale: str,
    seed: int,
    timezone: str,
    baseline_roster: str,
    variants: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...],
) -> dict[str, Any]:
    """Baseline and variants (name, changes to the baseline) replayed; the KPIs of each.

    Raises WhatIfError (a ValueError naming the setting) on a setting it cannot use.
    """
    from dataclasses import replace

    from apps.simulator.whatif import Day, Variant, compare

    base = Variant(roster=baseline_roster)
    setup = Day(day, scale=scale, seed=seed, timezone=timezone, hours=hours)
    others = [replace(base, name=name, **dict(change)) for name, change in variants]
    with tempfile.TemporaryDirectory(prefix="longcat-whatif-") as tmp:
        prepared, outcomes = compare(setup, base, others, Path(tmp), WHATIF_WORKERS)
    return {
        "forecast_orders": round(prepared.forecast_orders, 1),
        "outcomes": [o.as_json() for o in outcomes],
    }


def refresh() -> None:
    """After a write: every cached read may be stale."""
    st.cache_data.clear()
