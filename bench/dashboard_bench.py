"""Script-run time of every dashboard page under AppTest on a city-scale store.

Seeds the `city` scale (200,000+ orders) in a temporary SQLite file, writes a Prophet
forecast run and a staffing plan so the forecast pages have data, then runs each page
cold (caches cleared) and warm (cached queries reused) and prints the table. Target:
at most 2 s per page.

    .venv/bin/python bench/dashboard_bench.py [--store sqlite:///existing.db] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

PAGES = (
    "live.py",
    "dispatch.py",
    "forecasts.py",
    "supply.py",
    "agent.py",
    "service.py",
    "data_import.py",
)
PAGE_DIR = Path(__file__).resolve().parents[1] / "dashboard" / "pages"


def prepare(url: str) -> None:
    from distributed import Client, LocalCluster

    from apps.city.build import build_city
    from apps.city.geography import LOCAL_TZ
    from apps.city.scales import SCALES
    from apps.city.seed import seed_city
    from db.domain.rules import CITY_TIMEZONE
    from db.engine import make_engine
    from db.migrate import upgrade
    from forecasting.jobs import RunSettings, execute_run, start_run
    from forecasting.staffing_plan import make_plan

    now = datetime.now(UTC).replace(minute=30, second=0, microsecond=0)
    engine = make_engine(url)
    upgrade(engine)
    seed_city(engine, build_city(SCALES["city"], 7, now))
    run_id = start_run(engine, RunSettings(horizon=48, model="prophet"), now)
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        execute_run(engine, run_id, client)
    tomorrow = (now.astimezone(LOCAL_TZ) + timedelta(days=1)).date()
    make_plan(engine, tomorrow, CITY_TIMEZONE, run_id=run_id, now=now)
    engine.dispose()


def time_pages(url: str) -> list[dict[str, float | str]]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["LONGCAT_DATABASE_URL"] = url
    rows = []
    for name in PAGES:
        st.cache_data.clear()
        st.cache_resource.clear()
        timings = []
        for _ in range(2):  # cold, then warm
            app = AppTest.from_file(str(PAGE_DIR / name), default_timeout=120)
            started = time.perf_counter()
            app.run()
            timings.append(time.perf_counter() - started)
            if app.exception:
                raise SystemExit(f"{name}: {app.exception[0].value}")
        rows.append(
            {
                "page": name.removesuffix(".py"),
                "cold_s": round(timings[0], 2),
                "warm_s": round(timings[1], 2),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="An existing city-scale store to reuse.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    url = args.store
    if url is None:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='longcat-dash-')) / 'city.db'}"
        started = time.perf_counter()
        prepare(url)
        print(f"city store ready in {time.perf_counter() - started:.0f} s: {url}")
    rows = time_pages(url)
    print(f"{'page':<12} {'cold s':>7} {'warm s':>7}  target 2 s")
    for r in rows:
        flag = "ok" if r["cold_s"] <= 2 else "SLOW"
        print(f"{r['page']:<12} {r['cold_s']:>7} {r['warm_s']:>7}  {flag}")
    if args.json:
        print(
            json.dumps(
                {
                    "store": url,
                    "pages": rows,
                    "max_cold_s": max(r["cold_s"] for r in rows),
                    "max_warm_s": max(r["warm_s"] for r in rows),
                }
            )
        )


if __name__ == "__main__":
    main()
