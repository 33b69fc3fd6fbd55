"""Batch forecasting over the store: a run ledger, Dask compute, resumable after a kill.

A run is created with one ledger row per series (its input hash and status). Each
series is forecast on a Dask worker and written back in its own transaction, with the
forecasts upserted under (run, series, model, timestamp) and the ledger row marked done,
so killing the job at any point loses at most the series in flight, and ``resume``
finishes exactly what is left with the same inputs.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from db.bulk import upsert
from db.domain.rules import CITY_TIMEZONE
from db.models import Forecast as ForecastRow
from db.models import ForecastRun, ForecastSeries
from forecasting.calendar import Calendar
from forecasting.demand_store import demand_series, input_hash, last_ended_hour
from forecasting.errors import ForecastingError
from forecasting.selection import default_plan, serve
from forecasting.series import Forecast, Series

if TYPE_CHECKING:
    from distributed import Client

_GLOBAL_RNG = threading.Lock()
FORECAST_KEY = ("run_id", "series_id", "model", "ds")
# A run's params["history"] says it read only the hours that had ended by its moment; runs
# started before runs did so read every hour, and resume with the same read.
ENDED_HOURS = "ended hours"


class RunNotFoundError(LookupError):
    """No forecast run has the given id."""


@dataclass(frozen=True)
class RunSettings:
    horizon: int = 48
    zones: tuple[int, ...] | None = None
    model: str = "auto"  # auto: best by backtest; prophet: Prophet served
    timezone: str = CITY_TIMEZONE
    holidays: str | None = "CN"  # a holidays-package country code, None for none

    def __post_init__(self) -> None:
        if not 1 <= self.horizon <= 24 * 14:
            raise ValueError(f"horizon: {self.horizon} hours is outside 1..336")
        if self.model not in ("auto", "prophet"):
            raise ValueError(f"model: {self.model!r} is not 'auto' or 'prophet'")
        object.__setattr__(self, "holidays", Calendar(self.holidays).country)

    def key(self) -> str:
        return json.dumps(
            {"model": self.model, "timezone": self.timezone, "holidays": self.holidays},
            sort_keys=True,
        )


@dataclass(frozen=True)
class Outcome:
    """What one series' job produced, ready to write."""

    series_id: str
    status: str  # done | failed
    reason: str | None = None
    served_model: str | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    metrics: dict[str, Any] | None = None


