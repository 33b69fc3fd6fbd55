"""`longcat simulate` and `longcat whatif` as operators and scripts call them, including a
simulation killed with SIGKILL at random points that resumes to what a clean run writes."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apps.cli import app
from apps.simulator.kpis import KPI_NAMES
from apps.simulator.settings import SimSettings
from db.engine import make_engine
from tests.apps.simulator.conftest import simulator, store_state

LONGCAT = str(Path(sys.executable).with_name("longcat"))
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_simulate_runs_for_its_duration_and_reports(seeded_url: str) -> None:
    """--duration is simulated time; the JSON report counts the run's orders and rounds."""
    result = invoke(
        "simulate", "--speed", "0", "--duration", "20m", "--json", "--database-url", seeded_url
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.strip().splitlines()[-1])
    assert out["ticks"] == 40 and out["dispatch_rounds"] == 20
    assert out["kpis"]["orders"] == out["placed"] > 0
    # Run again: the same simulation resumes from where it stopped.
    again = json.loads(
        invoke(
            "simulate", "--speed", "0", "--duration", "10m", "--json", "--database-url", seeded_url
        )
        .output.strip()
        .splitlines()[-1]
    )
    assert again["from"] == out["to"]


def test_a_stopped_window_is_finished_then_a_new_one_begins(seeded_url: str) -> None:
    """A run stopped half-way resumes to its window's end whether or not --duration is
    said again; once finished, the next run is a new window from the clock; --until is
    told otherwise and wins."""
    engine = make_engine(seeded_url)
    sim = simulator(engine, SimSettings())
    start, end = sim.window(timedelta(minutes=30))
    sim.run(start + timedelta(minutes=10))  # stopped early, as a kill would leave it
    engine.dispose()
    base = ("simulate", "--name", "test", "--speed", "0", "--json", "--database-url", seeded_url)
    resumed = json.loads(invoke(*base).output.strip().splitlines()[-1])
    assert _moment(resumed["from"]) == start and _moment(resumed["to"]) == end
    after = json.loads(invoke(*base, "--duration", "10m").output.strip().splitlines()[-1])
    assert _moment(after["from"]) == end
    assert _moment(after["to"]) == end + timedelta(minutes=10)
    told = (end + timedelta(minutes=15)).isoformat()
    until = json.loads(invoke(*base, "--until", told).output.strip().splitlines()[-1])
    assert _moment(until["to"]) == end + timedelta(minutes=15)


def test_a_duration_that_ended_before_the_clock_is_refused(seeded_url: str) -> None:
    """Resuming a window with a --duration that ends before where the clock stopped says
    so and runs nothing, instead of finishing at once in silence."""
    engine = make_engine(seeded_url)
    sim = simulator(engine, SimSettings())
    start, _ = sim.window(timedelta(minutes=30))
    sim.run(start + timedelta(minutes=10))
    clock = sim.clock
    engine.dispose()
    result = runner.invoke(
        app, ["simulate", "--name", "test", "--duration", "5m", "--database-url", seeded_url]
    )
    assert result.exit_code == 1
    assert "duration: the window began at" in result.output
    assert simulator(make_engine(seeded_url), SimSettings()).clock == clock


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--duration", "soon"], "duration: 'soon'"),
        (["--tick", "2m", "--dispatch-interval", "1m"], "dispatch_interval_s"),
        (["--until", "tomorrow"], "until: 'tomorrow'"),
    ],
)
def test_simulate_bad_options_are_named(seeded_url: str, args: list[str], message: str) -> None:
    """A bad option stops the command with its name, before anything is written."""
    result = invoke("simulate", *args, "--database-url", seeded_url)
    assert result.exit_code != 0
    assert message in result.output


def _launch(url: str, duration: str) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            LONGCAT,
            "simulate",
            "--name",
            "test",
            "--speed",
            "900",
            "--duration",
            duration,
            "--database-url",
            url,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    proc.stdout.readline()  # the banner: the simulation has started
    return proc


def test_sigkill_at_random_points_then_resume_equals_clean_run(make_store) -> None:
    """Killed twice mid-run and started again with the same command, the run finishes the
    window it was started with (not --duration more from the kill), and the store ends as
    one uninterrupted run leaves it."""
    clean, killed = make_engine(make_store("seeded")), make_engine(make_store("seeded"))
    settings = SimSettings()
    reference = simulator(clean, settings)
    end = reference.clock + timedelta(minutes=50)
    reference.run(end)
    rng = random.Random(20261202)
    url = killed.url.render_as_string(hide_password=False)
    for _ in range(2):
        proc = _launch(url, "50m")
        time.sleep(rng.uniform(0.3, 2.5))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    proc = _launch(url, "50m")
    assert proc.wait(timeout=300) == 0
    assert store_state(killed) == store_state(clean)
    clean.dispose()
    killed.dispose()


def test_whatif_compares_the_forecast_roster_with_a_flat_one() -> None:
    """By default the baseline is staffed from the forecast and the variant is a flat roster
    of the same courier-hours; every order of the window is accounted for in both."""
    result = invoke("whatif", "--date", "2026-11-27", "--hours", "12-13", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.strip().splitlines()[-1])
    runs = [out["baseline"], *out["variants"]]
    assert [r["settings"]["roster"] for r in runs] == ["forecast", "flat"]
    for r in runs:
        assert set(KPI_NAMES) <= r.keys()
        assert r["orders"] == r["delivered"] + r["cancelled"] + r["unserved"] + r["open"]
        assert r["open"] == 0 and r["orders"] > 0
    hours = [r["courier_hours"] for r in runs]
    # The flat roster buys the same hours in whole shifts: within one shift per zone.
    assert abs(hours[0] - hours[1]) <= 4
    # Both replay the same day: the same orders arrive.
    assert runs[0]["orders"] == runs[1]["orders"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "27/11/2026"], "date: '27/11/2026'"),
        (["--date", "2026-11-27", "--couriers", "lots"], "couriers: 'lots'"),
        (["--date", "2026-11-27", "--roster", "random"], "roster: 'random'"),
        (["--date", "2026-11-27", "--hours", "20-10"], "hours: 20-10"),
    ],
)
def test_whatif_bad_options_are_named(args: list[str], message: str) -> None:
    """What-if settings are checked before any city is built."""
    result = invoke("whatif", *args)
    assert result.exit_code != 0
    assert message in result.output
