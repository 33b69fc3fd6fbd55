"""The dashboard's data module reads settings the way the CLI does."""

from __future__ import annotations

import pandas as pd
import pytest
import streamlit as st

from dashboard import data


def test_the_batch_run_uses_the_configured_city_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: the page's batch run once built its settings by hand and forecast on
    Shanghai's days whatever LONGCAT_TIMEZONE said; it now takes the city's zone, as the
    CLI's ``longcat forecast run`` does."""
    monkeypatch.setenv("LONGCAT_TIMEZONE", "America/New_York")
    st.cache_resource.clear()  # the settings are read once per dashboard process
    try:
        run = data.batch_run_settings()
    finally:
        st.cache_resource.clear()
    assert (run.timezone, run.horizon) == ("America/New_York", 48)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@pytest.mark.usefixtures("at_lunch")
def test_a_forecast_is_shown_on_the_citys_clock_like_the_orders(seeded_url: str) -> None:
    """Regression: the Forecasts page drew the orders in the city's time and the forecast in
    UTC, eight hours apart in Shanghai; both now read as the city's wall clock."""
    from datetime import UTC, datetime

    from db.engine import make_engine
    from forecasting.jobs import Outcome, RunSettings, _write, start_run

    store = make_engine(seeded_url)
    run_id = start_run(store, RunSettings(horizon=24, model="auto", zones=(1,)))
    row = {
        "model": "mstl",
        "ds": datetime(2026, 11, 27, 4, tzinfo=UTC),
        "yhat": 3.0,
        "yhat_lower": 2.0,
        "yhat_upper": 4.0,
    }
    _write(store, run_id, Outcome("zone-1", "done", None, "mstl", [row], None))
    store.dispose()
    shown = data.forecast(seeded_url, run_id, "zone-1")
    orders = data.demand(seeded_url, 1, days=1)
    assert list(shown["ds"]) == [pd.Timestamp("2026-11-27 12:00")]  # noon in Shanghai
    # The orders' last hour is the seeded "now" (04:30 UTC) on the same clock: noon's hour.
    assert pd.Timestamp(orders["hour"].iloc[-1]) == pd.Timestamp("2026-11-27 12:00")


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.usefixtures("at_lunch")
def test_the_alerts_read_the_plan_of_the_coming_hour(
    planned_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: the zone alerts read the newest staffing plan, which at lunchtime is
    tomorrow's, so a zone short of couriers in the next hour was never flagged; they now
    read the plan of the day the next hour falls in."""
    from tests.conftest import TEST_NOW

    plans: list[pd.DataFrame] = []

    def spy(plan: pd.DataFrame, *rest) -> list:
        plans.append(plan)
        return []

    monkeypatch.setattr(data, "zone_alerts", spy)
    data.alerts(planned_url)
    days = data.staffing_days(planned_url)
    coming = pd.Timestamp(TEST_NOW).floor("h") + pd.Timedelta(hours=1)
    assert len(days) == 2 and plans[0]["plan_date"].iloc[0] == days[0]
    assert coming in set(pd.to_datetime(plans[0]["hour"], utc=True))
