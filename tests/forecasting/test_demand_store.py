"""Demand series from the store: where they end when the store fell quiet before the run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Engine, delete, func, or_, select
from sqlalchemy.orm import Session

from db.models import DemandObservation
from forecasting.demand_store import QUIET_DAYS, QUIET_HOURS, demand_series, quiet, same_local_hour

TZ = "Asia/Shanghai"


def _last_hour(engine: Engine) -> datetime:
    with engine.connect() as conn:
        last = conn.scalar(select(func.max(DemandObservation.hour)))
    return last if last.tzinfo else last.replace(tzinfo=UTC)


def _local(moment: datetime) -> pd.Timestamp:
    return pd.Timestamp(moment).tz_convert(TZ).tz_localize(None)


def _read(engine: Engine, ended_by: datetime | None) -> dict:
    with Session(engine) as session:
        return {s.series_id: s for s in demand_series(session, TZ, ended_by=ended_by)}


def _empty(engine: Engine, last: datetime, hours: int, days: int) -> None:
    """The store's last ``hours`` hours without rows (a feed writes only hours with orders),
    and the same hours of the day on the ``days`` days before."""
    ends = [last - timedelta(days=k) for k in range(days + 1)]
    spans = [DemandObservation.hour.between(end - timedelta(hours=hours - 1), end) for end in ends]
    with engine.begin() as conn:
        conn.execute(delete(DemandObservation).where(or_(*spans)))


def test_a_quiet_night_counts_as_empty_hours(seeded_engine: Engine) -> None:
    """The store's last three hours have no rows, and neither had those hours on the week
    before (a feed that writes only the hours with orders, at night): a run half an hour
    after they ended forecasts from the hour under way, its series ending with three empty
    hours, not at the last hour with an order (whose forecast would start in the past)."""
    last = _last_hour(seeded_engine)
    before = _read(seeded_engine, None)
    _empty(seeded_engine, last, 3, QUIET_DAYS)
    after = _read(seeded_engine, last + timedelta(minutes=90))
    assert after.keys() == before.keys()
    for series_id, series in after.items():
        assert series.ds[-1] == _local(last), series_id
        assert len(series.y) == len(before[series_id].y)
        assert np.all(series.y[-3:] == 0)


def test_missing_hours_that_are_busy_ones_are_not_made_up(seeded_engine: Engine) -> None:
    """The last three hours missing where those hours had orders every day before (a feed
    running late, a store seeded hours ago and read on the wall clock): the series end at
    the store's last row, not in three made-up empty hours."""
    last = _last_hour(seeded_engine)
    _empty(seeded_engine, last, 3, 0)
    for series_id, series in _read(seeded_engine, last + timedelta(minutes=90)).items():
        assert series.ds[-1] == _local(last - timedelta(hours=3)), series_id


def test_quiet_hours_count_up_to_their_limit(seeded_engine: Engine) -> None:
    """Twelve quiet hours are filled; the same store read an hour later, thirteen after its
    last row (the thirteenth as quiet on the days before), ends at that row: so long a
    silence is a feed that stopped."""
    last = _last_hour(seeded_engine)
    _empty(seeded_engine, last, QUIET_HOURS, 0)
    _empty(seeded_engine, last + timedelta(hours=1), QUIET_HOURS + 1, QUIET_DAYS)
    kept = last - timedelta(hours=QUIET_HOURS)
    filled = _read(seeded_engine, last + timedelta(minutes=90))["city"]
    assert filled.ds[-1] == _local(last) and filled.y[-QUIET_HOURS:].sum() == 0
    stopped = _read(seeded_engine, last + timedelta(minutes=150))["city"]
    assert stopped.ds[-1] == _local(kept)


def test_an_hour_quiet_on_fewer_than_half_the_days_before_is_not_filled(
    seeded_engine: Engine,
) -> None:
    """The last three hours were empty on only three of the seven days before: a quiet
    stretch now and then, not a quiet hour of the day, so they are not filled."""
    last = _last_hour(seeded_engine)
    _empty(seeded_engine, last, 3, 3)
    series = _read(seeded_engine, last + timedelta(minutes=90))["city"]
    assert series.ds[-1] == _local(last - timedelta(hours=3))


