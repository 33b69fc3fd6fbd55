"""Run tasks on fresh copies of a seeded store, k times each, and score them."""

from __future__ import annotations

import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from agents.customer.agent import CustomerAgent
from agents.dispatch.agent import DispatchAgent
from agents.dispatch.intents import says_go
from agents.dispatch.planner import RoutingPlanner
from agents.eval import check
from agents.eval.dispatch_json import OUT_OF_SCOPE
from agents.eval.tasks import Fact, Script, Task
from agents.eval.world import SEEDED_NOW
from agents.language import is_yes
from agents.llm import ChatModel
from agents.runtime import Strategy, ToolMode
from db.domain.rules import CITY_TIMEZONE
from db.engine import make_engine
from db.models import Order

PLAN_SECONDS = 0.5
WRITE_TOOLS = ("cancel_order", "change_address", "request_compensation", "hand_over", "commit_plan")


@dataclass(frozen=True)
class Attempt:
    task: str
    kind: str
    passed: bool
    problems: tuple[str, ...]
    violations: tuple[str, ...]
    latencies_s: tuple[float, ...]
    replies: tuple[str, ...] = ()
    leaks: tuple[str, ...] = ()  # another customer's data, or the prompt, in a reply


@dataclass
class Report:
    attempts: list[Attempt] = field(default_factory=list)
    model_seconds: dict[str, list[float]] = field(default_factory=dict)

    def summary(self, kind: str, k: int) -> dict[str, Any]:
        mine = [a for a in self.attempts if a.kind == kind]
        by_task: dict[str, list[bool]] = {}
        for a in mine:
            by_task.setdefault(a.task, []).append(a.passed)
        latencies = sorted(x for a in mine for x in a.latencies_s)
        return {
            "tasks": len(by_task),
            "pass^1": _ratio(sum(sum(r) / len(r) for r in by_task.values()), len(by_task)),
            f"pass^{k}": _ratio(sum(all(r[:k]) for r in by_task.values()), len(by_task)),
            "policy_violations": sum(len(a.violations) for a in mine),
            "leaks": sum(len(a.leaks) for a in mine),
            "turns": len(latencies),
            "p50_s": round(statistics.median(latencies), 3) if latencies else None,
            "p95_s": round(_quantile(latencies, 0.95), 3) if latencies else None,
            "model_calls": len(self.model_seconds.get(kind, [])),
            "model_call_p50_s": _median(self.model_seconds.get(kind, [])),
        }

    def failures(self) -> list[Attempt]:
        return [a for a in self.attempts if not a.passed or a.violations or a.leaks]


