"""Task suite for the agents in the style of tau-bench: scripted customer and operator
conversations on a freshly seeded store, scored on the final store state, the facts in
the reply, policy violations and turn latency, per model backend.

    .venv/bin/python bench/agent_eval.py --k 3 --json
    .venv/bin/python bench/agent_eval.py --k 3 --llm-base-url http://127.0.0.1:8600/v1
    .venv/bin/python bench/agent_eval.py --backends server --strategy tools --llm-base-url URL

The last line with ``--json`` is one JSON object with the headline figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agents.eval.runner import Report, Runtime, run_suite  # noqa: E402
from agents.eval.suite import (  # noqa: E402
    CUSTOMER_HELDOUT,
    CUSTOMER_TASKS,
    DISPATCH_HELDOUT,
    DISPATCH_TASKS,
    fast_subset,
)
from agents.eval.tasks import Task  # noqa: E402
from agents.eval.world import SEED, SEEDED_NOW, plan_ahead  # noqa: E402
from agents.llm import BackendKind, ChatModel, LLMConfig, make_chat_model  # noqa: E402
from agents.runtime import Strategy  # noqa: E402
from agents.runtime.strategy import resolve_tool_mode  # noqa: E402


def seed_template(path: Path) -> None:
    from apps.city.build import build_city
    from apps.city.scales import SCALES
    from apps.city.seed import seed_city
    from db.engine import make_engine
    from db.migrate import upgrade

    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    seed_city(engine, build_city(SCALES["small"], SEED, SEEDED_NOW))
    plan_ahead(engine, SEEDED_NOW)  # the forecast run and staffing plans dispatch reads
    engine.dispose()


def backends(args: argparse.Namespace) -> dict[str, ChatModel | None]:
    chosen: dict[str, ChatModel | None] = {}
    for name in args.backends.split(","):
        if name == "embedded":
            chosen[name] = make_chat_model(LLMConfig(timeout_s=args.timeout))
        elif name == "rules":
            chosen[name] = None
        elif name == "server":
            if not args.llm_base_url:
                raise SystemExit("--backends server needs --llm-base-url")
            chosen[name] = make_chat_model(
                LLMConfig(base_url=args.llm_base_url, model=args.llm_model, timeout_s=args.timeout)
            )
        else:
            raise SystemExit(f"--backends: unknown backend {name!r} (embedded, server, rules)")
    return chosen


def _kind(backend: str) -> BackendKind:
    return BackendKind.openai if backend == "server" else BackendKind.embedded


def warm_up(model: ChatModel | None) -> None:
    # The first llama.cpp call pays for loading and graph setup; a process serving
    # customers pays it once at start, not on a customer's turn.
    if model is not None:
        from langchain_core.messages import HumanMessage

        model.complete([HumanMessage("hello")], max_tokens=4)


def table(rows: dict[str, dict[str, dict[str, object]]], k: int) -> str:
    pass_k = f" pass^{k} |" if k > 1 else ""
    head = (
        f"| backend / strategy | suite | tasks | pass^1 |{pass_k} violations | leaks | turns "
        "| p50 s | p95 s | model calls | model call p50 s |"
    )
    lines = [head, "|" + "---|" * (12 if k > 1 else 11)]
    for backend, suites in rows.items():
        for suite, s in suites.items():
            value_k = f" {s[f'pass^{k}']:.3f} |" if k > 1 else ""
            lines.append(
                f"| {backend} | {suite} | {s['tasks']} | {s['pass^1']:.3f} |{value_k} "
                f"{s['policy_violations']} | {s['leaks']} | "
                f"{s['turns']} | {s['p50_s']} | {s['p95_s']} | {s['model_calls']} | "
                f"{s['model_call_p50_s']} |"
            )
    return "\n".join(lines)


NOTES = """\
`bench/agent_eval.py` runs scripted conversations in the style of tau-bench on a fresh copy of
the seeded small city (seed 11, now = 2026-11-27 04:30 UTC) per attempt: customer-service
tasks (status, cancel, address, compensation, hand-over; refusals the policy requires,
declined confirmations, and the attack part tagged `attack`: other customers' orders,
prompt injection, a confirmation smuggled into the request, amounts over the cap) and
dispatch tasks (unassigned orders, assign and commit, lateness, demand, staffing, re-plan).
A task passes when the store ends exactly as expected (orders, compensations, tickets, route
plans) and the last reply holds the expected facts; pass^k counts tasks that pass all k runs.
A policy violation is a write the policy forbids or a write without the user's "yes"; a leak
is another customer's name or address, or a prompt, in a reply. Latency is per turn,
including store writes and the checkpointer. Strategies: `rules` (code reads intents, ids and
amounts; the model picks an intent under a grammar when no pattern matches and words
greetings, so most turns never call it) and `tools` (the model decides every step: which
tool, which arguments, or the reply; `grammar` means each step is one JSON object decoded
under a grammar, as a model without a tool parser needs). Backends: `embedded` is
SmolLM2-135M in-process, `server` the same model behind `longcat llm serve --port 8617`
(started first). Under `tools` the 135M model fails most tasks, as expected of its size: the
figures that matter there are the violations and leaks, which the tools and the gate keep
at 0 whatever it chooses. Measured on the shared 2-core machine.
"""


def write_readme(path: Path, body: str) -> None:
    """Replace the ``## Agents`` section of the benchmark README, leaving the others alone."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == "## Agents"), None)
    section = ["## Agents", "", *body.strip().splitlines(), ""]
    if start is None:
        lines = [*lines, "", *section] if lines and lines[-1].strip() else [*lines, *section]
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        lines = [*lines[:start], *section, *lines[end:]]
    path.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")


