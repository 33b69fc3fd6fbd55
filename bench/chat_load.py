"""Concurrent chats over `longcat api --workers 2`, beside `--workers 1`, on one store.

Seeds a small city (SQLite by default, or --database-url), signs a tracking link for 50
orders of different customers (the open ones first), and runs 50 chats at once, each a short
conversation under the rules strategy (a status question, a cancel that is declined, the
status again). Every turn is one POST /api/chat/{token} read to its last SSE event. For
each worker count it prints turns per second and the p50 and p99 turn latency; the last
line with --json holds both and their ratio.

    .venv/bin/python bench/chat_load.py [--chats 50] [--workers 1,2] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from apps.api.tokens import sign  # noqa: E402
from apps.city.build import build_city  # noqa: E402
from apps.city.scales import SCALES  # noqa: E402
from apps.city.seed import seed_city  # noqa: E402
from db.domain.status import OPEN  # noqa: E402
from db.engine import make_engine  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from db.models import Order  # noqa: E402

SECRET = "bench-secret-" + "x" * 32
CONVERSATION = ("where is my order?", "cancel my order", "no", "when will it arrive?")
NOW = datetime(2026, 11, 27, 4, 30, tzinfo=UTC)  # lunchtime in Shanghai: many open orders


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(path: Path) -> None:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    seed_city(engine, build_city(SCALES["small"], 11, NOW))
    engine.dispose()


def tokens(url: str, chats: int) -> list[str]:
    engine = make_engine(url)
    with Session(engine) as session:
        # Open orders first, then the newest others: each chat has a customer of its own.
        orders = sorted(
            session.scalars(select(Order).order_by(Order.placed_at.desc()).limit(2000)).all(),
            key=lambda o: o.status not in OPEN,
        )
    engine.dispose()
    seen: set[int] = set()
    picked = []
    for order in orders:
        if order.customer_id not in seen:
            seen.add(order.customer_id)
            picked.append(sign(SECRET, order.id, order.customer_id, timedelta(hours=2)))
    if len(picked) < chats:
        raise SystemExit(f"the seeded store has only {len(picked)} customers with recent orders")
    return picked[:chats]


def start(url: str, workers: int, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "LONGCAT_SECRET_KEY": SECRET,
        "LONGCAT_RATE_LIMIT_PER_MINUTE": "1000000",
        "LONGCAT_MAX_TURNS": "1000000",
        "LONGCAT_DATABASE_URL": url,
        "LONGCAT_DATA_DIR": str(folder),
        "LONGCAT_AGENT_STRATEGY": "rules",
    }
    longcat = str(Path(sys.executable).with_name("longcat"))
    server = subprocess.Popen(
        [longcat, "api", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200:
                return server, base
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"longcat api --workers {workers} did not start")


def run(base: str, links: list[str]) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def converse(token: str) -> None:
        with httpx.Client(base_url=base, timeout=120) as client:
            for message in CONVERSATION:
                started = time.perf_counter()
                with client.stream("POST", f"/api/chat/{token}", json={"message": message}) as r:
                    body = "".join(r.iter_text())
                took = time.perf_counter() - started
                with lock:
                    if r.status_code != 200 or "event: done" not in body:
                        errors.append(f"{r.status_code}: {body[:120]}")
                    latencies.append(took)

    # Each worker loads its model and warms its caches on a first chat; not measured.
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda t: _warm(base, t), links[:4]))
    started = time.perf_counter()
    with ThreadPoolExecutor(len(links)) as pool:
        list(pool.map(converse, links))
    wall = time.perf_counter() - started
    q = statistics.quantiles(sorted(latencies), n=100)
    return {
        "turns": len(latencies),
        "errors": len(errors),
        "wall_s": round(wall, 2),
        "turns_per_s": round(len(latencies) / wall, 2),
        "p50_s": round(q[49], 3),
        "p99_s": round(q[98], 3),
    }


def _warm(base: str, token: str) -> None:
    httpx.post(f"{base}/api/chat/{token}", json={"message": "hello"}, timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--workers", default="1,2", help="comma list of worker counts")
    parser.add_argument("--database-url", default=None, help="default: a seeded SQLite file")
    parser.add_argument("--json", action="store_true", help="last line: one JSON object")
    args = parser.parse_args()
    if args.database_url:
        raise SystemExit("--database-url: seed that store yourself; only SQLite is seeded here")

    folder = Path(tempfile.mkdtemp(prefix="longcat-chat-load-"))
    template = folder / "template.db"
    seed(template)
    results: dict[str, dict[str, float]] = {}
    try:
        for workers in (int(w) for w in args.workers.split(",")):
            store = folder / f"workers-{workers}.db"
            shutil.copyfile(template, store)
            url = f"sqlite:///{store}"
            links = tokens(url, args.chats)
            server, base = start(url, workers, folder)
            try:
                results[str(workers)] = run(base, links)
            finally:
                server.terminate()
                server.wait(timeout=60)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{'workers':>7} {'turns':>6} {'errors':>6} {'turns/s':>8} {'p50 s':>7} {'p99 s':>7}")
    for workers, r in results.items():
        print(
            f"{workers:>7} {r['turns']:>6} {r['errors']:>6} {r['turns_per_s']:>8} "
            f"{r['p50_s']:>7} {r['p99_s']:>7}"
        )
    summary: dict[str, object] = {"chats": args.chats, "runs": results}
    if "1" in results and "2" in results:
        ratio = results["2"]["turns_per_s"] / results["1"]["turns_per_s"]
        summary["throughput_ratio_2_vs_1"] = round(ratio, 2)
        print(f"throughput, 2 workers / 1 worker: {ratio:.2f}x")
    if args.json:
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
