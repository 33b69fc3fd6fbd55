"""One tick of the city, written in the caller's transaction: shifts start, orders arrive,
merchants confirm, customers cancel, couriers ride and hand over, late orders run out of time."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, func, insert, or_, select, update

from apps.simulator import draws
from apps.simulator.catalog import Catalog
from apps.simulator.movement import Ride, Stop, ride
from apps.simulator.settings import SimSettings
from db.domain import transitions
from db.domain.rules import HARD_LATE, UNSERVED_PREFIX, cancel_fee
from db.domain.status import NOT_PICKED, WITH_COURIER, CourierStatus, OrderStatus
from db.models import Assignment, Courier, DemandObservation, Merchant, Order
from routing.service.dispatch import settle_plans_and_couriers
from routing.travel.providers import HaversineProvider, Location, VehicleType

__all__ = ["UNSERVED_PREFIX", "TickCounts", "World"]


@dataclass
class TickCounts:
    """What happened during one tick, for progress lines and the tests."""

    placed: int = 0
    confirmed: int = 0
    picked_up: int = 0
    delivered: int = 0
    cancelled: int = 0
    unserved: int = 0
    shifts_started: int = 0
    shifts_ended: int = 0
    on_shift: int = 0
    busy: int = 0

    def add(self, other: TickCounts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class World:
    """What a tick needs besides the store: the city, the settings and the clock's memory."""

    catalog: Catalog
    settings: SimSettings
    travel: HaversineProvider
    busy_until: dict[int, float] = field(default_factory=dict)  # courier -> epoch seconds
    arrivals_open: bool = True  # False while a what-if drains the day's last orders
    _arrivals: dict[datetime, list[draws.Arrival]] = field(default_factory=dict)

    def arrivals(self, hour: datetime) -> list[draws.Arrival]:
        if hour not in self._arrivals:
            self._arrivals = {hour: draws.arrivals(
                self.catalog, hour, self.settings.seed, self.settings.demand_factor
            )}  # fmt: skip
        return self._arrivals[hour]


def run_tick(conn: Connection, world: World, t0: datetime, t1: datetime) -> TickCounts:
    counts = TickCounts()
    _start_shifts(conn, world, t1, counts)
    if world.arrivals_open:
        _place_orders(conn, world, t0, t1, counts)
    _confirm(conn, world, t1, counts)
    _customer_cancels(conn, world, t1, counts)
    _ride(conn, world, t0, t1, counts)
    _run_out_of_time(conn, t1, counts)
    _end_shifts(conn, t1, counts)
    settle_plans_and_couriers(conn)
    on_shift = Courier.status != CourierStatus.OFF_SHIFT
    conn.execute(update(Courier).where(on_shift).values(last_seen_at=t1))
    counts.on_shift = conn.scalar(select(func.count()).select_from(Courier).where(on_shift)) or 0
    counts.busy = (
        conn.scalar(select(func.count(Assignment.courier_id.distinct())).where(Assignment.active))
        or 0
    )
    return counts


def _start_shifts(conn: Connection, world: World, t1: datetime, counts: TickCounts) -> None:
    starting = conn.execute(
        select(Courier.id, Courier.zone_id, Courier.last_lat).where(
            Courier.status == CourierStatus.OFF_SHIFT,
            Courier.shift_start <= t1,
            Courier.shift_end > t1,
        )
    ).all()
    for courier_id, zone_id, lat in starting:
        values = {"status": CourierStatus.AVAILABLE, "last_seen_at": t1}
        if lat is None:
            values["last_lat"], values["last_lon"] = world.catalog.zone_centres[zone_id]
        conn.execute(update(Courier).where(Courier.id == courier_id).values(**values))
    counts.shifts_started = len(starting)


def _place_orders(
    conn: Connection, world: World, t0: datetime, t1: datetime, counts: TickCounts
) -> None:
    hour = t0.replace(minute=0, second=0, microsecond=0)
    hours: list[datetime] = []
    new: list[draws.Arrival] = []
    while hour <= t1:
        hours.append(hour)
        if hour < t1:
            new += [a for a in world.arrivals(hour) if t0 < a.placed_at <= t1]
        hour += timedelta(hours=1)
    rows = []
    if new:
        first = (conn.scalar(select(func.max(Order.id))) or 0) + 1
        rows = [{"id": first + i, **a.row} for i, a in enumerate(new)]
        transitions.place(conn, rows, actor="customer")
    per_hour = Counter(
        (r["zone_id"], r["placed_at"].replace(minute=0, second=0, microsecond=0)) for r in rows
    )
    _count_demand(conn, world, hours, per_hour)
    counts.placed = len(rows)


