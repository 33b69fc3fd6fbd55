"""Batch forecasting over the store: the ledger, failures recorded per series, and a job
killed with SIGKILL at random points that resumes to exactly what a clean run writes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client, LocalCluster
from sqlalchemy import Engine, func, select, update

from db.models import DemandObservation, Forecast, ForecastRun, ForecastSeries
from forecasting.errors import ModelError
from forecasting.jobs import RunSettings, execute_run, start_run

LONGCAT = str(Path(sys.executable).with_name("longcat"))
SETTINGS = RunSettings(horizon=24, model="prophet")


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster) as c,
    ):
        yield c


def _forecasts(
    engine: Engine, run_id: str
) -> dict[tuple[str, str, str], tuple[float, float, float]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                Forecast.series_id,
                Forecast.model,
                Forecast.ds,
                Forecast.yhat,
                Forecast.yhat_lower,
                Forecast.yhat_upper,
            ).where(Forecast.run_id == run_id)
        ).all()
    found = {
        (r.series_id, r.model, r.ds.isoformat()): (r.yhat, r.yhat_lower, r.yhat_upper) for r in rows
    }
    assert len(found) == len(rows), "a (series, model, timestamp) was written twice"
    return found


def _ledger(engine: Engine, run_id: str) -> dict[str, tuple[str, str | None]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(ForecastSeries.series_id, ForecastSeries.status, ForecastSeries.reason).where(
                ForecastSeries.run_id == run_id
            )
        ).all()
    return {r.series_id: (r.status, r.reason) for r in rows}


def test_run_forecasts_every_zone_and_the_city(seeded_engine: Engine, client: Client) -> None:
    """Each zone and the city get 24 non-negative hourly forecasts; the ledger says done;
    progress is told each series as it finishes, counted out of the run's five (a bar with
    a total, not "1/?")."""
    run_id = start_run(seeded_engine, SETTINGS)
    told: list[tuple[str, int, int]] = []
    execute_run(
        seeded_engine,
        run_id,
        client,
        lambda o, done, total: told.append((o.series_id, done, total)),
    )
    ledger = _ledger(seeded_engine, run_id)
    assert [(done, total) for _, done, total in told] == [(n, 5) for n in range(1, 6)]
    assert {series for series, _, _ in told} == set(ledger)
    assert set(ledger) == {"zone-1", "zone-2", "zone-3", "zone-4", "city"}
    assert {s for s, _ in ledger.values()} == {"done"}
    values = _forecasts(seeded_engine, run_id)
    assert len(values) == 5 * 24
    assert all(lo <= y <= hi and lo >= 0 for y, lo, hi in values.values())
    with seeded_engine.connect() as conn:
        assert conn.scalar(select(ForecastRun.status).where(ForecastRun.id == run_id)) == "finished"


def test_failing_series_is_recorded_and_does_not_stop_others(
    seeded_engine: Engine, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A series whose model fails is recorded failed with the reason; the other series are
    still forecast, a constant one as its value.

    Every zone shares the store's hours and a constant zone is forecast, so no data makes
    one zone's model fail alone: the fault is injected into serving zone 2 (the workers
    run in this process)."""
    from forecasting import jobs

    real_serve = jobs.serve

    def serve(series, horizon, plan):
        if series.series_id == "zone-2":
            raise ModelError("prophet", series.series_id, "the optimiser did not converge")
        return real_serve(series, horizon, plan)

    monkeypatch.setattr(jobs, "serve", serve)
    with seeded_engine.begin() as conn:
        conn.execute(
            update(DemandObservation).where(DemandObservation.zone_id == 3).values(orders=3)
        )
    run_id = start_run(seeded_engine, RunSettings(horizon=24, model="prophet", zones=(1, 2, 3)))
    execute_run(seeded_engine, run_id, client)
    ledger = _ledger(seeded_engine, run_id)
    assert ledger["zone-1"] == ("done", None)
    assert ledger["zone-2"][0] == "failed" and "did not converge" in ledger["zone-2"][1]
    assert ledger["zone-3"] == ("done", None)
    zone_3 = {
        (model, bounds)
        for (series, model, _), bounds in _forecasts(seeded_engine, run_id).items()
        if series == "zone-3"
    }
    assert zone_3 == {("constant", (3.0, 3.0, 3.0))}


