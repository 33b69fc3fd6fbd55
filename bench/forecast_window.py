"""How much history the served pipeline needs: hourly zone series of the seeded city (120
days each) served from the last 4, 6, 8 and 12 weeks and from all of it, at 4 origins a
day apart (h=48), pooled WAPE and seconds per forecast from one run.

    .venv/bin/python bench/forecast_window.py [--weeks 4,6,8,12,0] [--json]

A window of 0 means the whole history. The served hourly plan's window
(``forecasting.plans.HOURLY.window_days``) is the shortest that forecasts as well as all
of it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from forecast_data import city_totals  # noqa: E402

from forecasting.calendar import Calendar  # noqa: E402
from forecasting.selection import default_plan, serve  # noqa: E402
from forecasting.series import Series  # noqa: E402
from routing.processes import process_context  # noqa: E402

HORIZON = 48
ORIGINS = 4


def one(job: tuple[Series, np.ndarray, int]) -> tuple[int, float, float, float]:
    """Serve one origin with a window of ``weeks`` (0: all); |error|, |actual|, seconds."""
    history, actual, weeks = job
    plan = replace(default_plan("h", calendar=Calendar("CN")), window_days=weeks * 7 or None)
    start = time.perf_counter()
    forecast = serve(history, HORIZON, plan).served
    seconds = time.perf_counter() - start
    return weeks, float(np.abs(actual - forecast.yhat).sum()), float(actual.sum()), seconds


def jobs(weeks: list[int]) -> list[tuple[Series, np.ndarray, int]]:
    result = []
    for series in city_totals("h"):
        for k in range(ORIGINS):
            cut = len(series.y) - HORIZON - 24 * k
            actual = series.y[cut : cut + HORIZON]
            result += [(series.head(cut), actual, w) for w in weeks]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--weeks", default="4,6,8,12,0", help="Windows in weeks; 0: all.")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="End with one JSON line of figures.")
    args = parser.parse_args()
    weeks = [int(w) for w in args.weeks.split(",")]
    with ProcessPoolExecutor(args.workers, mp_context=process_context()) as pool:
        rows = list(pool.map(one, jobs(weeks)))
    figures = {}
    print(f"{'window':<10}{'WAPE':>8}{'s/forecast':>12}")
    for w in weeks:
        mine = [r for r in rows if r[0] == w]
        wape = sum(r[1] for r in mine) / sum(r[2] for r in mine)
        seconds = float(np.mean([r[3] for r in mine]))
        figures[str(w or "all")] = {"wape": round(wape, 4), "seconds": round(seconds, 3)}
        print(f"{(f'{w} weeks' if w else 'all'):<10}{wape:>8.4f}{seconds:>12.3f}")
    if args.json:
        print(json.dumps({"benchmark": "forecast_window", "horizon": HORIZON, "windows": figures}))


if __name__ == "__main__":
    main()
