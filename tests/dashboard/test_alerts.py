"""Alerts: which orders, couriers and zones need a dispatcher, each linking to its page."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd

from dashboard.alerts import courier_alerts, order_alerts, waiting_zones, zone_alerts
from dashboard.board import with_lateness
from db.domain.status import OrderStatus

NOW = pd.Timestamp("2026-11-27 04:30", tz="UTC")
at = lambda minutes: NOW + pd.Timedelta(minutes=minutes)  # noqa: E731


def test_orders_late_at_risk_or_waiting_too_long_alert() -> None:
    """Late and at-risk open orders alert; so does an order with no courier for more than
    ten minutes, but not one placed five minutes ago nor a delivered late one."""
    rows = [
        # id, status, courier, placed, promised, predicted
        (1, OrderStatus.ASSIGNED, 7, at(-20), at(20), at(31)),  # at risk
        (2, OrderStatus.CONFIRMED, None, at(-40), at(-5), None),  # late and waiting
        (3, OrderStatus.CONFIRMED, None, at(-5), at(30), None),  # just placed
        (4, OrderStatus.DELIVERED, 8, at(-90), at(-60), at(-50)),  # delivered late: history
        (5, OrderStatus.PICKED_UP, 8, at(-30), at(10), at(5)),  # fine
    ]
    board = pd.DataFrame(
        rows, columns=["id", "status", "courier_id", "placed_at", "promised_at", "predicted_at"]
    ).assign(zone="Lujiazui")
    found = {(a.kind, a.subject) for a in order_alerts(with_lateness(board, NOW), NOW)}
    assert found == {("at risk", "order 1"), ("late", "order 2"), ("unassigned", "order 2")}
    assert all(a.link == f"orders?order={a.subject.split()[1]}"
               for a in order_alerts(with_lateness(board, NOW), NOW))  # fmt: skip


def test_idle_couriers_and_couriers_past_their_shift_alert() -> None:
    """Free while an order of its zone waits too long: idle (free where nothing waits, or
    waits only a few minutes, is no alert); still
    out after the shift's end: past shift."""
    couriers = pd.DataFrame(
        [
            (1, 1, "Wang Min", "available", 0, at(120)),
            (2, 1, "Li Lei", "busy", 2, at(-15)),
            (3, 1, "Zhou Jie", "busy", 1, at(60)),
            (4, 2, "Chen Jing", "available", 0, at(120)),
        ],
        columns=["id", "zone_id", "name", "status", "load", "shift_end"],
    )
    board = pd.DataFrame(
        {"zone_id": [1, 2, 2], "courier_id": [None, 3, None], "placed_at": [at(-15), at(-15), at(-5)],
         "status": [OrderStatus.CONFIRMED, OrderStatus.ASSIGNED, OrderStatus.PLACED]}
    )  # fmt: skip
    assert waiting_zones(board, NOW) == {1}  # zone 2's waiting order is five minutes old
    found = {(a.kind, a.subject, a.link) for a in courier_alerts(couriers, NOW, {1})}
    assert found == {
        ("idle", "courier 1", "couriers?courier=1"),
        ("past shift", "courier 2", "couriers?courier=2"),
    }


def test_a_zone_short_of_couriers_next_hour_alerts_in_local_time() -> None:
    """The plan needs three couriers in zone 1 from the next hour; two stay on shift through
    it (a third leaves before): the zone alerts, with the hour in the city's time."""
    plan = pd.DataFrame(
        {"zone_id": [1, 2], "hour": [NOW.floor("h") + pd.Timedelta(hours=1)] * 2,
         "couriers_needed": [3, 1]}
    )  # fmt: skip
    couriers = pd.DataFrame(
        {"zone_id": [1, 1, 1, 2], "status": ["busy", "available", "busy", "available"],
         "shift_end": [at(180), at(180), at(40), at(180)]}
    )  # fmt: skip
    zones = pd.DataFrame({"id": [1, 2], "name": ["Lujiazui", "Gubei"]})
    found = zone_alerts(plan, couriers, zones, NOW, ZoneInfo("Asia/Shanghai"))
    assert [(a.kind, a.subject) for a in found] == [("short", "zone 1")]
    assert "3 couriers needed from 13:00, 2 on shift" in found[0].detail
