"""Forecasting benchmark on three frequencies: M4 Hourly (414 series, h=48), M4 Weekly (359
series, h=13) and daily rolling origins (h=14, 8 origins each on Prophet's daily example and
the seeded city's daily totals), every method side by side from one run:

    .venv/bin/python bench/forecast_m4.py [--freq h,w,d] [--series N] [--workers 2] [--json]
    .venv/bin/python bench/forecast_m4.py --set heldout|heldout2|heldout3 [--json]

``--set heldout`` scores the same methods on real series nobody tuned on
(``bench/heldout_data.py``: electricity, flights, page views, rail entries, births, fuel), and
``--set heldout2`` on a second such set written later (``bench/heldout2_data.py``: police
stops, tweets, cholera deaths, solar output, hotel arrivals, CO2, avocado sales), and
``--set heldout3`` on a third (``bench/heldout3_data.py``: sea temperatures, emails, Expedia
events, bike rentals, wildlife strikes, air temperature, Walmart sales, London murders).

Naive2, seasonal naive, Prophet as it comes, statsforecast AutoETS, AutoARIMA, MSTL and
Theta, our Prophet (the frequency's configuration) and the served pipeline; on weekly data
also our own ARIMA (``arima``, forecasting/fast_arima.py: no season of its own, a yearly one
taken out first where the 90% test finds it; the weekly race has it in AutoARIMA's place),
with its ratios to AutoARIMA. Every worker runs each method once before the timed cases, so
no method's first-call compiling counts. M4 files have no
dates: every series starts at 2020-01-01 (synthetic) and no holidays apply; the daily series
have real dates (US holidays for the page views, CN for the city).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from forecast_data import FREQUENCIES, Case, cases_for  # noqa: E402
from heldout2_data import heldout2_cases  # noqa: E402
from heldout3_data import heldout3_cases  # noqa: E402
from heldout_data import heldout_cases  # noqa: E402

from forecasting import arima_model, baselines, metrics, stats_models  # noqa: E402
from forecasting.calendar import days_for  # noqa: E402
from forecasting.errors import ForecastingError  # noqa: E402
from forecasting.prophet_model import BY_FREQ, M4_HOURLY, PLAIN, prophet_forecast  # noqa: E402
from forecasting.selection import default_plan, serve  # noqa: E402
from forecasting.series import Forecast  # noqa: E402
from routing.processes import process_context  # noqa: E402

METHODS = [
    "naive2",
    "seasonal_naive",
    "prophet_default",
    "auto_ets",
    "auto_arima",
    "arima",
    "mstl",
    "theta",
    "prophet",
    "served",
]
# The tuning cases, and three held-out sets nobody tuned on (bench/heldout_data.py,
# bench/heldout2_data.py, bench/heldout3_data.py): each set's cases and the title its tables
# carry ("" for the frequency's own name).
SETS: dict[str, tuple[Callable[[str], list[Case]], str]] = {
    "main": (cases_for, ""),
    "heldout": (heldout_cases, "held-out"),
    "heldout2": (heldout2_cases, "held-out (second set)"),
    "heldout3": (heldout3_cases, "held-out (third set)"),
}
PEERS = ("auto_ets", "auto_arima", "mstl", "theta")
# Published figures (m4_reference/m4_point_forecast_scores.csv): sMAPE, MASE, OWA.
PUBLISHED = {
    "h": {"naive2": (18.383, 2.395, 1.0), "seasonal_naive": (13.912, 1.193, 0.627)},
    "w": {"naive2": (9.161, 2.777, 1.0), "seasonal_naive": (9.161, 2.777, 1.0)},
}
ANCHORS = {
    "h": {"ES-RNN (Smyl, winner)": 0.440, "Doornik (best hourly)": 0.410},
    "w": {"ES-RNN (Smyl, winner)": 0.851, "FFORMA (2nd)": 0.796, "Darin (best weekly)": 0.739},
}


def our_prophet(case: Case) -> Forecast:
    freq = case.series.freq
    config = M4_HOURLY if case.source == "m4_hourly" else BY_FREQ[freq]
    days = days_for(case.calendar, case.series, case.horizon)
    return prophet_forecast(
        case.series, case.horizon, replace(config, special_days=tuple(days.items()))
    )


def statsforecast_mstl(case: Case) -> Forecast:
    """statsforecast's MSTL as it comes (no STL jumps), the frequency's seasons."""
    from statsforecast.models import MSTL, AutoETS

    periods = stats_models.mstl_periods(case.series)
    model = MSTL(periods, trend_forecaster=AutoETS(model="ZZN"))
    return stats_models.run(case.series, "mstl", model, case.horizon, 80)


def served(case: Case) -> Forecast:
    plan = default_plan(case.series.freq, calendar=case.calendar)
    if case.source == "m4_hourly":
        plan = replace(plan, prophet=M4_HOURLY)
    # As ``longcat forecast file`` serves: no Prophet beside the served forecast.
    result = serve(case.series, case.horizon, plan, beside=False)
    return replace(result.served, model=result.chosen)


def defaults(freq: str) -> list[str]:
    """Every method; our ARIMA is scored on weekly data, which it serves, unless asked for
    by name."""
    return [name for name in METHODS if name != "arima" or freq == "w"]


def runner(name: str, case: Case) -> Callable[[], Forecast]:
    series, h = case.series, case.horizon
    frequency = FREQUENCIES[series.freq]
    season = frequency.naive2_season
    runs: dict[str, Callable[[], Forecast]] = {
        "naive2": lambda: baselines.naive2(series, h, period=season),
        "seasonal_naive": lambda: baselines.seasonal_naive(series, h, period=season),
        "prophet_default": lambda: prophet_forecast(series, h, PLAIN),
        "auto_ets": lambda: stats_models.auto_ets(series, h),
        "auto_arima": lambda: stats_models.auto_arima(series, h),
        "arima": lambda: arima_model.arima(series, h),
        "mstl": lambda: statsforecast_mstl(case),
        "theta": lambda: stats_models.theta(series, h),
        "prophet": lambda: our_prophet(case),
        "served": lambda: served(case),
    }
    return runs[name]


def evaluate(job: tuple[Case, list[str]]) -> dict:
    """Every method on one case: sMAPE, MASE, absolute error, coverage, seconds."""
    case, names = job
    m = FREQUENCIES[case.series.freq].mase_season
    row: dict = {
        "series_id": case.series.series_id,
        "source": case.source,
        "horizon": case.horizon,
    }
    for name in names:
        start = time.perf_counter()
        try:
            forecast = runner(name, case)()
            failed = 0
        except ForecastingError:
            # A method that cannot forecast a series is scored with Naive2's forecast there.
            forecast, failed = runner("naive2", case)(), 1
        row[name] = {
            "failed": failed,
            "seconds": time.perf_counter() - start,
            "smape": metrics.smape(case.actual, forecast.yhat),
            "mase": metrics.mase(case.actual, forecast.yhat, case.series.y, m),
            "abs_error": float(np.abs(case.actual - forecast.yhat).sum()),
            "abs_actual": float(np.abs(case.actual).sum()),
            "coverage": metrics.coverage(case.actual, forecast.lower, forecast.upper),
            "msis": metrics.msis(case.actual, forecast.lower, forecast.upper, case.series.y, m),
            "chosen": forecast.model,
        }
    return row


def summarise(rows: list[dict], names: list[str]) -> dict[str, dict[str, float]]:
    keys = ("smape", "mase", "coverage", "msis", "seconds", "failed")
    means = {name: {k: float(np.mean([r[name][k] for r in rows])) for k in keys} for name in names}
    reference = means["naive2"]
    for name, figures in means.items():
        figures["owa"] = metrics.owa(
            figures["smape"], figures["mase"], reference["smape"], reference["mase"]
        )
        error = sum(r[name]["abs_error"] for r in rows)
        figures["wape"] = error / max(sum(r[name]["abs_actual"] for r in rows), 1e-9)
    return means


def print_table(freq: str, means: dict, rows: list[dict], wall: float, title: str) -> None:
    frequency = FREQUENCIES[freq]
    horizon = rows[0]["horizon"]
    print(
        f"\n{title}: {len(rows)} forecasts, h={horizon}, MASE season "
        f"{frequency.mase_season}, Naive2 season {frequency.naive2_season}"
    )
    print(
        f"{'method':<18}{'sMAPE':>9}{'MASE':>8}{'OWA':>8}{'WAPE':>8}{'cover80':>9}{'MSIS80':>8}"
        f"{'s/series':>10}"
    )
    for name, f in means.items():
        published = PUBLISHED.get(freq, {}).get(name)
        note = f"  published sMAPE {published[0]}, MASE {published[1]}" if published else ""
        print(
            f"{name:<18}{f['smape']:>9.3f}{f['mase']:>8.3f}{f['owa']:>8.3f}{f['wape']:>8.3f}"
            f"{f['coverage']:>9.3f}{f['msis']:>8.2f}{f['seconds']:>10.3f}{note}"
        )
    if "served" in means:
        chosen = [r["served"]["chosen"] for r in rows]
        counts = {c: chosen.count(c) for c in sorted(set(chosen), key=chosen.count, reverse=True)}
        print("served models:", ", ".join(f"{k} {v}" for k, v in counts.items()))
        peers = [p for p in PEERS if p in means]
        if peers:
            best = min(peers, key=lambda p: means[p]["owa"])
            ratio = means["served"]["owa"] / means[best]["owa"]
            print(f"served OWA / best statsforecast peer ({best}) OWA: {ratio:.3f}")
            best = min(peers, key=lambda p: means[p]["wape"])
            ratio = means["served"]["wape"] / means[best]["wape"]
            print(f"served WAPE / best statsforecast peer ({best}) WAPE: {ratio:.3f}")
        if "mstl" in means:
            ratio = means["served"]["seconds"] / means["mstl"]["seconds"]
            print(f"served s/series / MSTL s/series: {ratio:.2f}")
    if "arima" in means and "auto_arima" in means:
        ours, theirs = means["arima"], means["auto_arima"]
        print(
            "our ARIMA / statsforecast AutoARIMA: "
            + ", ".join(f"{k} {ours[k] / theirs[k]:.3f}" for k in ("smape", "mase", "seconds"))
        )
    anchors = ANCHORS.get(freq)
    if anchors:
        print("anchors (OWA):", ", ".join(f"{k} {v}" for k, v in anchors.items()))
    print(f"wall time {wall:.0f} s")


def by_source(rows: list[dict], names: list[str]) -> dict[str, dict[str, float]]:
    """Pooled WAPE per method within each source (the daily table pools two)."""
    result = {}
    for source in sorted({r["source"] for r in rows}):
        mine = [r for r in rows if r["source"] == source]
        result[source] = {
            name: round(
                sum(r[name]["abs_error"] for r in mine) / sum(r[name]["abs_actual"] for r in mine),
                4,
            )
            for name in names
        }
    return result


def run_frequency(freq: str, names: list[str], args: argparse.Namespace) -> dict:
    load, label = SETS[args.set]
    cases = load(freq)[args.offset :: args.every][: args.series]
    start = time.perf_counter()
    rows = []
    # Every method runs once in each worker before the timed cases: a first call compiles
    # numba code (a second or more), which would count against whichever method first calls
    # that code in the worker.
    with ProcessPoolExecutor(
        max_workers=args.workers,
        mp_context=process_context(),
        initializer=evaluate,
        initargs=((cases[0], names),),
    ) as pool:
        for i, row in enumerate(pool.map(evaluate, [(c, names) for c in cases]), 1):
            rows.append(row)
            if i % 20 == 0 or i == len(cases):
                print(f"{freq}: {i}/{len(cases)} forecasts", file=sys.stderr, flush=True)
    wall = time.perf_counter() - start
    means = summarise(rows, names)
    title = FREQUENCIES[freq].name
    if label:
        title = f"{label} {dict(h='hourly', d='daily', w='weekly')[freq]}"
    print_table(freq, means, rows, wall, title)
    sources = by_source(rows, names)
    if len(sources) > 1:
        for source, wapes in sources.items():
            print(f"  {source} pooled WAPE:", ", ".join(f"{k} {v}" for k, v in wapes.items()))
    return {
        "forecasts": len(rows),
        "wall_seconds": round(wall, 1),
        "methods": {name: {k: round(v, 4) for k, v in f.items()} for name, f in means.items()},
        "wape_by_source": sources,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--freq", default="h,w,d", help="Frequencies to run: h, w, d.")
    parser.add_argument("--set", choices=tuple(SETS), default="main", help="Which cases to score.")
    parser.add_argument("--series", type=int, default=None, help="Only the first N cases.")
    parser.add_argument("--every", type=int, default=1, help="Every k-th case (for trials).")
    parser.add_argument("--offset", type=int, default=0, help="With --every: start here.")
    parser.add_argument("--workers", type=int, default=2, help="Processes in the pool.")
    parser.add_argument(
        "--methods",
        default=None,
        help="Comma-separated subset (default: every method; our ARIMA on weekly data only).",
    )
    parser.add_argument("--json", action="store_true", help="End with one JSON line of figures.")
    args = parser.parse_args()
    asked = args.methods.split(",") if args.methods else None
    unknown = set(asked or ()) - set(METHODS)
    if unknown:
        parser.error(f"unknown methods {sorted(unknown)}; choose from {METHODS}")
    freqs = [f.strip() for f in args.freq.split(",")]
    if set(freqs) - set(FREQUENCIES):
        parser.error(f"--freq: choose from {sorted(FREQUENCIES)}")
    figures = {
        freq: run_frequency(freq, list(dict.fromkeys(["naive2", *(asked or defaults(freq))])), args)
        for freq in freqs
    }
    if args.json:
        print(
            json.dumps(
                {
                    "benchmark": "forecast_three_frequencies",
                    "set": args.set,
                    "workers": args.workers,
                    **figures,
                }
            )
        )


if __name__ == "__main__":
    main()
