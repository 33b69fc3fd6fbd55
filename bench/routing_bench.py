"""Routing benchmark: our engine against PyVRP and VROOM on Solomon and Li & Lim.

Every solver gets the same wall-time budget per instance, one solver at a time. "ours" is
the portfolio (OR-Tools raced against PyVRP on the second core); "ortools" is OR-Tools alone.
Gaps are to the best-known solutions in bks.csv under each family's convention.

    .venv/bin/python bench/routing_bench.py --time-limit 10 --json
    .venv/bin/python bench/routing_bench.py --instances C101,R101,lc101 --solvers ours,pyvrp
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

from routing.benchmarks.checker import check_solution
from routing.benchmarks.engines import solve
from routing.benchmarks.problem import Family
from routing.benchmarks.readers import read_instance
from routing.benchmarks.solution import SolverError

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "routing"
SOLVERS = {"ours": "portfolio", "ortools": "ortools", "pyvrp": "pyvrp", "vroom": "vroom"}
FIELDS = ["family", "instance", "solver", "cost", "vehicles", "feasible", "seconds",
          "bks_cost", "bks_vehicles", "gap_pct"]  # fmt: skip


def load_bks(data: Path) -> dict[str, dict[str, str]]:
    with (data / "bks.csv").open() as f:
        return {row["instance"]: row for row in csv.DictReader(f)}


def pick(data: Path, bks, families: list[str], names: list[str] | None, per_family: int | None):
    chosen = []
    for family in families:
        rows = [r for r in bks.values() if r["family"].startswith(family)]
        if names:
            rows = [r for r in rows if r["instance"] in names]
        rows = rows[:per_family] if per_family else rows
        chosen += [(family, data / family / f"{r['instance']}.txt") for r in rows]
    return chosen


def run_one(path: Path, solver: str, time_limit: float, bks_row) -> dict:
    instance = read_instance(path)
    started = time.monotonic()
    try:
        solution = solve(instance, time_limit, SOLVERS[solver])
        report = check_solution(instance, solution.routes)
        cost, vehicles, feasible = report.cost, report.vehicles, report.feasible
    except SolverError as exc:
        print(f"  {solver} on {instance.name}: {exc}", file=sys.stderr)
        cost, vehicles, feasible = float("nan"), 0, False
    bks_cost = float(bks_row["distance"])
    return {
        "family": instance.family.value, "instance": instance.name, "solver": solver,
        "cost": round(cost, 4), "vehicles": vehicles, "feasible": feasible,
        "seconds": round(time.monotonic() - started, 2), "bks_cost": bks_cost,
        "bks_vehicles": int(bks_row["vehicles"] or 0),
        "gap_pct": round(100 * (cost - bks_cost) / bks_cost, 3),
    }  # fmt: skip


def summarise(rows: list[dict]) -> dict:
    out: dict = {}
    for family in (Family.SOLOMON.value, Family.LILIM.value):
        for solver in SOLVERS:
            mine = [r for r in rows if r["family"] == family and r["solver"] == solver]
            if mine:
                out.setdefault(family, {})[solver] = _figures(family, mine)
    return out


def _figures(family: str, rows: list[dict]) -> dict:
    ok = [r for r in rows if r["feasible"]]
    figures = {"instances": len(rows), "feasible": len(ok),
               "mean_seconds": round(sum(r["seconds"] for r in rows) / len(rows), 2)}  # fmt: skip
    if family == Family.SOLOMON.value:
        gaps = [r["gap_pct"] for r in ok]
        figures["mean_gap_pct"] = round(sum(gaps) / len(gaps), 3) if gaps else None
        figures["max_gap_pct"] = round(max(gaps), 3) if gaps else None
        figures["at_bks"] = sum(1 for g in gaps if g <= 0.005)
        return figures
    equal = [r for r in ok if r["vehicles"] <= r["bks_vehicles"]]
    gaps = [r["gap_pct"] for r in equal]
    figures["bks_vehicles_pct"] = round(100 * len(equal) / len(rows), 1)
    figures["vehicles_over_bks"] = sum(r["vehicles"] - r["bks_vehicles"] for r in ok)
    figures["mean_gap_pct_equal_vehicles"] = round(sum(gaps) / len(gaps), 3) if gaps else None
    figures["within_2pct_of_equal"] = sum(1 for g in gaps if g <= 2.0)
    return figures


def print_table(summary: dict, time_limit: float) -> None:
    print(f"\nper-family results at {time_limit:g} s per instance")
    print(f"{'family':8} {'solver':8} {'n':>4} {'feas':>4} {'mean gap %':>10} {'max gap %':>9} "
          f"{'BKS veh %':>9} {'gap % (=veh)':>12} {'<=2%':>5} {'s/inst':>6}")  # fmt: skip
    for family, solvers in summary.items():
        for solver, f in solvers.items():
            print(f"{family:8} {solver:8} {f['instances']:>4} {f['feasible']:>4} "
                  f"{_fmt(f.get('mean_gap_pct')):>10} {_fmt(f.get('max_gap_pct')):>9} "
                  f"{_fmt(f.get('bks_vehicles_pct')):>9} "
                  f"{_fmt(f.get('mean_gap_pct_equal_vehicles')):>12} "
                  f"{f.get('within_2pct_of_equal', ''):>5} {f['mean_seconds']:>6}")  # fmt: skip


def _fmt(value) -> str:
    return "" if value is None else f"{value:.2f}" if isinstance(value, float) else str(value)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance")
    parser.add_argument("--families", default="solomon,lilim")
    parser.add_argument("--instances", help="comma-separated names, e.g. C101,lr101")
    parser.add_argument("--per-family", type=int, help="only the first N of each family")
    parser.add_argument("--solvers", default=",".join(SOLVERS))
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--csv", type=Path, help="also write one row per run here")
    parser.add_argument("--from-csv", type=Path, help="summarise an earlier --csv file instead")
    parser.add_argument("--json", action="store_true", help="last line: headline JSON")
    args = parser.parse_args(argv)
    rows = _read_rows(args.from_csv) if args.from_csv else _run(args)
    summary = summarise(rows)
    print_table(summary, args.time_limit)
    if args.json:
        print(json.dumps({"time_limit_s": args.time_limit, "runs": len(rows), **summary}))


def _run(args) -> list[dict]:
    bks = load_bks(args.data)
    names = args.instances.split(",") if args.instances else None
    solvers = [s for s in args.solvers.split(",") if s]
    unknown = set(solvers) - set(SOLVERS)
    if unknown:
        raise SystemExit(f"--solvers: unknown {sorted(unknown)}; choose from {list(SOLVERS)}")
    rows = []
    writer = None
    sink = args.csv.open("w", newline="") if args.csv else None
    if sink:
        writer = csv.DictWriter(sink, FIELDS)
        writer.writeheader()
    for family, path in pick(args.data, bks, args.families.split(","), names, args.per_family):
        for solver in solvers:  # one at a time: no solver competes with another for the CPUs
            row = run_one(path, solver, args.time_limit, bks[path.stem])
            rows.append(row)
            print(f"{family:8} {row['instance']:7} {solver:8} cost {row['cost']:>10} "
                  f"veh {row['vehicles']:>3}/{row['bks_vehicles']:<3} gap {row['gap_pct']:>7}% "
                  f"feasible {row['feasible']} {row['seconds']}s", flush=True)  # fmt: skip
            if writer and sink:
                writer.writerow(row)
                sink.flush()
    if sink:
        sink.close()
    return rows


def _read_rows(path: Path) -> list[dict]:
    with path.open() as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        for key in ("cost", "seconds", "bks_cost", "gap_pct"):
            r[key] = float(r[key])
        r["vehicles"], r["bks_vehicles"] = int(r["vehicles"]), int(r["bks_vehicles"])
        r["feasible"] = r["feasible"] == "True"
    return rows


if __name__ == "__main__":
    main()
