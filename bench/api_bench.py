"""Throughput and latency of the tracking and chat endpoints, driven from a second process.

Seeds a small city in a temporary SQLite store, starts `longcat api` on a free loopback
port, and drives GET /api/track/{token} and POST /api/chat/{token} (SSE, embedded model)
with a thread pool; prints requests per second and p50/p99 latency for both.

    .venv/bin/python bench/api_bench.py [--requests 400] [--chat-requests 60] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from apps.api.tokens import sign
from apps.city.build import build_city
from apps.city.scales import SCALES
from apps.city.seed import seed_city
from db.engine import make_engine
from db.migrate import upgrade
from db.models import Order

SECRET = "bench-secret-" + "x" * 32
CHAT_MESSAGES = ("where is my order?", "when will it arrive?", "hello", "我的订单到哪了？")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tokens(url: str) -> list[str]:
    engine = make_engine(url)
    upgrade(engine)
    seed_city(
        engine, build_city(SCALES["small"], 7, datetime.now(UTC).replace(second=0, microsecond=0))
    )
    with Session(engine) as session:
        orders = session.scalars(select(Order).order_by(Order.id.desc()).limit(200)).all()
    engine.dispose()
    return [sign(SECRET, o.id, o.customer_id, timedelta(hours=2)) for o in orders]


def _measure(call, items: list, concurrency: int) -> dict[str, float]:
    def timed(item: object) -> float:
        started = time.perf_counter()
        call(item)
        return time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = sorted(pool.map(timed, items))
    wall = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(items),
        "rps": round(len(items) / wall, 1),
        "p50_ms": round(q[49] * 1000, 1),
        "p99_ms": round(q[98] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--chat-requests", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="longcat-api-bench-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    tokens = _tokens(url)
    port = _port()
    env = {
        **os.environ,
        "LONGCAT_SECRET_KEY": SECRET,
        "LONGCAT_RATE_LIMIT_PER_MINUTE": "1000000",
        "LONGCAT_MAX_TURNS": "1000000",
        "LONGCAT_DATABASE_URL": url,
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("longcat")), "api", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            for _ in range(200):
                try:
                    client.get("/openapi.json")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)

            def track(i: int) -> None:
                client.get(f"/api/track/{tokens[i % len(tokens)]}").raise_for_status()

            def chat(i: int) -> None:
                message = CHAT_MESSAGES[i % len(CHAT_MESSAGES)]
                with client.stream(
                    "POST", f"/api/chat/{tokens[i % len(tokens)]}", json={"message": message}
                ) as response:
                    response.raise_for_status()
                    for _ in response.iter_text():
                        pass

            chat(0)  # the model loads on the first chat; keep that out of the figures
            results = {
                "track": _measure(track, list(range(args.requests)), args.concurrency),
                "chat": _measure(chat, list(range(1, args.chat_requests + 1)), args.concurrency),
            }
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"{'endpoint':<10} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name, r in results.items():
        print(f"{name:<10} {r['requests']:>9} {r['rps']:>8} {r['p50_ms']:>8} {r['p99_ms']:>8}")
    if args.json:
        print(json.dumps({"concurrency": args.concurrency, **results}))


if __name__ == "__main__":
    main()
