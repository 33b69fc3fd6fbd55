"""The dashboard's data module reads settings the way the CLI does."""

from __future__ import annotations

import pytest
import streamlit as st

from dashboard import data


def test_the_batch_run_uses_the_configured_city_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: the page's batch run once built its settings by hand and forecast on
    Shanghai's days whatever LONGCAT_TIMEZONE said; it now takes the city's zone, as the
    CLI's ``longcat forecast run`` does."""
    monkeypatch.setenv("LONGCAT_TIMEZONE", "America/New_York")
    st.cache_resource.clear()  # the settings are read once per dashboard process
    try:
        run = data.batch_run_settings()
    finally:
        st.cache_resource.clear()
    assert (run.timezone, run.horizon) == ("America/New_York", 48)