def _count_demand(
    conn: Connection, world: World, hours: list[datetime], placed: Counter[tuple[int, datetime]]
) -> None:
    """Add the tick's orders to each zone's hour, and give every zone a row for each hour
    the tick reached, orders or none: a quiet hour is an observed zero, so a forecast's
    history runs up to the last hour that ended, not to the last one with an order."""
    query = select(
        DemandObservation.id,
        DemandObservation.zone_id,
        DemandObservation.hour,
        DemandObservation.orders,
    ).where(
        # The zones too, so the store's (zone, hour) index serves the read, not a scan.
        DemandObservation.zone_id.in_(world.catalog.zone_ids),
        DemandObservation.hour >= hours[0],
        DemandObservation.hour <= hours[-1],
    )
    seen = {(row.zone_id, row.hour): row for row in conn.execute(query)}
    missing = [
        {"zone_id": zone_id, "hour": hour, "orders": placed[(zone_id, hour)]}
        for hour in hours
        for zone_id in world.catalog.zone_ids
        if (zone_id, hour) not in seen
    ]
    if missing:
        conn.execute(insert(DemandObservation), missing)
    for key, n in sorted(placed.items()):
        row = seen.get(key)
        if row is not None:
            conn.execute(
                update(DemandObservation)
                .where(DemandObservation.id == row.id)
                .values(orders=row.orders + n)
            )


def _confirm(conn: Connection, world: World, t1: datetime, counts: TickCounts) -> None:
    waiting = conn.execute(
        select(Order.id, Order.placed_at, Merchant.prep_minutes)
        .join(Merchant, Merchant.id == Order.merchant_id)
        .where(Order.status == OrderStatus.PLACED)
        .order_by(Order.id)
    ).all()
    for order_id, placed_at, prep_minutes in waiting:
        delay, prep = draws.merchant_timing(world.settings.seed, order_id, prep_minutes)
        confirmed_at = placed_at + timedelta(seconds=round(delay))
        if confirmed_at > t1:
            continue
        ready_at = confirmed_at + timedelta(seconds=round(prep))
        transitions.confirm(conn, order_id, at=confirmed_at, ready_at=ready_at, actor="merchant")
        counts.confirmed += 1


def _customer_cancels(conn: Connection, world: World, t1: datetime, counts: TickCounts) -> None:
    share = world.settings.cancel_share
    if share == 0:
        return
    open_orders = conn.execute(
        select(Order.id, Order.status, Order.placed_at, Order.subtotal_minor)
        .where(Order.status.in_(NOT_PICKED))
        .order_by(Order.id)
    ).all()
    for order_id, status, placed_at, subtotal in open_orders:
        after = draws.cancel_after(world.settings.seed, order_id, share)
        if after is None or placed_at + timedelta(seconds=round(after)) > t1:
            continue
        at = placed_at + timedelta(seconds=round(after))
        fee = cancel_fee(status, subtotal)
        reason = "customer changed mind"
        transitions.cancel(conn, order_id, at=at, reason=reason, fee_minor=fee, actor="customer")
        counts.cancelled += 1


def _run_out_of_time(conn: Connection, t1: datetime, counts: TickCounts) -> None:
    """An order nobody picked up by its hard latest time is given up, with the reason."""
    stale = conn.execute(
        select(Order.id, Order.promised_at, Order.assigned_at)
        .where(Order.status.in_(NOT_PICKED), Order.promised_at <= t1 - HARD_LATE)
        .order_by(Order.id)
    ).all()
    for order_id, promised_at, assigned_at in stale:
        why = (
            "its courier could not reach it in time"
            if assigned_at is not None
            else "no courier could reach it in time"
        )
        at, reason = promised_at + HARD_LATE, UNSERVED_PREFIX + why
        transitions.cancel(conn, order_id, at=at, reason=reason, fee_minor=0, actor="dispatch")
        counts.unserved += 1