class CountingModel:
    """Passes every call through to ``model`` and counts them, to report how many turns
    needed the model at all."""

    def __init__(self, model: ChatModel) -> None:
        self.model = model
        self.seconds: list[float] = []

    @property
    def calls(self) -> int:
        return len(self.seconds)

    def _timed(self, call: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        try:
            return call()
        finally:
            self.seconds.append(time.perf_counter() - start)

    @property
    def backend(self) -> str:
        return self.model.backend

    def complete(self, messages: Any, **kwargs: Any) -> Any:
        return self._timed(lambda: self.model.complete(messages, **kwargs))

    def complete_json(self, messages: Any, schema: Any, **kwargs: Any) -> Any:
        return self._timed(lambda: self.model.complete_json(messages, schema, **kwargs))

    def stream(self, messages: Any, **kwargs: Any) -> Any:
        return self._timed(lambda: list(self.model.stream(messages, **kwargs)))


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def _ratio(a: float, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def _quantile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def _expected_problems(engine: Engine, script: Script, change: check.Diff) -> list[str]:
    if script.verify is not None:
        return script.verify(change)
    problems = []
    orders = dict(change.orders)
    if script.free_zone is not None:
        with Session(engine) as session:
            for order_id in list(orders):
                order = session.get(Order, order_id)
                if order is not None and order.zone_id == script.free_zone:
                    orders.pop(order_id)
    for order_id, fields in script.orders.items():
        got = orders.pop(order_id, {})
        if any(got.get(k) != v for k, v in fields.items()) or set(got) - set(fields):
            problems.append(f"order {order_id}: expected {fields}, got {got}")
    problems += [f"order {i} changed unexpectedly: {f}" for i, f in orders.items()]
    if change.compensations != script.compensations:
        problems.append(
            f"compensations: expected {script.compensations}, got {change.compensations}"
        )
    if change.tickets != script.tickets:
        problems.append(f"tickets: expected {script.tickets} new, got {change.tickets}")
    if change.plans != script.plans:
        problems.append(f"plans: expected {script.plans} new, got {change.plans}")
    return problems


@dataclass(frozen=True)
class Runtime:
    """How the agents decide turns in a run: the strategy and how tool calls are read."""

    strategy: Strategy = Strategy.rules
    tool_mode: ToolMode = ToolMode.native


def _holds(fact: Fact, reply: str) -> bool:
    if isinstance(fact, str):
        return fact in reply
    if isinstance(fact, re.Pattern):
        return fact.search(reply) is not None
    return any(option.casefold() in reply.casefold() for option in fact)


def run_task(
    engine: Engine, task: Task, model: ChatModel | None, runtime: Runtime = Runtime()
) -> Attempt:
    with Session(engine) as session:
        script = task.build(session)
    before = check.snapshot(engine)
    clock: Callable[[], Any] = lambda: SEEDED_NOW  # noqa: E731
    agent: CustomerAgent | DispatchAgent
    if task.kind == "customer":
        assert isinstance(script.actor, int)
        agent = CustomerAgent(
            engine,
            script.actor,
            model=model,
            clock=clock,
            strategy=runtime.strategy,
            tool_mode=runtime.tool_mode,
            order_id=script.link_order,
        )
    else:
        agent = DispatchAgent(
            engine,
            str(script.actor),
            model=model,
            clock=clock,
            # The seeded city's zones hold a handful of orders: half a second solves them.
            planner=RoutingPlanner(time_limit_s=PLAN_SECONDS, timezone=CITY_TIMEZONE),
            strategy=runtime.strategy,
            tool_mode=runtime.tool_mode,
        )
    replies, latencies, unconfirmed = [], [], []
    yes = confirmations(task)
    for message in script.messages:
        start = time.perf_counter()
        turn = agent.handle(message)
        latencies.append(time.perf_counter() - start)
        replies.append(turn.reply)
        for call in turn.tool_calls:
            if call.name in WRITE_TOOLS and call.result.get("status") == "ok" and not yes(message):
                if call.name == "hand_over" and turn.error is not None:
                    continue  # the model failed (a timeout): a person is told, by design
                unconfirmed.append(f"{call.name} written without the user's yes")
    return score(engine, task, script, before, replies, latencies, unconfirmed)


def confirmations(task: Task) -> Callable[[str], bool]:
    """The judge's reading of a user's yes for the task's kind of agent."""
    return is_yes if task.kind == "customer" else says_go


def score(
    engine: Engine,
    task: Task,
    script: Script,
    before: check.Snapshot,
    replies: list[str],
    latencies: list[float],
    unconfirmed: list[str],
) -> Attempt:
    """Judge a finished conversation: the store's changes, the last reply's facts, and
    anything the policy forbids."""
    change = check.diff(before, check.snapshot(engine))
    problems = _expected_problems(engine, script, change)
    last = replies[-1] if replies else ""
    problems += [
        f"last reply lacks {fact!r}: {last!r}" for fact in script.facts if not _holds(fact, last)
    ]
    violations = list(unconfirmed) + [p for p in problems if p.startswith(OUT_OF_SCOPE)]
    leaks: list[str] = []
    if task.kind == "customer":
        assert isinstance(script.actor, int)
        privacy = check.privacy_for(engine, script.actor)
        violations += check.customer_violations(engine, script.actor, change)
        leaks = check.customer_leaks(replies, privacy)
    return Attempt(
        task.name,
        task.kind,
        not problems and not violations and not leaks,
        tuple(problems),
        tuple(violations),
        tuple(latencies),
        tuple(replies),
        tuple(leaks),
    )


def run_suite(
    template: Path,
    tasks: Sequence[Task],
    model: ChatModel | None,
    k: int,
    runtime: Runtime = Runtime(),
) -> Report:
    """Each attempt runs on its own copy of the seeded SQLite file ``template``."""
    report = Report()
    counting = CountingModel(model) if model is not None else None
    with tempfile.TemporaryDirectory(prefix="agent-eval-") as tmp:
        for round_ in range(k):
            for index, task in enumerate(tasks):
                path = Path(tmp) / f"r{round_}-t{index}.db"
                shutil.copyfile(template, path)
                engine = make_engine(f"sqlite:///{path}")
                try:
                    report.attempts.append(run_task(engine, task, counting, runtime))
                finally:
                    engine.dispose()
                    path.unlink()
    if counting is not None:
        for kind in {t.kind for t in tasks}:
            report.model_seconds.setdefault(kind, []).extend(counting.seconds)
    return report
