"""Very short histories: one to two seasons of hours or days, four to twelve weeks (a store
that opened last week), too short for the served pipeline's backtest or its fallbacks.

    .venv/bin/python bench/forecast_short.py [--cases N] [--json]

Histories of random length in that range are cut at random points of the benchmark's own
series (the seeded city's hourly and daily totals, Prophet's daily page views, M4 Hourly
and Weekly), each followed by a day of hours, a week of days or four weeks. Side by side on
the same cases: the served pipeline (its last season repeated), Theta (what its fallbacks
would serve there: seasonal naive cannot measure its interval on one season; such histories
were refused before), naive (the last value),
statsforecast AutoETS and Prophet as it comes. sMAPE, MAE relative to naive's (geometric
mean over the cases), 80% coverage, and how often a method failed (scored with naive's
forecast there).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from forecast_data import city_totals, m4_cases, peyton_manning  # noqa: E402

from forecasting import metrics, stats_models  # noqa: E402
from forecasting.errors import ForecastingError  # noqa: E402
from forecasting.prophet_model import PLAIN, prophet_forecast  # noqa: E402
from forecasting.selection import default_plan, serve  # noqa: E402
from forecasting.series import FALLBACK_HISTORY, MIN_HISTORY, STEPS, Forecast, Series  # noqa: E402

HORIZON = {"h": 24, "d": 7, "w": 4}
METHODS: dict[str, Callable[[Series, int], Forecast]] = {
    "served": lambda s, h: serve(s, h, default_plan(s.freq), beside=False).served,
    "theta": stats_models.theta,
    "naive": stats_models.naive,
    "auto_ets": stats_models.auto_ets,
    "prophet_default": lambda s, h: prophet_forecast(s, h, PLAIN),
}


def sources(freq: str) -> list[Series]:
    if freq == "d":
        return [peyton_manning(), *city_totals("d")]
    if freq == "h":
        return [*city_totals("h"), *(c.series for c in m4_cases("h")[::8])]
    return [c.series for c in m4_cases("w")[::4]]


def cases(freq: str, count: int, rng: np.random.Generator) -> list[tuple[Series, np.ndarray]]:
    """``count`` histories of MIN_HISTORY to FALLBACK_HISTORY - 1 values and what followed."""
    pool, h = sources(freq), HORIZON[freq]
    found = []
    for _ in range(count):
        series = pool[rng.integers(len(pool))]
        n = int(rng.integers(MIN_HISTORY[freq], FALLBACK_HISTORY[freq]))
        cut = int(rng.integers(n, len(series.y) - h + 1))
        start = series.start + (cut - n) * STEPS[freq]
        history = Series(series.series_id, start, series.y[cut - n : cut], freq=freq)
        found.append((history, series.y[cut : cut + h]))
    return found


def score(freq: str, count: int, seed: int) -> dict[str, dict[str, float]]:
    rng = np.random.default_rng(seed)
    rows: dict[str, list[tuple[float, float, float, int]]] = {name: [] for name in METHODS}
    for history, actual in cases(freq, count, rng):
        naive_mae = np.abs(actual - history.y[-1]).mean()
        for name, method in METHODS.items():
            try:
                forecast, failed = method(history, len(actual)), 0
            except ForecastingError:
                # Scored with naive's forecast there, and counted.
                forecast, failed = stats_models.naive(history, len(actual)), 1
            mae = np.abs(actual - forecast.yhat).mean()
            rows[name].append(
                (
                    metrics.smape(actual, forecast.yhat),
                    float(np.log(max(mae, 1e-9) / max(naive_mae, 1e-9))),
                    metrics.coverage(actual, forecast.lower, forecast.upper),
                    failed,
                )
            )
    return {
        name: {
            "smape": float(np.mean([r[0] for r in found])),
            "rel_mae": float(np.exp(np.mean([r[1] for r in found]))),
            "cover80": float(np.mean([r[2] for r in found])),
            "failed": sum(r[3] for r in found),
        }
        for name, found in rows.items()
    }


def print_table(freq: str, count: int, table: dict[str, dict[str, float]]) -> None:
    low, high = MIN_HISTORY[freq], FALLBACK_HISTORY[freq] - 1
    print(f"\n{freq}: {count} histories of {low}-{high} values")
    print("| method | sMAPE | MAE / naive's | cover80 | failed |\n|---|---:|---:|---:|---:|")
    for name, row in table.items():
        print(
            f"| {name} | {row['smape']:.2f} | {row['rel_mae']:.3f} | {row['cover80']:.3f} "
            f"| {row['failed']:.0f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=150, help="cases per frequency")
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--json", action="store_true", help="the figures as JSON, last line")
    args = parser.parse_args()
    figures: dict[str, dict] = {}
    for freq in ("h", "d", "w"):
        table = score(freq, args.cases, args.seed)
        print_table(freq, args.cases, table)
        best = min((n for n in table if n != "served"), key=lambda n: table[n]["rel_mae"])
        ratio = table["served"]["rel_mae"] / table[best]["rel_mae"]
        print(f"served MAE / best other's ({best}): {ratio:.3f}")
        figures[freq] = {"methods": table, "best_other": best, "served_to_best": ratio}
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
