"""Which couriers could serve each order on their own: candidates for the model, reasons if none.

Each courier is judged as if it went straight to the merchant, so the candidate sets are an
upper bound on what any plan can do; an order with no candidate cannot be served at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from routing.live.network import VEHICLES, vehicle_matrices
from routing.live.plan import UnservedReason
from routing.live.problem import DispatchProblem, Order
from routing.travel.providers import Location, TravelProvider, VehicleType

# Bounds the work per order. Far couriers matter: where orders crowd a few merchants, the
# couriers nearest them are soon full, and the plan is better for looking further.
MAX_CANDIDATES = 60
CHUNK = 512  # orders per travel-matrix call, to keep matrices small


@dataclass(frozen=True)
class Screen:
    candidates: tuple[np.ndarray, ...]  # courier indices per order, nearest first
    reasons: tuple[UnservedReason | None, ...]  # set where there is no candidate

    @property
    def servable(self) -> int:
        return sum(1 for c in self.candidates if len(c))


def screen(problem: DispatchProblem, travel: TravelProvider) -> Screen:
    couriers, orders, policy = problem.couriers, problem.orders, problem.policy
    index = {c.id: i for i, c in enumerate(couriers)}
    kinds = np.array([VEHICLES.index(VehicleType(c.vehicle)) for c in couriers])
    free = np.array([max(c.free_at_s, 0.0) for c in couriers])
    shift = np.array([c.shift_end_s or 0.0 for c in couriers])
    capacity = np.array([c.capacity for c in couriers])
    positions = [c.position for c in couriers]
    candidates: list[np.ndarray] = []
    reasons: list[UnservedReason | None] = []
    for lo in range(0, len(orders), CHUNK):
        chunk = orders[lo : lo + CHUNK]
        merchants = [o.merchant for o in chunk]
        customers = [o.customer for o in chunk]
        to_merchant = vehicle_matrices(travel, positions, merchants, kinds, problem.now)
        legs = vehicle_matrices(travel, merchants, customers, kinds, problem.now)
        ride = np.diagonal(legs, axis1=1, axis2=2)  # each order's own merchant to customer
        rows = np.arange(len(couriers))
        arrive = free[:, None] + to_merchant[kinds, rows]  # couriers x orders
        ride_s = ride[kinds]
        ready = np.array([o.ready_s for o in chunk])
        start_d = np.maximum(arrive, ready) + np.array([o.pickup_service_s for o in chunk]) + ride_s
        fits = np.array([o.size for o in chunk])[None, :] <= capacity[:, None]
        rides = ride_s <= policy.max_ride_s
        in_time = start_d <= np.array([o.latest_s for o in chunk])
        done = start_d + np.array([o.dropoff_service_s for o in chunk])
        on_shift = done <= shift[:, None]
        for j, o in enumerate(chunk):
            if o.carried_by is not None:
                v = index[o.carried_by]
                ok = _carried_ok(
                    travel, problem, positions[v], o, VEHICLES[kinds[v]], free[v], shift[v]
                )
                candidates.append(np.array([v] if ok else [], dtype=np.int64))
                reasons.append(None if ok else UnservedReason.SHIFT_END)
                continue
            can = fits[:, j] & (rows == index[o.pinned_to]) if o.pinned_to else fits[:, j]
            ok = can & rides[:, j] & in_time[:, j] & on_shift[:, j]
            chosen = np.nonzero(ok)[0]
            chosen = chosen[np.argsort(arrive[chosen, j], kind="stable")][:MAX_CANDIDATES]
            candidates.append(chosen.astype(np.int64))
            reasons.append(None if len(chosen) else _reason(can, rides[:, j], in_time[:, j]))
    return Screen(tuple(candidates), tuple(reasons))


def _carried_ok(
    travel: TravelProvider,
    problem: DispatchProblem,
    position: Location,
    order: Order,
    vehicle: VehicleType,
    free: float,
    shift: float,
) -> bool:
    to_customer = travel.seconds([position], [order.customer], vehicle, problem.now)[0, 0]
    return bool(free + to_customer + order.dropoff_service_s <= shift)


def _reason(fits: np.ndarray, rides: np.ndarray, in_time: np.ndarray) -> UnservedReason:
    if not fits.any():
        return UnservedReason.CAPACITY
    if not (fits & rides).any():
        return UnservedReason.RIDE_TIME
    if not (fits & rides & in_time).any():
        return UnservedReason.NO_COURIER_IN_TIME
    return UnservedReason.SHIFT_END