def _ride(conn: Connection, world: World, t0: datetime, t1: datetime, counts: TickCounts) -> None:
    stops = _routes(conn, t0)
    if not stops:
        return
    couriers = conn.execute(
        select(Courier.id, Courier.last_lat, Courier.last_lon, Courier.vehicle_type).where(
            Courier.id.in_(stops)
        )
    ).all()
    positions = []
    for courier_id, lat, lon, vehicle in sorted(couriers):
        assert lat is not None and lon is not None  # riders are placed when their shift starts
        route = [stop for _, stop in sorted(stops[courier_id], key=lambda s: s[0])]
        moved = _ride_route(world, courier_id, vehicle, Location(lat, lon), route, t0, t1)
        positions.append(
            {"cid": courier_id, "lat": round(moved.position.lat, 6),
             "lon": round(moved.position.lon, 6)}
        )  # fmt: skip
        actor = f"courier:{courier_id}"
        for done in moved.done:
            at = draws.at_epoch(done.at_s)
            if done.pickup:
                transitions.pick_up(conn, done.order_id, courier_id, at=at, actor=actor)
                counts.picked_up += 1
            else:
                transitions.deliver(conn, done.order_id, at=at, actor=actor)
                counts.delivered += 1
    conn.execute(
        update(Courier)
        .where(Courier.id == bindparam("cid"))
        .values(last_lat=bindparam("lat"), last_lon=bindparam("lon")),
        positions,
    )


def _routes(conn: Connection, t0: datetime) -> dict[int, list[tuple[tuple, Stop]]]:
    """Each courier's stops, keyed for the order of the plan's ETAs."""
    rows = conn.execute(
        select(
            Assignment.courier_id,
            Assignment.eta_pickup,
            Assignment.eta_dropoff,
            Order.id,
            Order.status,
            Order.ready_at,
            Order.dropoff_lat,
            Order.dropoff_lon,
            Merchant.lat,
            Merchant.lon,
        )
        .join(Order, Order.id == Assignment.order_id)
        .join(Merchant, Merchant.id == Order.merchant_id)
        .where(Assignment.active, Order.status.in_(WITH_COURIER))
    ).all()
    stops: dict[int, list[tuple[tuple, Stop]]] = {}
    for r in rows:
        route = stops.setdefault(r.courier_id, [])
        if r.status == OrderStatus.ASSIGNED:
            ready = (r.ready_at or t0).timestamp()
            key = ((r.eta_pickup or t0).timestamp(), 0, r.id)
            route.append((key, Stop(r.id, True, Location(r.lat, r.lon), ready)))
        key = ((r.eta_dropoff or t0).timestamp(), 1, r.id)
        route.append((key, Stop(r.id, False, Location(r.dropoff_lat, r.dropoff_lon))))
    return stops


def _ride_route(
    world: World,
    courier_id: int,
    vehicle: str,
    start: Location,
    route: list[Stop],
    t0: datetime,
    t1: datetime,
) -> Ride:
    picked = {s.order_id for s in route if s.pickup}
    # A drop-off can only follow its pickup: the route is cut where that would break.
    route = [s for i, s in enumerate(route) if s.pickup or _pickup_before(route, i, picked)]

    kind = VehicleType(vehicle)

    def travel(a: Location, b: Location) -> float:
        return float(world.travel.seconds([a], [b], kind, t0)[0, 0])

    moved = ride(start, route, t0.timestamp(), t1.timestamp(), travel,
                 world.busy_until.get(courier_id))  # fmt: skip
    if moved.busy_until_s is None:
        world.busy_until.pop(courier_id, None)
    else:
        world.busy_until[courier_id] = moved.busy_until_s
    return moved


def _pickup_before(route: list[Stop], index: int, picked: set[int]) -> bool:
    order_id = route[index].order_id
    if order_id not in picked:
        return True  # already in the bag
    return any(s.pickup and s.order_id == order_id for s in route[:index])


def _end_shifts(conn: Connection, t1: datetime, counts: TickCounts) -> None:
    """Couriers past their shift's end go home once their bag is empty; the same shift comes
    back the next day."""
    working = select(Assignment.courier_id).where(Assignment.active).distinct()
    over = conn.execute(
        select(Courier.id, Courier.status, Courier.shift_start, Courier.shift_end)
        .where(Courier.id.not_in(working))
        .where(
            or_(
                Courier.shift_end <= t1,
                Courier.shift_end.is_(None) & (Courier.status != CourierStatus.OFF_SHIFT),
            )
        )
    ).all()
    for courier_id, status, start, end in over:
        values: dict = {"status": CourierStatus.OFF_SHIFT}
        if start is not None and end is not None:
            days = (t1 - end) // timedelta(days=1) + 1
            values["shift_start"] = start + timedelta(days=days)
            values["shift_end"] = end + timedelta(days=days)
        conn.execute(update(Courier).where(Courier.id == courier_id).values(**values))
        counts.shifts_ended += status != CourierStatus.OFF_SHIFT
