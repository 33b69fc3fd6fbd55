"""Simulator throughput: simulated orders per wall second with dispatch, and a what-if day.

For each scale it seeds the city in a temporary SQLite file at a fixed moment (default a
Friday lunch peak, 2026-11-27 03:00 UTC = 11:00 Shanghai), runs the simulation loop at full
speed for --hours simulated hours with a dispatch round (the production service) every
minute, and times only the run: orders placed and delivered, dispatch rounds, wall seconds,
orders placed per wall second. Then it times `compare()` on a whole day of the small city,
forecast roster against the flat one. The peer is real time: simulated seconds per wall
second.

    .venv/bin/python bench/sim_bench.py --json
    .venv/bin/python bench/sim_bench.py --scales small --hours 0.25 --skip-whatif --json
    .venv/bin/python bench/sim_bench.py --scales small --hours 0.1 --whatif-hours 11-12
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from apps.city.build import build_city  # noqa: E402
from apps.city.scales import SCALES  # noqa: E402
from apps.city.seed import seed_city  # noqa: E402
from apps.simulator.loop import Simulator  # noqa: E402
from apps.simulator.settings import SimSettings  # noqa: E402
from apps.simulator.whatif import Day, Variant, compare, variant_named  # noqa: E402
from db.domain.rules import CITY_TIMEZONE  # noqa: E402
from db.engine import make_engine  # noqa: E402
from db.migrate import upgrade  # noqa: E402

TIMEZONE = CITY_TIMEZONE
DEFAULT_AT = "2026-11-27T03:00:00+00:00"  # a Friday, 11:00 in Shanghai: the lunch peak


def run_scale(scale: str, at: datetime, args, workdir: Path) -> dict:
    """Seed ``scale`` at ``at`` and time the loop over ``args.hours`` simulated hours."""
    path = workdir / f"{scale}.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    started = time.perf_counter()
    upgrade(engine)
    seed_city(engine, build_city(SCALES[scale], args.seed, at))
    seed_s = time.perf_counter() - started
    settings = SimSettings(seed=args.seed)
    sim = Simulator(engine, settings, name="bench", timezone=TIMEZONE, start=at)
    started = time.perf_counter()
    totals = sim.run(at + timedelta(hours=args.hours), speed=None)
    wall = time.perf_counter() - started
    simulated = (sim.clock - at).total_seconds()
    engine.dispose()
    path.unlink(missing_ok=True)
    return {
        "scale": scale,
        "seed_s": round(seed_s, 1),
        "simulated_s": round(simulated),
        "ticks": totals.ticks,
        "orders_placed": totals.counts.placed,
        "orders_delivered": totals.counts.delivered,
        "rounds": totals.rounds,
        "wall_s": round(wall, 2),
        "orders_per_s": round(totals.counts.placed / wall, 2),
        "speedup_vs_real_time": round(simulated / wall, 1),
    }


def run_whatif(at: datetime, args, workdir: Path) -> dict:
    """Time ``compare()`` on the day of ``at``: forecast roster (baseline) against flat."""
    first, last = (int(h) for h in args.whatif_hours.split("-"))
    day = Day(
        at.astimezone(ZoneInfo(TIMEZONE)).date(),
        scale=args.whatif_scale,
        seed=args.seed,
        timezone=TIMEZONE,
        hours=(first, last),
    )
    baseline = Variant()
    started = time.perf_counter()
    prepared, outcomes = compare(
        day, baseline, [variant_named(baseline, roster="flat")], workdir, workers=args.workers
    )
    total = time.perf_counter() - started
    prepared.store.unlink(missing_ok=True)
    window = (last - first) * 3600
    variants = [
        {
            "name": o.variant.name,
            "wall_s": round(o.wall_s, 1),
            "speedup_vs_real_time": round(window / o.wall_s, 1),
            "courier_hours": o.courier_hours,
            **o.kpis.as_json(),
        }
        for o in outcomes
    ]
    return {
        "scale": args.whatif_scale,
        "day": day.day.isoformat(),
        "hours": [first, last],
        "workers": args.workers,
        "simulated_s": window,
        "seed_s": round(prepared.seconds["seed"], 1),
        "forecast_s": round(prepared.seconds["forecast"], 1),
        "variants": variants,
        "total_wall_s": round(total, 1),
        "speedup_vs_real_time": round(window / total, 1),
    }


def arg_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="small,city", help="city scales to run, in order")
    parser.add_argument("--hours", type=float, default=2.0, help="simulated hours per scale")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--at", default=DEFAULT_AT, help="seed moment, ISO 8601 with offset")
    parser.add_argument("--workers", type=int, default=2, help="processes for the what-if")
    parser.add_argument("--whatif-scale", default="small", choices=sorted(SCALES))
    parser.add_argument("--whatif-hours", default="0-24", help="local hours, FIRST-LAST")
    parser.add_argument("--skip-whatif", action="store_true", help="leave the what-if out")
    parser.add_argument("--json", action="store_true", help="last line: headline JSON")
    return parser


def run_scales(scales: list[str], at: datetime, args, workdir: Path) -> list[dict]:
    """Time the loop at each scale in turn, printing each row as it is done."""
    rows = []
    if scales:
        print(f"loop at full speed from {at.isoformat()}, {args.hours:g} simulated h, "
              f"tick {SimSettings().tick_s:g} s, dispatch every "
              f"{SimSettings().dispatch_interval_s:g} s, seed {args.seed}")  # fmt: skip
        print(f"{'scale':<6} {'seed s':>7} {'placed':>7} {'delivered':>9} {'rounds':>6} "
              f"{'wall s':>8} {'orders/s':>8} {'x real time':>11}", flush=True)  # fmt: skip
    for scale in scales:
        row = run_scale(scale, at, args, workdir)
        rows.append(row)
        print(f"{row['scale']:<6} {row['seed_s']:>7} {row['orders_placed']:>7} "
              f"{row['orders_delivered']:>9} {row['rounds']:>6} {row['wall_s']:>8} "
              f"{row['orders_per_s']:>8} {row['speedup_vs_real_time']:>11}",
              flush=True)  # fmt: skip
    return rows


def print_whatif(whatif: dict) -> None:
    print(f"\nwhat-if {whatif['scale']} {whatif['day']} hours "
          f"{whatif['hours'][0]}-{whatif['hours'][1]}, {whatif['workers']} worker(s): "
          f"seed {whatif['seed_s']} s, forecast {whatif['forecast_s']} s")  # fmt: skip
    print(f"{'variant':<16} {'orders':>6} {'delivered':>9} {'wall s':>8} "
          f"{'x real time':>11}")  # fmt: skip
    for v in whatif["variants"]:
        print(f"{v['name']:<16} {v['orders']:>6} {v['delivered']:>9} {v['wall_s']:>8} "
              f"{v['speedup_vs_real_time']:>11}")  # fmt: skip
    print(f"{'total':<16} {'':>6} {'':>9} {whatif['total_wall_s']:>8} "
          f"{whatif['speedup_vs_real_time']:>11}  "
          f"({whatif['simulated_s']} simulated s over the total wall time)")  # fmt: skip
    print(f"\n{'variant':<16} {'c-hours':>7} {'on time':>7} {'avg min':>7} "
          f"{'p90 min':>7} {'unserved':>8} {'cancel':>6} {'util':>5} "
          f"{'comp':>6}")  # fmt: skip
    for v in whatif["variants"]:
        print(f"{v['name']:<16} {v['courier_hours']:>7} {v['on_time_rate']:>7} "
              f"{v['avg_delivery_min']:>7} {v['p90_delivery_min']:>7} "
              f"{v['unserved']:>8} {v['cancelled']:>6} {v['courier_utilisation']:>5} "
              f"{v['compensation_total']:>6}")  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = arg_parser()
    args = parser.parse_args(argv)
    at = datetime.fromisoformat(args.at)
    if at.tzinfo is None:
        parser.error("--at: needs a UTC offset, e.g. 2026-11-27T03:00:00+00:00")
    at = at.astimezone(UTC)
    scales = [s for s in args.scales.split(",") if s]
    for scale in scales:
        if scale not in SCALES:
            parser.error(f"--scales: {scale!r} is not one of {', '.join(SCALES)}")
    whatif = None
    with tempfile.TemporaryDirectory(prefix="longcat-sim-bench-") as tmp:
        workdir = Path(tmp)
        rows = run_scales(scales, at, args, workdir)
        if not args.skip_whatif:
            whatif = run_whatif(at, args, workdir)
            print_whatif(whatif)
    if args.json:
        print(json.dumps({
            "benchmark": "sim_bench", "at": at.isoformat(), "hours": args.hours,
            "seed": args.seed, "scales": {r["scale"]: r for r in rows}, "whatif": whatif,
        }))  # fmt: skip


if __name__ == "__main__":
    main()
