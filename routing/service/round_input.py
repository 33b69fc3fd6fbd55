"""Read one dispatch round's input from the store: open orders and couriers on shift.

This is the boundary between the store and the pure solver: datetimes become seconds
from the round's `now`, rows become frozen `routing.live.problem` records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Row, func, or_, select, true
from sqlalchemy.orm import Session

from db.domain.rules import HARD_LATE
from db.domain.status import NOT_PICKED, WITH_COURIER, CourierStatus, OrderStatus
from db.models import Assignment, Courier, Merchant, Order, RoutePlan
from routing.live.problem import Courier as LiveCourier
from routing.live.problem import DispatchPolicy, DispatchProblem
from routing.live.problem import Order as LiveOrder
from routing.travel.providers import Location, VehicleType

DISPATCHABLE = (OrderStatus.CONFIRMED, *WITH_COURIER)


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
    carriers = {r.Order.courier_id for r in rows if r.Order.status == OrderStatus.PICKED_UP}
    forced = dict(scope.pin_to) if scope else {}
    couriers = _couriers(conn, now, zone_id, carriers, set(forced.values()))
    on_shift = {c.id for c in couriers}
    live_couriers = tuple(_courier(c, now, c.id in carriers) for c in couriers)
    orders, expired = [], []
    for row in rows:
        if row.Order.promised_at + HARD_LATE <= now and row.Order.status in NOT_PICKED:
            expired.append(row.Order.id)
            continue
        holder = active.get(row.Order.id, row.Order.courier_id)
        pinned = _pinned(row.Order, holder, pin_assigned, scope)
        if pinned is not _LEFT_OUT:
            orders.append(_order(row, now, holder, pinned, on_shift))
    problem = (
        DispatchProblem(
            now=now, couriers=live_couriers, orders=tuple(orders), policy=policy or DispatchPolicy()
        )
        if orders and live_couriers
        else None
    )
    statuses = {r.Order.id: r.Order.status for r in rows}
    return Snapshot(problem, base_version, active, statuses, tuple(expired), zone_id)


def _couriers(
    conn: Session, now: datetime, zone_id: int | None, carriers: set[int], sent_to: set[int]
) -> list[Courier]:
    """Couriers on shift in the zone, and the carriers and hand-picked couriers beyond it."""
    working = (Courier.status != CourierStatus.OFF_SHIFT) & (Courier.shift_end > now)
    couriers = list(
        conn.scalars(
            select(Courier)
            .where(or_(working, Courier.id.in_(carriers or {-1})))
            .where(Courier.last_lat.is_not(None))
            .where(Courier.zone_id == zone_id if zone_id is not None else true())
            .order_by(Courier.id)
        )
    )
    missing = (carriers | sent_to) - {c.id for c in couriers}
    if missing:
        # Carriers finish what they carry whatever their zone; a courier an order is sent
        # to by hand must be on shift.
        couriers += conn.scalars(
            select(Courier)
            .where(Courier.id.in_(missing))
            .where(Courier.id.in_(carriers or {-1}) | working)
            .where(Courier.last_lat.is_not(None))
        ).all()
    return couriers


_LEFT_OUT = -1  # an order outside a narrow round's scope


def _pinned(
    order: Order, holder: int | None, pin_assigned: bool, scope: RoundScope | None
) -> int | None:
    """The courier the order must stay with (None: free to move), or _LEFT_OUT."""
    pinned = holder if pin_assigned and order.status == OrderStatus.ASSIGNED else None
    if scope is None:
        return pinned
    forced = dict(scope.pin_to)
    free = order.id in scope.movable or order.id in forced
    if order.status == OrderStatus.CONFIRMED and not free:
        return _LEFT_OUT
    return forced.get(order.id) or (None if free else pinned or holder)


def _order(
    row: Row, now: datetime, holder: int | None, pinned: int | None, on_shift: set[int]
) -> LiveOrder:
    order = row.Order
    ready = order.ready_at or order.placed_at + timedelta(minutes=row.prep_minutes)
    latest = order.promised_at + HARD_LATE
    carried = order.status == OrderStatus.PICKED_UP
    return LiveOrder(
        id=str(order.id),
        merchant=Location(row.lat, row.lon),
        customer=Location(order.dropoff_lat, order.dropoff_lon),
        ready_s=max(_seconds(ready, now), 0.0),
        promised_s=_seconds(order.promised_at, now),
        latest_s=max(_seconds(latest, now), _seconds(order.promised_at, now)),
        carried_by=str(holder) if carried and holder in on_shift else None,
        pinned_to=str(pinned)
        if pinned is not None and not carried and pinned in on_shift
        else None,
    )


def _courier(c: Courier, now: datetime, carrying: bool) -> LiveCourier:
    assert c.last_lat is not None and c.last_lon is not None  # the query keeps placed ones only
    shift_end = _seconds(c.shift_end, now) if c.shift_end else None
    if carrying:
        # A courier with food in the bag finishes the delivery even past the shift's end.
        shift_end = max(shift_end or 0.0, 2 * 3600.0)
    return LiveCourier(
        id=str(c.id),
        position=Location(c.last_lat, c.last_lon),
        vehicle=VehicleType(c.vehicle_type),
        capacity=c.capacity,
        shift_end_s=shift_end,
    )
