"""Racing dispatchers on PostgreSQL: N rounds started at once over the same snapshot.

The seeded city's assigned pickups are first handed back (as after a dispatch outage), so
every race starts with many orders waiting. For each N it copies that store (PostgreSQL's
database templates, so every race starts from the same open orders), starts N processes,
releases them together and waits.
It reports how many rounds succeeded (a plan written, or nothing left to do after
re-basing on the winner's), the plan versions written, the re-bases, the wall time from
the start to the last round's end, and the orders that got a courier, beside a single
round on the same snapshot in the same run (the ratios). The peer is that single round.

    .venv/bin/python bench/dispatch_race.py --json
    .venv/bin/python bench/dispatch_race.py --sizes 4,8 --scale small --json
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from apps.city.build import build_city
from apps.city.scales import SCALES
from apps.city.seed import seed_city
from db.domain.status import OrderStatus
from db.engine import make_engine
from db.migrate import upgrade
from db.models import Order, RoutePlan
from routing.processes import process_context
from routing.service.dispatch import doubly_assigned, hand_back

BASE = "longcat_race_base"


def _racer(url: str, now: datetime, limit: float, start, results) -> None:
    from routing.service.dispatch import PlanConflictError, run_round

    engine = make_engine(url)
    start.wait()
    try:
        result = run_round(engine, now=now, time_limit_s=limit, actor="race")
        results.put(("ok", result.version, result.attempts))
    except PlanConflictError as exc:
        results.put(("conflict", None, str(exc)))
    engine.dispose()


def _admin(server: str):
    return create_engine(make_url(server).set(database="postgres"), isolation_level="AUTOCOMMIT")


def _copy(server: str, name: str) -> str:
    admin = _admin(server)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{BASE}"'))
    admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def _drop(server: str, name: str) -> None:
    admin = _admin(server)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def seed_base(server: str, scale: str, seed: int, now: datetime) -> dict:
    _drop(server, BASE)
    admin = _admin(server)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{BASE}"'))
    admin.dispose()
    url = make_url(server).set(database=BASE).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    seed_city(engine, build_city(SCALES[scale], seed, now))
    with engine.begin() as conn:
        hand_back(conn, now)
    with engine.connect() as conn:
        waiting = conn.scalar(
            select(func.count()).select_from(Order).where(Order.status == OrderStatus.CONFIRMED)
        )
    engine.dispose()
    return {"waiting": int(waiting)}


def race(server: str, rounds: int, now: datetime, limit: float) -> dict:
    name = f"longcat_race_{rounds}"
    url = _copy(server, name)
    ctx = process_context()
    start, results = ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(target=_racer, args=(url, now, limit, start, results)) for _ in range(rounds)
    ]
    for p in procs:
        p.start()
    time.sleep(2.0 + 0.25 * rounds)  # every process imported the solver and waits
    began = time.monotonic()
    start.set()
    outcomes = [results.get(timeout=900) for _ in procs]
    wall = time.monotonic() - began
    for p in procs:
        p.join(timeout=60)
    engine = make_engine(url)
    with engine.connect() as conn:
        assigned = conn.scalar(
            select(func.count()).select_from(Order).where(Order.status == OrderStatus.ASSIGNED)
        )
        doubled = doubly_assigned(conn)
        versions = conn.scalar(
            select(func.count()).select_from(RoutePlan).where(RoutePlan.created_by == "race")
        )
    engine.dispose()
    _drop(server, name)
    ok = [o for o in outcomes if o[0] == "ok"]
    return {
        "rounds": rounds,
        "succeeded": len(ok),
        "failed": rounds - len(ok),
        "versions": int(versions or 0),
        "rebases": sum(o[2] - 1 for o in ok),
        "wall_s": round(wall, 2),
        "assigned": int(assigned or 0),
        "double_assigned": len(doubled),
        "exit_codes_nonzero": sum(1 for p in procs if p.exitcode),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432/test",
                        help="a PostgreSQL URL whose user may create databases")  # fmt: skip
    parser.add_argument("--sizes", default="4,8,16,32", help="concurrent rounds per race")
    parser.add_argument("--scale", default="city", choices=sorted(SCALES))
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--now", default="2026-11-27T04:30:00+00:00",
                        help="the store's present: the lunch rush in Shanghai")  # fmt: skip
    parser.add_argument("--time-limit", type=float, default=2.0, help="each round's solve, s")
    parser.add_argument("--json", action="store_true", help="last line: headline JSON")
    args = parser.parse_args(argv)
    now = datetime.fromisoformat(args.now)
    seeded = seed_base(args.server, args.scale, args.seed, now)
    print(f"{args.scale} city, {seeded['waiting']} orders waiting for a courier at {args.now}")
    single = race(args.server, 1, now, args.time_limit)
    rows = []
    header = (
        f"{'rounds':>6} {'ok':>4} {'failed':>6} {'versions':>8} {'rebases':>7} {'wall s':>7} "
        f"{'assigned':>8} {'doubled':>7} {'wall/single':>11} {'assigned/single':>15}"
    )
    print(header)
    for rounds in [1] + [int(s) for s in args.sizes.split(",")]:
        row = single if rounds == 1 else race(args.server, rounds, now, args.time_limit)
        row["wall_ratio"] = round(row["wall_s"] / single["wall_s"], 2)
        row["assigned_ratio"] = round(row["assigned"] / max(1, single["assigned"]), 3)
        rows.append(row)
        print(
            f"{row['rounds']:>6} {row['succeeded']:>4} {row['failed']:>6} {row['versions']:>8} "
            f"{row['rebases']:>7} {row['wall_s']:>7} {row['assigned']:>8} "
            f"{row['double_assigned']:>7} {row['wall_ratio']:>10}x {row['assigned_ratio']:>14}x"
        )
    _drop(args.server, BASE)
    if args.json:
        print(json.dumps({"waiting": seeded["waiting"], "time_limit_s": args.time_limit,
                          "races": rows}))  # fmt: skip


if __name__ == "__main__":
    main()
