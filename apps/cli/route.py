"""`longcat route solve FILE`: solve a Solomon or Li & Lim benchmark file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from apps.cli.common import JsonOutput, console, fail, print_json


def solve(
    file: Annotated[Path, typer.Argument(help="A Solomon (VRPTW) or Li & Lim (PDPTW) file.")],
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=0.1, help="Seconds of wall time for the search.")
    ] = 10.0,
    engine: Annotated[
        str,
        typer.Option(help="portfolio (OR-Tools raced against PyVRP), ortools, pyvrp or vroom."),
    ] = "portfolio",
    json: JsonOutput = False,
) -> None:
    """Solve a benchmark instance; cost follows the family's convention (see the data README)."""
    from routing.benchmarks.checker import check_solution
    from routing.benchmarks.engines import solve as solve_instance
    from routing.benchmarks.problem import ProblemError
    from routing.benchmarks.readers import read_instance
    from routing.benchmarks.solution import SolverError

    try:
        instance = read_instance(file)
        solution = solve_instance(instance, time_limit, engine)
    except (ProblemError, SolverError, ValueError) as exc:
        raise fail(str(exc)) from exc
    report = check_solution(instance, solution.routes)
    if json:
        print_json(
            {
                "instance": instance.name,
                "family": instance.family.value,
                "cost": solution.cost,
                "vehicles": solution.vehicles,
                "feasible": report.feasible,
                "engine": solution.engine,
                "routes": [list(r) for r in solution.routes],
            }
        )
        return
    table = Table(title=f"{instance.name} ({instance.family.value})")
    for column in ("cost", "vehicles", "feasible", "engine", "seconds"):
        table.add_column(column)
    table.add_row(
        f"{solution.cost:.2f}" if instance.family.value == "lilim" else f"{solution.cost:.1f}",
        str(solution.vehicles),
        "yes" if report.feasible else "NO: " + "; ".join(report.violations[:3]),
        solution.engine,
        f"{solution.elapsed_s:.1f}",
    )
    console.print(table)


def register(app: typer.Typer) -> None:
    route_app = typer.Typer(help="Solve routing benchmark files.", no_args_is_help=True)
    route_app.command("solve")(solve)
    app.add_typer(route_app, name="route")
