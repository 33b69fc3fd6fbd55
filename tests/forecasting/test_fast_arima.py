"""The closed-form ARIMA: it recovers known coefficients, agrees with statsforecast's
likelihood fit of the same orders, finds the orders a simulated process has, differences
and sums back as the differencing asks, widens its interval as the model says, and fails
with a reason."""

from __future__ import annotations

import warnings
from datetime import datetime

import numpy as np
import pytest

from forecasting import fast_arima
from forecasting.arima_model import arima
from forecasting.errors import ModelError
from forecasting.series import Series


def arma(phi: list[float], theta: list[float], n: int, seed: int, mean: float = 0.0) -> np.ndarray:
    """A simulated ARMA process: z_t = sum(phi z_{t-i}) + e_t + sum(theta e_{t-j})."""
    rng = np.random.default_rng(seed)
    shocks = rng.normal(0, 1, n + 200)
    z = np.zeros(n + 200)
    for t in range(len(z)):
        z[t] = shocks[t]
        z[t] += sum(c * z[t - i] for i, c in enumerate(phi, 1) if t >= i)
        z[t] += sum(c * shocks[t - j] for j, c in enumerate(theta, 1) if t >= j)
    return z[200:] + mean


def test_given_orders_recover_the_coefficients_of_a_simulated_process() -> None:
    """ARMA(1, 1) with phi 0.6, theta 0.3 and mean 50, from 3,000 values: within 0.05."""
    y = arma([0.6], [0.3], 3000, seed=1, mean=50)
    fit = fast_arima.search(y, 0, [(1, 1, True)])
    assert fit.order == (1, 0, 1) and fit.constant
    assert fit.ar[0] == pytest.approx(0.6, abs=0.05)
    assert fit.ma[0] == pytest.approx(0.3, abs=0.05)
    assert fit.mu == pytest.approx(50, abs=0.2)
    assert fit.sigma2 == pytest.approx(1.0, abs=0.08)


