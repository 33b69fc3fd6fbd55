"""Batch forecasting throughput on a Dask LocalCluster with 1 and 2 workers.

Forecasts N synthetic zone series (90 days of hourly history, horizon 48) with the job's
own worker function, `forecasting.jobs.forecast_one`, and prints series per second for
each cluster size, the speed-up, and a projection for a larger cluster.

    .venv/bin/python bench/forecast_scale.py --series 1000 [--model auto|prophet] [--json]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from forecasting.jobs import forecast_one
from forecasting.synthetic import demand_series


def _run(series: list, workers: int, model: str, horizon: int) -> float:
    from distributed import Client, LocalCluster, wait

    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(lambda: None)  # workers are up before the clock starts
        started = time.perf_counter()
        futures = [
            client.submit(
                forecast_one,
                s.series_id,
                str(s.start),
                np.asarray(s.y),
                horizon,
                model,
                "Asia/Shanghai",
                i,
                pure=False,
            )
            for i, s in enumerate(series)
        ]
        wait(futures)
        failed = sum(f.result().status != "done" for f in futures)
        elapsed = time.perf_counter() - started
    if failed:
        raise SystemExit(f"{failed} series failed; the benchmark needs them all to succeed")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=1000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--horizon", type=int, default=48)
    parser.add_argument("--model", choices=("auto", "prophet"), default="auto")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    series = [
        demand_series(f"zone-{i}", args.days, level=float(rng.uniform(5, 80)), seed=i)[0]
        for i in range(args.series)
    ]
    rows = []
    for workers in args.workers:
        elapsed = _run(series, workers, args.model, args.horizon)
        rows.append(
            {
                "workers": workers,
                "seconds": round(elapsed, 1),
                "series_per_s": round(args.series / elapsed, 3),
            }
        )
    base = rows[0]["series_per_s"] / rows[0]["workers"]
    print(f"{args.series} series x {args.days} days hourly, horizon {args.horizon}, {args.model}")
    print(f"{'workers':>8} {'seconds':>9} {'series/s':>9} {'speed-up':>9} {'efficiency':>10}")
    for row in rows:
        row["speed_up"] = round(row["series_per_s"] / rows[0]["series_per_s"], 2)
        row["efficiency"] = round(row["series_per_s"] / (base * row["workers"]), 2)
        print(
            f"{row['workers']:>8} {row['seconds']:>9} {row['series_per_s']:>9} "
            f"{row['speed_up']:>9} {row['efficiency']:>10.0%}"
        )
    per_worker = rows[-1]["series_per_s"] / rows[-1]["workers"]
    projection = {n: round(per_worker * n, 1) for n in (8, 32, 128)}
    print(
        "projection at the last row's per-worker rate (series/s):",
        ", ".join(f"{n} workers: {v}" for n, v in projection.items()),
    )
    if args.json:
        print(
            json.dumps(
                {
                    "series": args.series,
                    "model": args.model,
                    "rows": rows,
                    "projection_series_per_s": projection,
                }
            )
        )


if __name__ == "__main__":
    main()
