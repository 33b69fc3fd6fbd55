"""Read one dispatch round's input from the store: open orders and couriers on shift.

This is the boundary between the store and the pure solver: datetimes become seconds
from the round's `now`, rows become frozen `routing.live` records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, func, or_, select
from sqlalchemy.orm import Session

from db.models import Assignment, Courier, Merchant, Order, RoutePlan
from routing.live import Courier as LiveCourier
from routing.live import DispatchPolicy, DispatchProblem
from routing.live import Order as LiveOrder
from routing.travel import Location

DISPATCHABLE = ("confirmed", "assigned", "picked_up")
HARD_LATE = timedelta(minutes=45)  # past the promise by this much, an order needs a person


@dataclass(frozen=True)
class Snapshot:
    """The round's problem plus what the service needs to write the answer back."""

    problem: DispatchProblem | None  # None when there is no order or no courier to plan
    base_version: int  # the newest plan version when the snapshot was read
    current_courier: dict[int, int]  # order id -> courier of its active assignment
    statuses: dict[int, str]  # status of every open order the round looked at
    expired: tuple[int, ...]  # open orders whose latest time has passed: not dispatched
    zone_id: int | None

    @property
    def waiting(self) -> bool:
        """Whether the round has an order free to move: one without a courier, or one whose
        courier can no longer take it (off shift); pinned and carried orders stay put."""
        if self.problem is None:
            return False
        return any(o.pinned_to is None and o.carried_by is None for o in self.problem.orders)


@dataclass(frozen=True)
class RoundScope:
    """What a round may change, for a dispatcher's narrow request.

    Only the orders in ``movable`` may change courier: assigned ones among them are free
    to move, every other assigned order stays pinned to its courier, and open orders
    without a courier outside it are left out. ``pin_to`` sends orders to a chosen courier
    (a manual move, which the solver still checks for time, bag and shift).
    """

    movable: frozenset[int] = frozenset()
    pin_to: tuple[tuple[int, int], ...] = ()  # (order id, courier id)


def zone_version(conn: Session | Connection, zone_id: int | None) -> int:
    """The newest plan version a round over ``zone_id`` must build on: the newest plan of
    that zone or of the whole city (for the city: the newest of all). Rounds of different
    zones touch different orders, so they do not overtake each other."""
    query = select(func.coalesce(func.max(RoutePlan.version), 0))
    if zone_id is not None:
        query = query.where(or_(RoutePlan.zone_id == zone_id, RoutePlan.zone_id.is_(None)))
    return int(conn.scalar(query) or 0)


def _seconds(at: datetime, now: datetime) -> float:
    return (at - now).total_seconds()


def read_snapshot(
    conn: Session,
    now: datetime,
    zone_id: int | None = None,
    pin_assigned: bool = True,
    policy: DispatchPolicy | None = None,
    scope: RoundScope | None = None,
) -> Snapshot:
    base_version = zone_version(conn, zone_id)
    active = dict(
        conn.execute(
            select(Assignment.order_id, Assignment.courier_id).where(Assignment.active)
        ).all()
    )
    query = (
        select(Order, Merchant.lat, Merchant.lon, Merchant.prep_minutes)
        .join(Merchant, Merchant.id == Order.merchant_id)
        .where(Order.status.in_(DISPATCHABLE))
        .order_by(Order.id)
    )
    if zone_id is not None:
        query = query.where(Order.zone_id == zone_id)
    rows = conn.execute(query).all()
    carriers = {r.Order.courier_id for r in rows if r.Order.status == "picked_up"}
    forced = dict(scope.pin_to) if scope else {}
    couriers = conn.scalars(
        select(Courier)
        .where(
            or_(
                (Courier.status != "off_shift") & (Courier.shift_end > now),
                Courier.id.in_(carriers or {-1}),
            )
        )
        .where(Courier.last_lat.is_not(None))
        .where(Courier.zone_id == zone_id if zone_id is not None else True)
        .order_by(Courier.id)
    ).all()
    missing = (carriers | set(forced.values())) - {c.id for c in couriers}
    if missing:
        # Carriers finish what they carry whatever their zone; a courier an order is sent
        # to by hand must be on shift.
        couriers += conn.scalars(
            select(Courier)
            .where(Courier.id.in_(missing))
            .where(
                Courier.id.in_(carriers or {-1})
                | ((Courier.status != "off_shift") & (Courier.shift_end > now))
            )
            .where(Courier.last_lat.is_not(None))
        ).all()
    on_shift = {c.id for c in couriers}
    live_couriers = tuple(_courier(c, now, c.id in carriers) for c in couriers)
    orders, expired = [], []
    for row in rows:
        order = row.Order
        latest = order.promised_at + HARD_LATE
        if order.status != "picked_up" and latest <= now:
            expired.append(order.id)
            continue
        ready = order.ready_at or order.placed_at + timedelta(minutes=row.prep_minutes)
        holder = active.get(order.id, order.courier_id)
        pinned = holder if pin_assigned and order.status == "assigned" else None
        if scope is not None:
            free = order.id in scope.movable or order.id in forced
            if order.status == "confirmed" and not free:
                continue
            pinned = forced.get(order.id) or (None if free else pinned or holder)
        orders.append(
            LiveOrder(
                id=str(order.id),
                merchant=Location(row.lat, row.lon),
                customer=Location(order.dropoff_lat, order.dropoff_lon),
                ready_s=max(_seconds(ready, now), 0.0),
                promised_s=_seconds(order.promised_at, now),
                latest_s=max(_seconds(latest, now), _seconds(order.promised_at, now)),
                carried_by=str(holder)
                if order.status == "picked_up" and holder in on_shift
                else None,
                pinned_to=(
                    str(pinned)
                    if pinned is not None and order.status != "picked_up" and pinned in on_shift
                    else None
                ),
            )
        )
    problem = (
        DispatchProblem(
            now=now, couriers=live_couriers, orders=tuple(orders), policy=policy or DispatchPolicy()
        )
        if orders and live_couriers
        else None
    )
    statuses = {r.Order.id: r.Order.status for r in rows}
    return Snapshot(problem, base_version, active, statuses, tuple(expired), zone_id)


def _courier(c: Courier, now: datetime, carrying: bool) -> LiveCourier:
    shift_end = _seconds(c.shift_end, now) if c.shift_end else None
    if carrying:
        # A courier with food in the bag finishes the delivery even past the shift's end.
        shift_end = max(shift_end or 0.0, 2 * 3600.0)
    return LiveCourier(
        id=str(c.id),
        position=Location(c.last_lat, c.last_lon),
        vehicle=c.vehicle_type,
        capacity=c.capacity,
        shift_end_s=shift_end,
    )
