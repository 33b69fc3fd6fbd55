"""M4 Hourly benchmark: Naive2, seasonal naive, Prophet (default and ours), statsforecast
AutoETS and MSTL, and the served pipeline, side by side from one run.

    .venv/bin/python bench/forecast_m4.py [--series N] [--workers 2] [--json]

M4 files have no dates: every series starts at 2020-01-01 00:00 (synthetic), no holidays.
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

from forecasting import baselines, metrics, stats_models  # noqa: E402
from forecasting.m4 import M4_HORIZON, M4_SEASON, M4Case, load_m4_hourly  # noqa: E402
from forecasting.prophet_model import M4_HOURLY, PLAIN, prophet_forecast  # noqa: E402
from forecasting.selection import default_plan, serve  # noqa: E402
from routing.processes import process_context  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "forecasting"
METHODS = ["naive2", "seasonal_naive", "prophet_default", "auto_ets", "mstl", "prophet", "served"]
# Published M4 Hourly figures (m4_reference/m4_point_forecast_scores.csv).
PUBLISHED = {"naive2": (18.383, 2.395, 1.0), "seasonal_naive": (13.912, 1.193, 0.627)}
ANCHORS = {"sNaive": 0.627, "ES-RNN (Smyl, winner)": 0.440, "Doornik (best hourly)": 0.410}


def method(name: str, case: M4Case) -> tuple[np.ndarray, str]:
    series, h = case.series, M4_HORIZON
    if name == "served":
        result = serve(series, h, replace(default_plan("h"), prophet=M4_HOURLY))
        return result.served.yhat, result.chosen
    runs = {
        "naive2": lambda: baselines.naive2(series, h),
        "seasonal_naive": lambda: baselines.seasonal_naive(series, h),
        "prophet_default": lambda: prophet_forecast(series, h, PLAIN),
        "auto_ets": lambda: stats_models.auto_ets(series, h),
        "mstl": lambda: stats_models.mstl(series, h),
        "prophet": lambda: prophet_forecast(series, h, M4_HOURLY),
    }
    return runs[name]().yhat, name


def evaluate(job: tuple[M4Case, list[str]]) -> dict:
    """Every method on one series: sMAPE, MASE, seconds, and what the pipeline served."""
    case, names = job
    row: dict = {"series_id": case.series.series_id}
    for name in names:
        start = time.perf_counter()
        yhat, chosen = method(name, case)
        row[name] = {
            "seconds": time.perf_counter() - start,
            "smape": metrics.smape(case.actual, yhat),
            "mase": metrics.mase(case.actual, yhat, case.series.y, M4_SEASON),
            "chosen": chosen,
        }
    return row


def summarise(rows: list[dict], names: list[str]) -> dict[str, dict[str, float]]:
    means = {
        name: {k: float(np.mean([r[name][k] for r in rows])) for k in ("smape", "mase", "seconds")}
        for name in names
    }
    reference = means["naive2"]
    for figures in means.values():
        figures["owa"] = metrics.owa(
            figures["smape"], figures["mase"], reference["smape"], reference["mase"]
        )
    return means


def print_table(means: dict, rows: list[dict], workers: int, wall: float) -> None:
    print(f"M4 Hourly, {len(rows)} series, h={M4_HORIZON}, m={M4_SEASON}, {workers} processes")
    print(f"{'method':<18}{'sMAPE':>9}{'MASE':>8}{'OWA':>8}{'s/series':>10}  published")
    for name, f in means.items():
        published = PUBLISHED.get(name)
        note = f"sMAPE {published[0]}, MASE {published[1]}, OWA {published[2]}" if published else ""
        print(
            f"{name:<18}{f['smape']:>9.3f}{f['mase']:>8.3f}{f['owa']:>8.3f}"
            f"{f['seconds']:>10.3f}  {note}"
        )
    if "served" in means:
        chosen = [r["served"]["chosen"] for r in rows]
        counts = {c: chosen.count(c) for c in sorted(set(chosen), key=chosen.count, reverse=True)}
        print("served models:", ", ".join(f"{k} {v}" for k, v in counts.items()))
    print("anchors (OWA):", ", ".join(f"{k} {v}" for k, v in ANCHORS.items()))
    print(f"wall time {wall:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=None, help="Only the first N series.")
    parser.add_argument("--every", type=int, default=1, help="Every k-th series (for trials).")
    parser.add_argument("--workers", type=int, default=2, help="Processes in the pool.")
    parser.add_argument("--methods", default=",".join(METHODS), help="Comma-separated subset.")
    parser.add_argument("--data", type=Path, default=DATA / "m4_hourly")
    parser.add_argument("--json", action="store_true", help="End with one JSON line of figures.")
    args = parser.parse_args()
    names = list(dict.fromkeys(["naive2", *args.methods.split(",")]))
    unknown = set(names) - set(METHODS)
    if unknown:
        parser.error(f"unknown methods {sorted(unknown)}; choose from {METHODS}")
    cases = load_m4_hourly(args.data)[:: args.every][: args.series]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers, mp_context=process_context()) as pool:
        rows = []
        for i, row in enumerate(pool.map(evaluate, [(c, names) for c in cases]), 1):
            rows.append(row)
            if i % 20 == 0 or i == len(cases):
                print(f"{i}/{len(cases)} series", file=sys.stderr, flush=True)
    wall = time.perf_counter() - start
    means = summarise(rows, names)
    print_table(means, rows, args.workers, wall)
    if args.json:
        figures = {name: {k: round(v, 4) for k, v in f.items()} for name, f in means.items()}
        print(
            json.dumps(
                {
                    "benchmark": "m4_hourly",
                    "series": len(rows),
                    "workers": args.workers,
                    "wall_seconds": round(wall, 1),
                    "methods": figures,
                }
            )
        )


if __name__ == "__main__":
    main()
