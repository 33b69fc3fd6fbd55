"""One long series through ``longcat forecast file``: two years of hourly demand (17,520
values), the whole command timed in a fresh process, beside statsforecast's MSTL on the
same series in this one (its fit alone: no reading, no checks, no backtest).

    .venv/bin/python bench/forecast_file.py [--days 730] [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forecasting.synthetic import demand_series  # noqa: E402

HORIZON = 48


def mstl_seconds(y: np.ndarray) -> float:
    from statsforecast.models import MSTL, AutoETS

    model = MSTL(season_length=[24, 168], trend_forecaster=AutoETS(model="ZZN"))
    model.forecast(y=y[-24 * 30 :], h=HORIZON, level=[80])  # numba compiles on first use
    start = time.perf_counter()
    model.forecast(y=y, h=HORIZON, level=[80])
    return time.perf_counter() - start


def command_seconds(csv: Path, out: Path) -> float:
    command = [
        str(ROOT / ".venv" / "bin" / "longcat"),
        "forecast",
        "file",
        str(csv),
        "--horizon",
        str(HORIZON),
        "--out",
        str(out),
        "--json",
    ]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, text=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--days", type=int, default=730, help="Days of hourly history.")
    parser.add_argument("--json", action="store_true", help="End with one JSON line of figures.")
    args = parser.parse_args()
    series, _ = demand_series("zone", args.days, seed=11)
    with tempfile.TemporaryDirectory() as folder:
        csv, out = Path(folder) / "in.csv", Path(folder) / "out.csv"
        frame = series.ds.to_frame(index=False, name="ds").assign(y=series.y)
        frame.to_csv(csv, index=False)
        command = command_seconds(csv, out)
        rows = len(out.read_text().splitlines()) - 1
    mstl = mstl_seconds(np.asarray(series.y))
    print(f"{len(series.y)} hourly values, horizon {HORIZON}")
    print(f"longcat forecast file (whole command): {command:.1f} s, {rows} rows")
    print(f"statsforecast MSTL (fit and forecast): {mstl:.1f} s")
    print(f"ratio: {command / mstl:.2f}")
    if args.json:
        figures = {
            "values": len(series.y),
            "command_s": round(command, 2),
            "mstl_s": round(mstl, 2),
        }
        print(
            json.dumps({"benchmark": "forecast_file", **figures, "ratio": round(command / mstl, 2)})
        )


if __name__ == "__main__":
    main()