class Submitter(Protocol):
    """The part of a Dask ``Client`` the job uses."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any: ...


def utc_start(series: Series, timezone: str) -> pd.Timestamp:
    """The UTC hour of a store series' first step. Its steps are the store's UTC hours laid
    out from their first local hour, so step k is this plus k hours: counted so, a clock
    change inside the history or the forecast neither moves an hour nor names one that
    never happened (or happened twice)."""
    local = pd.Timestamp(series.start)
    return local.tz_localize(timezone, ambiguous=False, nonexistent="shift_forward").tz_convert(UTC)


def _rows(forecast: Forecast, series: Series, timezone: str) -> list[dict[str, Any]]:
    utc = utc_start(series, timezone) + (forecast.ds - pd.Timestamp(series.start))
    return [
        {
            "model": forecast.model,
            "ds": ds.to_pydatetime(),
            "yhat": float(y),
            "yhat_lower": float(lo),
            "yhat_upper": float(hi),
        }
        for ds, y, lo, hi in zip(utc, forecast.yhat, forecast.lower, forecast.upper, strict=True)
    ]


def forecast_one(
    series_id: str,
    start: str,
    values: np.ndarray,
    horizon: int,
    model: str,
    timezone: str,
    seed: int,
    holidays: str | None = None,
) -> Outcome:
    """Runs on a worker: serve one series; a series that cannot be forecast fails alone."""
    try:
        series = Series(series_id, pd.Timestamp(start), values)
        # A model that samples (Prophet with uncertainty samples) draws from numpy's global
        # generator: seeding it per input makes a resumed run write what a clean one would,
        # and the lock keeps two threads of one worker from drawing from it at once.
        with _GLOBAL_RNG:
            np.random.seed(seed)
            plan = default_plan("h", None if model == "auto" else model, Calendar(holidays))
            served = serve(series, horizon, plan)
    except ForecastingError as exc:
        return Outcome(series_id, "failed", reason=str(exc))
    rows = _rows(served.served, series, timezone)
    if served.prophet is not None and served.prophet.model != served.served.model:
        rows += _rows(served.prophet, series, timezone)
    metrics = {"reason": served.reason, "table": [asdict(row) for row in served.table]}
    return Outcome(series_id, "done", None, served.served.model, rows, metrics)


def start_run(engine: Engine, settings: RunSettings, now: datetime | None = None) -> str:
    """Create the run and its ledger, one pending row per series; returns the run id.

    The run forecasts the hours that had ended by ``now`` (default: the wall clock), from
    the hour under way on."""
    now = now or datetime.now(UTC)
    with Session(engine) as session:
        series = _history(session, settings, now)
    if not series:
        raise ValueError(
            "zones: the store has no demand observations to forecast from hours that had "
            f"ended by {now.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
        )
    run_id = str(uuid.uuid4())
    with Session(engine) as session, session.begin():
        session.add(
            ForecastRun(
                id=run_id,
                created_at=now,
                status="running",
                horizon_hours=settings.horizon,
                params={
                    **asdict(settings),
                    "zones": list(settings.zones or []),
                    "history": ENDED_HOURS,
                    "history_end": history_end(series, settings.timezone).isoformat(),
                },
            )
        )
        session.flush()
        session.add_all(
            ForecastSeries(
                run_id=run_id,
                series_id=s.series_id,
                status="pending",
                input_hash=input_hash(s, settings.horizon, settings.key()),
            )
            for s in series
        )
    return run_id


def history_end(series: list[Series], timezone: str) -> datetime:
    """The start of the last hour the run's series hold, in UTC: its forecasts begin an
    hour later. Counted in hours from each series' start (its steps are UTC hours laid out
    in local time), so a clock change inside the history does not move it."""
    ends = [utc_start(s, timezone) + pd.Timedelta(hours=len(s.y) - 1) for s in series]
    return max(ends).to_pydatetime()


@dataclass(frozen=True)
class Lag:
    """A run whose history ended before its moment: its forecast starts at ``start`` (UTC),
    ``hours`` whole hours before the hour under way then (a feed that stopped or runs late,
    a store seeded hours ago)."""

    start: datetime
    hours: int

    def text(self, timezone: str) -> str:
        local = self.start.astimezone(ZoneInfo(timezone))
        return (
            f"the store's demand ends at {local:%Y-%m-%d %H:%M} ({timezone}), {self.hours} h "
            "before the run: its forecast starts there. Is the demand feed running?"
        )


def run_lag(engine: Engine, run_id: str) -> Lag | None:
    """How far the run's history ended before its moment, if an hour or more (None too for
    a run started before runs recorded where their history ends)."""
    with Session(engine) as session:
        run = session.get(ForecastRun, run_id)
        if run is None:
            raise RunNotFoundError(f"run {run_id!r}: no such forecast run")
        recorded, moment = run.params.get("history_end"), run.created_at
    if not recorded:
        return None
    end = datetime.fromisoformat(recorded)
    hours = (last_ended_hour(moment) - end) // timedelta(hours=1)
    return Lag(end + timedelta(hours=1), hours) if hours >= 1 else None


def run_settings(engine: Engine, run_id: str) -> RunSettings:
    with Session(engine) as session:
        run = session.get(ForecastRun, run_id)
        if run is None:
            raise RunNotFoundError(f"run {run_id!r}: no such forecast run")
        params = dict(run.params)
    params["zones"] = tuple(params.get("zones") or ()) or None
    params.pop("history", None)
    params.pop("history_end", None)
    return RunSettings(**params)


def execute_run(
    engine: Engine,
    run_id: str,
    client: Submitter,
    progress: Callable[[Outcome, int, int], None] | None = None,
) -> list[ForecastSeries]:
    """Forecast every series of the run that is not finished yet, then close the run;
    ``progress(outcome, done, total)`` after each series, of those this call forecasts."""
    from distributed import as_completed

    settings = run_settings(engine, run_id)
    with Session(engine) as session:
        ledger = session.scalars(
            select(ForecastSeries).where(ForecastSeries.run_id == run_id)
        ).all()
        run = session.get_one(ForecastRun, run_id)
        cut = run.created_at if run.params.get("history") == ENDED_HOURS else None
        current = {s.series_id: s for s in _history(session, settings, cut)}
    futures = []
    for entry in ledger:
        if entry.status == "pending" and _unchanged(engine, run_id, settings, entry, current):
            futures.append(_submit(client, run_id, settings, entry, current[entry.series_id]))
    for done, future in enumerate(as_completed(futures), start=1):
        outcome = future.result()
        _write(engine, run_id, outcome)
        if progress:
            progress(outcome, done, len(futures))
    with Session(engine) as session, session.begin():
        session.execute(
            update(ForecastRun)
            .where(ForecastRun.id == run_id)
            .values(status="finished", finished_at=datetime.now(UTC))
        )
    with Session(engine) as session:
        return list(
            session.scalars(
                select(ForecastSeries)
                .where(ForecastSeries.run_id == run_id)
                .order_by(ForecastSeries.series_id)
            )
        )


def _history(session: Session, settings: RunSettings, now: datetime | None) -> list[Series]:
    """The series a run forecasts: its zones' hours that had ended by the run's moment, so
    a live store adding to the hour under way leaves a run's input as it was (every hour
    for ``now`` None)."""
    zones = list(settings.zones or []) or None
    return demand_series(session, settings.timezone, zones, ended_by=now)


def _unchanged(
    engine: Engine,
    run_id: str,
    settings: RunSettings,
    entry: ForecastSeries,
    current: dict[str, Series],
) -> bool:
    """Whether the series still has the input the run started with; if not, its ledger row
    fails now, so a resumed run never mixes inputs."""
    series = current.get(entry.series_id)
    if series is not None and input_hash(series, settings.horizon, settings.key()) == (
        entry.input_hash
    ):
        return True
    _write(
        engine,
        run_id,
        Outcome(entry.series_id, "failed", reason="the series changed since the run started"),
    )
    return False


def _submit(
    client: Submitter, run_id: str, settings: RunSettings, entry: ForecastSeries, series: Series
) -> Any:
    """The series' forecast as a Dask future, seeded by its input."""
    return client.submit(
        forecast_one,
        series.series_id,
        str(series.start),
        np.asarray(series.y),
        settings.horizon,
        settings.model,
        settings.timezone,
        int(entry.input_hash[:8], 16),
        settings.holidays,
        key=f"forecast-{run_id}-{series.series_id}",
        pure=False,
    )


def _write(engine: Engine, run_id: str, outcome: Outcome) -> None:
    """One series' forecasts and its ledger row, in one transaction."""
    with engine.begin() as conn:
        if outcome.rows:
            rows = [{**r, "run_id": run_id, "series_id": outcome.series_id} for r in outcome.rows]
            upsert(
                conn,
                ForecastRow.__table__,
                rows,
                keys=FORECAST_KEY,
                columns=("yhat", "yhat_lower", "yhat_upper"),
            )
        conn.execute(
            update(ForecastSeries)
            .where(ForecastSeries.run_id == run_id, ForecastSeries.series_id == outcome.series_id)
            .values(
                status=outcome.status,
                reason=outcome.reason,
                served_model=outcome.served_model,
                metrics=outcome.metrics,
            )
        )


@contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2) -> Iterator[Client]:
    """A client of the cluster at ``scheduler``, or of a local cluster of ``workers``
    processes (one thread each: Prophet's Stan fits do not share a process well)."""
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler, timeout="20s") as client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client
