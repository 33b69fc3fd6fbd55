"""One front door for the benchmark families: pick an engine, or race OR-Tools against PyVRP."""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable
from dataclasses import replace
from multiprocessing.connection import Connection

from routing.benchmarks.checker import check_solution
from routing.benchmarks.ortools_vrp import solve_ortools
from routing.benchmarks.problem import Instance
from routing.benchmarks.solution import SearchParams, Solution, SolverError
from routing.processes import process_context

ENGINES = ("portfolio", "ortools", "pyvrp", "vroom")
# Process start and result transfer eat into the partner's budget; it stops this much early.
PARTNER_MARGIN_S = 0.4
# How long past its time limit a partner's plan is waited for (pickling it, a slow exit).
PARTNER_GRACE_S = 5.0
STARTED = "started"


class EngineUnavailableError(SolverError):
    """An engine whose package is not installed."""


def solve(instance: Instance, time_limit_s: float = 10.0, engine: str = "portfolio") -> Solution:
    """Solve a Solomon or Li & Lim instance within time_limit_s of wall time."""
    if time_limit_s <= 0:
        raise ValueError(f"time_limit_s must be positive, got {time_limit_s}")
    if engine == "ortools":
        return solve_ortools(instance, SearchParams(time_limit_s=time_limit_s))
    if engine in ("pyvrp", "vroom"):
        return _peer(engine)(instance, time_limit_s)
    if engine == "portfolio":
        return solve_portfolio(instance, time_limit_s)
    raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")


def _peer(name: str) -> Callable[[Instance, float], Solution]:
    from routing.benchmarks import peers

    module = "pyvrp" if name == "pyvrp" else "vroom"
    if importlib.util.find_spec(module) is None:
        raise EngineUnavailableError(f"engine {name!r} needs the package {module!r} (bench extra)")
    return peers.solve_pyvrp if name == "pyvrp" else peers.solve_vroom


def solve_portfolio(instance: Instance, time_limit_s: float) -> Solution:
    """OR-Tools on this core, PyVRP on a second process; the better plan wins.

    Without PyVRP installed this is OR-Tools alone. Each engine's cost is kept in by_engine.
    """
    started = time.monotonic()
    try:
        partner = _peer("pyvrp")
    except EngineUnavailableError:
        return solve_ortools(instance, SearchParams(time_limit_s=time_limit_s))
    context = process_context()
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(
        target=_run_partner, args=(partner, instance, time_limit_s - PARTNER_MARGIN_S, send)
    )
    worker.start()
    send.close()
    try:
        own = _own(instance, time_limit_s)
        other = _collect(receive, started + time_limit_s + PARTNER_GRACE_S, time_limit_s)
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()
    candidates = [c for c in (own, other) if isinstance(c, Solution)]
    if not candidates:
        raise SolverError(f"{instance.name}: no engine found a plan ({own}; {other})")
    feasible = [c for c in candidates if check_solution(instance, c.routes).feasible]
    best = min(feasible or candidates, key=Solution.rank)
    by_engine = {c.engine: c.cost for c in candidates}
    elapsed = time.monotonic() - started
    return replace(best, engine=f"portfolio:{best.engine}", elapsed_s=elapsed, by_engine=by_engine)


def _own(instance: Instance, time_limit_s: float) -> Solution | str:
    try:
        return solve_ortools(instance, SearchParams(time_limit_s=time_limit_s))
    except SolverError as exc:
        return str(exc)  # the partner may still have a plan


def _run_partner(
    partner: Callable[[Instance, float], Solution],
    instance: Instance,
    time_limit_s: float,
    send: Connection,
) -> None:
    try:
        send.send(STARTED)
        send.send(partner(instance, max(time_limit_s, 0.1)))
    except SolverError as exc:
        send.send(f"partner failed: {exc}")
    finally:
        send.close()


def _collect(receive: Connection, deadline: float, time_limit_s: float) -> Solution | str:
    """The partner's plan or why there is none. A partner that started late (a busy
    machine is slow to start a process) is given its whole time limit from its start."""
    message = _receive(receive, deadline)
    if message == STARTED:
        deadline = max(deadline, time.monotonic() + time_limit_s + PARTNER_GRACE_S)
        message = _receive(receive, deadline)
    return "partner did not start by its deadline" if message == STARTED else message


def _receive(receive: Connection, deadline: float) -> Solution | str:
    if not receive.poll(max(deadline - time.monotonic(), 0.0)):
        return "partner ran past its deadline"
    try:
        return receive.recv()
    except EOFError:
        return "partner exited without a result"
