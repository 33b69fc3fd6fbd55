"""Customer turn latency with the embedded model, for messages up to the length cap, and
how reading a message scales with its length.

Runs the customer agent (rules strategy, SmolLM2-135M in-process) on a fresh copy of the
seeded small city over messages of 10 to 1,000 characters (LONGCAT_MAX_MESSAGE_CHARS):
status questions, cancels, address changes, complaints, rambling text and noise, in
English and Chinese. Prints p50/p95/max per turn. Then times ``read_message`` on 1,000- and
96,000-character texts made to be the worst case for the old regular expressions, beside
the previous release's reader (taken from git): past the cap only the first 2,000
characters are read, so the time stays flat however long the text.

    .venv/bin/python bench/customer_latency.py [--turns 200] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import Engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agents.customer.agent import CustomerAgent  # noqa: E402
from agents.customer.classifier import warm_up  # noqa: E402
from agents.customer.intents import read_message  # noqa: E402
from agents.eval import world  # noqa: E402
from agents.llm import ChatModel, LLMConfig, make_chat_model  # noqa: E402
from db.domain.status import OrderStatus  # noqa: E402
from db.engine import make_engine  # noqa: E402

PIECES = (
    "where is my food??",
    "any news on my order",
    "我的外卖到哪了",
    "cancel it please",
    "算了不要了",
    "deliver it to Raffles City instead",
    "地址改到上海博物馆",
    "it came 40 minutes late, I want compensation",
    "hello",
    "asdfgh qwerty",
    "my cat ate the receipt and the courier was nice though honestly the soup was cold",
    "你们这个配送也太慢了吧我等了好久",
)


PEER_COMMIT = "c699653"  # the last release before the trained reader


def seed_template(path: Path) -> None:
    from apps.city.build import build_city
    from apps.city.scales import SCALES
    from apps.city.seed import seed_city
    from db.migrate import upgrade

    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    seed_city(engine, build_city(SCALES["small"], world.SEED, world.SEEDED_NOW))
    engine.dispose()


def peer_reader() -> object | None:
    """The previous release's regular-expression reader, from git, to time beside ours."""
    import subprocess
    import types

    try:
        source = subprocess.run(
            ["git", "show", f"{PEER_COMMIT}:agents/customer/intents.py"],
            cwd=ROOT, capture_output=True, text=True, check=True, timeout=30,
        ).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    module = types.ModuleType("peer_intents")
    sys.modules[module.__name__] = module  # its dataclasses look their module up
    exec(compile(source, "peer_intents.py", "exec"), module.__dict__)
    return module.read_message


def _time(reader: object, text: str, repeat: int) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        reader(text)  # type: ignore[operator]
    return (time.perf_counter() - started) / repeat


def message(rng: random.Random, length: int) -> str:
    text = ""
    while len(text) < length:
        text += rng.choice(PIECES) + rng.choice((" ", ", ", ". ", "！", " and "))
    return text[:length]


def customer_agents(engine: Engine, model: ChatModel) -> list[CustomerAgent]:
    """One agent per customer whose sole open order is in each status a customer asks in."""
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        customers = [
            world.sole_open_order(session, s).customer_id
            for s in (
                OrderStatus.PLACED,
                OrderStatus.CONFIRMED,
                OrderStatus.ASSIGNED,
                OrderStatus.PICKED_UP,
            )
        ]
    return [
        CustomerAgent(engine, c, model=model, clock=lambda: world.SEEDED_NOW) for c in customers
    ]


def turn_latencies(turns: int, rng: random.Random) -> list[float]:
    """Seconds per customer turn, on a fresh copy of the seeded small city."""
    folder = Path(tempfile.mkdtemp(prefix="longcat-latency-"))
    try:
        template = folder / "seeded.db"
        seed_template(template)
        store = folder / "run.db"
        shutil.copyfile(template, store)
        engine = make_engine(f"sqlite:///{store}")
        model = make_chat_model(LLMConfig(timeout_s=30))
        warm_up()
        agents = customer_agents(engine, model)
        agents[0].handle("hello")  # the model's first call loads it; not a customer's wait
        latencies = []
        for i in range(turns):
            length = rng.choice((10, 30, 80, 200, 500, 1000))
            text = message(rng, length)
            started = time.perf_counter()
            agents[i % len(agents)].handle(text)
            latencies.append(time.perf_counter() - started)
        engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return latencies


def figures(latencies: list[float]) -> dict[str, float]:
    """Turn latency quantiles, and read_message's time on long texts beside the peer's."""
    q = statistics.quantiles(sorted(latencies), n=100)
    # The worst case for the regular expressions before: "address" again and again with no
    # comma, which the old address pattern rescanned from every word.
    long_1k, long_96k = ("my address " * 100)[:1_000], ("my address " * 9_000)[:96_000]
    result = {
        "turns": len(latencies),
        "p50_s": round(q[49], 3),
        "p95_s": round(q[94], 3),
        "max_s": round(max(latencies), 3),
        "read_1k_s": round(_time(read_message, long_1k, 20), 4),
        "read_96k_s": round(_time(read_message, long_96k, 20), 4),
    }
    peer = peer_reader()
    if peer is not None:
        result["peer_read_1k_s"] = round(_time(peer, long_1k, 3), 4)
        result["peer_read_96k_s"] = round(_time(peer, long_96k, 1), 3)
        result["speedup_96k"] = round(result["peer_read_96k_s"] / result["read_96k_s"], 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--json", action="store_true", help="last line: one JSON object")
    args = parser.parse_args()
    result = figures(turn_latencies(args.turns, random.Random(7)))
    print(f"turns {result['turns']}: p50 {result['p50_s']} s, p95 {result['p95_s']} s, "
          f"max {result['max_s']} s")  # fmt: skip
    print(f"read_message, 1,000 / 96,000 chars: ours {result['read_1k_s']} / "
          f"{result['read_96k_s']} s")  # fmt: skip
    if "peer_read_96k_s" in result:
        print(f"  previous release ({PEER_COMMIT}): {result['peer_read_1k_s']} / "
              f"{result['peer_read_96k_s']} s; ours {result['speedup_96k']}x as fast")  # fmt: skip
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
