"""Batch forecasting throughput on a Dask LocalCluster: synthetic zone series (90 days of
hourly history each) served with 1 and then 2 workers, in series per second.

    .venv/bin/python bench/forecast_scale.py [--series 1000] [--workers 1,2] [--model auto] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forecasting.selection import default_plan, serve  # noqa: E402
from forecasting.series import Series  # noqa: E402
from forecasting.synthetic import demand_series  # noqa: E402

HORIZON = 48


def forecast_one(series: Series, model: str) -> str:
    """What a batch worker does per zone: serve one series, return the model chosen."""
    plan = default_plan("h", force=None if model == "auto" else model)
    return serve(series, HORIZON, plan).chosen


def run(series: list[Series], workers: int, model: str) -> float:
    """Seconds to serve every series on a fresh cluster of ``workers`` single-thread processes."""
    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        # Warm each worker (imports, numba compilation) so the timing is the steady state.
        client.gather(client.map(forecast_one, series[:workers], [model] * workers, pure=False))
        start = time.perf_counter()
        futures = client.map(forecast_one, series, [model] * len(series), pure=False)
        client.gather(futures)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=1000, help="Zone series to forecast.")
    parser.add_argument("--days", type=int, default=90, help="Days of hourly history each.")
    parser.add_argument("--workers", default="1,2", help="Cluster sizes to time, in order.")
    parser.add_argument("--model", choices=["auto", "prophet"], default="auto")
    parser.add_argument("--json", action="store_true", help="End with one JSON line of figures.")
    args = parser.parse_args()
    series = [
        demand_series(f"zone-{i}", args.days, level=10 + i % 60, seed=i)[0]
        for i in range(args.series)
    ]
    rates = {}
    for workers in (int(w) for w in args.workers.split(",")):
        seconds = run(series, workers, args.model)
        rates[workers] = len(series) / seconds
        print(
            f"{workers} worker(s): {len(series)} series in {seconds:.1f} s, "
            f"{rates[workers]:.2f} series/s"
        )
    per_worker = max(rates.values()) / max(rates)
    print(
        f"per worker: {per_worker:.2f} series/s; a nightly run of 10,000 zones would take "
        f"about {10_000 / per_worker / 32 / 60:.0f} min on 32 workers if scaling stays linear"
    )
    if args.json:
        print(
            json.dumps(
                {
                    "benchmark": "forecast_scale",
                    "series": len(series),
                    "days": args.days,
                    "model": args.model,
                    "series_per_second": rates,
                }
            )
        )


if __name__ == "__main__":
    main()
