"""A weekly series with a strong yearly shape: Prophet's daily example (Wikipedia page views
of Peyton Manning, eight years) summed over whole weeks, as logged views and as views, served
from 12 origins 13 weeks apart (h=13, US holidays) beside statsforecast's MSTL on the same
origins: pooled WAPE and the ratio, from one run.

    .venv/bin/python bench/forecast_weekly_views.py [--json]

A tuning case for weekly data whose year matters (M4 Weekly has few such series): the plan's
combination should not draw the year flatter than MSTL, which sees it.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from forecast_data import Case, peyton_manning  # noqa: E402
from forecast_m4 import statsforecast_mstl  # noqa: E402
from heldout_data import weekly_sums  # noqa: E402

from forecasting.calendar import Calendar  # noqa: E402
from forecasting.selection import default_plan, serve  # noqa: E402
from forecasting.series import Series  # noqa: E402

HORIZON = 13
ORIGINS = 12


def scores(weeks: Series) -> dict[str, float]:
    """Pooled WAPE of the served forecast and of statsforecast's MSTL over the origins."""
    calendar = Calendar("US")
    plan = default_plan("w", calendar=calendar)
    served = mstl = actual = 0.0
    for k in range(ORIGINS):
        cut = len(weeks.y) - HORIZON * (k + 1)
        history, future = weeks.head(cut), weeks.y[cut : cut + HORIZON]
        ours = serve(history, HORIZON, plan, beside=False).served.yhat
        peer = statsforecast_mstl(Case("page_views", history, future, calendar)).yhat
        served += float(np.abs(ours - future).sum())
        mstl += float(np.abs(peer - future).sum())
        actual += float(future.sum())
    return {"served": served / actual, "mstl": mstl / actual}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true", help="End with one JSON line of figures.")
    args = parser.parse_args()
    daily = peyton_manning()
    figures = {}
    print(f"{'series':<12}{'served WAPE':>12}{'MSTL WAPE':>12}{'ratio':>8}")
    for name, values in (("log views", daily.y), ("views", np.exp(daily.y))):
        found = scores(weekly_sums(replace(daily, y=values)))
        ratio = found["served"] / found["mstl"]
        figures[name] = {k: round(v, 4) for k, v in found.items()} | {"ratio": round(ratio, 3)}
        print(f"{name:<12}{found['served']:>12.4f}{found['mstl']:>12.4f}{ratio:>8.3f}")
    if args.json:
        print(json.dumps({"benchmark": "forecast_weekly_views", "horizon": HORIZON, **figures}))


if __name__ == "__main__":
    main()
