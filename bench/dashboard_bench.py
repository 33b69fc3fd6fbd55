"""Script-run time of every dashboard page under AppTest on a city-scale store.

Seeds the `city` scale (200,000+ orders) in a temporary SQLite file, writes a Prophet
forecast run and a staffing plan so the forecast pages have data, then runs each page
cold (caches cleared) and warm (cached queries reused), and the order board with each of
its filters, and prints the table. Targets: at most 2.5 s cold and 1.5 s warm.

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
    "orders.py",
    "couriers.py",
    "history.py",
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


# The order board with each filter: (what, how to set it on a fresh run of the page).
FILTERS = (
    ("status: assigned", lambda app: app.multiselect[1].select("assigned")),
    ("zone: first", lambda app: app.multiselect[0].select(app.multiselect[0].options[0])),
    ("late or at risk", lambda app: app.multiselect[2].select("late").select("at risk")),
    ("courier: first", lambda app: app.multiselect[3].select(app.multiselect[3].options[0])),
    ("search: words", lambda app: app.text_input[0].input("road")),
    ("search: an order id", lambda app: app.text_input[0].input("1")),
)


def time_board_filters(url: str) -> list[dict[str, float | str]]:
    """Each filter of the board, cold (caches cleared) and warm, on the order board."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["LONGCAT_DATABASE_URL"] = url
    rows = []
    for name, set_filter in FILTERS:
        timings = []
        for cold in (True, False):
            app = AppTest.from_file(str(PAGE_DIR / "orders.py"), default_timeout=120)
            app.run()  # draws the widgets the filter is set on
            if cold:  # the filtered run then reads the store again
                st.cache_data.clear()
                st.cache_resource.clear()
            set_filter(app)
            started = time.perf_counter()
            app.run()
            timings.append(time.perf_counter() - started)
            if app.exception:
                raise SystemExit(f"orders ({name}): {app.exception[0].value}")
        rows.append({"page": f"orders, {name}", "cold_s": round(timings[0], 2),
                     "warm_s": round(timings[1], 2)})  # fmt: skip
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
    rows = time_pages(url) + time_board_filters(url)
    print(f"{'page':<32} {'cold s':>7} {'warm s':>7}  target 2.5 s cold, 1.5 s warm")
    for r in rows:
        flag = "ok" if float(r["cold_s"]) <= 2.5 and float(r["warm_s"]) <= 1.5 else "SLOW"
        print(f"{r['page']:<32} {r['cold_s']:>7} {r['warm_s']:>7}  {flag}")
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
