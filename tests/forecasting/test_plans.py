"""Serving plans: each frequency races its own models, and the calendar and forced model
given are carried."""

from __future__ import annotations

from forecasting.calendar import Calendar
from forecasting.plans import PLANS, default_plan
from forecasting.prophet_model import BY_FREQ
from forecasting.selection import ModelScore, preferred_first


def test_each_frequency_has_its_own_plan() -> None:
    """Hourly races MSTL and Prophet; daily adds ETS and Theta, without an ARIMA; weekly races the
    statsforecast models without Prophet, and the closed-form ARIMA in AutoARIMA's place,
    sees five years, has no seasonal naive and compares against the naive forecast, scored
    with M4's season 1."""
    assert {"mstl", "prophet", "seasonal_naive"} <= set(PLANS["h"].candidates)
    daily = PLANS["d"]
    assert {"auto_ets", "theta", "mstl", "prophet"} <= set(daily.candidates)
    assert not {"auto_arima", "arima"} & set(daily.candidates)
    raced = set(daily.candidates)
    assert all(set(c.members) <= raced for c in daily.combinations)
    weekly = PLANS["w"]
    assert "seasonal_naive" not in weekly.candidates and weekly.reference == "naive"
    assert "mstl" in weekly.candidates and "prophet" not in weekly.candidates
    assert "arima" in weekly.candidates and "auto_arima" not in weekly.candidates
    assert weekly.window_days == 5 * 365
    assert weekly.mase_season == 1 and weekly.prefer in {c.name for c in weekly.combinations}
    for freq, plan in PLANS.items():
        assert plan.prophet == BY_FREQ[freq] and plan.reference in plan.candidates


def test_default_plan_carries_the_calendar_and_the_forced_model() -> None:
    """The calendar and force given reach the plan; none given means no holidays."""
    plan = default_plan("d", force="prophet", calendar=Calendar("US"))
    assert plan.force == "prophet" and plan.calendar.country == "US"
    assert default_plan("w").calendar == Calendar() and default_plan("w").force is None


def row(model: str, score: float) -> ModelScore:
    return ModelScore(model, 1.0, 1.0, 0.8, score)


def test_the_preferred_model_serves_unless_beaten_by_the_margin() -> None:
    """A model 5% better than the preferred combination does not displace it; one 20%
    better does."""
    plan = PLANS["w"]
    assert plan.prefer is not None and plan.margin == 0.1
    close = (row("theta", 0.95), row(plan.prefer, 1.0), row("naive", 1.2))
    assert [r.model for r in preferred_first(close, plan)][:2] == [plan.prefer, "theta"]
    clear = (row("theta", 0.8), row(plan.prefer, 1.0))
    assert preferred_first(clear, plan)[0].model == "theta"


def test_daily_data_needs_a_clearer_win_to_displace_its_combination() -> None:
    """Four folds of a week or two are noisy: on daily data a model 25% better than the
    combination in the backtest still does not displace it, and one 40% better does."""
    plan = PLANS["d"]
    assert plan.prefer == "mean(ets,theta,prophet)"
    close = (row("seasonal_naive", 0.75), row(plan.prefer, 1.0))
    assert preferred_first(close, plan)[0].model == plan.prefer
    clear = (row("seasonal_naive", 0.6), row(plan.prefer, 1.0))
    assert preferred_first(clear, plan)[0].model == "seasonal_naive"


def test_a_plan_refuses_a_blend_of_no_models() -> None:
    """A plan that would serve the mean of no models, or blend models scoring better than
    the best, is refused with the field named."""
    import pytest

    from forecasting.plans import ServingPlan

    with pytest.raises(ValueError, match="blend: at least one model serves, not 0"):
        ServingPlan(blend=0)
    with pytest.raises(ValueError, match="blend_within: a ratio to the best's score of 1"):
        ServingPlan(blend_within=0.5)
