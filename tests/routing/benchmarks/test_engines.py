"""The engine front door: each engine, and the portfolio that keeps the better plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from routing.benchmarks.checker import check_solution
from routing.benchmarks.engines import solve
from routing.benchmarks.readers import read_instance


@pytest.mark.parametrize("engine", ["pyvrp", "vroom"])
def test_peer_engines_solve_both_families(
    data_dir: Path, engine: str, first_customers, first_pairs
) -> None:
    """PyVRP and VROOM adapters return feasible plans on VRPTW and PDPTW cuts."""
    pytest.importorskip("pyvrp" if engine == "pyvrp" else "vroom")
    vrptw = first_customers(read_instance(data_dir / "solomon" / "R201.txt"), 25)
    pdptw = first_pairs(read_instance(data_dir / "lilim" / "lr101.txt"), 12)
    for instance in (vrptw, pdptw):
        solution = solve(instance, 1.0, engine)
        assert check_solution(instance, solution.routes).feasible, (engine, instance.name)


def test_portfolio_keeps_the_better_engine_and_reports_both(
    data_dir: Path, first_customers
) -> None:
    """The portfolio's plan is the cheaper of OR-Tools' and PyVRP's, both listed by_engine."""
    pytest.importorskip("pyvrp")
    instance = first_customers(read_instance(data_dir / "solomon" / "RC101.txt"), 40)
    solution = solve(instance, 1.5, "portfolio")
    assert set(solution.by_engine) == {"ortools", "pyvrp"}
    assert solution.cost == min(solution.by_engine.values())
    assert solution.engine.startswith("portfolio:")
    assert check_solution(instance, solution.routes).feasible


def test_unknown_engine_and_bad_limit_are_refused(data_dir: Path, first_customers) -> None:
    """A misspelt engine or a non-positive time limit raises a clear ValueError."""
    instance = first_customers(read_instance(data_dir / "solomon" / "C101.txt"), 5)
    with pytest.raises(ValueError, match="engine must be one of"):
        solve(instance, 1.0, "gurobi")
    with pytest.raises(ValueError, match="time_limit_s"):
        solve(instance, 0, "ortools")


def test_a_partner_that_starts_late_is_given_its_whole_time_limit() -> None:
    """A busy machine is slow to start the partner's process: a partner that says it has
    started 0.3 s in and answers 0.7 s later, past the first deadline (0.5 s), is still
    heard, its time limit counted from its start; one that never answers is not waited for
    past the deadline."""
    import multiprocessing
    import threading
    import time

    from routing.benchmarks.engines import STARTED, _collect

    receive, send = multiprocessing.Pipe(duplex=False)

    def partner() -> None:
        time.sleep(0.3)
        send.send(STARTED)
        time.sleep(0.7)
        send.send("a plan")

    threading.Thread(target=partner).start()
    assert _collect(receive, time.monotonic() + 0.5, 0.5) == "a plan"
    silent, _ = multiprocessing.Pipe(duplex=False)
    assert _collect(silent, time.monotonic() + 0.2, 0.5) == "partner ran past its deadline"