@pytest.mark.parametrize(
    ("order", "constant", "y"),
    [
        ((2, 1, 1), True, 100 + np.cumsum(arma([0.5, -0.3], [0.4], 600, seed=2, mean=0.2))),
        ((0, 2, 1), False, np.cumsum(np.cumsum(arma([], [-0.5], 400, seed=7)))),
        ((2, 0, 1), True, arma([0.6, 0.2], [-0.3], 500, seed=8, mean=30)),
    ],
)
def test_the_fit_agrees_with_statsforecasts_likelihood_fit(
    order: tuple[int, int, int], constant: bool, y: np.ndarray
) -> None:
    """The same orders fitted by statsforecast's ARIMA (maximum likelihood): coefficients
    within 0.05, the mean within a tenth of the spread and the 80% half-widths within 5%
    over 12 steps, differenced twice too."""
    from statsforecast.models import ARIMA

    p, d, q = order
    ours = fast_arima.search(y, d, [(p, q, constant)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = ARIMA(
            order=order, include_mean=constant and d == 0, include_drift=constant and d == 1
        ).fit(y)
    coef = theirs.model_["coef"]
    assert ours.ar == pytest.approx([coef[f"ar{i}"] for i in range(1, p + 1)], abs=0.05)
    assert ours.ma == pytest.approx([coef[f"ma{j}"] for j in range(1, q + 1)], abs=0.05)
    if constant:
        assert ours.mu == pytest.approx(
            coef["drift" if d else "intercept"], abs=0.05 * abs(ours.mu) + 0.05
        )
    mine, peer = ours.forecast(12), theirs.predict(h=12, level=[80])
    spread = np.sqrt(ours.sigma2)
    assert mine["mean"] == pytest.approx(peer["mean"], abs=0.1 * spread)
    assert mine["hi-80"] - mine["mean"] == pytest.approx(peer["hi-80"] - peer["mean"], rel=0.05)


def test_a_level_far_above_the_noise_is_fitted_as_at_zero() -> None:
    """An AR(1) around 10^8 with noise of 1: the same orders and coefficient as around 0
    (uncentred, the intercept and the lags were one column and the fit was refused)."""
    z = arma([0.8], [], 300, seed=0)
    low, high = fast_arima.search(z, 0), fast_arima.search(z + 1e8, 0)
    assert high.order == low.order == (1, 0, 0)
    assert high.ar == pytest.approx(low.ar, abs=0.01)
    assert high.constant and high.mu == pytest.approx(1e8 + z.mean(), abs=0.5)


@pytest.mark.parametrize(
    ("phi", "theta", "expected"),
    [([0.8], [], (1, 0)), ([], [0.7], (0, 1)), ([0.9, -0.5], [], (2, 0))],
)
def test_the_search_finds_the_orders_of_a_simulated_process(
    phi: list[float], theta: list[float], expected: tuple[int, int]
) -> None:
    """AR(1), MA(1) and AR(2), 1,500 values each: the stepwise search's orders are theirs."""
    y = arma(phi, theta, 1500, seed=3, mean=10)
    fit = fast_arima.search(y, 0)
    assert (fit.order[0], fit.order[2]) == expected


def test_a_differenced_model_sums_back_onto_the_last_values() -> None:
    """A straight line differenced once forecasts the line on (its drift); a parabola
    differenced twice, without a constant, carries its last slope on (39^2 + 77 each step)."""
    line = 10 + 2.0 * np.arange(50)
    fit = fast_arima.search(line, 1, [(0, 0, True)])
    assert fit.forecast(3)["mean"] == pytest.approx([110, 112, 114])
    t = np.arange(40.0)
    parabola = t**2
    fit = fast_arima.search(parabola, 2, [(0, 0, False)])
    assert fit.forecast(2)["mean"] == pytest.approx([1521 + 77, 1521 + 2 * 77])


def test_a_random_walks_interval_widens_with_the_root_of_the_steps() -> None:
    """ARIMA(0, 1, 0): the h-step spread is sigma times the root of h; an AR(1) without
    differencing levels off at its stationary spread, sigma / sqrt(1 - phi^2)."""
    walk = np.cumsum(np.random.default_rng(4).normal(0, 2, 400))
    fit = fast_arima.search(walk, 1, [(0, 0, False)])
    out = fit.forecast(9, level=80)
    spread = out["hi-80"] - out["mean"]
    assert spread[8] / spread[0] == pytest.approx(3.0)
    assert out["mean"][0] - out["lo-80"][0] == pytest.approx(spread[0])
    ar = fast_arima.search(arma([0.5], [], 3000, seed=5), 0, [(1, 0, False)])
    far = ar.forecast(60)
    limit = np.sqrt(ar.sigma2 / (1 - ar.ar[0] ** 2)) * 1.2815515655446004
    assert far["hi-80"][-1] - far["mean"][-1] == pytest.approx(limit, rel=1e-6)


def test_too_few_values_fail_with_the_reason_and_the_model_names_the_series() -> None:
    """Seven values differenced once leave six: refused; no step ahead is refused; through
    the catalogue's call the failure is the model's, naming the series."""
    with pytest.raises(fast_arima.ArimaError, match="7 values are too few"):
        fast_arima.search(np.arange(7.0), 1)
    with pytest.raises(fast_arima.ArimaError, match="horizon: at least one step"):
        fast_arima.search(np.arange(20.0), 1).forecast(0)
    series = Series("store 9", datetime(2024, 1, 1), np.array([1.0, 3, 2, 5, 4]), "w")
    with pytest.raises(ModelError, match="'arima' on series 'store 9'"):
        arima(series, 4)


def test_the_catalogues_arima_forecasts_a_weekly_series() -> None:
    """A noisy weekly level with a drift: forecasts at the level the drift carries it to,
    with lower <= yhat <= upper, named ``arima``."""
    rng = np.random.default_rng(6)
    y = 200 + 0.5 * np.arange(150) + rng.normal(0, 4, 150)
    forecast = arima(Series("w", datetime(2022, 1, 3), y, "w"), 13)
    assert forecast.model == "arima" and len(forecast.yhat) == 13
    assert forecast.yhat.mean() == pytest.approx(200 + 0.5 * 156, abs=8)
    assert np.all(forecast.lower <= forecast.yhat) and np.all(forecast.yhat <= forecast.upper)


def test_a_strong_yearly_shape_is_forecast_not_flattened() -> None:
    """Five years of weeks swinging 40% around their level over the year: the ARIMA, which
    fits no season of its own, forecasts the next quarter along the yearly shape (taken
    out before the fit and put back), within the noise, not as a flat line at the level."""
    rng = np.random.default_rng(0)
    weeks = np.arange(52 * 5)
    y = 100 * (1 + 0.4 * np.sin(2 * np.pi * weeks / 52)) + rng.normal(0, 3, len(weeks))
    forecast = arima(Series("strikes", datetime(2020, 1, 6), y[:-13], "w"), 13)
    assert np.mean(np.abs(forecast.yhat - y[-13:])) < 5
    assert np.all(forecast.lower <= forecast.yhat) and np.all(forecast.yhat <= forecast.upper)


@pytest.mark.parametrize("low", ["a zero week", "below zero"])
def test_a_series_not_above_zero_is_fitted_as_it_is(low: str) -> None:
    """A multiplicative season cannot be taken out of a series that touches or crosses
    zero (its indices would flip a forecast's sign by the week): the same yearly swing with
    one empty week, and one that dips below zero, are fitted as they are, as the plain
    ARIMA forecasts them, bounds in order."""
    weeks = np.arange(52 * 4)
    if low == "a zero week":
        y = 100 * (1 + 0.4 * np.sin(2 * np.pi * weeks / 52))
        y[60] = 0.0
    else:
        y = 2 + 10 * np.sin(2 * np.pi * weeks / 52)
        y = y + np.random.default_rng(0).normal(0, 1, len(weeks))
    series = Series("with a low", datetime(2020, 1, 6), y, "w")
    forecast = arima(series, 13)
    plain = fast_arima.search(y, fast_arima.differencing(y)).forecast(13)["mean"]
    expected = np.maximum(plain, 0) if series.non_negative else plain
    np.testing.assert_allclose(forecast.yhat, expected)
    assert np.all(forecast.lower <= forecast.yhat) and np.all(forecast.yhat <= forecast.upper)