def test_a_store_under_three_days_old_says_nothing_of_quiet_hours(
    seeded_engine: Engine,
) -> None:
    """A store holding two days (a city just set up, or seeded hours ago) cannot say which
    hours are quiet: its missing last hours are not filled, even where the one day before
    had no orders then."""
    last = _last_hour(seeded_engine)
    with seeded_engine.begin() as conn:
        conn.execute(
            delete(DemandObservation).where(DemandObservation.hour <= last - timedelta(hours=48))
        )
    _empty(seeded_engine, last, 3, 1)
    series = _read(seeded_engine, last + timedelta(minutes=90))["city"]
    assert series.ds[-1] == _local(last - timedelta(hours=3))


def test_a_store_quiet_for_longer_than_a_night_ends_at_its_last_hour(
    seeded_engine: Engine,
) -> None:
    """A store read days after its last row (a feed that stopped, a seeded store on the
    wall clock) is not run on in zeros, which would forecast an empty city."""
    last = _last_hour(seeded_engine)
    later = last + timedelta(days=2)
    for series_id, series in _read(seeded_engine, later).items():
        assert series.ds[-1] == _local(last), series_id
        assert series.y[-24:].sum() > 0


def test_the_hour_under_way_is_left_out(seeded_engine: Engine) -> None:
    """A run during the store's last hour reads the hours before it only."""
    last = _last_hour(seeded_engine)
    series = _read(seeded_engine, last + timedelta(minutes=20))["city"]
    assert series.ds[-1] == _local(last - timedelta(hours=1))


def test_a_quiet_local_hour_is_known_across_a_change_to_summer_time() -> None:
    """A Berlin store empty at 03:00 local every night, busy at every other hour: on the
    Monday after clocks went forward, 03:00 is 01:00 UTC where the week before it was
    02:00 UTC. The hour is quiet, read on the city's clock (whole UTC days back would find
    02:00 local, a busy hour, on six of the seven days)."""
    hours = pd.date_range("2026-03-20", "2026-03-30 00:00", freq="h", tz="UTC")
    local = hours.tz_convert("Europe/Berlin")
    totals = pd.Series(np.where(local.hour == 3, 0.0, 5.0), index=hours)
    monday_three = pd.Timestamp("2026-03-30 01:00", tz="UTC")
    assert quiet(totals, monday_three, "Europe/Berlin")
    assert not quiet(totals, monday_three + pd.Timedelta(hours=1), "Europe/Berlin")


def test_the_same_local_hour_on_the_days_before_a_clock_change() -> None:
    """Stepping back whole local days: 02:00 on the Monday after the change (00:00 UTC)
    was 01:00 UTC the Saturday before; the Sunday's 02:00 never happened and is left out;
    after clocks go back, the repeated hour is taken at its first (summer) time."""
    after_spring = same_local_hour(pd.Timestamp("2026-03-30 00:00", tz="UTC"), "Europe/Berlin", 2)
    assert after_spring == [pd.Timestamp("2026-03-28 01:00", tz="UTC")]
    after_autumn = same_local_hour(pd.Timestamp("2026-10-26 01:00", tz="UTC"), "Europe/Berlin", 2)
    # 02:00 on Sunday 25 October happened twice: first at 00:00 UTC (summer time).
    assert after_autumn == [
        pd.Timestamp("2026-10-25 00:00", tz="UTC"),
        pd.Timestamp("2026-10-24 00:00", tz="UTC"),
    ]


def test_a_berlin_store_reads_its_quiet_hours_on_berlins_clock() -> None:
    """A Berlin store with orders every hour but 03:00 local, read at 03:20 on the Monday
    after clocks went forward (01:20 UTC) with no row for 03:00: the hour is quiet on the
    city's clock (it was empty at 03:00 on every day before, at 02:00 UTC the week before
    the change), so the series runs on to it with no orders; the store's time zone reaches
    the check."""
    from sqlalchemy import create_engine

    from db.models import Zone
    from db.models.base import Base

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    hours = pd.date_range("2026-03-20", "2026-03-30 00:00", freq="h", tz="UTC")
    with Session(engine) as session, session.begin():
        session.add(Zone(id=1, code="z1", name="z1", center_lat=52.5, center_lon=13.4, radius_km=3))
        session.add_all(
            DemandObservation(zone_id=1, hour=h.to_pydatetime(), orders=5)
            for h in hours
            if h.tz_convert("Europe/Berlin").hour != 3
        )
    with Session(engine) as session:
        read = demand_series(
            session, "Europe/Berlin", ended_by=datetime(2026, 3, 30, 2, 20, tzinfo=UTC)
        )
    city = {s.series_id: s for s in read}["city"]
    assert len(city.y) == len(hours) + 1 and city.y[-1] == 0
