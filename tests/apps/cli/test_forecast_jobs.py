"""`forecast run`, `forecast backtest` and `staffing plan` as a data team calls them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from distributed import Client, LocalCluster
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from apps.city.geography import LOCAL_TZ
from apps.cli import app
from db.models import StaffingPlan, StaffingPlanRow
from tests.conftest import TEST_NOW, run_simulation

runner = CliRunner()


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with (
        LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster),
    ):
        yield cluster.scheduler_address


def run(*args: str) -> tuple[int, object]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    lines = result.output.strip().splitlines()
    return result.exit_code, json.loads(lines[-1]) if result.exit_code == 0 else result.output


def test_run_backtest_and_staffing_plan(
    seeded_url: str, seeded_engine: Engine, scheduler: str
) -> None:
    """A run serves the best model by backtest (or the mean of the two best), backtest shows
    why, staffing turns it into gaps."""
    code, out = run(
        "forecast",
        "run",
        "--zones",
        "1",
        "--horizon",
        "2d",
        "--scheduler",
        scheduler,
        "--json",
        "--database-url",
        seeded_url,
    )
    assert code == 0, out
    [series] = out["series"]
    assert series["series_id"] == "zone-1" and series["status"] == "done"
    code, table = run("forecast", "backtest", "--json", "--database-url", seeded_url)
    [entry] = table["series"]
    models = [row["model"] for row in entry["table"]]
    assert "prophet" in models and "seasonal_naive" in models
    served = entry["served_model"]
    assert served in models
    # The race's own rows: a blend's name ("mean(a, b)") is the only one with a space.
    raced = sorted(
        (row for row in entry["table"] if " " not in row["model"]), key=lambda row: row["score"]
    )
    pair = ", ".join(sorted(row["model"] for row in raced[:2]))
    assert served in {raced[0]["model"], f"mean({pair})"}

    day = (TEST_NOW.astimezone(LOCAL_TZ) + timedelta(days=1)).date().isoformat()
    code, plan = run("staffing", "plan", "--date", day, "--json", "--database-url", seeded_url)
    assert code == 0, plan
    assert len(plan["rows"]) == 24 and {r["zone_id"] for r in plan["rows"]} == {1}
    for row in plan["rows"]:
        assert row["couriers_needed"] >= 0
        assert row["gap"] == row["couriers_on_shift"] - row["couriers_needed"]
    lunch = [r for r in plan["rows"] if r["hour"].endswith("T04:00:00+00:00")]
    night = [r for r in plan["rows"] if r["hour"].endswith("T19:00:00+00:00")]
    assert lunch[0]["forecast_orders"] > night[0]["forecast_orders"]
    run("staffing", "plan", "--date", day, "--json", "--database-url", seeded_url)
    with seeded_engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(StaffingPlan)) == 1
        assert conn.scalar(select(func.count()).select_from(StaffingPlanRow)) == 24


def test_staffing_without_forecast_is_explained(seeded_url: str) -> None:
    """Asking for a plan before any forecast run says what to run first."""
    code, out = run("staffing", "plan", "--date", "2026-11-28", "--database-url", seeded_url)
    assert code == 1 and "longcat forecast run" in out


def test_bad_horizon_and_zone(seeded_url: str, scheduler: str) -> None:
    """A malformed horizon and an unknown zone are refused with the option named."""
    code, out = run("forecast", "run", "--horizon", "soon", "--database-url", seeded_url)
    assert code != 0 and "soon" in out
    code, out = run(
        "forecast", "run", "--zones", "99", "--scheduler", scheduler, "--database-url", seeded_url
    )
    assert code == 1 and "no zone with id 99" in out


def test_staffing_plan_in_the_citys_time(planned_url: str) -> None:
    """``--date tomorrow`` is the city's tomorrow from the store's now (replayed here with a
    simulation's clock); the table's hours are local and say so; --json keeps UTC with an
    offset, and a run that does not cover the day is named with its whole window."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    run_simulation(planned_url, TEST_NOW)
    table = runner.invoke(
        app, ["staffing", "plan", "--date", "tomorrow", "--database-url", planned_url]
    )
    assert table.exit_code == 0, table.output
    assert "hour (Asia/Shanghai)" in table.output and "11-28 18:00" in table.output
    code, plan = run(
        "staffing", "plan", "--date", "tomorrow", "--json", "--database-url", planned_url
    )
    assert code == 0 and plan["date"] == "2026-11-28"  # type: ignore[index]
    first = datetime.fromisoformat(plan["rows"][0]["hour"])  # type: ignore[index]
    assert first.utcoffset() is not None
    assert first.astimezone(ZoneInfo("Asia/Shanghai")).hour == 0
    late = runner.invoke(
        app, ["staffing", "plan", "--date", "2026-12-10", "--database-url", planned_url]
    )
    assert late.exit_code == 1
    assert "2026-12-09 16:00 to 2026-12-10 16:00 UTC" in late.output.replace("\n", " ")


def test_a_blends_name_is_shown_whole_in_a_narrow_table() -> None:
    """The served column of `forecast run` (and `forecast file`, `forecast backtest`) keeps
    a blend of two combinations whole on 80 columns, wrapped only after its commas, so the
    series' name beside it stays on one line and the long reason wraps rather than being
    cut off."""
    import io

    from rich.console import Console
    from rich.table import Table

    from apps.cli.common import add_model_column, model_cell

    first, second = "mean(mstl,prophet,snaive)", "median(mstl,prophet,snaive)"
    names = [f"mean({first}, {second})", "prophet"]
    table = Table("series", "status")
    add_model_column(table, "served")
    table.add_column("why")
    for name in names:
        why = "mean of the best 2 of 6 by backtest over 3 cutoffs"
        table.add_row("late-night-zone", "done", model_cell(name), why)
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(table)
    text = console.export_text()
    assert "…" not in text
    assert text.count("late-night-zone") == len(names)
    served = "".join(line.split("│")[3].strip() for line in text.splitlines()[3:7])
    assert served == names[0].replace(", ", ",")
    assert all(len(line.split("│")[3].strip()) <= 24 for line in text.splitlines()[3:7])
    # No column cut off: every line ends on the table's right edge.
    assert all(line.rstrip()[-1] in "┓┃┩│┘" for line in text.splitlines() if line.strip())


def _last_hour(engine: Engine):
    from datetime import UTC

    from db.models import DemandObservation

    with engine.connect() as conn:
        last = conn.scalar(select(func.max(DemandObservation.hour)))
    return last if last.tzinfo else last.replace(tzinfo=UTC)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_run_behind_the_stores_now_says_so(
    seeded_url: str, seeded_engine: Engine, scheduler: str, backend: str
) -> None:
    """The store's demand ends five hours before its now (a feed that stopped): the run
    says, on one line, where its forecast starts, in the city's time, and asks whether the
    feed is running; the JSON on stdout is unchanged."""
    last = _last_hour(seeded_engine)
    run_simulation(seeded_url, last + timedelta(hours=6, minutes=30))
    result = runner.invoke(
        app,
        ["forecast", "run", "--zones", "1", "--horizon", "6h", "--scheduler", scheduler,
         "--json", "--database-url", seeded_url],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    start = (last + timedelta(hours=1)).astimezone(LOCAL_TZ)
    warning = next(line for line in result.stderr.splitlines() if "warning:" in line)
    assert f"ends at {start:%Y-%m-%d %H:%M} (Asia/Shanghai), 5 h before the run" in warning
    assert "Is the demand feed running?" in warning
    assert json.loads(result.stdout.strip().splitlines()[-1])["series"][0]["status"] == "done"


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_run_on_a_current_store_gives_no_warning(
    seeded_url: str, seeded_engine: Engine, scheduler: str, backend: str
) -> None:
    """Half an hour into the hour after the store's last: the forecast starts at the hour
    under way, and nothing is said."""
    run_simulation(seeded_url, _last_hour(seeded_engine) + timedelta(minutes=90))
    result = runner.invoke(
        app,
        ["forecast", "run", "--zones", "1", "--horizon", "6h", "--scheduler", scheduler,
         "--database-url", seeded_url],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
