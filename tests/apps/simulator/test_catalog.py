"""The simulated city's demand is the store's history: the mean of the same hour of the
week over the last four weeks, per zone; a store without history is refused by name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from apps.simulator.catalog import CatalogError, read_catalog
from db.models import DemandObservation
from tests.conftest import TEST_NOW

TIMEZONE = "Asia/Shanghai"


def test_rates_are_the_mean_of_the_same_hour_in_past_weeks(seeded_engine: Engine) -> None:
    """The rate for an hour of the week is the average of the four weeks before."""
    hour = (TEST_NOW - timedelta(hours=3)).replace(minute=0)
    with Session(seeded_engine) as session:
        catalog = read_catalog(session, TEST_NOW, TIMEZONE, 28)
        seen = {
            z: session.scalars(
                select(DemandObservation.orders).where(
                    DemandObservation.zone_id == z,
                    DemandObservation.hour.in_([hour - timedelta(weeks=w) for w in range(4)]),
                )
            ).all()
            for z in catalog.zone_ids
        }
    expected = [sum(seen[z]) / 4 for z in catalog.zone_ids]
    assert catalog.expected(hour) == pytest.approx(expected)
    assert sum(expected) > 0
    assert all(catalog.merchants[z] and catalog.customers[z] for z in catalog.zone_ids)


def test_no_history_is_refused(seeded_engine: Engine) -> None:
    """Without demand observations the simulation cannot know how many orders to draw."""
    with seeded_engine.begin() as conn:
        conn.execute(delete(DemandObservation))
    with Session(seeded_engine) as session, pytest.raises(CatalogError, match="demand history"):
        read_catalog(session, TEST_NOW, TIMEZONE, 28)
