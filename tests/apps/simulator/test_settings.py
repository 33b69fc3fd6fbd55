"""Simulation settings: durations read the way people write them, bad values named."""

from __future__ import annotations

import pytest

from apps.simulator.settings import SimSettings, SimSettingsError, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"), [("90s", 90), ("15m", 900), ("2h", 7200), ("1d", 86400), ("45", 45)]
)
def test_durations_read_with_their_unit(text: str, seconds: float) -> None:
    """A duration with s, m, h or d (or none: seconds) becomes seconds."""
    assert parse_duration(text, "duration") == seconds


def test_bad_duration_names_the_field() -> None:
    """A duration that is not one says which option was wrong."""
    with pytest.raises(SimSettingsError, match="tick: 'soon'"):
        parse_duration("soon", "tick")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"tick_s": 0}, "tick_s"),
        ({"cancel_share": 1.5}, "cancel_share"),
        ({"dispatch_interval_s": 10, "tick_s": 30}, "dispatch_interval_s"),
        ({"history_days": 3}, "history_days"),
    ],
)
def test_out_of_range_settings_are_refused(change: dict, field: str) -> None:
    """Each setting is checked when the settings are built, and the error names it."""
    with pytest.raises(SimSettingsError, match=field):
        SimSettings(**change)


def test_settings_survive_the_store() -> None:
    """Settings written to the simulation row read back equal, so a resume can check them."""
    settings = SimSettings(seed=3, tick_s=15, dispatch_interval_s=45)
    assert SimSettings.from_json(settings.as_json()) == settings
