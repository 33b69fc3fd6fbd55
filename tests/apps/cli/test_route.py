"""`longcat route solve`: the JSON contract scripts rely on, the table, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from apps.cli import app
from routing.benchmarks.checker import check_solution
from routing.benchmarks.readers import read_instance

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "routing"
runner = CliRunner()


def test_json_output_has_the_stable_fields_and_file_numbering() -> None:
    """--json prints one object: instance, cost, vehicles, feasible, routes as file node ids."""
    path = DATA / "lilim" / "lc101.txt"
    result = runner.invoke(app, ["route", "solve", str(path), "--time-limit", "1", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"instance", "cost", "vehicles", "feasible", "routes"} <= set(body)
    assert body["instance"] == "lc101" and body["feasible"] is True
    routes = tuple(tuple(r) for r in body["routes"])
    report = check_solution(read_instance(path), routes)
    assert report.feasible and body["vehicles"] == len(routes)
    assert abs(body["cost"] - report.cost) < 1e-6


def test_solomon_cost_uses_the_dimacs_convention() -> None:
    """For Solomon files, cost is the sum of arcs truncated to one decimal."""
    path = DATA / "solomon" / "C101.txt"
    args = ["route", "solve", str(path), "--time-limit", "1", "--json", "--engine", "ortools"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout.strip().splitlines()[-1])
    routes = tuple(tuple(r) for r in body["routes"])
    assert body["cost"] == check_solution(read_instance(path), routes).cost
    assert all(0 not in r for r in routes)


def test_table_output_names_cost_vehicles_and_feasibility() -> None:
    """Without --json a table is printed."""
    path = DATA / "solomon" / "C101.txt"
    result = runner.invoke(app, ["route", "solve", str(path), "--time-limit", "1",
                                 "--engine", "ortools"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "C101" in result.stdout and "feasible" in result.stdout and "yes" in result.stdout


def test_a_file_of_another_format_is_a_clear_error(tmp_path: Path) -> None:
    """A file that is neither format exits non-zero with a message, not a traceback."""
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\n")
    result = runner.invoke(app, ["route", "solve", str(path), "--json"])
    assert result.exit_code == 1
    assert "neither Solomon" in result.output
    assert "Traceback" not in result.output
