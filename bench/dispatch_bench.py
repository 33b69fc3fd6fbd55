"""Live dispatch benchmark: one round on generated city snapshots of growing size.

For each size it reports wall time, orders assigned against orders servable (each by at
least one courier on its own, an upper bound on any plan), and cost against the same round
given a longer reference budget. Snapshots come from a seeded generator around Shanghai.

    .venv/bin/python bench/dispatch_bench.py --json
    .venv/bin/python bench/dispatch_bench.py --sizes 100,300 --reference 20
"""

from __future__ import annotations

import argparse
import json
import time

from routing.live.screen import screen
from routing.live.solve import dispatch
from routing.live.synthetic_city import city_snapshot
from routing.travel.providers import HaversineProvider


def run_size(orders: int, args) -> dict:
    problem = city_snapshot(orders, seed=args.seed)
    travel = HaversineProvider()
    servable = screen(problem, travel).servable
    started = time.monotonic()
    plan = dispatch(problem, travel, args.time_limit, args.cluster_orders, args.workers)
    wall = time.monotonic() - started
    row = {
        "orders": orders, "couriers": len(problem.couriers), "servable": servable,
        "assigned": plan.assigned, "wall_s": round(wall, 2), "cost": round(plan.cost),
        "late_min": round(plan.late_s / 60), "clusters": plan.clusters,
        "passes": plan.passes,
    }  # fmt: skip
    if args.reference > 0:
        reference = dispatch(problem, travel, args.reference, args.cluster_orders, args.workers)
        row["ref_assigned"] = reference.assigned
        row["ref_cost"] = round(reference.cost)
        # Costs compare only between plans that serve the same orders count.
        row["cost_gap_pct"] = round(100 * (plan.cost - reference.cost) / reference.cost, 2)
    return row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,300,1000,3000", help="open orders per round")
    parser.add_argument("--time-limit", type=float, default=5.0, help="seconds for a round")
    parser.add_argument("--reference", type=float, default=60.0,
                        help="seconds for the reference round (0: skip)")  # fmt: skip
    parser.add_argument("--workers", type=int, default=2, help="processes for the clusters")
    parser.add_argument("--cluster-orders", type=int, default=None,
                        help="orders per cluster (default: the engine's choice)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="last line: headline JSON")
    args = parser.parse_args(argv)
    rows = []
    header = (
        f"{'orders':>6} {'couriers':>8} {'servable':>8} {'assigned':>8} {'wall s':>6} "
        f"{'cost':>9} {'late min':>8} {'passes':>6} {'ref assigned':>12} {'ref cost':>9} "
        f"{'gap %':>6}"
    )
    print(header)  # fmt: skip
    for size in (int(s) for s in args.sizes.split(",")):
        row = run_size(size, args)
        rows.append(row)
        print(f"{row['orders']:>6} {row['couriers']:>8} {row['servable']:>8} "
              f"{row['assigned']:>8} {row['wall_s']:>6} {row['cost']:>9} {row['late_min']:>8} "
              f"{row['passes']:>6} "
              f"{row.get('ref_assigned', ''):>12} {row.get('ref_cost', ''):>9} "
              f"{row.get('cost_gap_pct', ''):>6}", flush=True)  # fmt: skip
    if args.json:
        print(json.dumps({"time_limit_s": args.time_limit, "reference_s": args.reference,
                          "workers": args.workers, "cluster_orders": args.cluster_orders,
                          "seed": args.seed, "rounds": rows}))  # fmt: skip


if __name__ == "__main__":
    main()