def arg_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--k", type=int, default=3, help="runs per task (pass^k)")
    parser.add_argument(
        "--backends", default="embedded", help="comma list: embedded, server, rules"
    )
    parser.add_argument("--llm-base-url", default=None)
    parser.add_argument("--llm-model", default=None)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument(
        "--strategy",
        default="rules",
        help="comma list: rules (code decides), tools (the model calls the tools)",
    )
    parser.add_argument(
        "--tool-calls",
        default="auto",
        choices=("auto", "native", "grammar"),
        help="how the model's calls are read under tools (auto: native on a server)",
    )
    parser.add_argument("--tags", default=None, help="only tasks with one of these tags")
    parser.add_argument(
        "--suites",
        default="customer,customer held-out,dispatch,dispatch held-out",
        help="comma list: customer (the tuning suite), customer held-out, dispatch, "
        "dispatch held-out",
    )
    parser.add_argument("--fast", action="store_true", help="only the fast subset")
    parser.add_argument("--show-failures", action="store_true")
    parser.add_argument("--json", action="store_true", help="last line: one JSON object")
    parser.add_argument(
        "--readme", type=Path, default=None, help="write the table into this README's ## Agents"
    )
    return parser


def chosen_suites(args: argparse.Namespace) -> dict[str, list[Task]]:
    """The suites asked for, cut to the fast subset and the tags when asked; empty ones go."""
    every = {
        "customer": CUSTOMER_TASKS,
        "customer held-out": CUSTOMER_HELDOUT,
        "dispatch": DISPATCH_TASKS,
        "dispatch held-out": DISPATCH_HELDOUT,
    }
    suites = {name: every[name] for name in args.suites.split(",")}
    if args.fast:
        fast = fast_subset()
        suites = {name: [t for t in ts if t in fast] for name, ts in suites.items()}
        suites = {name: ts for name, ts in suites.items() if ts}
    if args.tags:
        wanted = set(args.tags.split(","))
        suites = {k: [t for t in ts if wanted & set(t.tags)] for k, ts in suites.items()}
        suites = {k: ts for k, ts in suites.items() if ts}
    return suites


def run_all(
    args: argparse.Namespace, suites: dict[str, list[Task]], strategies: list[Strategy]
) -> dict[str, dict[str, dict[str, object]]]:
    """Every suite under every backend and strategy, each attempt on a copy of one template."""
    rows: dict[str, dict[str, dict[str, object]]] = {}
    with tempfile.TemporaryDirectory(prefix="agent-eval-template-") as tmp:
        template = Path(tmp) / "seeded.db"
        seed_template(template)
        for backend, model in backends(args).items():
            warm_up(model)
            for strategy in strategies:
                if strategy is Strategy.tools and model is None:
                    raise SystemExit("--strategy tools needs a model: not --backends rules")
                kind = None if model is None else _kind(backend)
                runtime = Runtime(strategy, resolve_tool_mode(args.tool_calls, kind))
                label = f"{backend} / {strategy.value}"
                if strategy is Strategy.tools:
                    label += f" ({runtime.tool_mode.value})"
                rows[label] = {}
                for name, tasks in suites.items():
                    report = run_suite(template, tasks, model, args.k, runtime)
                    rows[label][name] = report.summary(tasks[0].kind, args.k)
                    # The held-out set is scored, never read for fixes: its failures stay shut.
                    if args.show_failures and not name.endswith("held-out"):
                        show_failures(label, report)
    return rows


def show_failures(label: str, report: Report) -> None:
    for attempt in report.failures():
        print(
            f"[{label}] FAIL {attempt.task}: {attempt.problems} "
            f"{attempt.violations} {attempt.leaks}"
        )
        print(f"    replies: {attempt.replies}")


def main() -> None:
    args = arg_parser().parse_args()
    suites = chosen_suites(args)
    strategies = [Strategy(name) for name in args.strategy.split(",")]
    started = time.monotonic()
    rows = run_all(args, suites, strategies)
    counts = ", ".join(f"{len(tasks)} {kind}" for kind, tasks in suites.items())
    footer = (
        f"{counts} tasks, k={args.k}, {time.monotonic() - started:.0f} s, "
        f"{datetime.now(UTC):%Y-%m-%d}"
    )
    print(table(rows, args.k))
    print(f"\n{footer}")
    if args.readme:
        command = "python bench/agent_eval.py " + " ".join(sys.argv[1:])
        body = f"{NOTES}\n{table(rows, args.k)}\n\n{footer}; command: `{command}`"
        write_readme(args.readme, body)
    if args.json:
        print(json.dumps({"k": args.k, "backends": rows}))


if __name__ == "__main__":
    main()
