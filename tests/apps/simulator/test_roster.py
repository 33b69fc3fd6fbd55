"""Rosters: the forecast roster covers every hour's need with shifts of sensible length,
the flat roster spends the same hours evenly, scaling changes the headcount."""

from __future__ import annotations

import numpy as np
import pytest

from apps.simulator import roster


def test_cover_need_staffs_every_hour() -> None:
    """Every zone has at least its needed couriers at every hour, in 4 to 8 hour shifts."""
    need = {1: np.array([0] * 7 + [1, 2, 2, 3, 5, 6, 4, 2, 2, 2, 3, 5, 6, 4, 2, 1, 1])}
    need[2] = np.roll(need[1], 3)
    shifts = roster.cover_need(need)
    for zone_id, wanted in need.items():
        staffed = np.zeros(24, dtype=int)
        for s in shifts:
            if s.zone_id == zone_id:
                staffed[s.start_h : s.end_h] += 1
        assert (staffed >= wanted).all()
    assert all(roster.MIN_SHIFT_H <= s.hours <= roster.MAX_SHIFT_H or s.end_h == 24 for s in shifts)


def test_cover_need_stays_inside_the_window() -> None:
    """A replayed window's shifts do not run past its end."""
    need = {1: np.array([0] * 11 + [4, 5] + [0] * 11)}
    shifts = roster.cover_need(need, (11, 13))
    assert shifts and all(s.start_h >= 11 and s.end_h <= 13 for s in shifts)


def test_flat_roster_keeps_the_hours_and_the_headcount_level() -> None:
    """The flat roster spends the forecast roster's hours with the same headcount all day."""
    shifts = roster.flat({1: 96.0, 2: 48.0})
    assert roster.courier_hours(shifts) == 144
    for zone_id, per_hour in ((1, 4), (2, 2)):
        staffed = np.zeros(24, dtype=int)
        for s in shifts:
            if s.zone_id == zone_id:
                staffed[s.start_h : s.end_h] += 1
        assert (staffed == per_hour).all()


def test_scaling_changes_each_zones_headcount() -> None:
    """+50% turns two shifts of a zone into three, repeating the first."""
    shifts = [roster.Shift(1, 8, 16), roster.Shift(1, 16, 24), roster.Shift(2, 0, 8)]
    bigger = roster.scaled(shifts, 1.5)
    assert [s for s in bigger if s.zone_id == 1] == [shifts[0], shifts[1], shifts[0]]
    with pytest.raises(roster.RosterError, match="couriers"):
        roster.scaled(shifts, 0)


def test_bad_need_is_refused_with_the_zone() -> None:
    """A need profile that is not 24 hourly headcounts names its zone."""
    with pytest.raises(roster.RosterError, match=r"need\[3\]"):
        roster.cover_need({3: np.array([1, 2, 3])})
