"""History in numbers: days are the city's, the on-time rate counts delivered orders only,
and compensation cost lands on the day and zone of its order."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd

from dashboard.analytics import by_day_and_zone, with_times
from db.domain.status import OrderStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_days_rates_and_costs_by_zone() -> None:
    """An order placed at 23:30 UTC is the next day in Shanghai; one late delivery of two
    makes 50 %; a cancelled order counts as an order, not in the rate; 12 yuan paid."""
    t = lambda s: pd.Timestamp(s, tz="UTC")  # noqa: E731
    orders = pd.DataFrame(
        [
            (1, OrderStatus.DELIVERED, "Gubei", t("2026-11-26 23:30"), t("2026-11-27 00:10"),
             t("2026-11-27 00:05")),
            (2, OrderStatus.DELIVERED, "Gubei", t("2026-11-27 01:00"), t("2026-11-27 01:40"),
             t("2026-11-27 01:55")),
            (3, OrderStatus.CANCELLED, "Gubei", t("2026-11-27 02:00"), t("2026-11-27 02:40"),
             None),
        ],
        columns=["id", "status", "zone", "placed_at", "promised_at", "delivered_at"],
    )  # fmt: skip
    timed = with_times(orders, SHANGHAI)
    assert timed["day"].astype(str).unique().tolist() == ["2026-11-27"]
    assert timed["minutes"].tolist()[:2] == [35.0, 55.0]
    paid = pd.DataFrame({"day": [timed["day"][1]], "zone": ["Gubei"], "amount_minor": [1200]})
    [row] = by_day_and_zone(timed, paid).to_dict("records")
    assert (row["orders"], row["delivered"], row["cancelled"]) == (3, 2, 1)
    assert row["on_time_rate"] == 0.5 and row["avg_min"] == 45.0
    assert row["compensation_yuan"] == 12.0
