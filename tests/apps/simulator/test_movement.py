"""Couriers ride their stops in order at the travel provider's pace, wait for food, and
hand over for the service time; a leg cut by the tick's end goes on from where it stopped."""

from __future__ import annotations

from apps.simulator.movement import SERVICE_S, Stop, ride
from routing.travel.providers import Location

A, B, C = Location(31.20, 121.40), Location(31.21, 121.40), Location(31.22, 121.40)


def seconds_per_step(a: Location, b: Location) -> float:
    """600 s per 0.01 degree of latitude: easy to follow by hand."""
    return round(abs(b.lat - a.lat) * 60_000)


def test_stops_are_served_in_order_with_service_time() -> None:
    """Pickup at B after 600 s, drop-off at C 600 s after the pickup's service ends."""
    stops = [Stop(1, True, B, ready_s=0), Stop(1, False, C)]
    out = ride(A, stops, 0, 3600, seconds_per_step)
    assert [(d.order_id, d.pickup, d.at_s) for d in out.done] == [
        (1, True, 600),
        (1, False, 600 + SERVICE_S + 600),
    ]
    assert out.position == C
    assert out.busy_until_s is None


def test_courier_waits_at_the_merchant_until_the_food_is_ready() -> None:
    """Arriving before the food is ready, the pickup happens at the ready time."""
    out = ride(A, [Stop(1, True, B, ready_s=1000)], 0, 3600, seconds_per_step)
    assert out.done[0].at_s == 1000


def test_food_not_ready_by_the_ticks_end_leaves_the_courier_waiting() -> None:
    """No pickup is recorded before the food is ready; the courier stays at the merchant."""
    out = ride(A, [Stop(1, True, B, ready_s=5000)], 0, 3600, seconds_per_step)
    assert out.done == []
    assert out.position == B


def test_a_leg_cut_by_the_tick_ends_partway() -> None:
    """Half the leg's time moves the courier half the way."""
    out = ride(A, [Stop(1, False, B)], 0, 300, seconds_per_step)
    assert out.done == []
    assert abs(out.position.lat - 31.205) < 1e-9


def test_a_handover_running_past_the_tick_keeps_the_courier_busy() -> None:
    """The courier reaching B at 600 s is busy until 720 s; the next tick starts from there."""
    stops = [Stop(1, False, B), Stop(2, False, C)]
    first = ride(A, stops, 0, 650, seconds_per_step)
    assert first.busy_until_s == 600 + SERVICE_S
    second = ride(first.position, stops[1:], 650, 3600, seconds_per_step, first.busy_until_s)
    assert second.done[0].at_s == 600 + SERVICE_S + 600