def _launch(args: list[str], url: str) -> tuple[subprocess.Popen, str | None]:
    proc = subprocess.Popen(
        [LONGCAT, "forecast", "run", *args, "--workers", "1", "--database-url", url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    run_id = None
    for line in proc.stderr:
        if line.startswith("forecast run "):
            run_id = line.split()[2]
            break
    return proc, run_id


def _kill_after(proc: subprocess.Popen, seconds: float) -> None:
    time.sleep(seconds)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)


def test_sigkill_at_random_points_then_resume_equals_clean_run(
    seeded_url: str, seeded_engine: Engine, client: Client
) -> None:
    """Killed three times and resumed, the run ends with every series once and the clean run's values."""
    clean = start_run(seeded_engine, SETTINGS)
    execute_run(seeded_engine, clean, client)
    expected = _forecasts(seeded_engine, clean)

    rng = random.Random(20261129)
    proc, run_id = _launch(["--horizon", "24h", "--model", "prophet"], seeded_url)
    assert run_id, "the job names its run before it starts computing"
    _kill_after(proc, rng.uniform(1.0, 6.0))
    for _ in range(2):
        proc, _ = _launch(["--resume", run_id], seeded_url)
        _kill_after(proc, rng.uniform(2.0, 8.0))
    proc, _ = _launch(["--resume", run_id], seeded_url)
    proc.wait(timeout=300)
    assert proc.returncode == 0

    assert {s for s, _ in _ledger(seeded_engine, run_id).values()} == {"done"}
    resumed = _forecasts(seeded_engine, run_id)
    assert resumed.keys() == expected.keys()
    for key, values in expected.items():
        assert resumed[key] == pytest.approx(values, rel=1e-9, abs=1e-9), key
    with seeded_engine.connect() as conn:
        per_series = conn.execute(
            select(Forecast.series_id, func.count())
            .where(Forecast.run_id == run_id)
            .group_by(Forecast.series_id)
        ).all()
    assert dict(per_series) == {s: 24 for s in ("zone-1", "zone-2", "zone-3", "zone-4", "city")}


def test_resume_of_unknown_run_is_refused(seeded_url: str) -> None:
    """--resume with an id that does not exist says so and exits 1."""
    result = subprocess.run(
        [LONGCAT, "forecast", "run", "--resume", "nope", "--database-url", seeded_url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1 and "no such forecast run" in result.stderr


def test_run_settings_check_the_holidays_and_key_on_them() -> None:
    """A run's holidays are a known country code (any case, or none), and two runs with
    different holidays have different input keys, so a resumed run never mixes them."""
    assert RunSettings(holidays="us").holidays == "US"
    assert RunSettings(holidays="none").holidays is None
    assert RunSettings(holidays="CN").key() != RunSettings(holidays="US").key()
    with pytest.raises(ValueError, match="unknown country code 'XX'"):
        RunSettings(holidays="XX")


def test_a_blended_models_name_is_stored_whole(seeded_engine: Engine) -> None:
    """The hourly plan can serve the mean of two combinations, a name longer than 32
    characters: the ledger and the forecast rows keep it whole on both stores."""
    from datetime import UTC, datetime

    from forecasting.jobs import Outcome, _write

    run_id = start_run(seeded_engine, RunSettings(horizon=24, model="auto", zones=(1,)))
    name = "mean(median(mstl,prophet,snaive),mean(mstl,prophet,snaive))"
    row = {
        "model": name,
        "ds": datetime(2026, 12, 1, tzinfo=UTC),
        "yhat": 1.0,
        "yhat_lower": 0.5,
        "yhat_upper": 1.5,
    }
    _write(seeded_engine, run_id, Outcome("zone-1", "done", None, name, [row], None))
    with seeded_engine.connect() as conn:
        served = conn.scalar(
            select(ForecastSeries.served_model).where(
                ForecastSeries.run_id == run_id, ForecastSeries.series_id == "zone-1"
            )
        )
        models = conn.scalars(select(Forecast.model).where(Forecast.run_id == run_id)).all()
    assert served == name and models == [name]


def test_a_live_store_writing_the_hour_under_way_leaves_the_run_whole(
    seeded_engine: Engine, client: Client
) -> None:
    """A run forecasts the hours that had ended by its moment, from the hour under way on:
    orders a live store adds to that hour, or to the next, while the run computes change
    none of its inputs, so every series is done (they used to fail as changed)."""
    from datetime import timedelta

    with seeded_engine.connect() as conn:
        last = conn.scalar(select(func.max(DemandObservation.hour)))
    now = last + timedelta(minutes=30)
    run_id = start_run(seeded_engine, RunSettings(horizon=6, model="prophet", zones=(1, 2)), now)
    with seeded_engine.begin() as conn:
        conn.execute(
            update(DemandObservation)
            .where(DemandObservation.hour == last)
            .values(orders=DemandObservation.orders + 5)
        )
        conn.execute(
            DemandObservation.__table__.insert(),
            [{"zone_id": 1, "hour": last + timedelta(hours=1), "orders": 4, "rain_mm": 0.0}],
        )
    execute_run(seeded_engine, run_id, client)
    assert _ledger(seeded_engine, run_id) == {"zone-1": ("done", None), "zone-2": ("done", None)}
    with seeded_engine.connect() as conn:
        first = conn.scalar(select(func.min(Forecast.ds)).where(Forecast.run_id == run_id))
    assert first == last


def test_a_run_started_before_runs_cut_their_hours_resumes_with_its_own_read(
    seeded_engine: Engine, client: Client
) -> None:
    """A run whose params do not say it read only the ended hours (one started before runs
    did) resumes reading every hour, as it started: its series are done, not failed as
    changed because the new read leaves out the hour under way."""
    from datetime import timedelta

    from sqlalchemy.orm import Session

    from forecasting.demand_store import demand_series, input_hash

    with seeded_engine.connect() as conn:
        last = conn.scalar(select(func.max(DemandObservation.hour)))
    settings = RunSettings(horizon=6, model="prophet", zones=(1, 2))
    run_id = start_run(seeded_engine, settings, last + timedelta(minutes=30))
    with Session(seeded_engine) as session, session.begin():
        run = session.get_one(ForecastRun, run_id)
        run.params = {k: v for k, v in run.params.items() if k != "history"}
        for series in demand_series(session, settings.timezone, [1, 2]):
            entry = session.get_one(ForecastSeries, (run_id, series.series_id))
            entry.input_hash = input_hash(series, settings.horizon, settings.key())
    execute_run(seeded_engine, run_id, client)
    assert _ledger(seeded_engine, run_id) == {"zone-1": ("done", None), "zone-2": ("done", None)}
    with seeded_engine.connect() as conn:
        first = conn.scalar(select(func.min(Forecast.ds)).where(Forecast.run_id == run_id))
    assert first == last + timedelta(hours=1)


def test_where_a_runs_history_ends_across_a_clock_change() -> None:
    """Ten UTC hours laid out in Berlin's time across the spring change (the local hour
    02:00 never happens): the history ends at its last UTC hour, not an hour off, and a
    local step that does not exist raises nothing."""
    import numpy as np
    import pandas as pd

    from forecasting.jobs import history_end
    from forecasting.series import Series

    utc = pd.date_range("2026-03-28 20:00", periods=10, freq="h", tz="UTC")
    local = utc[0].tz_convert("Europe/Berlin").tz_localize(None)
    series = [Series("a", local, np.ones(10)), Series("b", local, np.ones(7))]
    assert history_end(series, "Europe/Berlin") == utc[-1].to_pydatetime()


@pytest.mark.parametrize(
    "first_utc", ["2026-03-08 00:00", "2026-10-04 00:00"], ids=["spring", "autumn"]
)
def test_a_forecast_across_a_clock_change_is_written_on_the_next_utc_hours(
    first_utc: str,
) -> None:
    """Three weeks of a Berlin zone whose 48 forecast hours hold the spring change (02:00
    never happens) or the autumn one (02:00 happens twice): the forecast is written, its
    hours the 48 UTC hours after the history's last, none missing, none twice; localising
    its local labels raised for the hour that never happened, or that happened twice."""
    import pandas as pd

    from forecasting.jobs import forecast_one
    from forecasting.synthetic import demand_series

    utc = pd.date_range(first_utc, periods=21 * 24, freq="h", tz="UTC")
    local = utc[0].tz_convert("Europe/Berlin").tz_localize(None)
    history, _ = demand_series("zone-1", days=21, seed=4)
    outcome = forecast_one(
        "zone-1", str(local), history.y, 48, "auto", "Europe/Berlin", seed=1, holidays="DE"
    )
    assert outcome.status == "done", outcome.reason
    served = [r["ds"] for r in outcome.rows if r["model"] == outcome.served_model]
    after = pd.date_range(utc[-1] + pd.Timedelta(hours=1), periods=48, freq="h", tz="UTC")
    assert served == list(after.to_pydatetime())
