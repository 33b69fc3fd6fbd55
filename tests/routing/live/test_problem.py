"""Live dispatch input: bad records are refused with an error naming the field."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from routing.live.problem import Courier, DispatchInputError, DispatchProblem, Order, place
from routing.travel.providers import Location, VehicleType

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
HERE = Location(31.23, 121.47)


def courier(**changes) -> Courier:
    fields = dict(id="c1", position=HERE, vehicle=VehicleType.EBIKE, capacity=4, shift_end_s=3600.0)
    return Courier(**{**fields, **changes})


def order(**changes) -> Order:
    fields = dict(id="o1", merchant=HERE, customer=Location(31.24, 121.48), ready_s=0.0,
                  promised_s=1800.0, latest_s=2400.0)  # fmt: skip
    return Order(**{**fields, **changes})


def test_a_valid_round_is_accepted() -> None:
    """One courier and one open order make a problem."""
    problem = DispatchProblem(NOW, (courier(),), (order(),))
    assert problem.courier("c1").capacity == 4


@pytest.mark.parametrize(
    ("couriers", "orders", "message"),
    [
        ((courier(),), (), "orders: empty problem"),
        ((), (order(),), "couriers: empty problem"),
        ((courier(shift_end_s=None),), (order(),), "courier 'c1': shift_end_s: the courier has no shift"),
        ((courier(shift_end_s=-5.0),), (order(),), "shift_end_s: the shift is already over"),
        ((courier(capacity=0),), (order(),), "courier 'c1': capacity"),
        ((courier(vehicle="rocket"),), (order(),), "vehicle: 'rocket' is not one of"),
        ((courier(),), (order(latest_s=-60.0),), "order 'o1': latest_s: the window closed 60 s ago"),
        ((courier(),), (order(promised_s=3000.0),), "order 'o1': promised_s: after latest_s"),
        ((courier(),), (order(ready_s=3000.0),), "order 'o1': ready_s: after latest_s"),
        ((courier(),), (order(carried_by="c9"),), "order 'o1': carried_by: no courier 'c9'"),
        ((courier(),), (order(pinned_to="c9"),), "order 'o1': pinned_to: no courier 'c9'"),
        ((courier(),), (order(size=0),), "order 'o1': size"),
        ((courier(),), (order(ready_s=float("nan")),), "order 'o1': ready_s"),
        ((courier(), courier()), (order(),), "courier ids must be unique"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_naming_the_field(couriers, orders, message: str) -> None:
    """Each kind of bad record raises DispatchInputError with the record and field named."""
    with pytest.raises(DispatchInputError, match=message.replace("(", r"\(")):
        DispatchProblem(NOW, couriers, orders)


def test_naive_now_is_refused() -> None:
    """Times are relative to an aware `now`; a naive datetime would be ambiguous."""
    with pytest.raises(DispatchInputError, match="now: must be a timezone-aware"):
        DispatchProblem(datetime(2026, 11, 27, 12, 0), (courier(),), (order(),))


def test_a_carried_order_may_already_be_late() -> None:
    """Food in the bag is delivered even past its deadline, so a closed window is allowed."""
    late = order(latest_s=-600.0, promised_s=-900.0, carried_by="c1")
    assert DispatchProblem(NOW, (courier(),), (late,)).orders[0].carried_by == "c1"


@pytest.mark.parametrize(("lat", "lon", "message"), [(91.0, 121.0, "lat"), (31.0, 181.0, "lon")])
def test_out_of_range_coordinates_name_the_field(lat: float, lon: float, message: str) -> None:
    """A latitude beyond 90 or a longitude beyond 180 is refused with the field named."""
    with pytest.raises(
        DispatchInputError, match=f"order 'o7': customer: {message}: .* out of range"
    ):
        place(lat, lon, "order 'o7': customer")
